/*
 * Unit tests for D format-string parsing and printf argument checking
 * (src/format/printf.ts): DTrace's grammar, flags and diagnostics.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseFormat, checkPrintfArgs, type ArgTypeInfo, type Conversion,
} from '../../../src/format/printf.js';

const INT: ArgTypeInfo = { kind: 'int', name: 'int', size: 4, signed: true };
const LONG: ArgTypeInfo = { kind: 'int', name: 'long', size: 8, signed: true, baseName: 'long' };
const SHORT: ArgTypeInfo = { kind: 'int', name: 'short', size: 2, signed: true, baseName: 'short' };
const U64: ArgTypeInfo = {
  kind: 'int', name: 'uint64_t', size: 8, signed: false, baseName: 'unsigned long', typedefs: ['uint64_t'],
};
const STR: ArgTypeInfo = { kind: 'string', name: 'string' };
const CHARP: ArgTypeInfo = { kind: 'pointer', name: 'char *', size: 8 };
const CHAR: ArgTypeInfo = { kind: 'int', name: 'char', size: 1, signed: true };
const CHARARR: ArgTypeInfo = { kind: 'array', name: 'char [16]', element: CHAR };
const DBL: ArgTypeInfo = { kind: 'float', name: 'double', size: 8 };
const STACK: ArgTypeInfo = { kind: 'stack', name: 'stack' };

function only(fmt: string): Conversion {
  const p = parseFormat(fmt);
  assert.equal(p.error, undefined);
  assert.equal(p.conversions.length, 1);
  return p.conversions[0];
}

test('splits literal text and conversions', () => {
  const p = parseFormat('pid %-5d is %s|');
  assert.equal(p.error, undefined);
  assert.deepEqual(p.pieces.map((x) => (x.kind === 'literal' ? x.text : x.text)), ['pid ', '%-5d', ' is ', '%s', '|']);
  const [d, s] = p.conversions;
  assert.equal(d.index, 1);
  assert.equal(d.flags, '-');
  assert.equal(d.width, 5);
  assert.equal(d.precision, undefined);
  assert.equal(d.conv, 'd');
  assert.equal(d.spec.argClass, 'integer');
  assert.equal(s.index, 2);
  assert.equal(s.spec.prototype, 'char [] or string (or use stringof)');
});

test('length modifiers and names', () => {
  const c = only('%llx');
  assert.equal(c.lengthMod, 'll');
  assert.equal(c.conv, 'x');
  assert.equal(c.name, 'llx');
  assert.equal(only('%hu').name, 'hu');
  assert.equal(only('%Lf').spec.prototype, 'long double');
});

test("'0' and '-' cancel each other, the later one wins", () => {
  const a = only('%-08d');
  assert.equal(a.zeroPad, true);
  assert.equal(a.left, false);
  assert.equal(a.flags, '0');
  const b = only('%0-8d');
  assert.equal(b.left, true);
  assert.equal(b.zeroPad, false);
  // All flags, reported in canonical order.
  assert.equal(only("%' +#x").flags, "#+' ");
});

test("'?', '*' and '@' fields", () => {
  assert.equal(only('%?p').width, 16);
  const c = only('%*.*s');
  assert.equal(c.width, '*');
  assert.equal(c.precision, '*');
  assert.equal(c.consumes, 3);
  const a = only('%@10d');
  assert.equal(a.agg, true);
  assert.equal(a.width, 10);
  assert.equal(a.consumes, 0);
  const pct = only('%%');
  assert.equal(pct.conv, '%');
  assert.equal(pct.consumes, 0);
  assert.equal(only('%.3f').precision, 3);
});

test('syntax errors carry DTrace wording and the conversion number', () => {
  const cases: Array<[string, string]> = [
    ['%Q', 'format conversion #1 is undefined: %Q'],
    ['%hhd', 'format conversion #1 is undefined: %hhd'],
    ['%zu', 'format conversion #1 is undefined: %z'],
    ['a %d b %5.5.5d', "format conversion #2 has more than one '.' specified"],
    ['%s and %', 'format conversion #2 name expected before end of format string'],
    ['%l', 'format conversion #1 name expected before end of format string'],
    ['%2$s', 'format conversion #1 uses unsupported positional format (%n$)'],
    ['%5%', 'format conversion #1 cannot be combined with other format flags: %%'],
    ['%**d', "format conversion #1 has more than one '*' specified for the output width"],
    ['%%%.**d', "format conversion #2 has more than one '*' specified for the output precision"],
  ];
  for (const [fmt, msg] of cases) {
    const p = parseFormat(fmt);
    assert.deepEqual(p.error, { tag: 'D_SYNTAX', message: msg }, fmt);
  }
});

test('a format ends at an embedded NUL', () => {
  const p = parseFormat('ab\0%Q');
  assert.equal(p.error, undefined);
  assert.deepEqual(p.pieces, [{ kind: 'literal', text: 'ab' }]);
});

test('argument type mismatch message', () => {
  const d = checkPrintfArgs(parseFormat('x=%d\n'), [STR], 'printf');
  assert.deepEqual(d, [{
    tag: 'D_PRINTF_ARG_TYPE',
    message: 'printf( ) argument #2 is incompatible with conversion #1 prototype:\n' +
      '\tconversion: %d\n\t prototype: char, short, int, long, or long long\n\t  argument: string',
    argIndex: 2,
  }]);
});

test('missing value, width and precision arguments', () => {
  assert.deepEqual(checkPrintfArgs(parseFormat('%s %s'), [STR], 'printf'), [{
    tag: 'D_PRINTF_ARG_PROTO',
    message: 'printf( ) prototype mismatch: conversion #2 (%s) is missing a corresponding value argument',
  }]);
  assert.deepEqual(checkPrintfArgs(parseFormat('%-*d'), [], 'printf'), [{
    tag: 'D_PRINTF_DYN_PROTO',
    message: 'printf( ) prototype mismatch: conversion #1 (%d) is missing a corresponding "*" argument',
  }]);
  assert.deepEqual(checkPrintfArgs(parseFormat('%d %.*x'), [INT, INT], 'printf'), [{
    tag: 'D_PRINTF_ARG_PROTO',
    message: 'printf( ) prototype mismatch: conversion #2 (%x) is missing a corresponding value argument',
  }]);
  assert.equal(checkPrintfArgs(parseFormat('%d %.*x'), [INT], 'printf')[0].message,
    'printf( ) prototype mismatch: conversion #2 (%x) is missing a corresponding ".*" argument');
});

test('dynamic width/precision must be integers', () => {
  const d = checkPrintfArgs(parseFormat('%s%*.*u'), [STR, INT, STR, INT], 'printf');
  assert.deepEqual(d, [{
    tag: 'D_PRINTF_DYN_TYPE',
    message: 'printf( ) argument #4 is incompatible with conversion #2 prototype:\n' +
      '\tconversion: % .* u\n\t prototype: int\n\t  argument: string',
    argIndex: 4,
  }]);
});

test('extra arguments', () => {
  assert.deepEqual(checkPrintfArgs(parseFormat('%d\n'), [INT, INT, INT], 'printf'), [{
    tag: 'D_PRINTF_ARG_EXTRA',
    message: 'printf( ) prototype mismatch: only 1 arguments required by this format string',
    argIndex: 3,
  }]);
  // printa() does not require an exact count.
  assert.deepEqual(checkPrintfArgs(parseFormat('%d\n'), [INT, INT], 'printa', { exactLength: false }), []);
});

test('string conversions want strings or char arrays, not char *', () => {
  assert.deepEqual(checkPrintfArgs(parseFormat('%s %S'), [STR, CHARARR], 'printf'), []);
  const d = checkPrintfArgs(parseFormat('%s'), [CHARP], 'printf');
  assert.match(d[0].message, /prototype: char \[\] or string \(or use stringof\)\n\t {2}argument: char \*$/);
});

test('csi, exact-type and named-type conversions', () => {
  assert.deepEqual(checkPrintfArgs(parseFormat('%c%c%c'), [CHAR, SHORT, INT], 'printf'), []);
  assert.equal(checkPrintfArgs(parseFormat('%c'), [LONG], 'printf')[0].message,
    'printf( ) argument #2 is incompatible with conversion #1 prototype:\n' +
    '\tconversion: %c\n\t prototype: char, short, or int\n\t  argument: long');
  assert.deepEqual(checkPrintfArgs(parseFormat('%hd %ld %lld %lu'), [SHORT, LONG, LONG, U64], 'printf'), []);
  assert.equal(checkPrintfArgs(parseFormat('%hd'), [INT], 'printf')[0].tag, 'D_PRINTF_ARG_TYPE');
  assert.equal(checkPrintfArgs(parseFormat('%lu'), [LONG], 'printf')[0].tag, 'D_PRINTF_ARG_TYPE');
  assert.deepEqual(checkPrintfArgs(parseFormat('%llx %lx %hx'), [U64, U64, SHORT], 'printf'), []);
  assert.equal(checkPrintfArgs(parseFormat('%llx'), [LONG], 'printf')[0].tag, 'D_PRINTF_ARG_TYPE');
  assert.deepEqual(checkPrintfArgs(parseFormat('%f %e'), [DBL, DBL], 'printf'), []);
  assert.equal(checkPrintfArgs(parseFormat('%f'), [INT], 'printf')[0].message,
    'printf( ) argument #2 is incompatible with conversion #1 prototype:\n' +
    '\tconversion: %f\n\t prototype: float, double, or long double\n\t  argument: int');
});

test('pointers, symbols, stacks and times', () => {
  assert.deepEqual(checkPrintfArgs(parseFormat('%p %a %p'), [CHARP, CHARP, INT], 'printf'), []);
  assert.equal(checkPrintfArgs(parseFormat('%x'), [CHARP], 'printf')[0].tag, 'D_PRINTF_ARG_TYPE');
  assert.deepEqual(checkPrintfArgs(parseFormat('%k'), [STACK], 'printf'), []);
  assert.equal(checkPrintfArgs(parseFormat('%p'), [STACK], 'printa', { exactLength: false })[0].message,
    'printa( ) argument #2 is incompatible with conversion #1 prototype:\n' +
    '\tconversion: %p\n\t prototype: pointer or integer\n\t  argument: stack');
  assert.deepEqual(checkPrintfArgs(parseFormat('%Y %T'), [U64, U64], 'printf'), []);
  assert.equal(checkPrintfArgs(parseFormat('%Y'), [INT], 'printf')[0].message,
    'printf( ) argument #2 is incompatible with conversion #1 prototype:\n' +
    '\tconversion: %Y\n\t prototype: int64_t\n\t  argument: int');
  assert.equal(checkPrintfArgs(parseFormat('%A'), [U64], 'printf')[0].tag, 'D_PRINTF_ARG_TYPE');
  assert.deepEqual(checkPrintfArgs(parseFormat('%A'), [U64], 'printf', { targetDefined: true }), []);
});

test('aggregation conversions', () => {
  assert.deepEqual(checkPrintfArgs(parseFormat('%@d'), [], 'printf'), [{
    tag: 'D_PRINTF_AGG_CONV',
    message: '%@ conversion requires an aggregation and is not for use with printf( )',
  }]);
  assert.deepEqual(checkPrintfArgs(parseFormat('%s %@8u\n'), [STR], 'printa', { aggregation: true }), []);
  assert.equal(checkPrintfArgs(parseFormat('%@s'), [], 'printa', { aggregation: true })[0].message,
    'printa( ) aggregating action is incompatible with conversion #1 prototype:\n' +
    '\tconversion: %s\n\t prototype: char [] or string (or use stringof)\n\t  argument: int64_t');
});

test('empty format and parse errors pass through', () => {
  assert.deepEqual(checkPrintfArgs(parseFormat(''), [], 'printf'), [{
    tag: 'D_PRINTF_FMT_EMPTY', message: 'printf( ) format string is empty',
  }]);
  assert.equal(checkPrintfArgs(parseFormat('%y'), [INT], 'printf')[0].message,
    'format conversion #1 is undefined: %y');
  assert.deepEqual(checkPrintfArgs(parseFormat('100%% done\n'), [], 'printf'), []);
});
