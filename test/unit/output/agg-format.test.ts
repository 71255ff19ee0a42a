/*
 * Unit tests for aggregation output (src/output/aggregation.ts): the
 * default layout (key and value widths), the quantize/lquantize/llquantize
 * tables, sorting, printa() with formats and joined aggregations, and the
 * output at exit.  Expected strings are built from DTrace's printf formats:
 * keys " %16lld"/" %8d"/" %5d"/" %3d"/"  %-50s", values " %16lld", table
 * rows "%16s " + bar + " %-9lld".
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatAggregation, formatAggregationsAtExit, formatPrinta, formatPrintaDefault, sortEntries,
  quantizeBucket, lquantizeBucket, llquantizeBucket, zeroValue, DEFAULT_AGG_OPTIONS,
  type AggDef, type AggEntry, type AggOptions, type KeyType, type KeyValue, type AggValue,
} from '../../../src/output/aggregation.js';
import { parseFormat } from '../../../src/format/printf.js';
import { dataWords } from '../../../src/layout/aggvalue.js';

const I32: KeyType = { kind: 'int', size: 4, signed: true };
const I64: KeyType = { kind: 'int', size: 8, signed: true };
const U64: KeyType = { kind: 'int', size: 8, signed: false };
const STR: KeyType = { kind: 'string', size: 256, signed: false };
const O: AggOptions = { ...DEFAULT_AGG_OPTIONS };
const opt = (o: Partial<AggOptions>): AggOptions => ({ ...DEFAULT_AGG_OPTIONS, ...o });

const mk = (func: AggDef['func'], keys: KeyType[] = [], extra: Partial<AggDef> = {}, id = 1): AggDef =>
  ({ id, name: 'a', func, keys, ...extra });
const sc = (keys: KeyValue[], v: number | bigint): AggEntry => ({ keys, value: { kind: 'scalar', value: BigInt(v) } });

/** A histogram entry built by adding (value, increment) pairs. */
function hist(def: AggDef, keys: KeyValue[], data: [number | bigint, number | bigint][]): AggEntry {
  const v = zeroValue(def) as Extract<AggValue, { kind: 'hist' }>;
  for (const [x, inc] of data) {
    const b = def.func === 'quantize' ? quantizeBucket(BigInt(x))
      : def.func === 'lquantize' ? lquantizeBucket(def, BigInt(x)) : llquantizeBucket(def, BigInt(x));
    v.buckets[b] += BigInt(inc);
  }
  assert.equal(v.buckets.length, dataWords(def));
  return { keys, value: v };
}

const HEADER = '\n' + ' '.repeat(11) + 'value' + '  ' + '------------- Distribution -------------' + ' count    \n';
/** A row of a table with only positive counts. */
const pos = (label: string, ats: number, count: string): string =>
  label.padStart(16) + ' |' + '@'.repeat(ats) + ' '.repeat(40 - ats) + ' ' + count.padEnd(9) + '\n';
/** A row of a table with only negative counts. */
const neg = (label: string, ats: number, count: string): string =>
  label.padStart(16) + ' ' + ' '.repeat(40 - ats) + '@'.repeat(ats) + '| ' + count.padEnd(9) + '\n';
/** A row of a table with both signs (half bars). */
const both = (label: string, ats: number, count: bigint): string => label.padStart(16) + ' ' +
  (count <= 0n
    ? ' '.repeat(20 - ats) + '@'.repeat(ats) + '|' + ' '.repeat(20)
    : ' '.repeat(20) + '|' + '@'.repeat(ats) + ' '.repeat(20 - ats)) + ' ' + count.toString().padEnd(9) + '\n';

test('default layout: int keys " %8d", values " %16lld", sorted by value then key', () => {
  const d = mk('count', [I32]);
  const out = formatAggregation(d, [sc([1n], 3), sc([2n], 1), sc([3n], 3), sc([-1n], 2)], O);
  assert.equal(out,
    '\n' +
    '        2                1\n' +
    '       -1                2\n' +
    '        1                3\n' +
    '        3                3\n');
});

test('ties: integer keys compare unsigned, so negatives come last', () => {
  const d = mk('sum', [I32]);
  const out = formatAggregation(d, [sc([-5n], 7), sc([4n], 7), sc([0n], 7)], O);
  assert.equal(out, '\n        0                7\n        4                7\n       -5                7\n');
});

