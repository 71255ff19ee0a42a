/*
 * Aggregations on the consumer side: merging the per-CPU values read from
 * the kernel's maps, sorting entries and printing them exactly as DTrace
 * (oracle/dtrace-utils libdtrace: dt_aggregate.c, dt_consume.c,
 * dt_printf.c) does.  Pure functions; the snapshot bookkeeping lives in
 * src/consume/aggregate.ts.
 *
 * What DTrace prints:
 *
 *  - printa(@a) / printa(@a, @b) without a format: a blank line, then one
 *    line per entry (dt_print_aggs): every key with dt_print_datum()
 *    (integers " %16lld" / " %8d" / " %5d" / " %3d" by size 8/4/2/1, read
 *    as the 64-bit/32-bit value signed and the 16/8-bit values
 *    zero-extended; strings "  %-50s"), then every value (" %16lld" for
 *    count/sum/min/max/avg, " %16llu" for stddev, the ASCII table for
 *    histograms), then "\n".
 *  - at exit (dtrace_aggregate_print): the aggregations no printa() has
 *    printed, all entries in one sorted walk (aggregation id first), same
 *    line layout, no blank lines between aggregations.  dtrace(1)'s final
 *    newline (OUTPUT_END) precedes them.
 *  - printa("fmt", @a...): the format once per entry, nothing else; '@'
 *    conversions take the aggregations' values in order (extra ones repeat
 *    the last), other conversions take the keys.
 *
 * Sorting (dt_aggregate_qsort and the comparators it picks):
 *  - default: by value ascending, ties by keys; aggsortkey: by keys only;
 *    aggsortrev reverses every comparison; aggsortkeypos=n starts the key
 *    comparison at key n (then the others in rotation; n >= #keys means 0);
 *  - keys compare record by record: integers as UNSIGNED numbers of their
 *    size (so -1 sorts after every positive key), strings byte-wise over
 *    the NUL-padded record (so "ab" < "abc" < "b");
 *  - values: count/sum/min/max as int64; avg by total/count (int64
 *    division); stddev by the printed stddev; histograms by a long double
 *    weighted sum, then the count of the zero bucket;
 *  - several aggregations joined on their keys (printa(@a, @b)): by the
 *    aggsortpos-th aggregation's value, then the next ones in rotation,
 *    then the keys; an aggregation lacking a key counts as zero there.
 */

import type { Conversion, ParsedFormat } from '../format/printf.js';
import { formatPrintf, type PrintfOptions, type PrintfValue } from './printf.js';
import { DEFAULT_STACK_INDENT, stackText, symbolField, type SymbolicKey } from './stacks.js';
import { formatDatum } from './trace.js';
import { formatCInt, NO_FLAGS } from './cformat.js';
import {
  dataWords, llqLayout, lqLayout, QUANTIZE_NBUCKETS, TOUCHED_WORDS,
  type AggShape, type LlquantizeArgs, type LquantizeArgs,
} from '../layout/aggvalue.js';
import {
  formatLlquantizeTable, formatLquantizeTable, formatQuantizeTable,
  llquantizeSortKey, lquantizeSortKey, quantizeSortKey, type HistSortKey,
  quantizeBucket as hQuantizeBucket, quantizeBucketValue as hQuantizeBucketValue,
  lquantizeBucket as hLquantizeBucket, llquantizeBucket as hLlquantizeBucket,
} from './agg-hist.js';
import { ldCmp } from './agg-ld.js';

/**
 * A key's type.  Integers: `size` 1, 2, 4 or 8 bytes.  Strings: `size` is
 * the record size (strsize); the text is NUL-padded to it, which matters for
 * printing (an empty string is not "printable" and DTrace dumps its bytes).
 */
export interface KeyType {
  kind: 'int' | 'string' | 'stack' | 'sym' | 'mod';
  size: number;
  signed: boolean;
  /** Stacks: the stackindent option. */
  indent?: number;
}

/**
 * An aggregation as the consumer sees it. Its function and histogram
 * parameters (AggShape) fix its value's layout (layout/aggvalue.ts).
 */
