/*
 * D printf()-family format strings: parsing and argument checking
 * (src/format/: format strings, shared by sema and output).
 *
 * Used by the compiler's type checker (to validate printf/printa/sprintf-like
 * calls and to report DTrace's exact diagnostics) and by the consumer (which
 * formats records with the parsed conversions, see output/printf.ts).  The
 * grammar and the set of conversions are DTrace's, not C's: only the length
 * modifiers h, l, ll, L and w exist (so %hhd, %zd, %jd are "undefined"), the
 * extra flags '?' (pointer-width field) and '@' (aggregation value) exist,
 * and flags are order-sensitive ('0' and '-' cancel each other, last wins).
 * Errors are returned as data carrying DTrace's tag and wording.
 */

/** A diagnostic in DTrace's words; `tag` is the -xerrtags tag. */
export interface PrintfDiagnostic {
  tag: string;
  message: string;
  /** 1-based argument number the diagnostic is about, when there is one. */
  argIndex?: number;
}

/** What kind of argument a conversion accepts (DTrace's pfcheck_* family). */
export type ArgClass =
  | 'none'       // %%: consumes nothing
  | 'integer'    // any integer (d i o u x X)
  | 'csi'        // char, short or int: integer of at most 4 bytes (c C)
  | 'float'      // float, double or long double (e E f g G)
  | 'string'     // string or char array (s S)
  | 'wstring'    // array of 32-bit integers (ls ws)
  | 'pointer'    // pointer or integer (p)
  | 'symbol'     // pointer, integer or kernel symbol address (a)
  | 'usymbol'    // user symbol address, or pointer/integer with -p/-c (A)
  | 'stack'      // stack() / ustack() value (k)
  | 'time'       // 64-bit integer nanoseconds (Y T)
  | 'exact'      // a specific C type, by encoding (hd lu lld Le lc ...)
  | 'xshort'     // short types by name (hx hX)
  | 'xlong'      // long types by name (lx lX)
  | 'xlonglong'; // long long types, or [u]int64_t typedefs (llx llX)

/** How the consumer renders a conversion (DTrace's pfprint_* family). */
export type PrintKind =
  | 'sint' | 'uint' | 'dint' | 'fp' | 'addr' | 'uaddr' | 'stack' | 'time'
  | 'time822' | 'cstr' | 'wstr' | 'estr' | 'echr' | 'pct';

/** One entry of DTrace's conversion dictionary. */
export interface ConversionSpec {
  /** Lookup name: length modifiers + conversion letter, e.g. "llx". */
  name: string;
  /** The C conversion the consumer ultimately prints with ("s" for custom ones). */
  outConv: string;
  argClass: ArgClass;
  /** Text DTrace shows as "prototype:" in type errors. */
  prototype: string;
  print: PrintKind;
  /** For argClass 'exact': the required type's encoding. */
  exact?: { kind: 'int' | 'float'; size: number; signed: boolean };
}

const P_XINT = 'char, short, int, long, or long long';
const P_CSI = 'char, short, or int';
const P_FP = 'float, double, or long double';
const P_ADDR = 'pointer or integer';
const P_UADDR = 'pointer or integer (with -p/-c) or _usymaddr (without -p/-c)';
const P_CSTR = 'char [] or string (or use stringof)';
const P_WSTR = 'wchar_t []';

const SHORT = { kind: 'int', size: 2, signed: true } as const;
const USHORT = { kind: 'int', size: 2, signed: false } as const;
const INT = { kind: 'int', size: 4, signed: true } as const;
const LONG = { kind: 'int', size: 8, signed: true } as const;
const ULONG = { kind: 'int', size: 8, signed: false } as const;
const LDOUBLE = { kind: 'float', size: 16, signed: true } as const;

function spec(
  name: string, outConv: string, argClass: ArgClass, prototype: string, print: PrintKind,
  exact?: ConversionSpec['exact'],
): ConversionSpec {
  return exact ? { name, outConv, argClass, prototype, print, exact } : { name, outConv, argClass, prototype, print };
}