test('key widths by size; 8-byte keys print signed, 1- and 2-byte ones zero-extended', () => {
  const d = mk('sum', [{ kind: 'int', size: 1, signed: true }, { kind: 'int', size: 2, signed: true }, U64]);
  const out = formatAggregation(d, [sc([-1n, -2n, (1n << 64n) - 1n], -4)], O);
  assert.equal(out, '\n' + ' 255' + ' 65534' + ' ' + '-1'.padStart(16) + ' ' + '-4'.padStart(16) + '\n');
});

test('string keys: "  %-50s"; byte order with shorter strings first', () => {
  const d = mk('sum', [STR, I64]);
  const out = formatAggregation(d, [sc(['b', 1n], 1), sc(['abc', 1n], 1), sc(['ab', 1n], 1)], O);
  const line = (s: string): string => '  ' + s.padEnd(50) + ' ' + '1'.padStart(16) + ' ' + '1'.padStart(16) + '\n';
  assert.equal(out, '\n' + line('ab') + line('abc') + line('b'));
});

test('a value without keys; empty aggregation prints only the blank line', () => {
  assert.equal(formatAggregation(mk('sum'), [sc([], -42)], O), '\n' + '-42'.padStart(17) + '\n');
  assert.equal(formatAggregation(mk('sum'), [], O), '\n');
});

test('avg and stddev values', () => {
  const avg = mk('avg');
  assert.equal(formatAggregation(avg, [{ keys: [], value: { kind: 'avg', count: 2n, total: 3n } }], O),
    '\n' + '1'.padStart(17) + '\n');
  assert.equal(formatAggregation(avg, [{ keys: [], value: { kind: 'avg', count: 2n, total: -21n } }], O),
    '\n' + '-10'.padStart(17) + '\n');
  const sd = mk('stddev');
  // 10, 20, 30: avg of squares 466, mean 20: sqrt(66) = 8.
  assert.equal(formatAggregation(sd, [{ keys: [], value: { kind: 'stddev', count: 3n, total: 60n, sumsq: 1400n } }], O),
    '\n' + '8'.padStart(17) + '\n');
});

test('normalize: values divided when printed', () => {
  assert.equal(formatAggregation(mk('sum'), [sc([], 1000)], O, 3n), '\n' + '333'.padStart(17) + '\n');
});

test('quantize table: one zero row each side, bars of 40 * count / total', () => {
  const d = mk('quantize');
  const e = hist(d, [], [[1, 1], [2, 1], [3, 1]]);
  assert.equal(formatAggregation(d, [e], O),
    '\n' + HEADER + pos('0', 0, '0') + pos('1', 13, '1') + pos('2', 27, '2') + pos('4', 0, '0') + '\n');
});

test('quantize table: gaps are printed, large values and negative values', () => {
  const d = mk('quantize');
  const e = hist(d, [], [[-3, 1], [1000, 3]]);
  const rows = [pos('-4', 0, '0'), pos('-2', 10, '1'), pos('-1', 0, '0'), pos('0', 0, '0')];
  for (let v = 1; v <= 256; v *= 2) rows.push(pos(String(v), 0, '0'));
  rows.push(pos('512', 30, '3'), pos('1024', 0, '0'));
  assert.equal(formatAggregation(d, [e], O), '\n' + HEADER + rows.join('') + '\n');
});

test('quantize table: no data shows the buckets around zero', () => {
  const d = mk('quantize');
  assert.equal(formatAggregation(d, [hist(d, [], [[5, 0]])], O),
    '\n' + HEADER + pos('-1', 0, '0') + pos('0', 0, '0') + pos('1', 0, '0') + '\n');
});

test('quantize table: negative counts only, and both signs', () => {
  const d = mk('quantize');
  assert.equal(formatAggregation(d, [hist(d, [], [[1, -5]])], O),
    '\n' + HEADER + neg('0', 0, '0') + neg('1', 40, '-5') + neg('2', 0, '0') + '\n');
  assert.equal(formatAggregation(d, [hist(d, [], [[0, -2], [1, 2]])], O),
    '\n' + HEADER + both('-1', 0, 0n) + both('0', 10, -2n) + both('1', 10, 2n) + both('2', 0, 0n) + '\n');
});

