/*
 * How dtrace(1) lays out trace() data and the per-record probe prefix.
 *
 * Mirrors dt_print_trace(), dt_print_datum(), dt_print_bytes() and
 * dt_print_rawbytes() of libdtrace and the chew()/chewrec() callbacks of
 * dtrace(1):
 *   - before the first record (not quiet) a header line is printed:
 *     "CPU     ID                    FUNCTION:NAME", or, when the
 *     environment has _DTRACE_TESTING, only "%32s" of "FUNCTION:NAME";
 *   - each record starts with "%3d %6d %32s " (cpu, probe id, func:name),
 *     or "%32s " in testing mode; nothing at all when quiet;
 *   - trace() items follow on the same line; after the last item of a
 *     record a newline is printed unless quiet;
 *   - when tracing ends dtrace(1) prints one more newline, quiet or not.
 * Strings are byte strings (one UTF-16 unit per byte).
 */

import { formatCInt, formatCString, NO_FLAGS } from './cformat.js';

/** A value recorded by trace(). */
export type TraceValue =
  /** A scalar: `size` is the record size in bytes, `signed` its type's sign. */
  | { kind: 'int'; value: bigint; size: 1 | 2 | 4 | 8; signed: boolean }
  /**
   * A string (a by-reference record with byte alignment).  `bytes`, when
   * given, is the whole record (text, NUL, padding) for raw dumps.
   */
  | { kind: 'string'; value: string; bytes?: Uint8Array; size?: number }
  /** Any other by-reference data (structs, arrays): dumped as hex + ASCII. */
  | { kind: 'bytes'; data: Uint8Array };

export interface TraceOptions {
  /** -q / quiet option. */
  quiet: boolean;
  /** The rawbytes option: dump every trace() record as bytes. */
  rawbytes?: boolean;
}

const LEFT = { ...NO_FLAGS, left: true };

/** Pad like "%<w>s" / "%-<w>s". */
const padStr = (s: string, width: number, left = false): string =>
  formatCString(s, left ? LEFT : NO_FLAGS, width);

/** Pad like "%<w>d" for an already-cast integer. */
const padInt = (v: bigint, width: number): string =>
  formatCInt(v, v < 0n ? 'd' : 'u', NO_FLAGS, width);

/**
 * The hex + ASCII dump DTrace uses for raw data (tracemem(), structs):
 * a header row of column digits, then 16 bytes per row with the offset.
 */
export function formatRawBytes(data: Uint8Array): string {
  if (data.length === 0) return '';
  let s = '\n' + ' '.repeat(5) + '      ';
  for (let i = 0; i < 16; i++) s += '  ' + '0123456789abcdef'[i];
  s += '  0123456789abcdef\n';
  for (let i = 0; i < data.length; i += 16) {
    s += ' '.repeat(5) + i.toString(16).padStart(5, ' ') + ':';
    let j = i;
    for (; j < i + 16 && j < data.length; j++) s += ' ' + data[j].toString(16).padStart(2, '0');
    while (j++ % 16) s += '   ';
    s += '  ';
    for (j = i; j < i + 16 && j < data.length; j++) {
      const b = data[j];
      // Bytes are signed chars in C, so everything above '~' is a dot too.
      s += b < 0x20 || b > 0x7e ? '.' : String.fromCharCode(b);
    }
    s += '\n';
  }
  return s;
}

/** isprint() || isspace() in the C locale, plus backspace and bell. */
function printable(b: number): boolean {
  return (b >= 0x20 && b <= 0x7e) || (b >= 9 && b <= 13) || b === 8 || b === 7;
}

/**
 * dt_print_bytes(): print data as a string if it looks like one (printable
 * bytes, then only NULs), else as a raw dump.  Not-quiet strings are
 * printed as "  %-<width>s".
 */
export function formatBytes(data: Uint8Array, width: number, quiet: boolean, rawbytes = false): string {
  if (data.length === 0) return '';
  if (rawbytes) return formatRawBytes(data);
  let i = 0;
  for (; i < data.length; i++) {
    if (printable(data[i])) continue;
    if (data[i] === 0 && i > 0) {
      // A string only if everything after the first NUL is NUL as well.
      let j = i + 1;
      while (j < data.length && data[j] === 0) j++;
      if (j !== data.length) break;
      const str = bytesToString(data.subarray(0, i));
      return quiet ? str : '  ' + padStr(str, width, true);
    }
    break;
  }
  if (i === data.length) {
    // All printable and no NUL: a string, whatever the quiet setting.
    return '  ' + padStr(bytesToString(data), width, true);
  }
  return formatRawBytes(data);
}

