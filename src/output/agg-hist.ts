/*
 * Histogram aggregations (quantize, lquantize, llquantize) on the consumer
 * side: the bucket a value falls in and the value a bucket stands for (with
 * the layouts' parameters from layout/aggvalue.ts, which the BPF code
 * generator shares), DTrace's ASCII tables
 * (dt_print_quantize, dt_print_lquantize, dt_print_llquantize and
 * dt_print_quantline of libdtrace) and the weighted sums DTrace sorts
 * histograms by (dt_aggregate_*quantizedcmp).  Long double arithmetic is
 * emulated (agg-ld.ts) where DTrace uses it.
 */

import type { AggDef } from './aggregation.js';
import { llqLayout, lqLayout, QUANTIZE_NBUCKETS, QUANTIZE_ZEROBUCKET } from '../layout/aggvalue.js';
import {
  type LD, LD_HALF, LD_ZERO, ldAbs, ldAdd, ldDiv, ldFromInt, ldMul, ldTrunc,
} from './agg-ld.js';

const asS64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const asU64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const asS32 = (x: bigint): bigint => BigInt.asIntN(32, x);

/* ------------------------------------------------------------------ */
/* quantize()                                                          */
/* ------------------------------------------------------------------ */

/**
 * quantize() has QUANTIZE_NBUCKETS = 127 buckets (DTRACE_QUANTIZE_NBUCKETS
 * = 63 * 2 + 1); the zero bucket is index QUANTIZE_ZEROBUCKET = 63
 * (DTRACE_QUANTIZE_ZEROBUCKET).
 *
 *   bucket i < 63 : -(2^(62-i))  i.e. 0 -> -2^62 ... 61 -> -2, 62 -> -1
 *   bucket 63     : 0
 *   bucket i > 63 : 2^(i-64)     i.e. 64 -> 1, 65 -> 2 ... 126 -> 2^62
 *
 * A value v goes into:
 *   v < 0 : the first bucket i (from 0 up) with v <= value(i): bucket
 *           62 - floor(log2(-v)), clamped to 0 (so [-2^63, -2^62] -> 0,
 *           [-3, -2] -> 61, -1 -> 62);
 *   v = 0 : bucket 63;
 *   v > 0 : 64 + floor(log2(v)) (1 -> 64, [2, 3] -> 65, ..., >= 2^62 -> 126).
 */
export function quantizeBucketValue(i: number): bigint {
  if (i < QUANTIZE_ZEROBUCKET) return -(1n << BigInt(QUANTIZE_ZEROBUCKET - 1 - i));
  if (i === QUANTIZE_ZEROBUCKET) return 0n;
  return 1n << BigInt(i - QUANTIZE_ZEROBUCKET - 1);
}

const log2 = (x: bigint): number => x.toString(2).length - 1; // x > 0

export function quantizeBucket(value: bigint): number {
  const v = asS64(value);
  if (v === 0n) return QUANTIZE_ZEROBUCKET;
  if (v < 0n) return Math.max(0, QUANTIZE_ZEROBUCKET - 1 - log2(-v));
  return QUANTIZE_ZEROBUCKET + 1 + log2(v);
}

/* ------------------------------------------------------------------ */
/* lquantize()                                                         */
/* ------------------------------------------------------------------ */

/**
 * lquantize() has levels + 2 buckets (lqLayout): 0 is the underflow
 * (v < base), 1..levels hold [base + (k-1)*step, base + k*step), levels + 1
 * is the overflow (v >= base + levels*step).  The value is compared as a
 * signed 64-bit integer.
 */
export function lquantizeBucket(def: AggDef, value: bigint): number {
  const { base, step, levels } = lqLayout(def);
  const v = asS64(value);
  if (v < base) return 0;
  const level = (v - base) / step;
  return level < BigInt(levels) ? Number(level) + 1 : levels + 1;
}

/* ------------------------------------------------------------------ */
/* llquantize()                                                        */
/* ------------------------------------------------------------------ */

export interface LlqParams {
  factor: number; lmag: number; hmag: number; steps: number;
  /** steps / factor (integer division). */
  stepsFactor: number;
  /** Bins per order of magnitude: steps - steps / factor. */
  perMag: number;
  /** Index of the "abs(v) < factor^lmag" bin (zero lies here). */
  bin0: number;
  nbins: number;
}

/** llqParams is layout/aggvalue.ts's llqLayout in numbers, for the printer's arithmetic. */
export function llqParams(def: AggDef): LlqParams {
  const l = llqLayout(def);
  return {
    factor: Number(l.factor), lmag: Number(l.low), hmag: Number(l.high), steps: Number(l.steps),
    stepsFactor: Number(l.stepsFactor), perMag: Number(l.perMag), bin0: l.bin0, nbins: l.nbins,
  };
}

