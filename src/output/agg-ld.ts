/*
 * Just enough x87 "long double" arithmetic to reproduce DTrace's aggregation
 * code, which sorts histograms by long double sums and sizes the '@' bars
 * with long double divisions (dtrace-utils is built for x86_64, where long
 * double is the 80-bit extended format: a 64-bit significand, rounded to
 * nearest-even after every operation).  Doubles are not good enough: the
 * sums of large buckets differ in the last few units of a 64-bit value and
 * DTrace's ordering depends on it.
 *
 * A value is n * 2^e with |n| < 2^64.  Only the operations DTrace uses are
 * provided; there are no infinities, NaNs or denormals (never reached with
 * 64-bit integer inputs).
 */

export interface LD {
  readonly n: bigint;
  readonly e: number;
}

const SIG_BITS = 64;

const NIBBLE_BITS = [0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4];

function bitLength(x: bigint): number {
  // x >= 0
  if (x === 0n) return 0;
  if (x < 0x20000000000000n) {
    const n = Number(x); // exact below 2^53
    const hi = Math.floor(n / 0x100000000);
    return hi > 0 ? 64 - Math.clz32(hi) : 32 - Math.clz32(n);
  }
  const h = x.toString(16);
  return (h.length - 1) * 4 + NIBBLE_BITS[parseInt(h[0], 16)];
}

/** Round n * 2^e to a 64-bit significand, ties to even. */
function round(n: bigint, e: number): LD {
  const neg = n < 0n;
  let m = neg ? -n : n;
  const len = bitLength(m);
  if (len > SIG_BITS) {
    let shift = len - SIG_BITS;
    const rem = m & ((1n << BigInt(shift)) - 1n);
    const half = 1n << BigInt(shift - 1);
    m >>= BigInt(shift);
    if (rem > half || (rem === half && (m & 1n) === 1n)) {
      m += 1n;
      if (bitLength(m) > SIG_BITS) {
        m >>= 1n;
        shift++;
      }
    }
    e += shift;
  }
  return { n: neg ? -m : m, e };
}

export const LD_ZERO: LD = { n: 0n, e: 0 };
export const LD_HALF: LD = { n: 1n, e: -1 };

/** (long double) of an integer (int64, uint64 or wider). */
export function ldFromInt(x: bigint): LD {
  if (x < 0x10000000000000000n && x > -0x10000000000000000n) return { n: x, e: 0 };
  return round(x, 0);
}

export function ldAdd(a: LD, b: LD): LD {
  if (a.n === 0n) return round(b.n, b.e);
  if (b.n === 0n) return round(a.n, a.e);
  const e = Math.min(a.e, b.e);
  return round((a.n << BigInt(a.e - e)) + (b.n << BigInt(b.e - e)), e);
}

export function ldMul(a: LD, b: LD): LD {
  return round(a.n * b.n, a.e + b.e);
}

export function ldDiv(a: LD, b: LD): LD {
  if (b.n === 0n) throw new RangeError('long double division by zero');
  if (a.n === 0n) return LD_ZERO;
  const neg = (a.n < 0n) !== (b.n < 0n);
  const an = a.n < 0n ? -a.n : a.n;
  const bn = b.n < 0n ? -b.n : b.n;
  // Enough quotient bits for a 64-bit significand plus guard and sticky.
  const k = Math.max(0, SIG_BITS + 3 + bitLength(bn) - bitLength(an));
  const num = an << BigInt(k);
  let q = num / bn;
  if (num % bn !== 0n) q = (q << 1n) | 1n; // sticky bit below the guard bits
  else q <<= 1n;
  const r = round(q, a.e - b.e - k - 1);
  return neg ? { n: -r.n, e: r.e } : r;
}

export function ldAbs(a: LD): LD {
  return a.n < 0n ? { n: -a.n, e: a.e } : a;
}

/** -1, 0 or 1 as a < b, a == b, a > b. */
export function ldCmp(a: LD, b: LD): number {
  const e = Math.min(a.e, b.e);
  const x = a.n << BigInt(a.e - e);
  const y = b.n << BigInt(b.e - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** C's conversion to an integer type: truncation toward zero. */
export function ldTrunc(a: LD): bigint {
  if (a.e >= 0) return a.n << BigInt(a.e);
  const d = 1n << BigInt(-a.e);
  return a.n / d; // BigInt division truncates toward zero, as C does
}