/** DTrace's conversion dictionary (the set printf(3C) offers plus extensions). */
export const CONVERSIONS: ReadonlyMap<string, ConversionSpec> = new Map([
  spec('a', 's', 'symbol', P_ADDR, 'addr'),
  spec('A', 's', 'usymbol', P_UADDR, 'uaddr'),
  spec('c', 'c', 'csi', P_CSI, 'sint'),
  spec('C', 's', 'csi', P_CSI, 'echr'),
  spec('d', 'd', 'integer', P_XINT, 'dint'),
  spec('e', 'e', 'float', P_FP, 'fp'),
  spec('E', 'E', 'float', P_FP, 'fp'),
  spec('f', 'f', 'float', P_FP, 'fp'),
  spec('g', 'g', 'float', P_FP, 'fp'),
  spec('G', 'G', 'float', P_FP, 'fp'),
  spec('hd', 'd', 'exact', 'short', 'sint', SHORT),
  spec('hi', 'i', 'exact', 'short', 'sint', SHORT),
  spec('ho', 'o', 'exact', 'unsigned short', 'uint', USHORT),
  spec('hu', 'u', 'exact', 'unsigned short', 'uint', USHORT),
  spec('hx', 'x', 'xshort', 'short', 'uint'),
  spec('hX', 'X', 'xshort', 'short', 'uint'),
  spec('i', 'i', 'integer', P_XINT, 'dint'),
  spec('k', 's', 'stack', 'stack', 'stack'),
  spec('lc', 'lc', 'exact', 'int', 'sint', INT),
  spec('ld', 'd', 'exact', 'long', 'sint', LONG),
  spec('li', 'i', 'exact', 'long', 'sint', LONG),
  spec('lo', 'o', 'exact', 'unsigned long', 'uint', ULONG),
  spec('lu', 'u', 'exact', 'unsigned long', 'uint', ULONG),
  spec('ls', 'ls', 'wstring', P_WSTR, 'wstr'),
  spec('lx', 'x', 'xlong', 'long', 'uint'),
  spec('lX', 'X', 'xlong', 'long', 'uint'),
  spec('lld', 'd', 'exact', 'long long', 'sint', LONG),
  spec('lli', 'i', 'exact', 'long long', 'sint', LONG),
  spec('llo', 'o', 'exact', 'unsigned long long', 'uint', ULONG),
  spec('llu', 'u', 'exact', 'unsigned long long', 'uint', ULONG),
  spec('llx', 'x', 'xlonglong', 'long long', 'uint'),
  spec('llX', 'X', 'xlonglong', 'long long', 'uint'),
  spec('Le', 'e', 'exact', 'long double', 'fp', LDOUBLE),
  spec('LE', 'E', 'exact', 'long double', 'fp', LDOUBLE),
  spec('Lf', 'f', 'exact', 'long double', 'fp', LDOUBLE),
  spec('Lg', 'g', 'exact', 'long double', 'fp', LDOUBLE),
  spec('LG', 'G', 'exact', 'long double', 'fp', LDOUBLE),
  spec('o', 'o', 'integer', P_XINT, 'uint'),
  spec('p', 'x', 'pointer', P_ADDR, 'uint'),
  spec('s', 's', 'string', P_CSTR, 'cstr'),
  spec('S', 's', 'string', P_CSTR, 'estr'),
  spec('T', 's', 'time', 'int64_t', 'time822'),
  spec('u', 'u', 'integer', P_XINT, 'uint'),
  spec('wc', 'wc', 'exact', 'int', 'sint', INT),
  spec('ws', 'ws', 'wstring', P_WSTR, 'wstr'),
  spec('x', 'x', 'integer', P_XINT, 'uint'),
  spec('X', 'X', 'integer', P_XINT, 'uint'),
  spec('Y', 's', 'time', 'int64_t', 'time'),
  spec('%', '%', 'none', 'void', 'pct'),
].map((s) => [s.name, s]));

export type LengthMod = '' | 'h' | 'l' | 'll' | 'L' | 'w';

/** One parsed conversion. */
export interface Conversion {
  kind: 'conversion';
  /** 1-based conversion number, as DTrace counts them in messages (%% included). */
  index: number;
  /** The conversion as written, e.g. "%-8d". */
  text: string;
  /** Effective flags in DTrace's canonical order "#0-+' " ('0'/'-' resolved). */
  flags: string;
  alt: boolean;
  zeroPad: boolean;
  left: boolean;
  plus: boolean;
  space: boolean;
  group: boolean;
  /** '@': the value comes from the aggregation (printa only). */
  agg: boolean;
  /** Field width; '*' when taken from an argument; '?' gives 16. */
  width?: number | '*';
  /** Precision; '*' when taken from an argument. */
  precision?: number | '*';
  lengthMod: LengthMod;
  /** Conversion letter, e.g. 'd', 's', 'Y', '%'. */
  conv: string;
  /** DTrace's dictionary name: lengthMod + conv, e.g. "llx". */
  name: string;
  spec: ConversionSpec;
  /** How many printf arguments this conversion consumes. */
  consumes: number;
}