export interface AggDef extends AggShape {
  /** Aggregation id: DTrace orders aggregations at exit by it (order of first appearance). */
  readonly id: number;
  /** '' for the anonymous @. */
  readonly name: string;
  readonly keys: KeyType[];
  /** lquantize: base, limit, step -> levels = (limit - base) / step. */
  readonly lq?: LquantizeArgs;
  /** llquantize: factor, low and high magnitude, steps per magnitude. */
  readonly llq?: LlquantizeArgs;
}

export type KeyValue = bigint | string | SymbolicKey;

/** Merged value of one aggregation entry (all CPUs). */
export type AggValue =
  | { kind: 'scalar'; value: bigint }                                  // count, sum, min, max (int64)
  | { kind: 'avg'; count: bigint; total: bigint }
  | { kind: 'stddev'; count: bigint; total: bigint; sumsq: bigint }    // sumsq: 128-bit, unsigned
  | { kind: 'hist'; buckets: bigint[] };                               // quantize / lquantize / llquantize counts

export interface AggEntry { keys: KeyValue[]; value: AggValue; }

export interface AggOptions {
  aggsortkey: boolean;
  aggsortkeypos: number;
  aggsortpos: number;
  aggsortrev: boolean;
  /** Accepted for completeness: dtrace-utils keeps no per-CPU copies, so it prints nothing extra. */
  aggpercpu?: boolean;
  quiet: boolean;
  /** The stackindent option: how far stack( ) keys indent their frames. */
  stackindent?: number;
}

export const DEFAULT_AGG_OPTIONS: AggOptions = {
  aggsortkey: false, aggsortkeypos: 0, aggsortpos: 0, aggsortrev: false, quiet: false,
};

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const asS64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const asU64 = (x: bigint): bigint => BigInt.asUintN(64, x);

/* ------------------------------------------------------------------ */
/* Bucket layouts (layout/aggvalue.ts, shared with the code generator) */
/* ------------------------------------------------------------------ */

/** quantize(): 127 buckets, zero at 63; see agg-hist.ts for the exact ranges. */
export function quantizeBucketCount(): number {
  return QUANTIZE_NBUCKETS;
}

/** Index of the quantize() bucket v falls in (v read as int64). */
export function quantizeBucket(v: bigint): number {
  return hQuantizeBucket(v);
}

/** The value printed for quantize() bucket i: -2^(62-i) below 63, 0 at 63, 2^(i-64) above. */
export function quantizeBucketValue(i: number): bigint {
  return hQuantizeBucketValue(i);
}

/** lquantize(): levels + 2 buckets: [underflow, base.., .., overflow]. */
export function lquantizeBucketCount(def: AggDef): number {
  return lqLayout(def).nbuckets;
}

/** 0 if v < base; 1 + (v - base) / step if below base + levels*step; else levels + 1. */
export function lquantizeBucket(def: AggDef, v: bigint): number {
  return hLquantizeBucket(def, v);
}

/** llquantize(): 2 * (high - low + 1) * (steps - steps/factor) + 3 buckets. */
export function llquantizeBucketCount(def: AggDef): number {
  return llqLayout(def).nbins;
}

/** See agg-hist.ts: symmetric around bin0 = 1 + (high - low + 1) * (steps - steps/factor). */
export function llquantizeBucket(def: AggDef, v: bigint): number {
  return hLlquantizeBucket(def, v);
}

/* ------------------------------------------------------------------ */
/* Kernel values                                                       */
/* ------------------------------------------------------------------ */

/** The value of an entry no CPU has data for / a missing entry in a joined printa(): all words zero. */
export function zeroValue(def: AggDef): AggValue {
  switch (def.func) {
    case 'count': case 'sum': case 'min': case 'max': return { kind: 'scalar', value: 0n };
    case 'avg': return { kind: 'avg', count: 0n, total: 0n };
    case 'stddev': return { kind: 'stddev', count: 0n, total: 0n, sumsq: 0n };
    default: return { kind: 'hist', buckets: new Array<bigint>(dataWords(def)).fill(0n) };
  }
}

