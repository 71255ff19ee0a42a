// Aggregation value layout (src/layout/: what the compiler and the consumer
// share): the one definition of how an aggregation's value is laid out in
// its kernel map. The code generator (codegen/aggs.ts) writes values this
// way; the consumer (output/aggregation.ts, output/agg-hist.ts) reads and
// prints them this way.
//
// A value is little-endian u64 words: a "touched" word (zero on a CPU that
// never updated the entry, else the aggregation's generation + 1, see
// codegen/aggs.ts), then the function's data:
//
//   count, sum, min, max : [value]
//   avg                  : [count, total]
//   stddev               : [count, total, sumsq_lo, sumsq_hi]
//   quantize             : QUANTIZE_NBUCKETS buckets, zero at QUANTIZE_ZEROBUCKET
//   lquantize            : levels + 2 buckets (underflow, levels, overflow)
//   llquantize           : nbins buckets, symmetric around bin0
//
// Everything here depends only on an AggShape: the function and its
// histogram parameters. Both the checker's Aggregation (sema/ir.ts) and the
// consumer's AggDef (output/aggregation.ts) are AggShapes.

/** AggFunc names an aggregating function. */
export type AggFunc = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'stddev' | 'quantize' | 'lquantize' | 'llquantize';

/** lquantize(v, base, limit, step) parameters. */
export interface LquantizeArgs { readonly base: bigint; readonly limit: bigint; readonly step: bigint }

/** llquantize(v, factor, low, high, nsteps) parameters. */
export interface LlquantizeArgs { readonly factor: bigint; readonly low: bigint; readonly high: bigint; readonly nsteps: bigint }

/** AggShape is what an aggregation's value layout depends on: its function and, for histograms, their parameters. */
export interface AggShape {
  readonly func: AggFunc;
  /** lquantize only. */
  readonly lq?: LquantizeArgs;
  /** llquantize only. */
  readonly llq?: LlquantizeArgs;
}

/** Words before the function's data: the "touched" word. */
export const TOUCHED_WORDS = 1;

/**
 * quantize() has 127 buckets (DTRACE_QUANTIZE_NBUCKETS = 63 * 2 + 1), powers
 * of two from -2^62 to 2^62, with zero at bucket 63
 * (DTRACE_QUANTIZE_ZEROBUCKET).
 */
export const QUANTIZE_NBUCKETS = 127;
export const QUANTIZE_ZEROBUCKET = 63;

/** lquantize()'s layout: levels = (limit - base) / step step-wide buckets, plus underflow and overflow. */
export interface LqLayout {
  readonly base: bigint;
  readonly limit: bigint;
  readonly step: bigint;
  readonly levels: number;
  /** levels + 2. */
  readonly nbuckets: number;
}

/** lqLayout gives lquantize()'s layout, as DTrace encodes it. */
export function lqLayout(a: AggShape): LqLayout {
  const lq = a.lq;
  if (lq === undefined) throw new Error(`BUG: ${a.func} aggregation without lquantize parameters`);
  const step = lq.step === 0n ? 1n : lq.step;
  const levels = Number((lq.limit - lq.base) / step);
  return { base: lq.base, limit: lq.limit, step, levels, nbuckets: levels + 2 };
}

/**
 * llquantize()'s layout, as DTrace's consumer expects it: buckets symmetric
 * around bin0 (|v| < factor^low), perMag buckets per order of magnitude on
 * each side, and one bucket at each end for values beyond factor^(high+1):
 * nbins = 2 * (high - low + 1) * (steps - steps/factor) + 3.
 */
export interface LlqLayout {
  readonly factor: bigint;
  readonly low: bigint;
  readonly high: bigint;
  readonly steps: bigint;
  /** steps / factor (integer division). */
  readonly stepsFactor: bigint;
  /** Buckets per order of magnitude: steps - steps / factor. */
  readonly perMag: bigint;
  /** Index of the "|v| < factor^low" bucket (zero lies here). */
  readonly bin0: number;
  /** 2 * bin0 + 1. */
  readonly nbins: number;
}

/** llqLayout gives llquantize()'s layout. */
export function llqLayout(a: AggShape): LlqLayout {
  const q = a.llq;
  if (q === undefined) throw new Error(`BUG: ${a.func} aggregation without llquantize parameters`);
  const { factor, low, high, nsteps } = q;
  const stepsFactor = nsteps / factor;
  const perMag = nsteps - stepsFactor;
  const bin0 = 1 + Number((high - low + 1n) * perMag);
  return { factor, low, high, steps: nsteps, stepsFactor, perMag, bin0, nbins: 2 * bin0 + 1 };
}

/** dataWords is the number of u64 words of the function's data (the value without its touched word). */
export function dataWords(a: AggShape): number {
  switch (a.func) {
    case 'count': case 'sum': case 'min': case 'max': return 1;
    case 'avg': return 2;
    case 'stddev': return 4;
    case 'quantize': return QUANTIZE_NBUCKETS;
    case 'lquantize': return lqLayout(a).nbuckets;
    case 'llquantize': return llqLayout(a).nbins;
  }
}

/** valueWords is the number of u64 words of an aggregation's value in its map: the touched word, then the data. */
export function valueWords(a: AggShape): number {
  return TOUCHED_WORDS + dataWords(a);
}