export interface Literal {
  kind: 'literal';
  text: string;
}

export type FormatPiece = Literal | Conversion;

export interface ParsedFormat {
  /** The format string as given. */
  format: string;
  /** Literal text and conversions in order (empty literals omitted). */
  pieces: FormatPiece[];
  /** Just the conversions, in order. */
  conversions: Conversion[];
  /** Set when the format is invalid; pieces then hold what parsed before it. */
  error?: PrintfDiagnostic;
}

const FLAG_ORDER = "#0-+' ";

/**
 * Parse a D format string the way dt_printf_create() does.  The input is the
 * string's value (escape sequences already processed by the lexer).
 */
export function parseFormat(format: string): ParsedFormat {
  // Like any C string, the format ends at its first NUL byte.
  const nul = format.indexOf('\0');
  const fmt = nul >= 0 ? format.slice(0, nul) : format;
  const pieces: FormatPiece[] = [];
  const conversions: Conversion[] = [];
  const result = (error?: PrintfDiagnostic): ParsedFormat =>
    error ? { format, pieces, conversions, error } : { format, pieces, conversions };
  let q = 0;
  let count = 0;
  for (let p = fmt.indexOf('%', q); p !== -1; p = fmt.indexOf('%', q)) {
    count++;
    if (p > q) pieces.push({ kind: 'literal', text: fmt.slice(q, p) });
    const start = p;
    let alt = false, zero = false, left = false, plus = false, space = false;
    let group = false, agg = false, dynWidth = false, dynPrec = false;
    let width: number | undefined;
    let precision: number | undefined;
    let dot = false;
    let digits = 0;
    let mods = '';
    let name = '';
    const syntax = (msg: string): ParsedFormat =>
      result({ tag: 'D_SYNTAX', message: `format conversion #${count} ${msg}` });

    for (;;) {
      p++;
      const c = p < fmt.length ? fmt[p] : '';
      if (c >= '0' && c <= '9') {
        // A '0' before any width digits is the zero-pad flag, and cancels '-'.
        if (!dot && digits === 0 && c === '0') {
          zero = true;
          left = false;
          continue;
        }
        let n = 0;
        while (p < fmt.length && fmt[p] >= '0' && fmt[p] <= '9') {
          n = (n * 10 + fmt.charCodeAt(p) - 48) | 0;
          p++;
        }
        p--;
        if (dot) precision = n;
        else width = n;
        digits++;
        continue;
      }
      if (c === '#') { alt = true; continue; }
      if (c === '*') {
        if (dot ? dynPrec : dynWidth) {
          return syntax(`has more than one '*' specified for the output ${dot ? 'precision' : 'width'}`);
        }
        if (dot) dynPrec = true;
        else dynWidth = true;
        continue;
      }
      if (c === '+') { plus = true; continue; }
      if (c === '-') { left = true; zero = false; continue; }
      if (c === '.') {
        if (dot) return syntax("has more than one '.' specified");
        dot = true;
        digits = 0;
        continue;
      }
      // '?' is a field as wide as a pointer (LP64 only here).
      if (c === '?') { width = 16; continue; }
      if (c === '@') { agg = true; continue; }
      if (c === "'") { group = true; continue; }
      if (c === ' ') { space = true; continue; }
      if (c === '$') return syntax('uses unsupported positional format (%n$)');
      if (c === '%' && fmt[p - 1] !== '%') {
        return syntax('cannot be combined with other format flags: %%');
      }
      if (c === '') {
        return syntax('name expected before end of format string');
      }
      if (c === 'h' || c === 'l' || c === 'L' || c === 'w') {
        // DTrace keeps at most six modifier characters and drops the rest.
        if (mods.length < 6) mods += c;
        continue;
      }
      name = mods + c;
      break;
    }

    const cspec = CONVERSIONS.get(name);
    if (cspec === undefined) return syntax(`is undefined: %${name}`);
    let flags = '';
    const on: Record<string, boolean> = { '#': alt, '0': zero, '-': left, '+': plus, "'": group, ' ': space };
    for (const f of FLAG_ORDER) if (on[f]) flags += f;
    const conv: Conversion = {
      kind: 'conversion',
      index: count,
      text: fmt.slice(start, p + 1),
      flags,
      alt, zeroPad: zero, left, plus, space, group, agg,
      lengthMod: mods as LengthMod,
      conv: name.slice(mods.length),
      name,
      spec: cspec,
      consumes: cspec.print === 'pct' ? 0 : (dynWidth ? 1 : 0) + (dynPrec ? 1 : 0) + (agg ? 0 : 1),
    };
    if (dynWidth) conv.width = '*';
    else if (width !== undefined) conv.width = width;
    if (dynPrec) conv.precision = '*';
    else if (precision !== undefined) conv.precision = precision;
    pieces.push(conv);
    conversions.push(conv);
    q = p + 1;
  }
  if (q < fmt.length) pieces.push({ kind: 'literal', text: fmt.slice(q) });
  return result();
}

