// One test for each defect the type-system issue named: casts to D's
// predefined integer typedefs, sizeof(string) following -x strsize, a
// kernel variable this kernel does not export, and an expression too
// complex for the BPF stack, each as DTrace reports it (never an internal
// error).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompileError } from '../../../src/diag/diagnostic.js';
import { Options } from '../../../src/sema/options.js';
import { compile } from '../../../src/session/compile.js';
import { check, compileError, constant, typeName } from './helpers.js';

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
    const e = compileError(() => compile([{ kind: 'description', name: 'x', text: 'BEGIN { trace(`max_threads); }' }], {
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
    let err: unknown;
    try {
      compile([{ kind: 'script', name: 'deep.d', text: `BEGIN { ${decl} trace(${expr}); }` }], { options: new Options(), parse: {}, noProbes: true });
    } catch (e) {
      err = e;
    }
    const ce = err instanceof CompileError ? err : (err as { error?: unknown } | undefined)?.error;
    assert.ok(ce instanceof CompileError, `expected a compile error, got ${String(err)}`);
    assert.equal(ce.diag.message, 'Insufficient registers to generate code');
  });
});