/**
 * llquantize(v, factor, lmag, hmag, steps) has
 * nbins = 2 * (hmag - lmag + 1) * (steps - steps/factor) + 3 buckets,
 * symmetric around bin0 = 1 + (hmag - lmag + 1) * (steps - steps/factor):
 *
 *   0            : v <= -factor^(hmag+1)
 *   bin0 - k     : the mirror image of bin0 + k for negative values
 *   bin0         : |v| < factor^lmag (holds 0)
 *   bin0 + k     : for factor^lmag <= v < factor^(hmag+1): with mag such
 *                  that factor^mag <= v < factor^(mag+1),
 *                  k = 1 + (mag - lmag) * (steps - steps/factor)
 *                        + floor(v * steps / factor^(mag+1)) - steps/factor
 *   nbins - 1    : v >= factor^(hmag+1)
 *
 * (With lmag = 0 and steps > factor, the first magnitude has "ghost" bins
 * no integer falls in; DTrace's printer skips them, as does ours.)
 */
export function llquantizeBucket(def: AggDef, value: bigint): number {
  const p = llqParams(def);
  const v = asS64(value);
  const mag = v < 0n ? -v : v;
  const factor = BigInt(p.factor);
  let lo = factor ** BigInt(p.lmag);
  if (mag < lo) return p.bin0;
  let k = -1;
  for (let m = p.lmag; m <= p.hmag; m++) {
    const hi = lo * factor;
    if (mag < hi) {
      const step = Number((mag * BigInt(p.steps)) / hi);
      k = 1 + (m - p.lmag) * p.perMag + step - p.stepsFactor;
      break;
    }
    lo = hi;
  }
  if (k < 0) return v < 0n ? 0 : p.nbins - 1;
  return v < 0n ? p.bin0 - k : p.bin0 + k;
}

/* ------------------------------------------------------------------ */
/* The ASCII tables                                                    */
/* ------------------------------------------------------------------ */

const HEADER = '\n' + 'value'.padStart(16) + ' ' +
  '------------- Distribution -------------'.padStart(41) + ' ' + 'count'.padEnd(9) + '\n';
const ATS = '@'.repeat(40);
const SPACES = ' '.repeat(40);

/** "%-9lld" of (long long)val / normal, where normal is a uint64_t. */
function countText(val: bigint, normal: bigint): string {
  const n = normal === 0n ? 1n : normal;
  return asS64(asU64(val) / n).toString().padEnd(9);
}

const EXACT_LIMIT = 1n << 53n;

function depthOf(val: bigint, len: number, total: LD): number {
  // f = (fabsl(val) * len) / total; depth = (uint_t)(f + 0.5)
  const mag = val < 0n ? -val : val;
  if (total.e === 0 && total.n > 0n && total.n < EXACT_LIMIT) {
    // With total < 2^53 the long double steps cannot cross an integer:
    // the exact floor(mag * len / total + 1/2) is the same number.
    const t = total.n;
    return Number((2n * mag * BigInt(len) + t) / (2n * t));
  }
  const f = ldDiv(ldMul(ldFromInt(mag), ldFromInt(BigInt(len))), total);
  return Number(ldTrunc(ldAdd(f, LD_HALF)));
}

/** dt_print_quantline(): one row's bar and count, newline included. */
function quantLine(val: bigint, normal: bigint, total: LD, positives: boolean, negatives: boolean): string {
  let len = 40;
  if (!negatives) {
    const depth = positives ? depthOf(val, len, total) : 0;
    return '|' + ATS.slice(len - depth) + SPACES.slice(depth) + ' ' + countText(val, normal) + '\n';
  }
  if (!positives) {
    const depth = depthOf(val, len, total);
    return SPACES.slice(depth) + ATS.slice(len - depth) + '| ' + countText(val, normal) + '\n';
  }
  // Both signs: half-length bars either side of a centre line.
  len = 20;
  const ats = ATS.slice(len);
  const spaces = SPACES.slice(len);
  const depth = depthOf(val, len, total);
  if (val <= 0n) {
    return spaces.slice(depth) + ats.slice(len - depth) + '|' + ' '.repeat(len) + ' ' + countText(val, normal) + '\n';
  }
  return ' '.repeat(20) + '|' + ats.slice(len - depth) + spaces.slice(depth) + ' ' + countText(val, normal) + '\n';
}

interface Range { positives: boolean; negatives: boolean; total: LD }

function scan(data: readonly bigint[], first: number, last: number): Range {
  let positives = false, negatives = false;
  let total = LD_ZERO;
  for (let i = first; i <= last; i++) {
    const v = data[i] ?? 0n;
    if (v > 0n) positives = true;
    if (v < 0n) negatives = true;
    total = ldAdd(total, ldAbs(ldFromInt(v)));
  }
  return { positives, negatives, total };
}

