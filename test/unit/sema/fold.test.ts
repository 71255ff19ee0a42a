// Type checker: constant folding. Operations on integer constants are
// computed at compile time in 64-bit arithmetic and kept as the 64-bit
// register value (the type is the promoted type, but only casts and stores
// narrow: `(1 << 63) - 1` is INT64_MAX although its type is int), with
// DTrace's signed remainder (the sign of dividend times divisor:
// 19 % -5 == -4); a constant zero divisor is D_DIV_ZERO.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, constant, lastStmt, rejects, traced } from './helpers.js';

describe('constant folding', () => {
  const cases: [string, string, bigint][] = [
    ['1 + 2 * 3', 'int', 7n],
    ['(1 + 2) * 3', 'int', 9n],
    ['19 / 5', 'int', 3n],
    ['-19 / 5', 'int', -3n],
    ['19 / -5', 'int', -3n],
    ['19 % 5', 'int', 4n],
    ['19 % -5', 'int', -4n],
    ['-19 % 5', 'int', -4n],
    ['-19 % -5', 'int', 4n],
    ['19u % -5', 'unsigned int', 19n],
    ['2147483647 + 1', 'int', 2147483648n],
    ['0xffffffff + 1', 'unsigned int', 0x100000000n],
    ['0xffffffff + 1l', 'long', 0x100000000n],
    ['-1 + 0u', 'unsigned int', 0xffffffffffffffffn],
    ['~0', 'int', -1n],
    ['~0u', 'unsigned int', 0xffffffffffffffffn],
    ['-(-5)', 'int', 5n],
    ['!0', 'int', 1n],
    ['!7', 'int', 0n],
    ['-8 >> 1', 'int', -4n],
    ['-8u >> 1', 'unsigned int', 0x7ffffffffffffffcn],
    ['1 << 4', 'int', 16n],
    ['1l << 40', 'long', 1n << 40n],
    ['(1 << 63) - 1', 'int', 0x7fffffffffffffffn],
    ['1 << 63', 'int', -(1n << 63n)],
    ['(int)(2147483647 + 1)', 'int', -2147483648n],
    ['(unsigned int)(0xffffffff + 1)', 'unsigned int', 0n],
    ['(unsigned int)~0u', 'unsigned int', 0xffffffffn],
    ['0xf0 & 0x3c', 'int', 0x30n],
    ['0xf0 | 0x0f', 'int', 0xffn],
    ['0xff ^ 0x0f', 'int', 0xf0n],
    ['(char)300', 'char', 44n],
    ['(char)200', 'char', -56n],
    ['(unsigned char)-1', 'unsigned char', 255n],
    ['(short)70000', 'short', 4464n],
    ['(unsigned int)-1', 'unsigned int', 0xffffffffn],
    ['(long)-1', 'long', -1n],
    ['(unsigned long)-1', 'unsigned long', 0xffffffffffffffffn],
  ];
  for (const [expr, type, value] of cases) {
    it(`${expr} == ${value} (${type})`, () => assert.deepEqual(constant(expr), { type, value }));
  }

  it('comparisons fold with the promoted signedness: -1 < 1u is false, -1 < 1 is true', () => {
    assert.deepEqual(constant('-1 < 1u'), { type: 'int', value: 0n });
    assert.deepEqual(constant('-1 < 1'), { type: 'int', value: 1n });
    assert.deepEqual(constant('-1l < 1u'), { type: 'int', value: 1n });
    assert.deepEqual(constant('3 >= 3'), { type: 'int', value: 1n });
    assert.deepEqual(constant('3 != 3'), { type: 'int', value: 0n });
  });

  it('logical operators fold to 0 or 1', () => {
    assert.deepEqual(constant('5 && 7'), { type: 'int', value: 1n });
    assert.deepEqual(constant('5 && 0'), { type: 'int', value: 0n });
    assert.deepEqual(constant('0 || 9'), { type: 'int', value: 1n });
    assert.deepEqual(constant('1 ^^ 1'), { type: 'int', value: 0n });
    assert.deepEqual(constant('1 ^^ 0'), { type: 'int', value: 1n });
  });

  it('string constants compare at compile time', () => {
    assert.deepEqual(constant('"abc" < "abd"'), { type: 'int', value: 1n });
    assert.deepEqual(constant('"abc" == "abc"'), { type: 'int', value: 1n });
    assert.deepEqual(constant('"b" > "abc"'), { type: 'int', value: 1n });
  });

  it('a constant condition picks its arm at compile time, at the promoted type', () => {
    assert.deepEqual(constant('1 ? 2 : 3l'), { type: 'long', value: 2n });
    assert.deepEqual(constant('0 ? 2 : 3'), { type: 'int', value: 3n });
  });

  it('expressions with a variable are not folded', () => {
    assert.equal(traced('x + 1', 'int x;').k, 'binop');
    assert.equal(traced('x % -5', 'int x;').k, 'binop');
  });

  it('a constant predicate is folded', () => {
    const p = check('BEGIN /1 + 1 == 2/ { trace(1); }');
    const pred = p.clauses[0].predicate;
    assert.ok(pred !== undefined);
    assert.equal(pred.k, 'int');
    assert.equal((pred as { value: bigint }).value, 1n);
  });

  it('an integer constant inline is its constant, typed by its value as DTrace does (not at its declared type)', () => {
    const s = lastStmt(check('inline char C = 300;\nBEGIN { trace(C + 0); }'));
    assert.equal(s.k, 'trace');
    const e = (s as { e: { k: string; type: { name: string }; value?: bigint } }).e;
    assert.equal(e.k, 'int');
    assert.equal(e.type.name, 'int');
    assert.equal(e.value, 300n);
  });
});

describe('division by zero', () => {
  const msg = 'expression contains division by zero';
  it('1 / 0 and 1 % 0 are D_DIV_ZERO at their line', () => {
    rejects('BEGIN\n{\n\ttrace(1 / 0);\n}', 'D_DIV_ZERO', msg, 3);
    rejects('BEGIN { trace(1 % 0); }', 'D_DIV_ZERO', msg, 1);
  });
  it('a divisor that folds to zero: 123 / (7 - 7)', () => {
    rejects('BEGIN { trace(123 / (7 - 7)); }', 'D_DIV_ZERO', msg);
  });
  it('a variable divided by constant zero', () => {
    rejects('int x;\nBEGIN { trace(x / 0); }', 'D_DIV_ZERO', msg, 2);
    rejects('BEGIN { x = 1; x %= 0; }', 'D_DIV_ZERO', msg);
    rejects('BEGIN { x = 1; x /= 0; }', 'D_DIV_ZERO', msg);
  });
  it('dividing by a variable is left to run time', () => {
    assert.equal(traced('10 / x', 'int x;').k, 'binop');
  });
});
