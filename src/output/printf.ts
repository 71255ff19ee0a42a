/*
 * The consumer's printf(): renders a parsed D format with traced values.
 *
 * This mirrors dt_printf_format() and the pfprint_* functions of DTrace:
 * for each conversion the value is first read at its record size (signed or
 * unsigned as the conversion dictates), then printed through the C
 * conversion DTrace would hand to the C library, with DTrace's quirks kept:
 * a precision is only applied when it is > 0 (so "%.0s" prints the whole
 * string), a negative '*' width means left-justify, %p prints bare hex,
 * %d of an unsigned type prints as %u, and symbol/time/escape conversions
 * are rendered to a string and then printed with %s.  Pure: symbol lookup
 * and time zone are supplied by the caller.  All strings are byte strings
 * (one UTF-16 unit per byte, 0-255).
 */

import type { Conversion, ParsedFormat } from '../format/printf.js';
import type { TraceValue } from './trace.js';
import {
  formatCChar, formatCFloat, formatCInt, formatCString,
  type CFlags, type CFloatConv, type CIntConv,
} from './cformat.js';

/** A traced value handed to formatPrintf(), in argument order. */
export type PrintfValue =
  /** An integer or pointer record: `size` is its storage size in bytes. */
  | { kind: 'int'; value: bigint; size: 1 | 2 | 4 | 8; signed: boolean }
  | { kind: 'float'; value: number; size?: 4 | 8 | 16 }
  /**
   * A string record.  `nulTerminated` (default true) says the record holds a
   * NUL after the text, which %S shows as "\0" as DTrace does.
   */
  | { kind: 'string'; value: string; nulTerminated?: boolean }
  /** A user address with its process (the 3-word %A record). */
  | { kind: 'uaddr'; pid: number; value: bigint }
  /** A stack() or ustack() value, frames already symbolized. */
  | { kind: 'stack'; frames: readonly string[] }
  /** A sym( ) or mod( ) aggregation key: %a prints its text (dt_print_sym, dt_print_mod). */
  | { kind: 'symbol'; value: bigint; text: string }
  /** Text printed verbatim whatever the conversion (e.g. a quantize() table). */
  | { kind: 'raw'; text: string };

/** What a symbol lookup found for an address. */
/** printfValue gives printf a recorded value; raw bytes print as the string they hold. */
export function printfValue(t: TraceValue): PrintfValue {
  if (t.kind !== 'bytes') return t;
  const end = t.data.indexOf(0);
  return { kind: 'string', value: Buffer.from(t.data.subarray(0, end < 0 ? t.data.length : end)).toString('latin1') };
}

export interface SymbolInfo {
  /** Module or object name as printed ("vmlinux", "libc.so.6"). */
  object: string;
  /** Symbol name, absent when only the containing object is known. */
  name?: string;
  /** Start address of the symbol. */
  value?: bigint;
}

export interface PrintfOptions {
  /** Kernel symbol lookup for %a; without it addresses print as 0x... */
  lookupKernel?: (addr: bigint) => SymbolInfo | undefined;
  /** User symbol lookup for %A; without it addresses print as 0x... */
  lookupUser?: (pid: number, addr: bigint) => SymbolInfo | undefined;
  /**
   * Thousands separator for the "'" flag.  dtrace(1) never calls
   * setlocale(), so it runs in the C locale where there is none: default ''.
   */
  thousandsSep?: string;
  /** Render %Y/%T in UTC instead of the process's local time zone. */
  utc?: boolean;
  /** Time-zone abbreviation for %T (%Z of strftime); derived if absent. */
  tzName?: string;
  /** printa(): the aggregation values consumed by '@' conversions, in order. */
  aggValues?: readonly PrintfValue[];
}

/** Render `addr` as dtrace_addr2str() does: mod`sym+0xoff, mod`0xaddr, 0xaddr. */
export function kernelAddrToString(addr: bigint, sym: SymbolInfo | undefined): string {
  if (sym?.name !== undefined) {
    const start = sym.value ?? addr;
    return addr !== start ? `${sym.object}\`${sym.name}+0x${(addr - start).toString(16)}` : `${sym.object}\`${sym.name}`;
  }
  if (sym !== undefined) return `${sym.object}\`0x${addr.toString(16)}`;
  return `0x${addr.toString(16)}`;
}

/** Render a user address as dtrace_uaddr2str() does (offset only when past the start). */
export function userAddrToString(addr: bigint, sym: SymbolInfo | undefined): string {
  if (sym?.name !== undefined) {
    const start = sym.value ?? addr;
    return addr > start ? `${sym.object}\`${sym.name}+0x${(addr - start).toString(16)}` : `${sym.object}\`${sym.name}`;
  }
  if (sym !== undefined) return `${sym.object}\`0x${addr.toString(16)}`;
  return `0x${addr.toString(16)}`;
}