test('quantize table with keys: the table starts on the next line', () => {
  const d = mk('quantize', [STR]);
  const e = hist(d, ['k'], [[8, 2]]);
  assert.equal(formatAggregation(d, [e], O),
    '\n  ' + 'k'.padEnd(50) + HEADER + pos('4', 0, '0') + pos('8', 40, '2') + pos('16', 0, '0') + '\n');
});

test('lquantize table: "< base" and ">= limit" rows', () => {
  const d = mk('lquantize', [], { lq: { base: 0n, limit: 3n, step: 1n } });
  const e = hist(d, [], [[-5, 1], [7, 1]]);
  assert.equal(formatAggregation(d, [e], O), '\n' + HEADER +
    pos('< 0', 20, '1') + pos('0', 0, '0') + pos('1', 0, '0') + pos('2', 0, '0') + pos('>= 3', 20, '1') + '\n');
  // No data: the first three rows.
  const z = hist(d, [], []);
  assert.equal(formatAggregation(d, [z], O), '\n' + HEADER + pos('< 0', 0, '0') + pos('0', 0, '0') + pos('1', 0, '0') + '\n');
  // Steps other than 1 label each bucket with its lower bound.
  const s = mk('lquantize', [], { lq: { base: -100n, limit: 100n, step: 50n } });
  assert.equal(formatAggregation(s, [hist(s, [], [[-60, 4]])], O),
    '\n' + HEADER + pos('< -100', 0, '0') + pos('-100', 40, '4') + pos('-50', 0, '0') + '\n');
});

test('llquantize table: labels are the bins\' lower bounds', () => {
  const d = mk('llquantize', [], { llq: { factor: 10n, low: 0n, high: 1n, nsteps: 10n } });
  const e = hist(d, [], [[5, 1], [50, 1]]);
  const rows = [pos('4', 0, '0'), pos('5', 20, '1')];
  for (const l of ['6', '7', '8', '9', '10', '20', '30', '40']) rows.push(pos(l, 0, '0'));
  rows.push(pos('50', 20, '1'), pos('60', 0, '0'));
  assert.equal(formatAggregation(d, [e], O), '\n' + HEADER + rows.join('') + '\n');
});

test('llquantize table: underflow bin label and 15-character label cells', () => {
  const d = mk('llquantize', [], { llq: { factor: 10n, low: 2n, high: 2n, nsteps: 10n } });
  // |v| < 100 goes to bin0, labelled "< 100" only when the rows shown start
  // at bin0 (after widening by one row each side), else "abs() < 100".
  assert.equal(formatAggregation(d, [hist(d, [], [[150, 1]])], O),
    '\n' + HEADER + pos('< 100', 0, '0') + pos('100', 40, '1') + pos('200', 0, '0') + '\n');
  assert.equal(formatAggregation(d, [hist(d, [], [[7, 2]])], O),
    '\n' + HEADER + pos('-100', 0, '0') + pos('abs() < 100', 40, '2') + pos('100', 0, '0') + '\n');
  assert.equal(formatAggregation(d, [hist(d, [], [[7, 1], [-150, 1]])], O),
    '\n' + HEADER + pos('-200', 0, '0') + pos('-100', 20, '1') + pos('abs() < 100', 20, '1') + pos('100', 0, '0') + '\n');
  const big = mk('llquantize', [], { llq: { factor: 10n, low: 13n, high: 13n, nsteps: 10n } });
  assert.equal(formatAggregation(big, [hist(big, [], [[-(10n ** 14n), 1]])], O),
    '\n' + HEADER + pos('<= -10000000000', 40, '1') + pos('-90000000000000', 0, '0') + '\n');
});

test('llquantize table: ghost bins (low 0, steps > factor) are skipped', () => {
  const d = mk('llquantize', [], { llq: { factor: 2n, low: 0n, high: 2n, nsteps: 4n } });
  const e = hist(d, [], [[1, 1], [4, 1]]);
  assert.equal(formatAggregation(d, [e], O), '\n' + HEADER +
    pos('0', 0, '0') + pos('1', 20, '1') + pos('2', 0, '0') + pos('3', 0, '0') + pos('4', 20, '1') + pos('6', 0, '0') + '\n');
});

test('histogram counts are normalized, bars are not', () => {
  const d = mk('lquantize', [], { lq: { base: 0n, limit: 2n, step: 1n } });
  const e = hist(d, [], [[0, 10], [1, 30]]);
  assert.equal(formatAggregation(d, [e], O, 10n),
    '\n' + HEADER + pos('< 0', 0, '0') + pos('0', 10, '1') + pos('1', 30, '3') + pos('>= 2', 0, '0') + '\n');
});

