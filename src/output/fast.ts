// Compiled record printers: the consumer's fast path for the records most
// scripts emit at high rates (printf() with plain conversions, trace() of
// integers and strings). For such a statement, compileFastPrinter builds
// once a list of small functions that read each value straight from the
// ring buffer and write its text as bytes into the ByteSink, with no
// decoded objects, no BigInt and no intermediate strings. It is an
// optimisation of decode (consume/decode.ts) + format (printf.ts, trace.ts)
// and must print exactly what they print (test/unit/output/fast.test.ts
// compares the two); any record it does not cover returns undefined and
// goes the general way.

import type { Conversion, ParsedFormat } from '../format/printf.js';
import type { RecordItem, Slot, StatementRecord } from '../layout/records.js';
import { formatCInt, NO_FLAGS, type CIntConv } from './cformat.js';
import type { ByteSink } from './sink.js';

/** FastPrinter prints the record at `off` (header included); `v` and `u8` view the same bytes. */
export type FastPrinter = (v: DataView, u8: Uint8Array, off: number, sink: ByteSink) => void;

export interface FastOptions {
  readonly quiet: boolean;
  readonly rawbytes?: boolean;
}

const LOWER = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const UPPER = Uint8Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));
const SPACE = 0x20;
const ZERO = 0x30;
const MINUS = 0x2d;
const TWO32 = 4294967296;
/** A 64-bit word whose high half is within ±2^21 holds an integer a double represents exactly. */
const HI_LIMIT = 0x200000;

/** readNumber reads an integer of `size` bytes at `at`, or NaN when it needs more than 53 bits (then BigInt is used). */
function readNumber(v: DataView, at: number, size: number, signed: boolean): number {
  switch (size) {
    case 1: return signed ? v.getInt8(at) : v.getUint8(at);
    case 2: return signed ? v.getInt16(at, true) : v.getUint16(at, true);
    case 4: return signed ? v.getInt32(at, true) : v.getUint32(at, true);
    default: {
      const hi = signed ? v.getInt32(at + 4, true) : v.getUint32(at + 4, true);
      return hi >= -HI_LIMIT && hi < HI_LIMIT ? hi * TWO32 + v.getUint32(at, true) : NaN;
    }
  }
}

function bigValue(v: DataView, at: number, signed: boolean): bigint {
  return signed ? v.getBigInt64(at, true) : v.getBigUint64(at, true);
}

/** Two ASCII digits of every number below 100, for writing decimals two at a time. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, i) => ZERO + (i & 1 ? (i >> 1) % 10 : Math.floor((i >> 1) / 10)));

/** decimalDigits counts the decimal digits of m (0 <= m < 2^53). */
function decimalDigits(m: number): number {
  let n = 1;
  for (let t = 10; t <= m && n < 16; t *= 10) n++;
  return n;
}

/** writeDecimal writes m (0 <= m < 2^53) as nd digits ending before b[q]. */
function writeDecimal(b: Uint8Array, q: number, m: number): void {
  if (m < 0x80000000) {
    let k = m | 0;
    while (k >= 100) {
      const d = (k / 100) | 0;
      const r = (k - d * 100) << 1;
      b[--q] = PAIRS[r + 1];
      b[--q] = PAIRS[r];
      k = d;
    }
    if (k >= 10) {
      b[--q] = PAIRS[2 * k + 1];
      b[--q] = PAIRS[2 * k];
    } else {
      b[--q] = ZERO + k;
    }
    return;
  }
  do {
    const d = Math.floor(m / 10);
    b[--q] = ZERO + (m - d * 10);
    m = d;
  } while (m > 0);
}