/**
 * The value DTrace gives an entry when clear() resets it
 * (dt_aggregate_clear_one): min() to INT64_MAX, max() to INT64_MIN,
 * everything else to zero.  (So a cleared min()/max() prints as
 * 9223372036854775807 / -9223372036854775808 until it gets new data.)
 */
export function clearedValue(def: AggDef): AggValue {
  if (def.func === 'min') return { kind: 'scalar', value: INT64_MAX };
  if (def.func === 'max') return { kind: 'scalar', value: INT64_MIN };
  return zeroValue(def);
}

function words(buf: Uint8Array, n: number, skip: number): bigint[] {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    const off = (i + skip) * 8;
    out.push(off + 8 <= buf.byteLength ? dv.getBigInt64(off, true) : 0n);
  }
  return out;
}

/**
 * Does this per-CPU buffer carry data?  A buffer of
 * TOUCHED_WORDS + dataWords(def) words starts with a generation / "touched"
 * word (as DTrace's own layout does): 0 means this CPU never updated the
 * entry and it is skipped.  Buffers of exactly dataWords(def) words always
 * count.
 */
export function cpuHasData(def: AggDef, buf: Uint8Array): boolean {
  const w = dataWords(def);
  if (buf.byteLength < (w + TOUCHED_WORDS) * 8) return true;
  return new DataView(buf.buffer, buf.byteOffset, 8).getBigUint64(0, true) !== 0n;
}

/**
 * Raw per-CPU map values -> merged AggValue, as dt_aggregate_snap_one() and
 * dt_agg_one_agg() merge them.  Layout of a value (little-endian u64 words):
 *   count, sum : [value]                 (added, wrapping at 64 bits)
 *   min, max   : [value]                 (the least / greatest; a CPU that
 *                never updated the entry must hold INT64_MAX / INT64_MIN, or
 *                use the generation word below)
 *   avg        : [count, total]          (added)
 *   stddev     : [count, total, sumsq_lo, sumsq_hi]  (added word by word,
 *                as DTrace does: no carry from sumsq_lo into sumsq_hi
 *                across CPUs)
 *   quantize / lquantize / llquantize : [bucket0, bucket1, ...] (added)
 * Optionally each buffer may be prefixed by one more word, non-zero when
 * that CPU has data for the entry (DTrace's generation word); CPUs with 0
 * there are ignored (see cpuHasData).  With no CPU having data the result
 * is zeroValue(def).
 */
export function mergePerCpu(def: AggDef, perCpu: readonly Uint8Array[]): AggValue {
  const w = dataWords(def);
  let acc: bigint[] | undefined;
  for (const buf of perCpu) {
    if (!cpuHasData(def, buf)) continue;
    const skip = buf.byteLength >= (w + TOUCHED_WORDS) * 8 ? TOUCHED_WORDS : 0;
    const v = words(buf, w, skip);
    if (acc === undefined) {
      acc = v;
      continue;
    }
    switch (def.func) {
      case 'min': if (v[0] < acc[0]) acc[0] = v[0]; break;
      case 'max': if (v[0] > acc[0]) acc[0] = v[0]; break;
      default:
        for (let i = 0; i < w; i++) acc[i] = asS64(acc[i] + v[i]);
    }
  }
  if (acc === undefined) return zeroValue(def);
  return valueFromWords(def, acc);
}

/** Build an AggValue from already-merged words (int64, layout as for mergePerCpu). */
export function valueFromWords(def: AggDef, w: readonly bigint[]): AggValue {
  const at = (i: number): bigint => asS64(w[i] ?? 0n);
  switch (def.func) {
    case 'count': case 'sum': case 'min': case 'max': return { kind: 'scalar', value: at(0) };
    case 'avg': return { kind: 'avg', count: at(0), total: at(1) };
    case 'stddev':
      return { kind: 'stddev', count: at(0), total: at(1), sumsq: (asU64(at(3)) << 64n) | asU64(at(2)) };
    default: {
      const n = dataWords(def);
      return { kind: 'hist', buckets: Array.from({ length: n }, (_, i) => at(i)) };
    }
  }
}