/**
 * Escape a byte string as DTrace's strchr2esc() does (for %S and %C): C
 * escapes for \0 \a \b \f \n \r \t \v " and \, three-digit octal for other
 * bytes outside '!'..'~' except space.  Output stops after an escaped NUL.
 */
export function escapeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const b = s.charCodeAt(i) & 0xff;
    switch (b) {
      case 0: return out + '\\0';
      case 7: out += '\\a'; break;
      case 8: out += '\\b'; break;
      case 12: out += '\\f'; break;
      case 10: out += '\\n'; break;
      case 13: out += '\\r'; break;
      case 9: out += '\\t'; break;
      case 11: out += '\\v'; break;
      case 34: out += '\\"'; break;
      case 92: out += '\\\\'; break;
      case 32: out += ' '; break;
      default:
        out += b < 33 || b > 126
          ? '\\' + ((b >> 6) & 3).toString() + ((b >> 3) & 7).toString() + (b & 7).toString()
          : String.fromCharCode(b);
    }
  }
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface TimeParts { year: number; month: number; day: number; wday: number; h: number; m: number; s: number }

function timeParts(ns: bigint, utc: boolean): TimeParts {
  // hrtime_t is signed and the division truncates toward zero, as in C.
  const sec = BigInt.asIntN(64, ns) / 1_000_000_000n;
  const d = new Date(Number(sec) * 1000);
  return utc
    ? { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate(), wday: d.getUTCDay(),
      h: d.getUTCHours(), m: d.getUTCMinutes(), s: d.getUTCSeconds() }
    : { year: d.getFullYear(), month: d.getMonth(), day: d.getDate(), wday: d.getDay(),
      h: d.getHours(), m: d.getMinutes(), s: d.getSeconds() };
}

const two = (n: number): string => n.toString().padStart(2, '0');

/** %Y: ctime() rearranged as "2026 Nov 25 02:21:04" (day space-padded). */
export function formatWalltime(ns: bigint, utc = false): string {
  const t = timeParts(ns, utc);
  return `${t.year} ${MONTHS[t.month]} ${t.day.toString().padStart(2, ' ')} ${two(t.h)}:${two(t.m)}:${two(t.s)}`;
}

/** ISO 8601 week-based year (strftime %G): the year of the week's Thursday. */
function isoWeekYear(t: TimeParts): number {
  const date = Date.UTC(t.year, t.month, t.day);
  const isoDow = (t.wday + 6) % 7; // Monday = 0
  return new Date(date + (3 - isoDow) * 86_400_000).getUTCFullYear();
}

function zoneName(ns: bigint, utc: boolean): string {
  if (utc) return 'UTC';
  const sec = Number(BigInt.asIntN(64, ns) / 1_000_000_000n);
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
    .formatToParts(new Date(sec * 1000)).find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'UTC';
}

/** %T: strftime "%a, %d %b %G %T %Z" (RFC 822, with DTrace's %G year). */
export function formatRfc822(ns: bigint, utc = false, tzName?: string): string {
  const t = timeParts(ns, utc);
  return `${DAYS[t.wday]}, ${two(t.day)} ${MONTHS[t.month]} ${isoWeekYear(t)} ` +
    `${two(t.h)}:${two(t.m)}:${two(t.s)} ${tzName ?? zoneName(ns, utc)}`;
}

/** Read an integer record as C would: signed or unsigned at its size. */
function readInt(v: PrintfValue | undefined, signed: boolean): bigint {
  let value: bigint;
  let size: number;
  if (v === undefined) return 0n;
  switch (v.kind) {
    case 'int': value = v.value; size = v.size; break;
    case 'uaddr': value = v.value; size = 8; break;
    case 'symbol': value = v.value; size = 8; break;
    case 'float': value = BigInt(Math.trunc(Number.isFinite(v.value) ? v.value : 0)); size = 8; break;
    default: return 0n;
  }
  const bits = size * 8;
  return signed ? BigInt.asIntN(bits, value) : BigInt.asUintN(bits, value);
}

/** dt_printf_getint(): a '*' argument, read signed and cast to a C int. */
function readDynInt(v: PrintfValue | undefined): number {
  return Number(BigInt.asIntN(32, readInt(v, true)));
}

function asText(v: PrintfValue | undefined): string {
  if (v === undefined) return '';
  switch (v.kind) {
    case 'string': {
      const nul = v.value.indexOf('\0');
      return nul >= 0 ? v.value.slice(0, nul) : v.value;
    }
    case 'int': return readInt(v, v.signed).toString();
    case 'float': return String(v.value);
    case 'uaddr': return `0x${v.value.toString(16)}`;
    case 'symbol': return v.text;
    case 'stack': return v.frames.join('\n');
    case 'raw': return v.text;
  }
}

interface Field { flags: CFlags; width: number; precision?: number }