/** putInt writes integer x (|x| < 2^53) in `radix`, padded to `width` as C's printf pads. */
function putInt(sink: ByteSink, x: number, radix: number, digits: Uint8Array, width: number, left: boolean, zero: boolean): void {
  const neg = x < 0;
  const m = neg ? -x : x;
  let nd: number;
  if (radix === 10) {
    nd = m < 10 ? 1 : m < 100 ? 2 : decimalDigits(m);
  } else {
    nd = 1;
    for (let t = m; t >= radix; t = Math.floor(t / radix)) nd++;
  }
  const body = nd + (neg ? 1 : 0);
  const pad = width > body ? width - body : 0;
  sink.reserve(body + pad);
  const b = sink.buf;
  let p = sink.len;
  if (pad > 0 && !left && !zero) for (let i = 0; i < pad; i++) b[p++] = SPACE;
  if (neg) b[p++] = MINUS;
  if (pad > 0 && zero && !left) for (let i = 0; i < pad; i++) b[p++] = ZERO;
  p += nd;
  if (radix === 10) {
    writeDecimal(b, p, m);
  } else {
    let q = p;
    let k = m;
    do {
      const d = k % radix;
      b[--q] = digits[d];
      k = (k - d) / radix;
    } while (k > 0);
  }
  if (pad > 0 && left) for (let i = 0; i < pad; i++) b[p++] = SPACE;
  sink.len = p;
}

/** strEnd is the index of the NUL ending the string at u8[start, start + max), or start + max. */
function strEnd(u8: Uint8Array, start: number, max: number): number {
  const end = start + max;
  for (let i = start; i < end; i++) if (u8[i] === 0) return i;
  return end;
}

/** putStr writes u8[start, end) padded to `width` with spaces. */
function putStr(sink: ByteSink, u8: Uint8Array, start: number, end: number, width: number, left: boolean): void {
  const pad = width - (end - start);
  if (pad > 0 && !left) sink.fill(SPACE, pad);
  sink.bytes(u8, start, end);
  if (pad > 0 && left) sink.fill(SPACE, pad);
}

/** Step kinds of a compiled printer. */
const LIT = 0;
const INT = 1;
const STR = 2;
const CHR = 3;
/** Skip the next `size` steps when the byte at `o` is zero (an action under `if` that did not run). */
const FLAG = 4;

/** Step is one thing a compiled printer does; every step has the same shape so that run() stays monomorphic. */
interface Step {
  readonly k: number;
  /** Offset of the value (or flag) in the record. */
  readonly o: number;
  /** Size of the value; for FLAG, the steps it guards. */
  readonly size: number;
  readonly signed: boolean;
  readonly radix: number;
  readonly width: number;
  readonly left: boolean;
  readonly zero: boolean;
  /** LIT: the bytes; INT: the digit table. */
  readonly bytes: Uint8Array;
  /** INT: the C conversion, for values printed through BigInt. */
  readonly conv: CIntConv;
}

const NONE = new Uint8Array(0);

function step(k: number, fields: Partial<Step>): Step {
  return { k, o: 0, size: 0, signed: false, radix: 10, width: 0, left: false, zero: false, bytes: NONE, conv: 'd', ...fields };
}

function literal(text: string): Step {
  return step(LIT, { bytes: Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff) });
}

/** intStep prints a slot with an integer conversion; conv is the C conversion printed (d, i, u, o, x, X). */
function intStep(s: Slot, signed: boolean, conv: CIntConv, width: number, left: boolean, zero: boolean): Step {
  const radix = conv === 'o' ? 8 : conv === 'x' || conv === 'X' ? 16 : 10;
  return step(INT, { o: s.offset, size: s.size, signed, radix, width, left, zero, bytes: conv === 'X' ? UPPER : LOWER, conv });
}

function run(steps: readonly Step[], v: DataView, u8: Uint8Array, off: number, sink: ByteSink): void {
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    switch (s.k) {
      case LIT:
        sink.bytes(s.bytes);
        break;
      case INT: {
        const x = readNumber(v, off + s.o, s.size, s.signed);
        if (x === x) putInt(sink, x, s.radix, s.bytes, s.width, s.left, s.zero);
        else sink.str(formatCInt(bigValue(v, off + s.o, s.signed), s.conv, { ...NO_FLAGS, left: s.left, zero: s.zero }, s.width));
        break;
      }
      case STR: {
        const a = off + s.o;
        putStr(sink, u8, a, strEnd(u8, a, s.size), s.width, s.left);
        break;
      }
      case CHR:
        putStr(sink, u8, off + s.o, off + s.o + 1, s.width, s.left);
        break;
      case FLAG:
        if (u8[off + s.o] === 0) i += s.size;
        break;
    }
  }
}

