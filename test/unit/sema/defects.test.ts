// One test for each defect the type-system issue named: casts to D's
// predefined integer typedefs, sizeof(string) following -x strsize, a
// kernel variable this kernel does not export, and an expression too
// complex for the BPF stack, each as DTrace reports it (never an internal
// error).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompileError } from '../../../src/diag/diagnostic.js';
import { Options } from '../../../src/sema/options.js';
import { compile, SourceError } from '../../../src/session/compile.js';
import { check, constant, typeName } from './helpers.js';

/** sourceError runs a compile and returns the CompileError its SourceError carries. */
function sourceError(fn: () => unknown): CompileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SourceError) return e.error;
    throw e;
  }
  assert.fail('expected a compile error');
}

describe('defects of the integer-only compiler', () => {
  it('(uint_t)1 and (hrtime_t)1 parse and have their typedef names', () => {
    assert.equal(typeName('(uint_t)1'), 'uint_t');
    assert.equal(typeName('(hrtime_t)1'), 'hrtime_t');
    assert.deepEqual(constant('sizeof ((hrtime_t)1)'), { type: 'size_t', value: 8n });
  });

  it('sizeof(string) is the strsize option', () => {
    const o = new Options();
    assert.equal(o.set('strsize', '100', false), undefined);
    const p = check('BEGIN { trace(sizeof (string)); }', o);
    const s = p.clauses[0]!.body[0]!;
    assert.ok(s.k === 'trace' && s.e.k === 'int');
    assert.equal(s.k === 'trace' && s.e.k === 'int' ? s.e.value : 0n, 100n);
  });

  it('a kernel variable the kernel does not export is DTrace\'s "failed to resolve"', () => {
    const e = sourceError(() => compile([{ kind: 'description', name: 'x', text: 'BEGIN { trace(`max_threads); }' }], {
      options: new Options(), parse: {}, noProbes: true, kernel: { symbol: () => undefined },
    }));
    assert.equal(e.diag.tag, 'D_IDENT_UNDEF');
    assert.equal(e.diag.message, 'failed to resolve `max_threads: Unknown symbol name');
  });

  it('an 80-term nested sum is DTrace\'s "Insufficient registers" error, not an internal error', () => {
    const n = 80;
    const decl = Array.from({ length: n }, (_, i) => `v${i} = ${i};`).join(' ');
    let expr = `v${n - 1}`;
    for (let i = n - 2; i >= 0; i--) expr = `v${i} + (${expr})`;
    const e = sourceError(() => compile([{ kind: 'script', name: 'deep.d', text: `BEGIN { ${decl} trace(${expr}); }` }], { options: new Options(), parse: {}, noProbes: true }));
    assert.equal(e.diag.message, 'Insufficient registers to generate code');
  });
});