/* ------------------------------------------------------------------ */
/* avg / stddev / normalize                                            */
/* ------------------------------------------------------------------ */

const MASK128 = (1n << 128n) - 1n;

/** Integer square root (floor), as dt_sqrt_128() computes it. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * dt_stddev(): sqrt(sumsq / normal / count - (total / normal / count)^2)
 * with DTrace's integer steps: 128-bit unsigned divisions, a signed int64
 * division for the mean, its absolute value squared, a 128-bit wrapping
 * subtraction and a floor square root.  Returns an unsigned 64-bit value.
 */
export function stddevOf(count: bigint, total: bigint, sumsq: bigint, normal: bigint): bigint {
  const n = asU64(count);
  if (n === 0n) return 0n;
  const norm = asU64(normal) === 0n ? 1n : asU64(normal);
  const avgOfSquares = ((sumsq & MASK128) / norm) / n;
  // (int64_t)data[1] / (int64_t)normal / (int64_t)data[0]; C division truncates, as BigInt's.
  const sn = asS64(norm), sc = asS64(count);
  let normAvg = sn === 0n || sc === 0n ? 0n : asS64(asS64(asS64(total) / sn) / sc);
  if (normAvg < 0n) normAvg = asS64(-normAvg);
  const sqAvg = (asU64(normAvg) * asU64(normAvg)) & MASK128;
  const diff = (avgOfSquares - sqAvg) & MASK128;
  return asU64(isqrt(diff));
}

/**
 * The number DTrace prints for a scalar-like value in the default layout,
 * normalized by `normal` (1 when not normalized):
 *   count/sum/min/max: (long long)v / normal  -- an UNSIGNED division since
 *                      normal is a uint64_t, then shown as signed (" %16lld")
 *   avg:               total / (int64)normal / count, signed, 0 if count is 0
 *   stddev:            stddevOf(..., normal), unsigned (" %16llu")
 *   histograms:        0 (they print as tables)
 */
export function scalarOf(def: AggDef, v: AggValue, normal: bigint): bigint {
  const norm = asU64(normal) === 0n ? 1n : asU64(normal);
  switch (v.kind) {
    case 'scalar': return asS64(asU64(v.value) / norm);
    case 'avg': {
      const c = asS64(v.count);
      if (c === 0n) return 0n;
      return asS64(asS64(asS64(v.total) / asS64(norm)) / c);
    }
    case 'stddev': return stddevOf(v.count, v.total, v.sumsq, norm);
    case 'hist': return 0n;
  }
}

/* ------------------------------------------------------------------ */
/* Sorting                                                             */
/* ------------------------------------------------------------------ */

/**
 * Symbolic keys compare as dt_aggregate_keycmp() compares their records: an
 * 8-byte one (sym( ), mod( ), stack(1)) as a number, a longer stack byte by
 * byte, so each frame's address from its lowest byte up (little-endian).
 */