const label16 = (s: string): string => s.padStart(16) + ' ';

/** dt_print_quantize(): the table for a quantize() value (leading "\n" included). */
export function formatQuantizeTable(buckets: readonly bigint[], normal: bigint): string {
  const data = (i: number): bigint => buckets[i] ?? 0n;
  let first = 0;
  let last = QUANTIZE_NBUCKETS - 1;
  while (first <= last && data(first) === 0n) first++;
  if (first > last) {
    // No data (possible with negative increments): show the buckets around 0.
    first = QUANTIZE_ZEROBUCKET - 1;
    last = QUANTIZE_ZEROBUCKET + 1;
  } else {
    if (first > 0) first--;
    while (last > 0 && data(last) === 0n) last--;
    if (last < QUANTIZE_NBUCKETS - 1) last++;
  }
  const all = Array.from({ length: QUANTIZE_NBUCKETS }, (_, i) => data(i));
  const r = scan(all, first, last);
  let s = HEADER;
  for (let i = first; i <= last; i++) {
    s += label16(quantizeBucketValue(i).toString()) + quantLine(all[i], normal, r.total, r.positives, r.negatives);
  }
  return s;
}

/** dt_print_lquantize(): the table for an lquantize() value. */
export function formatLquantizeTable(def: AggDef, buckets: readonly bigint[], normal: bigint): string {
  const { base, step, levels } = lqLayout(def);
  const all = Array.from({ length: levels + 2 }, (_, i) => buckets[i] ?? 0n);
  let first = 0;
  let last = levels + 1;
  while (first <= last && all[first] === 0n) first++;
  if (first > last) {
    first = 0;
    last = 2;
  } else {
    if (first > 0) first--;
    while (last > 0 && all[last] === 0n) last--;
    if (last < levels + 1) last++;
  }
  const r = scan(all, first, last);
  let s = HEADER;
  for (let i = first; i <= last; i++) {
    let label: string;
    if (i === 0) label = `< ${asS32(base)}`;
    else if (i === levels + 1) label = `>= ${asS32(base + BigInt(levels) * step)}`;
    else label = asS32(base + BigInt(i - 1) * step).toString();
    s += label16(label) + quantLine(all[i] ?? 0n, normal, r.total, r.positives, r.negatives);
  }
  return s;
}

/** dt_print_llquantize(): the table for an llquantize() value. */
export function formatLlquantizeTable(def: AggDef, buckets: readonly bigint[], normal: bigint): string {
  const p = llqParams(def);
  const { factor, lmag, hmag, steps, stepsFactor, bin0, nbins } = p;
  const all = Array.from({ length: nbins }, (_, i) => buckets[i] ?? 0n);
  let first = 0;
  let last = nbins - 1;
  while (first <= last && all[first] === 0n) first++;
  if (first > last) {
    // Report at least one bin so the output is not empty.
    first = bin0 + 1;
    last = bin0 + 1;
  } else {
    while (all[last] === 0n) last--;
  }
  const r = scan(all, first, last);
  // Broaden the range a little for reporting.
  if (first > 0) first--;
  if (last < nbins - 1) last++;
  // With lmag == 0 and steps > factor, first/last may land on a ghost bin.
  const pad = lmag === 0 && steps > factor ? stepsFactor : 0;

  // Labels, as snprintf'd into 16-byte cells (so at most 15 characters).
  const labels = new Map<number, string>();
  const put = (i: number, text: string): void => {
    if (i >= first - pad && i <= last + pad) labels.set(i, text.slice(0, 15));
  };
  const F = BigInt(factor);
  const u64pow = (m: number): bigint => asU64(F ** BigInt(m));
  let scale = u64pow(lmag);
  if (scale === 1n) put(bin0, '0');
  else if (first >= bin0) put(bin0, `< ${scale}`);
  else put(bin0, `abs() < ${scale}`);
  put(bin0 - 1, `-${scale}`);
  put(bin0 + 1, `${scale}`);
  let mag = lmag;
  let i = 1;
  if (lmag === 0 && steps > factor) {
    for (let step = 2; step <= factor; step++) {
      i += stepsFactor;
      put(bin0 - i, `-${step}`);
      put(bin0 + i, `${step}`);
    }
    mag++;
  }
  scale = u64pow(mag + 1) / BigInt(steps);
  for (; mag <= hmag; mag++) {
    for (let step = stepsFactor + 1; step <= steps; step++) {
      i++;
      const v = asU64(BigInt(step) * scale);
      put(bin0 - i, `-${v}`);
      put(bin0 + i, `${v}`);
    }
    scale = asU64(scale * F);
  }
  scale = u64pow(hmag + 1);
  put(0, `<= -${scale}`);
  put(nbins - 1, `>= ${scale}`);

  // The ghost-bin problem: borrow the nearest label within pad - 1 bins.
  if (pad > 0) {
    if (!labels.has(first)) {
      for (let k = 1; k < pad; k++) {
        const l = labels.get(first - k);
        if (l !== undefined) { labels.set(first, l); break; }
      }
    }
    if (!labels.has(last)) {
      for (let k = 1; k < pad; k++) {
        const l = labels.get(last + k);
        if (l !== undefined) { labels.set(last, l); break; }
      }
    }
  }

  let s = HEADER;
  for (let b = first; b <= last; b++) {
    const l = labels.get(b);
    if (l === undefined || l === '') continue;
    s += label16(l) + quantLine(all[b], normal, r.total, r.positives, r.negatives);
  }
  return s;
}

