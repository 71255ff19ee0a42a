// Type checker: result types of D expressions. DTrace promotes as C does
// except that it never widens to int: the wider operand's type wins and, of
// two equally wide types, the unsigned one (uchar + char is uchar). Integer
// constants get C's LP64 types from their value, base and suffix.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constant, typeName } from './helpers.js';

const DECLS = `
char c; unsigned char uc; signed char sc;
short s; unsigned short us;
int i; unsigned int ui;
long l; unsigned long ul;
long long ll; unsigned long long ull;
int8_t i8; uint8_t u8; uint32_t u32; int64_t i64;
`;

describe('arithmetic promotion', () => {
  const cases: [string, string][] = [
    ['uc + c', 'unsigned char'],
    ['c + uc', 'unsigned char'],
    ['c + c', 'char'],
    ['c + sc', 'char'],
    ['c + s', 'short'],
    ['s * us', 'unsigned short'],
    ['us - s', 'unsigned short'],
    ['s + i', 'int'],
    ['i + ui', 'unsigned int'],
    ['ui / i', 'unsigned int'],
    ['ui + l', 'long'],
    ['l + ul', 'unsigned long'],
    ['i + ll', 'long long'],
    ['ull % l', 'unsigned long long'],
    ['c * ul', 'unsigned long'],
    ['i8 + u8', 'uint8_t'],
    ['u32 + i', 'uint32_t'],
    ['i64 - ui', 'int64_t'],
    ['uc & c', 'unsigned char'],
    ['s | us', 'unsigned short'],
    ['i ^ ui', 'unsigned int'],
  ];
  for (const [expr, want] of cases) {
    it(`${expr} is ${want}`, () => assert.equal(typeName(expr, DECLS), want));
  }

  it('a variable and a constant: char + 1 is int, uchar + 1u is unsigned int', () => {
    assert.equal(typeName('c + 1', DECLS), 'int');
    assert.equal(typeName('uc + 1u', DECLS), 'unsigned int');
    assert.equal(typeName('l + 1', DECLS), 'long');
  });

  it('shifts take the type of their left operand', () => {
    assert.equal(typeName('c << 1l', DECLS), 'char');
    assert.equal(typeName('us >> i', DECLS), 'unsigned short');
    assert.equal(typeName('i << ul', DECLS), 'int');
  });

  it('unary -, ~ keep the operand type; ! is int', () => {
    assert.equal(typeName('-uc', DECLS), 'unsigned char');
    assert.equal(typeName('~s', DECLS), 'short');
    assert.equal(typeName('!ul', DECLS), 'int');
  });

  it('comparisons and logical operators are int', () => {
    assert.equal(typeName('c < ul', DECLS), 'int');
    assert.equal(typeName('ul == 1', DECLS), 'int');
    assert.equal(typeName('"a" != "b"', DECLS), 'int');
    assert.equal(typeName('l && c', DECLS), 'int');
    assert.equal(typeName('l || c', DECLS), 'int');
    assert.equal(typeName('l ^^ c', DECLS), 'int');
  });

  it('?: promotes its arms like arithmetic', () => {
    assert.equal(typeName('i ? c : uc', DECLS), 'unsigned char');
    assert.equal(typeName('i ? s : l', DECLS), 'long');
    assert.equal(typeName('i ? "a" : "b"', DECLS), 'string');
  });

  it('casts give the named type; sizeof is size_t', () => {
    assert.equal(typeName('(short)l', DECLS), 'short');
    assert.equal(typeName('(unsigned char)i', DECLS), 'unsigned char');
    assert.equal(typeName('(uint64_t)c', DECLS), 'uint64_t');
    assert.deepEqual(constant('sizeof (int)'), { type: 'size_t', value: 4n });
    assert.deepEqual(constant('sizeof (s)', DECLS), { type: 'size_t', value: 2n });
  });

  it('assignment has the type of the variable', () => {
    assert.equal(typeName('c = 1000', DECLS), 'char');
    assert.equal(typeName('ul += 1', DECLS), 'unsigned long');
  });

  it('built-in variables have their DTrace types', () => {
    assert.equal(typeName('pid'), 'pid_t');
    assert.equal(typeName('timestamp'), 'uint64_t');
    assert.equal(typeName('arg0'), 'int64_t');
    assert.equal(typeName('execname'), 'string');
    assert.equal(typeName('probefunc'), 'string');
    assert.equal(typeName('cpu'), 'processorid_t');
  });
});

describe('integer constant types (C, LP64)', () => {
  const cases: [string, string, bigint][] = [
    ['0', 'int', 0n],
    ['2147483647', 'int', 2147483647n],
    ['2147483648', 'long', 2147483648n],
    ['0x7fffffff', 'int', 0x7fffffffn],
    ['0xffffffff', 'unsigned int', 0xffffffffn],
    ['037777777777', 'unsigned int', 0xffffffffn],
    ['4294967296', 'long', 4294967296n],
    ['0x100000000', 'long', 0x100000000n],
    ['0xffffffffffffffff', 'unsigned long', 0xffffffffffffffffn],
    ['1u', 'unsigned int', 1n],
    ['1l', 'long', 1n],
    ['1ul', 'unsigned long', 1n],
    ['4294967296u', 'unsigned long', 4294967296n],
    // Character constants are ints, as in C (sizeof('c') is 4); several characters pack big-endian.
    ["'a'", 'int', 97n],
    ["'ab'", 'int', 0x6162n],
    ["'a\\bcdefgh'", 'long', 0x6108636465666768n],
  ];
  for (const [src, type, value] of cases) {
    it(`${src} is ${type}`, () => assert.deepEqual(constant(src), { type, value }));
  }
  it('constants promote like variables: 1 + 1u, 1 + 1l, 1u + 1l, 1l + 1ul', () => {
    assert.equal(constant('1 + 1u').type, 'unsigned int');
    assert.equal(constant('1 + 1l').type, 'long');
    assert.equal(constant('1u + 1l').type, 'long');
    assert.equal(constant('1l + 1ul').type, 'unsigned long');
  });
});
