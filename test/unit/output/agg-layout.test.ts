/*
 * Unit tests for the aggregation bucket layouts, per-CPU merging and
 * avg/stddev/normalize arithmetic (src/layout/aggvalue.ts,
 * src/output/aggregation.ts, agg-hist.ts, agg-ld.ts).  Expected values follow DTrace's definitions
 * (DTRACE_QUANTIZE_*, the lquantize/llquantize bin layouts, dt_stddev).
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  quantizeBucketCount, quantizeBucket, quantizeBucketValue,
  lquantizeBucketCount, lquantizeBucket, llquantizeBucketCount, llquantizeBucket,
  mergePerCpu, scalarOf, stddevOf, zeroValue, clearedValue,
  type AggDef,
} from '../../../src/output/aggregation.js';
import { dataWords } from '../../../src/layout/aggvalue.js';
import { ldAdd, ldCmp, ldDiv, ldFromInt, ldMul, ldTrunc, LD_HALF } from '../../../src/output/agg-ld.js';

const def = (func: AggDef['func'], extra: Partial<AggDef> = {}): AggDef =>
  ({ id: 1, name: 'a', func, keys: [], ...extra });
const lq = (base: number, limit: number, step: number): AggDef =>
  def('lquantize', { lq: { base: BigInt(base), limit: BigInt(limit), step: BigInt(step) } });
const llq = (factor: number, low: number, high: number, nsteps: number): AggDef =>
  def('llquantize', { llq: { factor: BigInt(factor), low: BigInt(low), high: BigInt(high), nsteps: BigInt(nsteps) } });

/** Little-endian u64 words as one per-CPU buffer. */
function buf(...words: (bigint | number)[]): Uint8Array {
  const b = new Uint8Array(words.length * 8);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setBigUint64(i * 8, BigInt.asUintN(64, BigInt(w)), true));
  return b;
}

const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);

test('quantize: 127 buckets around zero bucket 63, powers of two', () => {
  assert.equal(quantizeBucketCount(), 127);
  assert.equal(quantizeBucket(0n), 63);
  assert.equal(quantizeBucket(1n), 64);
  assert.equal(quantizeBucket(2n), 65);
  assert.equal(quantizeBucket(3n), 65);
  assert.equal(quantizeBucket(4n), 66);
  assert.equal(quantizeBucket(1023n), 73);
  assert.equal(quantizeBucket(1024n), 74);
  assert.equal(quantizeBucket(-1n), 62);
  assert.equal(quantizeBucket(-2n), 61);
  assert.equal(quantizeBucket(-3n), 61);
  assert.equal(quantizeBucket(-4n), 60);
  assert.equal(quantizeBucket((1n << 62n) - 1n), 125);
  assert.equal(quantizeBucket(1n << 62n), 126);
  assert.equal(quantizeBucket(I64_MAX), 126);
  assert.equal(quantizeBucket(-(1n << 62n)), 0);
  assert.equal(quantizeBucket(I64_MIN), 0);
  // Values are read as int64.
  assert.equal(quantizeBucket((1n << 64n) - 1n), 62);
});

test('quantize: printed bucket values', () => {
  assert.equal(quantizeBucketValue(0), -(1n << 62n));
  assert.equal(quantizeBucketValue(61), -2n);
  assert.equal(quantizeBucketValue(62), -1n);
  assert.equal(quantizeBucketValue(63), 0n);
  assert.equal(quantizeBucketValue(64), 1n);
  assert.equal(quantizeBucketValue(66), 4n);
  assert.equal(quantizeBucketValue(126), 1n << 62n);
  // Every value lands in the bucket whose printed value is its lower bound (positives).
  for (const v of [1n, 5n, 17n, 1000n]) assert.ok(quantizeBucketValue(quantizeBucket(v)) <= v);
});

test('lquantize: underflow, levels, overflow', () => {
  const d = lq(0, 10, 2); // 5 levels
  assert.equal(lquantizeBucketCount(d), 7);
  assert.equal(dataWords(d), 7);
  assert.equal(lquantizeBucket(d, -1n), 0);
  assert.equal(lquantizeBucket(d, 0n), 1);
  assert.equal(lquantizeBucket(d, 1n), 1);
  assert.equal(lquantizeBucket(d, 2n), 2);
  assert.equal(lquantizeBucket(d, 9n), 5);
  assert.equal(lquantizeBucket(d, 10n), 6);
  assert.equal(lquantizeBucket(d, 1n << 40n), 6);
  const n = lq(-10, 10, 5);
  assert.equal(lquantizeBucketCount(n), 6);
  assert.equal(lquantizeBucket(n, -11n), 0);
  assert.equal(lquantizeBucket(n, -10n), 1);
  assert.equal(lquantizeBucket(n, -6n), 1);
  assert.equal(lquantizeBucket(n, -5n), 2);
  assert.equal(lquantizeBucket(n, 9n), 4);
  assert.equal(lquantizeBucket(n, 10n), 5);
});