/** The minimal description of a D type that argument checking needs. */
export interface ArgTypeInfo {
  kind:
    | 'int' | 'enum' | 'float' | 'string' | 'pointer' | 'array' | 'struct'
    | 'union' | 'function' | 'void' | 'stack' | 'symaddr' | 'usymaddr' | 'other';
  /** The type name as DTrace prints it: "int", "string", "char *", "uint64_t". */
  name: string;
  /** Size in bytes (integers, floats). */
  size?: number;
  /** Signedness (integers). */
  signed?: boolean;
  /** The name after resolving typedefs, e.g. "unsigned long" for uint64_t. */
  baseName?: string;
  /** Typedef names traversed while resolving, outermost first. */
  typedefs?: string[];
  /** Element type, for arrays. */
  element?: ArgTypeInfo;
}

export interface CheckOptions {
  /**
   * Number of arguments before the first value argument (the format itself
   * counts): argument numbers in messages are offset by it.  Default 1.
   */
  argOffset?: number;
  /** The call is printa(): '@' conversions are allowed. */
  aggregation?: boolean;
  /** For printa(): the aggregating function is count() (value is unsigned). */
  aggIsCount?: boolean;
  /** Extra arguments are an error (printf, not printa).  Default true. */
  exactLength?: boolean;
  /** $target is defined (-p or -c given): %A accepts pointers and integers. */
  targetDefined?: boolean;
}

// sym( ) and usym( ) values (_symaddr, _usymaddr) are not integers to
// printf: only %a and %A (for _usymaddr) take them, as in DTrace.
const isInteger = (t: ArgTypeInfo): boolean => t.kind === 'int' || t.kind === 'enum';
const isPointer = (t: ArgTypeInfo): boolean => t.kind === 'pointer' || t.kind === 'array';
const sizeOf = (t: ArgTypeInfo): number => t.size ?? (t.kind === 'enum' ? 4 : 8);
const baseName = (t: ArgTypeInfo): string => t.baseName ?? t.name;

/** Does `t` satisfy the conversion's argument class? (DTrace's pfcheck_*.) */
export function argMatches(cspec: ConversionSpec, t: ArgTypeInfo, opts: CheckOptions = {}): boolean {
  switch (cspec.argClass) {
    case 'none': return true;
    case 'integer': return isInteger(t);
    case 'csi': return isInteger(t) && sizeOf(t) <= 4;
    case 'float': return t.kind === 'float';
    case 'string': {
      if (t.kind === 'string') return true;
      const e = t.element;
      return t.kind === 'array' && e !== undefined && e.kind === 'int' && sizeOf(e) === 1 && e.signed !== false;
    }
    case 'wstring': {
      const e = t.element;
      return t.kind === 'array' && e !== undefined && e.kind === 'int' && sizeOf(e) === 4;
    }
    case 'pointer': return isPointer(t) || isInteger(t);
    case 'symbol': return isPointer(t) || isInteger(t) || t.kind === 'symaddr';
    case 'usymbol':
      if (t.kind === 'usymaddr') return true;
      return opts.targetDefined === true && (isPointer(t) || isInteger(t));
    case 'stack': return t.kind === 'stack';
    case 'time': return isInteger(t) && sizeOf(t) === 8;
    case 'exact': {
      const x = cspec.exact;
      if (x === undefined) return false;
      // Compatibility is by encoding (kind, size, signedness), as ctf_type_compat.
      const kind = t.kind === 'enum' ? 'int' : t.kind;
      if (kind !== x.kind || sizeOf(t) !== x.size) return false;
      return x.kind === 'float' || (t.signed ?? true) === x.signed;
    }
    case 'xshort':
      return ['short', 'signed short', 'unsigned short'].includes(baseName(t));
    case 'xlong':
      return ['long', 'signed long', 'unsigned long'].includes(baseName(t));
    case 'xlonglong':
      if (['long long', 'signed long long', 'unsigned long long'].includes(baseName(t))) return true;
      // [u]int64_t (or a typedef of them) works with %llx in every data model.
      return [t.name, ...(t.typedefs ?? [])].some((n) => n === 'int64_t' || n === 'uint64_t');
  }
}

