/*
 * C printf(3) primitives, byte-for-byte as glibc renders them.
 *
 * DTrace's consumer ends up calling the C library's printf with a rebuilt
 * "%<flags><width>.<prec><conv>" string for every conversion, so the exact
 * output of a D printf() is the output of glibc printf.  This module renders
 * one already-normalized conversion: integers (as BigInt, so 64-bit values
 * are exact), doubles (via an exact decimal expansion so that rounding ties
 * go to even, as glibc does, rather than up as Number#toFixed does), and
 * strings/characters.  Strings are "byte strings": one UTF-16 unit per byte,
 * so that widths and precisions count bytes as C does.
 */

/** The flags of one C conversion, already resolved (e.g. '-' beats '0'). */
export interface CFlags {
  /** '-' : left-justify within the field. */
  left: boolean;
  /** '0' : pad numbers with zeros instead of spaces. */
  zero: boolean;
  /** '+' : always print a sign for signed conversions. */
  plus: boolean;
  /** ' ' : print a space where a '+' sign would go. */
  space: boolean;
  /** '#' : alternate form (0x prefix, leading octal 0, kept decimal point). */
  alt: boolean;
  /** "'" : group thousands (only visible when a separator is configured). */
  group: boolean;
}

export const NO_FLAGS: CFlags = {
  left: false, zero: false, plus: false, space: false, alt: false, group: false,
};

/**
 * Pad a rendered field to `width`.  `zeroSplit` is the index at which zeros
 * are inserted when zero padding applies (after the sign and any 0x prefix).
 */
function pad(body: string, width: number, left: boolean, zeroPad: boolean, zeroSplit = 0): string {
  if (body.length >= width) return body;
  const n = width - body.length;
  if (left) return body + ' '.repeat(n);
  if (zeroPad) return body.slice(0, zeroSplit) + '0'.repeat(n) + body.slice(zeroSplit);
  return ' '.repeat(n) + body;
}

/** Insert a thousands separator every three digits from the right. */
function groupDigits(digits: string, sep: string): string {
  if (sep === '' || digits.length <= 3) return digits;
  let out = '';
  let i = digits.length % 3;
  if (i > 0) out = digits.slice(0, i);
  for (; i < digits.length; i += 3) {
    out += (out === '' ? '' : sep) + digits.slice(i, i + 3);
  }
  return out;
}

export type CIntConv = 'd' | 'i' | 'u' | 'o' | 'x' | 'X';

/**
 * Render an integer conversion.  `value` is the value C would receive after
 * all casts: for 'd'/'i' a signed quantity, for the others a non-negative one
 * (the caller has already zero-extended it to the record width).
 */
export function formatCInt(
  value: bigint,
  conv: CIntConv,
  flags: CFlags,
  width = 0,
  precision?: number,
  thousandsSep = '',
): string {
  const signed = conv === 'd' || conv === 'i';
  const negative = signed && value < 0n;
  const mag = negative ? -value : value;
  let digits: string;
  switch (conv) {
    case 'o': digits = mag.toString(8); break;
    case 'x': digits = mag.toString(16); break;
    case 'X': digits = mag.toString(16).toUpperCase(); break;
    default: digits = mag.toString(10); break;
  }
  // C: an explicit precision of 0 with a zero value prints no digits at all.
  if (precision !== undefined && precision === 0 && mag === 0n) digits = '';
  if (flags.group && (conv === 'd' || conv === 'i' || conv === 'u')) {
    digits = groupDigits(digits, thousandsSep);
  }
  if (precision !== undefined && digits.length < precision) {
    digits = '0'.repeat(precision - digits.length) + digits;
  }
  let prefix = '';
  if (signed) {
    if (negative) prefix = '-';
    else if (flags.plus) prefix = '+';
    else if (flags.space) prefix = ' ';
  }
  if (flags.alt) {
    // '#' with 'o' guarantees a leading zero; with 'x' prefixes non-zero values.
    if (conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
    if ((conv === 'x' || conv === 'X') && mag !== 0n) prefix = conv === 'x' ? '0x' : '0X';
  }
  // C ignores '0' when a precision is given or when left-justifying.
  const zero = flags.zero && !flags.left && precision === undefined;
  return pad(prefix + digits, width, flags.left, zero, prefix.length);
}

/** Render %s: `precision` bytes at most, padded with spaces ('0' is ignored). */
export function formatCString(s: string, flags: CFlags, width = 0, precision?: number): string {
  const body = precision !== undefined && s.length > precision ? s.slice(0, precision) : s;
  return pad(body, width, flags.left, false);
}

/** Render %c: the low byte of the int, padded with spaces. */
export function formatCChar(value: bigint, flags: CFlags, width = 0): string {
  const byte = Number(BigInt.asUintN(8, value));
  return pad(String.fromCharCode(byte), width, flags.left, false);
}

/*
 * Exact decimal arithmetic for doubles.  Every finite double is m * 2^e, and
 * when e < 0 that equals (m * 5^-e) / 10^-e, so its decimal expansion is
 * finite and can be held in a BigInt.  Rounding is then done by hand,
 * half-to-even on the exact value, as glibc does in its default mode.
 */
interface ExactDecimal {
  /** The value is n / 10^k. */
  n: bigint;
  k: number;
}

function exactDecimal(x: number): ExactDecimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const m = expBits === 0 ? frac : frac | (1n << 52n);
  const e = expBits === 0 ? -1074 : expBits - 1075;
  if (e >= 0) return { n: m << BigInt(e), k: 0 };
  return { n: m * 5n ** BigInt(-e), k: -e };
}