test('llquantize: symmetric bins around bin0', () => {
  // factor 10, magnitudes 0..2, 10 steps: 9 bins per magnitude, bin0 = 28, 57 bins.
  const d = llq(10, 0, 2, 10);
  assert.equal(llquantizeBucketCount(d), 57);
  assert.equal(dataWords(d), 57);
  assert.equal(llquantizeBucket(d, 0n), 28);
  assert.equal(llquantizeBucket(d, 1n), 29);
  assert.equal(llquantizeBucket(d, 9n), 37);
  assert.equal(llquantizeBucket(d, 10n), 38);
  assert.equal(llquantizeBucket(d, 19n), 38);
  assert.equal(llquantizeBucket(d, 20n), 39);
  assert.equal(llquantizeBucket(d, 999n), 55);
  assert.equal(llquantizeBucket(d, 1000n), 56);
  assert.equal(llquantizeBucket(d, -1n), 27);
  assert.equal(llquantizeBucket(d, -20n), 17);
  assert.equal(llquantizeBucket(d, -999n), 1);
  assert.equal(llquantizeBucket(d, -1000n), 0);
  assert.equal(llquantizeBucket(d, I64_MIN), 0);
});

test('llquantize: steps < factor and steps > factor', () => {
  // factor 4, magnitudes 0..1, 2 steps: 2 bins per magnitude (no steps/factor), bin0 = 5.
  const a = llq(4, 0, 1, 2);
  assert.equal(llquantizeBucketCount(a), 11);
  assert.deepEqual([1n, 2n, 3n, 4n, 7n, 8n, 15n, 16n].map((v) => llquantizeBucket(a, v)), [6, 7, 7, 8, 8, 9, 9, 10]);
  // factor 4, 8 steps: 6 bins per magnitude; magnitude 0 uses every other bin.
  const c = llq(4, 0, 1, 8);
  assert.equal(llquantizeBucketCount(c), 27);
  assert.deepEqual([1n, 2n, 3n, 4n, 5n, 6n, 14n, 16n].map((v) => llquantizeBucket(c, v)), [14, 16, 18, 20, 20, 21, 25, 26]);
  assert.equal(llquantizeBucket(c, -3n), 8);
  // A low magnitude above 0: |v| < factor^low lands in bin0.
  const e = llq(10, 2, 3, 10); // bin0 = 19
  assert.equal(llquantizeBucket(e, 99n), 19);
  assert.equal(llquantizeBucket(e, -99n), 19);
  assert.equal(llquantizeBucket(e, 100n), 20);
  assert.equal(llquantizeBucket(e, 250n), 21);
});

test('dataWords per function', () => {
  assert.equal(dataWords(def('count')), 1);
  assert.equal(dataWords(def('sum')), 1);
  assert.equal(dataWords(def('min')), 1);
  assert.equal(dataWords(def('max')), 1);
  assert.equal(dataWords(def('avg')), 2);
  assert.equal(dataWords(def('stddev')), 4);
  assert.equal(dataWords(def('quantize')), 127);
});

test('mergePerCpu: sums, min, max', () => {
  assert.deepEqual(mergePerCpu(def('count'), [buf(3), buf(4), buf(0)]), { kind: 'scalar', value: 7n });
  assert.deepEqual(mergePerCpu(def('sum'), [buf(-5), buf(2)]), { kind: 'scalar', value: -3n });
  // Sums wrap at 64 bits.
  assert.deepEqual(mergePerCpu(def('sum'), [buf(I64_MAX), buf(1)]), { kind: 'scalar', value: I64_MIN });
  assert.deepEqual(mergePerCpu(def('min'), [buf(I64_MAX), buf(-7), buf(3)]), { kind: 'scalar', value: -7n });
  assert.deepEqual(mergePerCpu(def('max'), [buf(I64_MIN), buf(-7), buf(-9)]), { kind: 'scalar', value: -7n });
  assert.deepEqual(mergePerCpu(def('avg'), [buf(2, 10), buf(1, 5)]), { kind: 'avg', count: 3n, total: 15n });
  const q = mergePerCpu(def('quantize'), [buf(...new Array(127).fill(0).map((_, i) => (i === 64 ? 2 : 0))),
    buf(...new Array(127).fill(0).map((_, i) => (i === 64 || i === 70 ? 1 : 0)))]);
  assert.equal(q.kind, 'hist');
  if (q.kind === 'hist') {
    assert.equal(q.buckets.length, 127);
    assert.equal(q.buckets[64], 3n);
    assert.equal(q.buckets[70], 1n);
    assert.equal(q.buckets[0], 0n);
  }
});

test('mergePerCpu: optional leading generation word skips idle CPUs', () => {
  // [gen, value]: a CPU with gen 0 never touched the entry (its 0 is not a minimum).
  assert.deepEqual(mergePerCpu(def('min'), [buf(0, 0), buf(1, 42), buf(1, 17)]), { kind: 'scalar', value: 17n });
  assert.deepEqual(mergePerCpu(def('max'), [buf(2, -5), buf(0, 0)]), { kind: 'scalar', value: -5n });
  assert.deepEqual(mergePerCpu(def('count'), [buf(0, 9), buf(1, 2)]), { kind: 'scalar', value: 2n });
  // No CPU has data: the zero value.
  assert.deepEqual(mergePerCpu(def('min'), [buf(0, 0)]), { kind: 'scalar', value: 0n });
});