function renderConversion(c: Conversion, v: PrintfValue | undefined, f: Field, dynWidth: number, opts: PrintfOptions): string {
  if (v?.kind === 'raw') return v.text;
  const sep = opts.thousandsSep ?? '';
  const out = c.spec.outConv;
  switch (c.spec.print) {
    case 'pct':
      return '%';
    case 'dint':
    case 'sint':
    case 'uint': {
      const signed = c.spec.print === 'sint' || (c.spec.print === 'dint' && (v?.kind !== 'int' || v.signed));
      const value = readInt(v, signed);
      if (out === 'c' || out === 'lc' || out === 'wc') return formatCChar(value, f.flags, f.width);
      // pfcheck_dint turns %d/%i of an unsigned type into %u.
      const conv = (c.spec.print === 'dint' && !signed ? 'u' : out) as CIntConv;
      return formatCInt(value, conv, f.flags, f.width, f.precision, sep);
    }
    case 'fp': {
      const x = v?.kind === 'float' ? v.value : Number(readInt(v, true));
      return formatCFloat(x, out as CFloatConv, f.flags, f.width, f.precision, sep);
    }
    case 'addr': {
      if (v?.kind === 'symbol') return formatCString(v.text, f.flags, f.width, f.precision);
      const addr = readInt(v, false);
      return formatCString(kernelAddrToString(addr, opts.lookupKernel?.(addr)), f.flags, f.width, f.precision);
    }
    case 'uaddr': {
      const pid = v?.kind === 'uaddr' ? v.pid : 0;
      const addr = readInt(v, false);
      const sym = pid !== 0 ? opts.lookupUser?.(pid, addr) : undefined;
      return formatCString(userAddrToString(addr, sym), f.flags, f.width, f.precision);
    }
    case 'time':
      return formatCString(formatWalltime(readInt(v, true), opts.utc), f.flags, f.width, f.precision);
    case 'time822':
      return formatCString(formatRfc822(readInt(v, true), opts.utc, opts.tzName), f.flags, f.width, f.precision);
    case 'cstr':
    case 'wstr':
      return formatCString(asText(v), f.flags, f.width, f.precision);
    case 'estr': {
      let s = v?.kind === 'string' ? v.value : asText(v);
      if (v?.kind === 'string' && v.nulTerminated !== false && !s.includes('\0')) s += '\0';
      return formatCString(escapeString(s), f.flags, f.width, f.precision);
    }
    case 'echr': {
      const byte = Number(BigInt.asUintN(8, readInt(v, true)));
      return formatCString(escapeString(String.fromCharCode(byte)), f.flags, f.width, f.precision);
    }
    case 'stack': {
      const frames = v?.kind === 'stack' ? v.frames : [asText(v)];
      // A left-justified %k indents every frame by the width instead of padding.
      const indent = dynWidth < 0 ? -dynWidth : c.left ? f.width : 0;
      const field: Field = c.left ? { ...f, width: 0 } : f;
      let s = '\n';
      for (const fr of frames) {
        s += ' '.repeat(indent) + formatCString(fr, field.flags, field.width, field.precision) + '\n';
      }
      return s;
    }
  }
}

/**
 * Format traced values with a parsed format, as DTrace's consumer prints a
 * printf() record.  `args` are the record's values in argument order: for
 * each conversion its '*' width, then its '.*' precision, then its value
 * (except %% and '@' conversions, whose value comes from opts.aggValues).
 */
export function formatPrintf(parsed: ParsedFormat, args: readonly PrintfValue[], opts: PrintfOptions = {}): string {
  let out = '';
  let next = 0;
  let agg = 0;
  for (const piece of parsed.pieces) {
    if (piece.kind === 'literal') {
      out += piece.text;
      continue;
    }
    const c = piece;
    if (c.spec.print === 'pct') {
      out += '%';
      continue;
    }
    let width = typeof c.width === 'number' ? c.width : 0;
    let dynWidth = 0;
    if (c.width === '*') {
      dynWidth = readDynInt(args[next++]);
      width = dynWidth;
    }
    let precision = typeof c.precision === 'number' ? c.precision : 0;
    if (c.precision === '*') precision = readDynInt(args[next++]);
    let value: PrintfValue | undefined;
    if (c.agg) {
      const vals = opts.aggValues ?? [];
      value = vals[agg];
      // Extra '@' conversions re-use the last aggregation's value.
      if (agg < vals.length - 1) agg++;
    } else {
      value = args[next++];
    }
    const flags: CFlags = {
      alt: c.alt,
      zero: c.zeroPad,
      left: c.left || width < 0,
      plus: c.plus,
      space: c.space,
      group: c.group,
    };
    // DTrace only passes a precision when it is positive.
    const field: Field = { flags, width: Math.abs(width) };
    if (precision > 0) field.precision = precision;
    out += renderConversion(c, value, field, dynWidth, opts);
  }
  return out;
}