const pow10 = (p: number): bigint => 10n ** BigInt(p);

/** Divide by 10^drop, rounding half to even. */
function roundDrop(n: bigint, drop: number): bigint {
  if (drop <= 0) return n * pow10(-drop);
  const d = pow10(drop);
  const q = n / d;
  const r2 = (n % d) * 2n;
  if (r2 > d || (r2 === d && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Digits of |x| in fixed notation with `prec` fraction digits. */
function fixedDigits(x: number, prec: number, alt: boolean): string {
  const { n, k } = exactDecimal(x);
  const q = roundDrop(n, k - prec);
  let s = q.toString();
  if (prec === 0) return alt ? s + '.' : s;
  if (s.length <= prec) s = '0'.repeat(prec - s.length + 1) + s;
  return s.slice(0, s.length - prec) + '.' + s.slice(s.length - prec);
}

/** Mantissa digits (prec+1 significant) and decimal exponent of |x|. */
function expParts(x: number, prec: number): { mant: string; exp: number } {
  if (x === 0) return { mant: '0'.repeat(prec + 1), exp: 0 };
  const { n, k } = exactDecimal(x);
  const len = n.toString().length;
  let exp = len - 1 - k;
  let q = roundDrop(n, len - (prec + 1));
  if (q.toString().length > prec + 1) {
    // Rounding carried into a new digit (9.99 -> 10.0): renormalize.
    q /= 10n;
    exp += 1;
  }
  return { mant: q.toString(), exp };
}

function expString(mant: string, exp: number, prec: number, alt: boolean, upper: boolean): string {
  let s = mant.slice(0, 1);
  if (prec > 0 || alt) s += '.';
  s += mant.slice(1);
  const e = Math.abs(exp).toString().padStart(2, '0');
  return s + (upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + e;
}

/** Drop trailing fraction zeros (and a bare point), as %g does without '#'. */
function stripZeros(s: string): string {
  const ePos = s.search(/[eE]/);
  const mant = ePos >= 0 ? s.slice(0, ePos) : s;
  const tail = ePos >= 0 ? s.slice(ePos) : '';
  if (!mant.includes('.')) return s;
  return mant.replace(/0+$/, '').replace(/\.$/, '') + tail;
}

export type CFloatConv = 'e' | 'E' | 'f' | 'F' | 'g' | 'G';

/** Render a floating-point conversion; precision defaults to 6 as in C. */
export function formatCFloat(
  x: number,
  conv: CFloatConv,
  flags: CFlags,
  width = 0,
  precision?: number,
  thousandsSep = '',
): string {
  const upper = conv === 'E' || conv === 'F' || conv === 'G';
  const negative = x < 0 || Object.is(x, -0) || (Number.isNaN(x) && nanIsNegative(x));
  let prefix = '';
  if (negative) prefix = '-';
  else if (flags.plus) prefix = '+';
  else if (flags.space) prefix = ' ';

  if (!Number.isFinite(x)) {
    // glibc pads inf/nan with spaces even when '0' is given.
    const word = Number.isNaN(x) ? 'nan' : 'inf';
    return pad(prefix + (upper ? word.toUpperCase() : word), width, flags.left, false);
  }

  const ax = Math.abs(x);
  let body: string;
  const prec = precision ?? 6;
  if (conv === 'f' || conv === 'F') {
    body = fixedDigits(ax, prec, flags.alt);
    if (flags.group && thousandsSep !== '') {
      const dot = body.indexOf('.');
      const intPart = dot >= 0 ? body.slice(0, dot) : body;
      body = groupDigits(intPart, thousandsSep) + (dot >= 0 ? body.slice(dot) : '');
    }
  } else if (conv === 'e' || conv === 'E') {
    const { mant, exp } = expParts(ax, prec);
    body = expString(mant, exp, prec, flags.alt, upper);
  } else {
    // %g: choose the style from the exponent %e would print at P-1 digits.
    const p = prec === 0 ? 1 : prec;
    const { exp } = expParts(ax, p - 1);
    if (p > exp && exp >= -4) {
      body = fixedDigits(ax, p - 1 - exp, flags.alt);
    } else {
      const parts = expParts(ax, p - 1);
      body = expString(parts.mant, parts.exp, p - 1, flags.alt, upper);
    }
    if (!flags.alt) body = stripZeros(body);
  }
  const zero = flags.zero && !flags.left;
  return pad(prefix + body, width, flags.left, zero, prefix.length);
}

/** The sign bit of a NaN, which glibc prints as "-nan". */
function nanIsNegative(x: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return (view.getUint8(0) & 0x80) !== 0;
}