test('mergePerCpu: stddev words are added one by one, without carry', () => {
  const lo = (1n << 64n) - 1n;
  const v = mergePerCpu(def('stddev'), [buf(1, 3, lo, 0), buf(1, 4, 2, 5)]);
  // lo words: (2^64 - 1) + 2 wraps to 1; the hi word gets no carry.
  assert.deepEqual(v, { kind: 'stddev', count: 2n, total: 7n, sumsq: (5n << 64n) | 1n });
});

test('zero and cleared values', () => {
  assert.deepEqual(zeroValue(def('min')), { kind: 'scalar', value: 0n });
  assert.deepEqual(clearedValue(def('min')), { kind: 'scalar', value: I64_MAX });
  assert.deepEqual(clearedValue(def('max')), { kind: 'scalar', value: I64_MIN });
  assert.deepEqual(clearedValue(def('avg')), { kind: 'avg', count: 0n, total: 0n });
  const h = clearedValue(lq(0, 4, 1));
  assert.deepEqual(h, { kind: 'hist', buckets: [0n, 0n, 0n, 0n, 0n, 0n] });
});

test('scalarOf: normalize divides unsigned, avg divides signed', () => {
  const sum = def('sum');
  assert.equal(scalarOf(sum, { kind: 'scalar', value: 19000n }, 5n), 3800n);
  assert.equal(scalarOf(sum, { kind: 'scalar', value: -10n }, 1n), -10n);
  // (long long)v / (uint64_t)normal: the division is unsigned.
  assert.equal(scalarOf(sum, { kind: 'scalar', value: -10n }, 2n), (1n << 63n) - 5n);
  const avg = def('avg');
  assert.equal(scalarOf(avg, { kind: 'avg', count: 4n, total: 30n }, 1n), 7n);
  assert.equal(scalarOf(avg, { kind: 'avg', count: 4n, total: -30n }, 1n), -7n);
  assert.equal(scalarOf(avg, { kind: 'avg', count: 4n, total: 300n }, 10n), 7n);
  assert.equal(scalarOf(avg, { kind: 'avg', count: 0n, total: 0n }, 1n), 0n);
});

test('stddev: DTrace integer arithmetic', () => {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population stddev exactly 2.
  const xs = [2n, 4n, 4n, 4n, 5n, 5n, 7n, 9n];
  const sum = xs.reduce((a, b) => a + b, 0n);
  const sq = xs.reduce((a, b) => a + b * b, 0n);
  assert.equal(stddevOf(8n, sum, sq, 1n), 2n);
  // 1 and 2: avg of squares 5/2 = 2, mean 3/2 = 1: sqrt(2 - 1) = 1.
  assert.equal(stddevOf(2n, 3n, 5n, 1n), 1n);
  // Negative values: the mean's magnitude is used.
  assert.equal(stddevOf(2n, -30n, 500n, 1n), 5n);
  assert.equal(stddevOf(0n, 0n, 0n, 1n), 0n);
  // Big values need the 128-bit sum of squares: 3e9 and 5e9 -> 1e9.
  const a = 3_000_000_000n, b = 5_000_000_000n;
  assert.equal(stddevOf(2n, a + b, a * a + b * b, 1n), 1_000_000_000n);
  assert.equal(scalarOf(def('stddev'), { kind: 'stddev', count: 2n, total: a + b, sumsq: a * a + b * b }, 1n), 1_000_000_000n);
});

test('long double emulation: 64-bit significand, ties to even', () => {
  // 2^64 + 1 is not representable: it rounds to 2^64 (tie -> even).
  assert.equal(ldTrunc(ldFromInt((1n << 64n) + 1n)), 1n << 64n);
  assert.equal(ldTrunc(ldFromInt((1n << 64n) + 3n)), (1n << 64n) + 4n);
  assert.equal(ldTrunc(ldFromInt((1n << 63n) - 1n)), (1n << 63n) - 1n);
  // Sums near 2^65 keep a resolution of 2 (doubles would not).
  const x = ldAdd(ldFromInt(1n << 65n), ldFromInt(-15n));
  const y = ldAdd(ldFromInt(1n << 65n), ldFromInt(-20n));
  assert.equal(ldCmp(y, x), -1);
  // 40 * 1 / 3 + 0.5 = 13.83.. -> 13; 40 * 2 / 3 + 0.5 -> 27.
  const f = (v: bigint, total: bigint): bigint =>
    ldTrunc(ldAdd(ldDiv(ldMul(ldFromInt(v), ldFromInt(40n)), ldFromInt(total)), LD_HALF));
  assert.equal(f(1n, 3n), 13n);
  assert.equal(f(2n, 3n), 27n);
  assert.equal(f(1n, 80n), 1n); // 0.5 + 0.5 = 1
  assert.equal(f(1n, 81n), 0n);
});