/* ------------------------------------------------------------------ */
/* Sort keys                                                           */
/* ------------------------------------------------------------------ */

/** What DTrace compares histograms by: a weighted sum, then the zero bucket. */
export interface HistSortKey { sum: LD; zero: bigint }

/** dt_aggregate_quantizedcmp(): sum of value(i) * count(i), then bucket 0's count. */
export function quantizeSortKey(buckets: readonly bigint[]): HistSortKey {
  let sum = LD_ZERO;
  for (let i = 0; i < QUANTIZE_NBUCKETS; i++) {
    const c = buckets[i] ?? 0n;
    if (c === 0n) continue;
    sum = ldAdd(sum, ldMul(ldFromInt(quantizeBucketValue(i)), ldFromInt(c)));
  }
  return { sum, zero: buckets[QUANTIZE_ZEROBUCKET] ?? 0n };
}

/**
 * dt_aggregate_lquantizedsum()/lquantizedzero(): the underflow bucket weighs
 * base - 1, the overflow bucket base + levels*step + 1; "zero" is the count
 * of the bucket whose weight is 0 (or 0 if none).
 */
export function lquantizeSortKey(def: AggDef, buckets: readonly bigint[]): HistSortKey {
  const { step, levels } = lqLayout(def);
  const q = (i: number): bigint => buckets[i] ?? 0n;
  let base = asS32(lqLayout(def).base);
  let sum = ldMul(ldFromInt(q(0)), ldFromInt(base - 1n));
  for (let i = 0; i < levels; i++, base = asS32(base + step)) {
    sum = ldAdd(sum, ldMul(ldFromInt(q(i + 1)), ldFromInt(base)));
  }
  sum = ldAdd(sum, ldMul(ldFromInt(q(levels + 1)), ldFromInt(base + 1n)));

  let zero = 0n;
  let b = asS32(lqLayout(def).base);
  if (b - 1n === 0n) {
    zero = q(0);
  } else {
    let found = false;
    for (let i = 0; i < levels; i++, b = asS32(b + step)) {
      if (b === 0n) { zero = q(i + 1); found = true; break; }
    }
    if (!found && b + 1n === 0n) zero = q(levels + 1);
  }
  return { sum, zero };
}

/**
 * dt_aggregate_llquantizedsum(): positive minus mirrored negative counts,
 * weighted by each labelled bin's lower bound (integer differences wrap as
 * int64_t, weights are long double); "zero" is bin0's count.
 */
export function llquantizeSortKey(def: AggDef, buckets: readonly bigint[]): HistSortKey {
  const p = llqParams(def);
  const { factor, hmag, steps, stepsFactor, bin0 } = p;
  let lmag = p.lmag;
  const q = (i: number): bigint => buckets[i] ?? 0n;
  const diff = (i: number): LD => ldFromInt(asS64(q(bin0 + i) - q(bin0 - i)));
  const powl = (m: number): LD => ldFromInt(BigInt(factor) ** BigInt(m));
  let total = ldMul(powl(lmag), diff(1));
  let i = 1;
  if (lmag === 0 && steps > factor) {
    for (let step = 2; step <= factor; step++) {
      i += stepsFactor;
      // int * int64_t, wrapping, then converted.
      total = ldAdd(total, ldFromInt(asS64(BigInt(step) * asS64(q(bin0 + i) - q(bin0 - i)))));
    }
    lmag = 1;
  }
  let scale = ldDiv(powl(lmag + 1), ldFromInt(BigInt(steps)));
  for (let mag = lmag; mag <= hmag; mag++) {
    for (let step = stepsFactor + 1; step <= steps; step++) {
      i++;
      total = ldAdd(total, ldMul(ldMul(ldFromInt(BigInt(step)), scale), diff(i)));
    }
    scale = ldMul(scale, ldFromInt(BigInt(factor)));
  }
  return { sum: total, zero: q(bin0) };
}