/**
 * Check printf-family arguments against a parsed format, as
 * dt_printf_validate() does.  `args` are the value arguments only (not the
 * format).  DTrace stops at the first problem, so at most one diagnostic is
 * returned.
 */
export function checkPrintfArgs(
  parsed: ParsedFormat,
  args: readonly ArgTypeInfo[],
  funcName: string,
  opts: CheckOptions = {},
): PrintfDiagnostic[] {
  if (parsed.error) return [parsed.error];
  const foff = opts.argOffset ?? 1;
  if (parsed.format === '') {
    return [{ tag: 'D_PRINTF_FMT_EMPTY', message: `${funcName}( ) format string is empty` }];
  }
  const aggType: ArgTypeInfo = opts.aggIsCount
    ? { kind: 'int', name: 'uint64_t', size: 8, signed: false, baseName: 'unsigned long' }
    : { kind: 'int', name: 'int64_t', size: 8, signed: true, baseName: 'long' };
  let j = 0;
  for (const c of parsed.conversions) {
    if (c.spec.print === 'pct') continue;
    // The width argument comes before the precision argument.
    const dyns: string[] = [];
    if (c.width === '*') dyns.push('*');
    if (c.precision === '*') dyns.push('.*');
    for (const d of dyns) {
      const a = args[j];
      if (a === undefined) {
        return [{
          tag: 'D_PRINTF_DYN_PROTO',
          message: `${funcName}( ) prototype mismatch: conversion #${c.index} (%${c.name}) ` +
            `is missing a corresponding "${d}" argument`,
        }];
      }
      if (!isInteger(a)) {
        return [{
          tag: 'D_PRINTF_DYN_TYPE',
          message: `${funcName}( ) argument #${j + foff + 1} is incompatible with conversion ` +
            `#${c.index} prototype:\n\tconversion: % ${d} ${c.name}\n\t prototype: int\n\t  argument: ${a.name}`,
          argIndex: j + foff + 1,
        }];
      }
      j++;
    }
    let vname: string;
    let vtype: ArgTypeInfo;
    let argIndex: number | undefined;
    if (c.agg) {
      if (!opts.aggregation) {
        return [{
          tag: 'D_PRINTF_AGG_CONV',
          message: `%@ conversion requires an aggregation and is not for use with ${funcName}( )`,
        }];
      }
      vname = 'aggregating action';
      vtype = aggType;
    } else {
      const a = args[j];
      if (a === undefined) {
        return [{
          tag: 'D_PRINTF_ARG_PROTO',
          message: `${funcName}( ) prototype mismatch: conversion #${c.index} (%${c.name}) ` +
            'is missing a corresponding value argument',
        }];
      }
      argIndex = j + foff + 1;
      vname = `argument #${argIndex}`;
      vtype = a;
      j++;
    }
    if (!argMatches(c.spec, vtype, opts)) {
      const d: PrintfDiagnostic = {
        tag: 'D_PRINTF_ARG_TYPE',
        message: `${funcName}( ) ${vname} is incompatible with conversion #${c.index} prototype:\n` +
          `\tconversion: %${c.name}\n\t prototype: ${c.spec.prototype}\n\t  argument: ${vtype.name}`,
      };
      if (argIndex !== undefined) d.argIndex = argIndex;
      return [d];
    }
  }
  if ((opts.exactLength ?? true) && j < args.length) {
    return [{
      tag: 'D_PRINTF_ARG_EXTRA',
      message: `${funcName}( ) prototype mismatch: only ${j} arguments required by this format string`,
      argIndex: j + foff + 1,
    }];
  }
  return [];
}