test('histograms sort by their weighted sum, then the zero bucket', () => {
  const d = mk('quantize', [I32]);
  const a = hist(d, [1n], [[8, 1]]);      // 8
  const b = hist(d, [2n], [[1, 3]]);      // 3
  const c = hist(d, [3n], [[0, 5], [1, 3]]); // 3, more at zero
  const order = sortEntries(d, [a, c, b], O).map((e) => e.keys[0]);
  assert.deepEqual(order, [2n, 3n, 1n]);
});

test('sortEntries: aggsortkey, aggsortrev, aggsortkeypos', () => {
  const d = mk('sum', [I32, STR]);
  const es = [sc([2n, 'x'], 1), sc([1n, 'y'], 2), sc([3n, 'a'], 2)];
  const keys = (o: AggOptions): KeyValue[][] => sortEntries(d, es, o).map((e) => e.keys);
  assert.deepEqual(keys(O), [[2n, 'x'], [1n, 'y'], [3n, 'a']]);
  assert.deepEqual(keys(opt({ aggsortrev: true })), [[3n, 'a'], [1n, 'y'], [2n, 'x']]);
  assert.deepEqual(keys(opt({ aggsortkey: true })), [[1n, 'y'], [2n, 'x'], [3n, 'a']]);
  assert.deepEqual(keys(opt({ aggsortkey: true, aggsortkeypos: 1 })), [[3n, 'a'], [2n, 'x'], [1n, 'y']]);
  assert.deepEqual(keys(opt({ aggsortkeypos: 1 })), [[2n, 'x'], [3n, 'a'], [1n, 'y']]);
  // A key position past the last key means the first key.
  assert.deepEqual(keys(opt({ aggsortkey: true, aggsortkeypos: 2 })), [[1n, 'y'], [2n, 'x'], [3n, 'a']]);
  assert.deepEqual(keys(opt({ aggsortkey: true, aggsortrev: true })), [[3n, 'a'], [2n, 'x'], [1n, 'y']]);
});

test('avg sorts by the integer mean', () => {
  const d = mk('avg', [I32]);
  const e = (k: bigint, count: bigint, total: bigint): AggEntry => ({ keys: [k], value: { kind: 'avg', count, total } });
  const order = sortEntries(d, [e(1n, 2n, 9n), e(2n, 3n, 12n), e(3n, 1n, 3n)], O).map((x) => x.keys[0]);
  assert.deepEqual(order, [3n, 1n, 2n]); // means 4 (9/2), 4, 3: ties by key
});

test('printa with a format: keys to non-@ conversions, no blank line', () => {
  const d = mk('count', [STR, I32]);
  const out = formatPrinta(parseFormat('%-6s|%3d|%@5u\n'), [d], [[sc(['ab', 7n], 2), sc(['c', -1n], 1)]], O);
  assert.equal(out, 'c     | -1|    1\nab    |  7|    2\n');
  // Dynamic widths come from the keys too.
  const w = mk('sum', [I32, I32]);
  assert.equal(formatPrinta(parseFormat('[%*d] %@d\n'), [w], [[sc([5n, 42n], 9)]], O), '[   42] 9\n');
  // A format with no conversion prints once per entry.
  assert.equal(formatPrinta(parseFormat('-\n'), [d], [[sc(['a', 1n], 1), sc(['b', 1n], 1)]], O), '-\n-\n');
});

test('printa with a format: histograms print their table, avg divides unsigned', () => {
  const q = mk('quantize');
  const e = hist(q, [], [[2, 1]]);
  assert.equal(formatPrinta(parseFormat('<%@10d>\n'), [q], [[e]], O),
    '<' + HEADER + pos('1', 0, '0') + pos('2', 40, '1') + pos('4', 0, '0') + '>\n');
  const a = mk('avg');
  const neg = { keys: [], value: { kind: 'avg', count: 2n, total: -20n } } as AggEntry;
  // pfprint_average: (uint64)total / normal / count, then printed with %lld.
  assert.equal(formatPrinta(parseFormat('%@d\n'), [a], [[neg]], O), '9223372036854775798\n');
  assert.equal(formatAggregation(a, [neg], O), '\n' + '-10'.padStart(17) + '\n');
  const sd = mk('stddev');
  assert.equal(formatPrinta(parseFormat('%@x\n'), [sd], [[{ keys: [], value: { kind: 'stddev', count: 2n, total: 48n, sumsq: 1160n } }]], O), '2\n');
});