/** conversionStep is the step for one printf conversion, or undefined when only the general path prints it exactly. */
function conversionStep(c: Conversion, s: Slot | undefined): Step | undefined {
  if (c.spec.print === 'pct') return literal('%');
  if (s === undefined || c.agg || c.plus || c.space || c.alt || c.group) return undefined;
  if (c.width === '*' || c.precision === '*') return undefined;
  // DTrace passes a precision only when it is positive: 0 is none.
  if (c.precision !== undefined && c.precision > 0) return undefined;
  const width = c.width ?? 0;
  const left = c.left;
  switch (c.spec.print) {
    case 'dint':
    case 'sint':
    case 'uint': {
      if (s.kind !== 'int') return undefined;
      const signed = c.spec.print === 'sint' || (c.spec.print === 'dint' && s.signed);
      const out = c.spec.outConv;
      // %c prints the value's low byte: the record's first byte (little-endian).
      if (out === 'c' || out === 'lc' || out === 'wc') return step(CHR, { o: s.offset, width, left });
      const conv = (c.spec.print === 'dint' && !signed ? 'u' : out) as CIntConv;
      return intStep(s, signed, conv, width, left, c.zeroPad && !left);
    }
    case 'cstr':
      if (s.kind === 'int') return undefined;
      return step(STR, { o: s.offset, size: s.size, width, left });
    default:
      return undefined;
  }
}

function printfSteps(format: ParsedFormat, args: readonly Slot[]): Step[] | undefined {
  const steps: Step[] = [];
  let next = 0;
  for (const piece of format.pieces) {
    if (piece.kind === 'literal') {
      steps.push(literal(piece.text));
      continue;
    }
    const st = conversionStep(piece, piece.spec.print === 'pct' ? undefined : args[next]);
    if (st === undefined) return undefined;
    if (piece.spec.print !== 'pct') next++;
    steps.push(st);
  }
  return steps;
}

/** Widths of trace()'s integers when not quiet, by size: [signed, unsigned] (as output/trace.ts). */
const TRACE_WIDTH: Readonly<Record<number, readonly [number, number]>> = { 1: [3, 3], 2: [5, 5], 4: [10, 10], 8: [19, 20] };

function traceSteps(s: Slot, quiet: boolean): Step[] | undefined {
  if (s.kind === 'int') {
    const w = TRACE_WIDTH[s.size];
    if (w === undefined) return undefined;
    const st = intStep(s, s.signed, s.signed ? 'd' : 'u', quiet ? 0 : s.signed ? w[0] : w[1], false, false);
    return quiet ? [st] : [literal(' '), st];
  }
  if (s.kind !== 'string') return undefined;
  const st = step(STR, { o: s.offset, size: s.size, width: quiet ? 0 : 33, left: true });
  return quiet ? [st] : [literal('  '), st];
}

function itemSteps(it: RecordItem, opts: FastOptions): Step[] | undefined {
  switch (it.kind) {
    case 'printf': return printfSteps(it.format, it.args);
    case 'trace': return opts.rawbytes ? undefined : traceSteps(it.value, opts.quiet);
    default: return undefined;
  }
}

/** merge joins adjacent literals, so a record's constant text is copied at once. */
function merge(steps: readonly Step[]): Step[] {
  const out: Step[] = [];
  for (const s of steps) {
    const last = out[out.length - 1];
    if (s.k === LIT && last?.k === LIT) {
      const bytes = new Uint8Array(last.bytes.length + s.bytes.length);
      bytes.set(last.bytes);
      bytes.set(s.bytes, last.bytes.length);
      out[out.length - 1] = step(LIT, { bytes });
    } else {
      out.push(s);
    }
  }
  return out;
}

/**
 * compileFastPrinter builds the printer of a statement's records (without
 * the probe prefix and record end the caller adds), or undefined when the
 * statement records anything the fast path does not print.
 */
export function compileFastPrinter(rec: StatementRecord, opts: FastOptions): FastPrinter | undefined {
  const steps: Step[] = [];
  for (const it of rec.items) {
    const own = itemSteps(it, opts);
    if (own === undefined) return undefined;
    const body = merge(own);
    if (it.flag !== undefined) steps.push(step(FLAG, { o: it.flag, size: body.length }));
    steps.push(...body);
  }
  const program = steps;
  return (v, u8, off, sink) => run(program, v, u8, off, sink);
}