function bytesToString(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
}

/** stringBytes is a string's record: its text, its NUL, then zeros up to the record's size. */
function stringBytes(s: string, size = 0): Uint8Array {
  const nul = s.indexOf('\0');
  const text = nul >= 0 ? s.slice(0, nul) : s;
  const out = new Uint8Array(Math.max(text.length + 1, size));
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function intBytes(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Widths of trace()'s integer fields when not quiet, by size (signed, unsigned). */
const TRACE_WIDTH: Record<number, [number, number]> = { 1: [3, 3], 2: [5, 5], 4: [10, 10], 8: [19, 20] };

/**
 * Render one trace() record as dt_print_trace() does.  Not quiet: integers
 * are " %3d"/" %5d"/" %10d"/" %19ld" (signed, sizes 1/2/4/8) or
 * " %3u"/" %5u"/" %10u"/" %20lu" (unsigned), strings "  %-33s".  Quiet:
 * bare "%d"/"%u"/"%s".  Other data is a raw dump either way.
 */
export function formatTrace(v: TraceValue, opts: TraceOptions): string {
  if (opts.rawbytes) {
    switch (v.kind) {
      case 'int': return formatRawBytes(intBytes(v.value, v.size));
      case 'string': return formatRawBytes(v.bytes ?? stringBytes(v.value, v.size));
      case 'bytes': return formatRawBytes(v.data);
    }
  }
  switch (v.kind) {
    case 'string': {
      const nul = v.value.indexOf('\0');
      const s = nul >= 0 ? v.value.slice(0, nul) : v.value;
      return opts.quiet ? s : '  ' + padStr(s, 33, true);
    }
    case 'bytes':
      return formatRawBytes(v.data);
    case 'int': {
      const bits = v.size * 8;
      const x = v.signed ? BigInt.asIntN(bits, v.value) : BigInt.asUintN(bits, v.value);
      if (opts.quiet) return x.toString();
      const w = TRACE_WIDTH[v.size];
      return ' ' + padInt(x, v.signed ? w[0] : w[1]);
    }
  }
}

/**
 * dt_print_datum(): how printa()'s default layout and aggregation keys print
 * a value.  Scalars by size: " %16lld" (8, read signed), " %8d" (4, the
 * 32 bits as a signed int), " %5d" (2, zero-extended), " %3d" (1,
 * zero-extended); anything else through formatBytes() with width 50.
 */
export function formatDatum(v: TraceValue): string {
  switch (v.kind) {
    case 'int': {
      switch (v.size) {
        case 8: return ' ' + padInt(BigInt.asIntN(64, v.value), 16);
        case 4: return ' ' + padInt(BigInt.asIntN(32, v.value), 8);
        case 2: return ' ' + padInt(BigInt.asUintN(16, v.value), 5);
        case 1: return ' ' + padInt(BigInt.asUintN(8, v.value), 3);
      }
      return '';
    }
    case 'string': return formatBytes(v.bytes ?? stringBytes(v.value), 50, false);
    case 'bytes': return formatBytes(v.data, 50, false);
  }
}

/**
 * dt_print_stack() with its default format: a newline, then one line per
 * frame indented by the stackindent option (default 14).
 */
export function formatStack(frames: readonly string[], indent = 14): string {
  let s = '\n';
  for (const f of frames) s += ' '.repeat(indent) + f + '\n';
  return s;
}

/** sym(), mod(), usym(), umod() and uaddr() results: "  %-50s". */
export function formatSymbolRecord(text: string): string {
  return '  ' + padStr(text, 50, true);
}

/** The probe that fired, as the record prefix needs it. */
export interface ProbeDesc {
  cpu: number;
  /** Probe id (the number `dtrace -l` shows). */
  id: number;
  provider?: string;
  func: string;
  name: string;
}

export interface ListingOptions {
  quiet: boolean;
  /** _DTRACE_TESTING is set: omit the CPU and ID columns. */
  testing: boolean;
  /** -F / flowindent. */
  flowindent?: boolean;
}

/** The header line printed before the first record ('' when quiet). */
export function formatHeader(opts: ListingOptions): string {
  if (opts.flowindent) {
    // With flowindent the header (and prefix) appear even when quiet.
    return opts.testing ? padStr('FUNCTION', 41, true) + '\n'
      : padStr('CPU', 3) + ' ' + padStr('FUNCTION', 41, true) + '\n';
  }
  if (opts.quiet) return '';
  return opts.testing ? padStr('FUNCTION:NAME', 32) + '\n'
    : `${padStr('CPU', 3)} ${padStr('ID', 6)} ${padStr('FUNCTION:NAME', 32)}\n`;
}

/** Flow direction of a probe for flowindent. */
export type FlowKind = 'entry' | 'return' | 'none';

/** "entry" / "...-entry" probes enter, "return" / "...-return" ones return. */
export function flowKind(probeName: string): FlowKind {
  const is = (w: string): boolean => probeName === w || probeName.endsWith('-' + w);
  if (is('entry')) return 'entry';
  if (is('return')) return 'return';
  return 'none';
}

/** The per-record prefix for non-flowindent output ('' when quiet). */
export function formatProbePrefix(p: ProbeDesc, opts: ListingOptions): string {
  if (opts.quiet) return '';
  const name = padStr(`${p.func}:${p.name}`, 32);
  if (opts.testing) return name + ' ';
  return `${padInt(BigInt(p.cpu), 3)} ${padInt(BigInt(p.id), 6)} ${name} `;
}

/** What ends a record: a newline unless quiet (chewrec with no record). */
export function formatRecordEnd(opts: ListingOptions): string {
  return opts.quiet ? '' : '\n';
}

/** dtrace(1) prints one newline after tracing stops, even when quiet. */
export const OUTPUT_END = '\n';

/**
 * Tracks the state dtrace(1) keeps across records: whether the header was
 * printed, and the flowindent indentation.  Methods return text to print.
 */
export class RecordPrinter {
  private headed = false;
  private indent = 0;

  constructor(private readonly opts: ListingOptions) {}

  /**
   * Start a record.  For flowindent, `sameProbeAsLast` / `sameProbeAsNext`
   * carry DTrace's heuristics (another clause of the same probe fired just
   * before/after): an entry or return then neither indents nor unindents.
   */
  begin(p: ProbeDesc, hints: { sameProbeAsLast?: boolean; sameProbeAsNext?: boolean } = {}): string {
    let s = '';
    if (!this.headed) {
      s += formatHeader(this.opts);
      this.headed = true;
    }
    if (!this.opts.flowindent) return s + formatProbePrefix(p, this.opts);

    let flow = flowKind(p.name);
    if (flow === 'entry' && hints.sameProbeAsLast) flow = 'none';
    if (flow === 'return' && hints.sameProbeAsNext) flow = 'none';
    const sys = p.provider === 'syscall';
    const prefix = flow === 'entry' ? (sys ? ' => ' : ' -> ')
      : flow === 'return' ? (sys ? ' <= ' : ' <- ') : '| ';
    if (flow === 'return' && this.indent > 0) this.indent -= 2;
    const text = ' '.repeat(this.indent) + prefix + p.func + (flow === 'none' ? ':' + p.name : '');
    const field = padStr(text, 41, true) + ' ';
    if (flow === 'entry') this.indent += 2;
    return s + (this.opts.testing ? field : padInt(BigInt(p.cpu), 3) + ' ' + field);
  }

  /**
   * plainPrefix tells whether every record now starts with the same prefix
   * for its probe and CPU: the header is out (or quiet) and flowindent is off.
   */
  get plainPrefix(): boolean {
    return !this.opts.flowindent && (this.headed || this.opts.quiet);
  }

  /** End a record. */
  end(): string {
    return formatRecordEnd(this.opts);
  }

  /** DTrace resets flowindent depth whenever it starts reading a CPU buffer. */
  resetIndent(): void {
    this.indent = 0;
  }
}