test('printa with a format: normalized values', () => {
  const s = mk('sum');
  assert.equal(formatPrinta(parseFormat('%@d %@u\n'), [s], [[sc([], -10)]], O, {}, [3n]),
    '-3 6148914691236517202\n');
  const c = mk('count');
  assert.equal(formatPrinta(parseFormat('%@d\n'), [c], [[sc([], 10)]], O, {}, [4n]), '2\n');
});

test('joined printa: missing entries are zero, sorted by the aggsortpos-th value', () => {
  const a = mk('sum', [I32], {}, 1);
  const b = mk('sum', [I32], {}, 2);
  const ta = [sc([1n], 10), sc([2n], 20)];
  const tb = [sc([2n], 5), sc([3n], 1)];
  const f = parseFormat('%d %@d %@d\n');
  assert.equal(formatPrinta(f, [a, b], [ta, tb], O), '3 0 1\n1 10 0\n2 20 5\n');
  assert.equal(formatPrinta(f, [a, b], [ta, tb], opt({ aggsortpos: 1 })), '1 10 0\n3 0 1\n2 20 5\n');
  assert.equal(formatPrinta(f, [a, b], [ta, tb], opt({ aggsortpos: 2 })), '3 0 1\n1 10 0\n2 20 5\n');
  assert.equal(formatPrinta(f, [a, b], [ta, tb], opt({ aggsortrev: true })), '2 20 5\n1 10 0\n3 0 1\n');
  assert.equal(formatPrinta(f, [a, b], [ta, tb], opt({ aggsortkey: true })), '1 10 0\n2 20 5\n3 0 1\n');
  // More '@' conversions than aggregations repeat the last one.
  assert.equal(formatPrinta(parseFormat('%@d %@d %@d|'), [a, b], [ta, tb], O), '0 1 1|10 0 0|20 5 5|');
  // The same aggregation twice.
  assert.equal(formatPrinta(f, [a, a], [ta, ta], O), '1 10 10\n2 20 20\n');
});

test('joined printa: ties on the first value fall back to the next one, then keys', () => {
  const a = mk('sum', [I32], {}, 1);
  const b = mk('sum', [I32], {}, 2);
  const f = parseFormat('%d:%@d:%@d ');
  assert.equal(formatPrinta(f, [a, b], [[sc([1n], 1), sc([2n], 1), sc([3n], 1)], [sc([1n], 9), sc([3n], 2)]], O),
    '2:1:0 3:1:2 1:1:9 ');
});

test('joined printa without a format: keys then every value', () => {
  const a = mk('sum', [I32], {}, 1);
  const q = mk('quantize', [I32], {}, 2);
  const out = formatPrintaDefault([a, q], [[sc([1n], 10)], [hist(q, [2n], [[1, 1]])]], O);
  assert.equal(out, '\n' +
    '        2' + '0'.padStart(17) + HEADER + pos('0', 0, '0') + pos('1', 40, '1') + pos('2', 0, '0') + '\n' +
    '        1' + '10'.padStart(17) + HEADER + pos('-1', 0, '0') + pos('0', 0, '0') + pos('1', 0, '0') + '\n');
});

test('at exit: aggregations in id order, no blank lines; aggsortrev reverses everything', () => {
  const a = mk('sum', [I32], {}, 2);
  const b = mk('count', [], {}, 1);
  const ta = [sc([1n], 5), sc([2n], 3)];
  const tb = [sc([], 7)];
  assert.equal(formatAggregationsAtExit([a, b], [ta, tb], O),
    '7'.padStart(17) + '\n' + '        2                3\n' + '        1                5\n');
  assert.equal(formatAggregationsAtExit([a, b], [ta, tb], opt({ aggsortrev: true })),
    '        1                5\n' + '        2                3\n' + '7'.padStart(17) + '\n');
  assert.equal(formatAggregationsAtExit([a, b], [ta, tb], O, [1n, 7n]),
    '1'.padStart(17) + '\n' + '        2                3\n' + '        1                5\n');
});