function compareSymbolic(t: KeyType | undefined, a: KeyValue, b: KeyValue): number {
  const words = (k: KeyValue): readonly bigint[] => (typeof k !== 'object' ? [] : k.kind === 'stack' ? k.pcs : [k.addr]);
  const x = words(a);
  const y = words(b);
  const n = Math.max(x.length, y.length, 1);
  const swap = (t?.size ?? 8) > 8 ? (v: bigint): bigint => BigInt(`0x${v.toString(16).padStart(16, '0').match(/../g)!.reverse().join('')}`) : (v: bigint): bigint => v;
  for (let i = 0; i < n; i++) {
    const p = swap(x[i] ?? 0n);
    const q = swap(y[i] ?? 0n);
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

/** Compare two key records as dt_aggregate_keycmp() does for one record. */
function compareKey(t: KeyType | undefined, a: KeyValue, b: KeyValue): number {
  if (typeof a === 'object' || typeof b === 'object') return compareSymbolic(t, a, b);
  if (typeof a === 'string' || typeof b === 'string') {
    const x = typeof a === 'string' ? a : '';
    const y = typeof b === 'string' ? b : '';
    const xn = x.indexOf('\0'), yn = y.indexOf('\0');
    const xs = xn >= 0 ? x.slice(0, xn) : x;
    const ys = yn >= 0 ? y.slice(0, yn) : y;
    const len = Math.max(xs.length, ys.length);
    for (let i = 0; i < len; i++) {
      const cx = i < xs.length ? xs.charCodeAt(i) & 0xff : 0;
      const cy = i < ys.length ? ys.charCodeAt(i) & 0xff : 0;
      if (cx !== cy) return cx < cy ? -1 : 1;
    }
    return 0;
  }
  const bits = BigInt((t?.size ?? 8) * 8);
  const x = BigInt.asUintN(Number(bits), a);
  const y = BigInt.asUintN(Number(bits), b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** dt_aggregate_keycmp(): keys in order, starting at aggsortkeypos. */
function compareKeys(def: AggDef, a: readonly KeyValue[], b: readonly KeyValue[], keypos: number): number {
  const n = Math.max(a.length, b.length, def.keys.length);
  // The C code counts the aggregation id as record 0: keypos + 1 >= nrecs -> 0.
  const start = keypos >= 0 && keypos + 1 < n + 1 ? keypos : 0;
  for (let i = 0; i < n; i++) {
    let k = i + start;
    if (k >= n) k -= n;
    const r = compareKey(def.keys[k], a[k] ?? 0n, b[k] ?? 0n);
    if (r !== 0) return r;
  }
  return 0;
}

type SortKeyCache = Map<AggValue, HistSortKey>;

function histKey(def: AggDef, v: Extract<AggValue, { kind: 'hist' }>, cache?: SortKeyCache): HistSortKey {
  let k = cache?.get(v);
  if (k === undefined) {
    k = def.func === 'lquantize' ? lquantizeSortKey(def, v.buckets)
      : def.func === 'llquantize' ? llquantizeSortKey(def, v.buckets) : quantizeSortKey(v.buckets);
    cache?.set(v, k);
  }
  return k;
}

/** dt_aggregate_valcmp() for two values of the same aggregation (ascending). */
function compareValues(def: AggDef, a: AggValue, b: AggValue, cache?: SortKeyCache): number {
  const cmp = (x: bigint, y: bigint): number => (x < y ? -1 : x > y ? 1 : 0);
  if (a.kind === 'scalar' && b.kind === 'scalar') return cmp(asS64(a.value), asS64(b.value));
  if (a.kind === 'avg' && b.kind === 'avg') {
    const avg = (v: { count: bigint; total: bigint }): bigint =>
      asS64(v.count) === 0n ? 0n : asS64(asS64(v.total) / asS64(v.count));
    return cmp(avg(a), avg(b));
  }
  if (a.kind === 'stddev' && b.kind === 'stddev') {
    return cmp(stddevOf(a.count, a.total, a.sumsq, 1n), stddevOf(b.count, b.total, b.sumsq, 1n));
  }
  if (a.kind === 'hist' && b.kind === 'hist') {
    const ka = histKey(def, a, cache), kb = histKey(def, b, cache);
    const r = ldCmp(ka.sum, kb.sum);
    return r !== 0 ? r : cmp(ka.zero, kb.zero);
  }
  return 0;
}

/**
 * Sort one aggregation's entries for printing (dt_aggregate_qsort with its
 * default comparator): by value then keys, or by keys alone with
 * aggsortkey; aggsortrev reverses; aggsortkeypos rotates the key order.
 */
export function sortEntries(def: AggDef, entries: AggEntry[], opts: AggOptions): AggEntry[] {
  const rev = opts.aggsortrev ? -1 : 1;
  const keypos = opts.aggsortkeypos;
  const cache: SortKeyCache = new Map();
  return [...entries].sort((x, y) => {
    if (!opts.aggsortkey) {
      const r = compareValues(def, x.value, y.value, cache);
      if (r !== 0) return rev * r;
    }
    return rev * compareKeys(def, x.keys, y.keys, keypos);
  });
}

/**
 * trunc() ordering (dtrace_aggregate_walk_val[rev]sorted): ascending by value
 * then keys when `bottom`, else the exact reverse; the aggsort* options are
 * ignored.
 */
export function truncEntries(def: AggDef, entries: readonly AggEntry[], n: bigint | undefined): AggEntry[] {
  if (n === undefined || n === 0n) return [];
  const bottom = n < 0n;
  const keep = bottom ? -n : n;
  const cache: SortKeyCache = new Map();
  const sorted = [...entries].sort((x, y) => {
    const r = compareValues(def, x.value, y.value, cache) || compareKeys(def, x.keys, y.keys, 0);
    return bottom ? r : -r;
  });
  return keep >= BigInt(sorted.length) ? sorted : sorted.slice(0, Number(keep));
}

/* ------------------------------------------------------------------ */
/* Joining several aggregations on their keys                          */
/* ------------------------------------------------------------------ */

/** One output row of a (possibly joined) printa: the key and each aggregation's value. */
export interface AggRow { keys: KeyValue[]; values: AggValue[]; }

/** A stable string for a key tuple, with integers normalized to their size. */
export function keyString(def: AggDef, keys: readonly KeyValue[]): string {
  return keys.map((k, i) => {
    if (typeof k === 'object') return k.kind === 'stack' ? 'k' + k.pcs.join(':') : 'a' + k.addr.toString();
    if (typeof k === 'string') {
      const nul = k.indexOf('\0');
      return 's' + JSON.stringify(nul >= 0 ? k.slice(0, nul) : k);
    }
    const size = def.keys[i]?.size ?? 8;
    return 'i' + BigInt.asUintN(size * 8, k).toString();
  }).join(',');
}

/**
 * dtrace_aggregate_walk_joined(): rows for every key present in any of the
 * aggregations, a zero value where an aggregation lacks the key, sorted by
 * the values starting with the aggsortpos-th aggregation (then the next in
 * rotation), then by keys; aggsortkey sorts by keys first; aggsortrev
 * reverses.  With one aggregation this is sortEntries().
 */
export function joinEntries(defs: readonly AggDef[], tables: readonly (readonly AggEntry[])[], opts: AggOptions): AggRow[] {
  const n = defs.length;
  if (n === 0) return [];
  if (n === 1) return sortEntries(defs[0], [...(tables[0] ?? [])], opts).map((e) => ({ keys: e.keys, values: [e.value] }));
  const ref = defs[0];
  const rows = new Map<string, AggRow>();
  const lookup = defs.map((d, j) => {
    const m = new Map<string, AggEntry>();
    for (const e of tables[j] ?? []) m.set(keyString(d, e.keys), e);
    return m;
  });
  for (let j = 0; j < n; j++) {
    for (const e of tables[j] ?? []) {
      const ks = keyString(defs[j], e.keys);
      if (!rows.has(ks)) rows.set(ks, { keys: e.keys, values: [] });
    }
  }
  for (const [ks, row] of rows) {
    row.values = defs.map((d, j) => lookup[j].get(ks)?.value ?? zeroValue(d));
  }
  const sortpos = opts.aggsortpos >= 0 && opts.aggsortpos < n ? opts.aggsortpos : 0;
  const rev = opts.aggsortrev ? -1 : 1;
  const cache: SortKeyCache = new Map();
  return [...rows.values()].sort((x, y) => {
    if (opts.aggsortkey) {
      const r = compareKeys(ref, x.keys, y.keys, opts.aggsortkeypos);
      if (r !== 0) return rev * r;
    }
    for (let p = 0; p < n; p++) {
      const j = (p + sortpos) % n;
      const r = compareValues(defs[j], x.values[j], y.values[j], cache);
      if (r !== 0) return rev * r;
    }
    if (opts.aggsortkey) return 0;
    return rev * compareKeys(ref, x.keys, y.keys, opts.aggsortkeypos);
  });
}

/* ------------------------------------------------------------------ */
/* Printing                                                            */
/* ------------------------------------------------------------------ */

/** isprint() || isspace() in the C locale, or backspace / bell: what dt_print_bytes() accepts. */
function isPrintableText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i);
    if (!((b >= 0x20 && b <= 0x7e) || (b >= 9 && b <= 13) || b === 8 || b === 7)) return false;
  }
  return true;
}

/** dt_print_datum() for a key. */
export function formatKey(t: KeyType | undefined, k: KeyValue): string {
  if (typeof k === 'object') return k.kind === 'stack' ? stackText(k.frames, t?.indent ?? DEFAULT_STACK_INDENT) : symbolField(k.text);
  if (typeof k === 'string') {
    const nul = k.indexOf('\0');
    const text = nul >= 0 ? k.slice(0, nul) : k;
    // A non-empty printable string followed by NULs prints as "  %-50s"
    // (dt_print_bytes); anything else goes through the general rules.
    if (text.length > 0 && isPrintableText(text)) return '  ' + text.padEnd(50);
    const size = Math.max(t?.size ?? 0, text.length + 1);
    const bytes = new Uint8Array(size);
    for (let i = 0; i < text.length && i < size; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    return formatDatum({ kind: 'string', value: text, bytes });
  }
  const size = (t?.size ?? 8) as 1 | 2 | 4 | 8;
  return formatDatum({ kind: 'int', value: k, size, signed: t?.signed ?? true });
}

/** dt_print_datum() for a value: " %16lld", " %16llu" (stddev) or a histogram table. */
export function formatValue(def: AggDef, v: AggValue, normal = 1n): string {
  switch (v.kind) {
    case 'scalar':
    case 'avg':
      return ' ' + formatCInt(scalarOf(def, v, normal), 'd', NO_FLAGS, 16);
    case 'stddev':
      return ' ' + formatCInt(scalarOf(def, v, normal), 'u', NO_FLAGS, 16);
    case 'hist':
      return histTable(def, v.buckets, normal);
  }
}

function histTable(def: AggDef, buckets: readonly bigint[], normal: bigint): string {
  switch (def.func) {
    case 'lquantize': return formatLquantizeTable(def, buckets, normal);
    case 'llquantize': return formatLlquantizeTable(def, buckets, normal);
    default: return formatQuantizeTable(buckets, normal);
  }
}

/** One line of the default layout: keys, values, newline. */
function formatRow(defs: readonly AggDef[], row: AggRow, normals: readonly bigint[]): string {
  const ref = defs[0];
  let s = '';
  row.keys.forEach((k, i) => { s += formatKey(ref.keys[i], k); });
  defs.forEach((d, j) => { s += formatValue(d, row.values[j], normals[j] ?? 1n); });
  return s + '\n';
}

/**
 * printa(@a, @b, ...) without a format (dt_printa/dt_print_aggs): a blank
 * line, then one line per (joined) entry.  `normals` are the aggregations'
 * normalize() factors (default 1).
 */
export function formatPrintaDefault(
  defs: readonly AggDef[], tables: readonly (readonly AggEntry[])[], opts: AggOptions,
  normals: readonly bigint[] = [],
): string {
  let s = '\n';
  for (const row of joinEntries(defs, tables, opts)) s += formatRow(defs, row, normals);
  return s;
}

/**
 * Default output of one aggregation as printa(@a) prints it: the blank line
 * DTrace prints first, then each entry's keys and value, one per line (a
 * histogram value is its table, which starts on a new line).  At exit
 * DTrace prints the same lines without the leading blank line: see
 * formatAggregationsAtExit().
 */
export function formatAggregation(def: AggDef, entries: readonly AggEntry[], opts: AggOptions, normal = 1n): string {
  return formatPrintaDefault([def], [entries], opts, [normal]);
}

/**
 * What dtrace(1) prints at exit (dtrace_aggregate_print): the entries of
 * every given aggregation in one sorted walk, aggregation by aggregation in
 * id order (reversed by aggsortrev), each sorted as sortEntries() does, in
 * the default layout; no blank lines.  Pass only the aggregations no
 * printa() has printed.  dtrace(1) writes its final newline (OUTPUT_END)
 * before this.
 */
export function formatAggregationsAtExit(
  defs: readonly AggDef[], tables: readonly (readonly AggEntry[])[], opts: AggOptions,
  normals: readonly bigint[] = [],
): string {
  const order = defs.map((d, j) => j).sort((a, b) => (defs[a].id - defs[b].id) * (opts.aggsortrev ? -1 : 1));
  let s = '';
  for (const j of order) {
    const d = defs[j];
    for (const e of sortEntries(d, [...(tables[j] ?? [])], opts)) {
      s += formatRow([d], { keys: e.keys, values: [e.value] }, [normals[j] ?? 1n]);
    }
  }
  return s;
}

/** PrintfValue for a key, as printa() hands keys to the format. */
export function keyPrintfValue(t: KeyType | undefined, k: KeyValue): PrintfValue {
  if (typeof k === 'object') return k.kind === 'stack' ? { kind: 'stack', frames: k.frames } : { kind: 'symbol', value: k.addr, text: k.text };
  if (typeof k === 'string') return { kind: 'string', value: k };
  const size = (t?.size ?? 8) as 1 | 2 | 4 | 8;
  return { kind: 'int', value: k, size, signed: t?.signed ?? true };
}

/**
 * The value a '@' conversion prints (dt_printf_format with an aggregation):
 * histograms print their table whatever the conversion; avg prints
 * total / normal / count computed UNSIGNED (pfprint_average), stddev
 * dt_stddev(); count/sum/min/max are divided by normal as the conversion
 * reads them (signed for %d/%i of a signed aggregation, i.e. all but count,
 * unsigned for %u/%x/%o/... and for count).
 */
export function aggPrintfValue(def: AggDef, v: AggValue, normal: bigint, conv: Conversion): PrintfValue {
  const norm = asU64(normal) === 0n ? 1n : asU64(normal);
  const isCount = def.func === 'count';
  switch (v.kind) {
    case 'hist':
      return { kind: 'raw', text: histTable(def, v.buckets, normal) };
    case 'avg': {
      const c = asU64(v.count);
      const q = c === 0n ? 0n : (asU64(v.total) / norm) / c;
      return { kind: 'int', value: q, size: 8, signed: !isCount };
    }
    case 'stddev':
      return { kind: 'int', value: stddevOf(v.count, v.total, v.sumsq, norm), size: 8, signed: !isCount };
    case 'scalar': {
      const print = conv.spec.print;
      const signedRead = print === 'sint' || (print === 'dint' && !isCount);
      const value = signedRead ? asS64(asS64(v.value) / asS64(norm)) : asU64(v.value) / norm;
      return { kind: 'int', value, size: 8, signed: !isCount };
    }
  }
}

/**
 * printa("format", @a, @b, ...): the format once per (joined, sorted)
 * entry.  Non-'@' conversions consume the keys in order ('*' widths and
 * precisions included); the k-th '@' conversion takes the k-th
 * aggregation's value (the last one again when there are more '@'
 * conversions than aggregations).  `normals` are the normalize() factors.
 */
export function formatPrinta(
  format: ParsedFormat, defs: readonly AggDef[], tables: readonly AggEntry[][], opts: AggOptions,
  printfOpts: PrintfOptions = {}, normals: readonly bigint[] = [],
): string {
  if (defs.length === 0) return '';
  const ref = defs[0];
  const aggConvs = format.conversions.filter((c) => c.agg && c.spec.print !== 'pct');
  let s = '';
  for (const row of joinEntries(defs, tables, opts)) {
    const args = row.keys.map((k, i) => keyPrintfValue(ref.keys[i], k));
    const aggValues = aggConvs.map((c, k) => {
      const j = Math.min(k, defs.length - 1);
      return aggPrintfValue(defs[j], row.values[j], normals[j] ?? 1n, c);
    });
    s += formatPrintf(format, args, { ...printfOpts, aggValues });
  }
  return s;
}
