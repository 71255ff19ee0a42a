// Checking stack( ), sym( ), func( ), mod( ), caller and stackdepth
// (library/stacks.ts, sema/stackkeys.ts): frame counts and their options,
// DTrace's D_STACK_SIZE / D_USTACK_* errors, the "stack" and "_symaddr"
// types of these values (keys, printf/printa checks), and D_CG_EXPR where
// no such value can be generated.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TStmt } from '../../../src/sema/ir.js';
import { Options } from '../../../src/sema/options.js';
import { compileError, check, lastStmt, rejects } from './helpers.js';
import { compileD } from '../codegen/helpers.js';
import { SourceError } from '../../../src/session/compile.js';

/** frames is the frame count a stack( ) statement records. */
function frames(src: string, options?: Options): number {
  const s = lastStmt(check(src, options)) as TStmt & { k: 'action' };
  assert.equal(s.k, 'action');
  const a = s.args[0];
  assert.ok(a !== undefined && a.k === 'int');
  return Number(a.value);
}

describe('stack( ) frame counts', () => {
  it('stack(n) records n frames; stack( ) the stackframes option (20); at most maxframes', () => {
    assert.equal(frames('BEGIN { stack(3); }'), 3);
    assert.equal(frames('BEGIN { stack(); }'), 20);
    const o = new Options();
    o.set('stackframes', '7', false);
    assert.equal(frames('BEGIN { stack(); }', o), 7);
    const m = new Options();
    m.set('maxframes', '5', false);
    assert.equal(frames('BEGIN { stack(50); }', m), 5);
  });
  it('the count must be a positive integer constant (D_STACK_SIZE)', () => {
    const msg = 'stack( ) argument #1 must be a non-zero positive integer constant';
    rejects('BEGIN { stack(0); }', 'D_STACK_SIZE', msg);
    rejects('BEGIN { stack(-1); }', 'D_STACK_SIZE', msg);
    rejects('BEGIN { x = 2; stack(x); }', 'D_STACK_SIZE', msg);
    rejects('BEGIN { stack(1, 2); }', 'D_PROTO_LEN', 'stack( ) prototype mismatch: 2 args passed, at most 1 expected');
  });
  it('ustack( ) is checked as DTrace checks it, then refused (user stacks are not built)', () => {
    rejects('BEGIN { ustack(0); }', 'D_USTACK_FRAMES', 'ustack( ) argument #1 must be a non-zero positive integer constant');
    rejects('BEGIN { ustack(1, -1); }', 'D_USTACK_STRSIZE', 'ustack( ) argument #2 must be a positive integer constant');
    rejects('BEGIN { ustack(1, "x"); }', 'D_PROTO_ARG', 'ustack( ) argument #2 is incompatible with prototype:\n\tprototype: uint32_t\n\t argument: string');
    rejects('BEGIN { ustack(); }', 'D_UNSUPPORTED');
    rejects('BEGIN { usym(1); }', 'D_UNSUPPORTED');
  });
});

describe('stack and symbol values', () => {
  it('as keys they have DTrace\'s types: stack, _symaddr', () => {
    const p = check('BEGIN { @[stack(4), sym(1), func(2), mod(3)] = count(); }');
    const a = [...p.aggregations.values()][0];
    assert.deepEqual(a.keys.map((t) => t.name), ['stack', '_symaddr', '_symaddr', '_symaddr']);
    assert.deepEqual(a.keys.map((t) => (t.kind === 'int' ? t.symbolic : undefined)), ['stack', 'sym', 'sym', 'mod']);
  });
  it('a key used as another type is D_PROTO_ARG; sym( ) and mod( ) keys are alike', () => {
    rejects('BEGIN { @[stack()] = count(); @[1] = count(); }', 'D_PROTO_ARG', '@_[ ] key #1 is incompatible with prototype:\n\tprototype: stack\n\t      key: int');
    rejects('BEGIN { @a[1] = count(); @a[stack()] = count(); }', 'D_PROTO_ARG', '@a[ ] key #1 is incompatible with prototype:\n\tprototype: int\n\t      key: stack');
    check('BEGIN { @[sym(1)] = count(); @[mod(1)] = count(); }');
  });
  it('printf and printa formats check them: %k takes a stack, %a a _symaddr', () => {
    check('BEGIN { @[stack(), sym(1)] = count(); printa("%k %a %@d\\n", @); }');
    rejects('BEGIN { @[stack()] = count(); printa("%p\\n", @); }', 'D_PRINTF_ARG_TYPE',
      'printa( ) argument #2 is incompatible with conversion #1 prototype:\n\tconversion: %p\n\t prototype: pointer or integer\n\t  argument: stack');
    rejects('BEGIN { @[sym(1)] = count(); printa("%d\\n", @); }', 'D_PRINTF_ARG_TYPE');
    rejects('BEGIN { @[sym(1)] = count(); printa("%k\\n", @); }', 'D_PRINTF_ARG_TYPE');
    rejects('BEGIN { printf("%s", sym(1)); }', 'D_PRINTF_ARG_TYPE');
  });
  it('a stack is not a number', () => {
    rejects('BEGIN { trace(stack() + 1); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "stack" + "int"');
  });
  it('outside a key the code generator refuses them (D_CG_EXPR)', () => {
    for (const src of ['BEGIN { trace(stack(2)); }', 'BEGIN { x = sym(1); }', 'BEGIN { printf("%a", func(1)); }']) {
      let e: unknown;
      try {
        compileD(src);
      } catch (x) {
        e = x;
      }
      assert.ok(e instanceof SourceError, src);
      assert.equal(e.error.diag.tag, 'D_CG_EXPR', src);
      assert.match(e.error.diag.message, /^tracing function (stack|sym|func)\( \) may not be called from a D expression \(D program context required\)$/);
    }
  });
  it('caller is a uintptr_t and stackdepth a uint32_t', () => {
    const s = lastStmt(check('BEGIN { trace(caller); }')) as TStmt & { k: 'trace' };
    assert.equal(s.e.type.name, 'uintptr_t');
    const d = lastStmt(check('BEGIN { trace(stackdepth); }')) as TStmt & { k: 'trace' };
    assert.equal(d.e.type.kind === 'int' && d.e.type.size, 4);
  });
});
