// DTrace's options in one table: how each value is parsed (as libdtrace's
// dt_options.c parses it, with its errors), when it may be set (-x on the
// command line, `#pragma D option` in a program, setopt() while tracing),
// and whether this implementation builds it. The compiler reads
// compile-time options (strsize, quiet...), the session and the consumer
// the run-time ones (bufsize, switchrate...). Values are kept in DTrace's
// units: sizes in bytes, rates in nanoseconds between events.
// docs/options.md lists every option with what it does here.

/**
 * How an option's value is parsed, after the dt_opt_* function DTrace uses:
 * - flag: no value allowed (compiler flags such as zdefs, cpp, errtags);
 * - runtime: yes/no words or a non-negative integer, empty unsets it
 *   (quiet, flowindent, stackframes, nspec...);
 * - size: an integer with an optional k/m/g/t suffix; rate: an integer with
 *   a time suffix (ns...day, a bare number is nanoseconds) or hz;
 * - enum: one of `values`; path: any string, required;
 * - atoi: C's atoi() of the value, at least `min` (tree, tregs, pgmax...);
 * - version: a D version DTrace defines; any: whatever is given.
 */
export type OptionKind = 'flag' | 'runtime' | 'size' | 'rate' | 'enum' | 'path' | 'atoi' | 'version' | 'any';

/** When an option may change: compile-time options anywhere, run-time ones before tracing starts, dynamic ones also while tracing. */
export type OptionScope = 'compile' | 'runtime' | 'dynamic';

export interface OptionDef {
  readonly kind: OptionKind;
  readonly scope: OptionScope;
  /** The value when unset; undefined means "unset". */
  readonly def?: number | string;
  /** False for options DTrace refuses inside a D program (#pragma D option): "Option cannot be used from within a D program". */
  readonly inProgram?: boolean;
  /** enum: the accepted words; caseless: compared ignoring case. */
  readonly values?: readonly string[];
  readonly caseless?: boolean;
  /** atoi: the smallest accepted value. */
  readonly min?: number;
  /** runtime and atoi: the largest accepted value. */
  readonly max?: number;
  /**
   * 'refused': not built here, setting it is an error (DTrace's option does
   * something this implementation does not do yet); 'no-effect': accepted
   * and checked, but meaningless here (docs/options.md says why).
   */
  readonly support?: 'refused' | 'no-effect';
}

const NS_PER_S = 1_000_000_000;

/** Definitions by shape, so the table reads as DTrace's three tables do. */
const flag = (scope: OptionScope = 'compile', more: Partial<OptionDef> = {}): OptionDef => ({ kind: 'flag', scope, ...more });
const runtime = (scope: OptionScope, more: Partial<OptionDef> = {}): OptionDef => ({ kind: 'runtime', scope, ...more });
const size = (scope: OptionScope, def?: number, more: Partial<OptionDef> = {}): OptionDef => ({ kind: 'size', scope, def, ...more });
const rate = (scope: OptionScope, def: number, more: Partial<OptionDef> = {}): OptionDef => ({ kind: 'rate', scope, def, ...more });
const path = (more: Partial<OptionDef> = {}): OptionDef => ({ kind: 'path', scope: 'compile', ...more });
const choice = (values: string[], scope: OptionScope = 'compile', more: Partial<OptionDef> = {}): OptionDef => ({ kind: 'enum', scope, values, ...more });
const atoi = (min: number, more: Partial<OptionDef> = {}): OptionDef => ({ kind: 'atoi', scope: 'compile', min, ...more });
const NOT_IN_PROGRAM = { inProgram: false } as const;
const REFUSED = { support: 'refused' } as const;
const NO_EFFECT = { support: 'no-effect' } as const;

/** OPTIONS is the table of options dtrace accepts (dtrace-utils' list). */
export const OPTIONS: Readonly<Record<string, OptionDef>> = {
  // Compile-time options.
  aggpercpu: flag(),
  amin: { kind: 'any', scope: 'compile', ...REFUSED },
  argref: flag(),
  core: flag('compile', REFUSED),
  cpp: flag(),
  cppargs: path(NOT_IN_PROGRAM),
  cpphdrs: flag('compile', NOT_IN_PROGRAM),
  cpppath: path(NOT_IN_PROGRAM),
  ctfpath: path({ ...NOT_IN_PROGRAM, ...NO_EFFECT }),
  ctypes: path(REFUSED),
  debug: flag('compile', REFUSED),
  debugassert: choice(['mutexes'], 'compile', REFUSED),
  defaultargs: flag(),
  define: path(NOT_IN_PROGRAM),
  disasm: atoi(0, REFUSED),
  dofstashpath: path(NO_EFFECT),
  droptags: { kind: 'any', scope: 'compile' },
  dtypes: path(REFUSED),
  empty: flag(),
  errtags: flag(),
  // Where a -c process waits for tracing matters to user-space probes only; a -c command here waits before exec.
  evaltime: choice(['exec', 'preinit', 'postinit', 'main'], 'compile', NO_EFFECT),
  incdir: path(NOT_IN_PROGRAM),
  iregs: atoi(1, { max: 8, ...NO_EFFECT }),
  // Symbols are always resolved while compiling: every one must be defined, as kdefs and udefs ask.
  kdefs: flag('compile', NO_EFFECT),
  knodefs: flag('compile', REFUSED),
  late: choice(['dynamic', 'static'], 'compile', REFUSED),
  lazyload: { kind: 'any', scope: 'compile', ...NO_EFFECT },
  ldpath: path({ ...NOT_IN_PROGRAM, ...NO_EFFECT }),
  libdir: path(),
  linkmode: choice(['kernel', 'dynamic', 'static'], 'compile', NO_EFFECT),
  linknommap: { kind: 'any', scope: 'compile', ...NO_EFFECT },
  linktype: choice(['elf', 'dof'], 'compile', { caseless: true, ...NO_EFFECT }),
  modpath: path({ ...NOT_IN_PROGRAM, ...NO_EFFECT }),
  nolibs: flag(),
  pgmax: atoi(0, NO_EFFECT),
  preallocate: { kind: 'size', scope: 'compile', ...NO_EFFECT },
  procfspath: path({ ...NOT_IN_PROGRAM, ...REFUSED }),
  pspec: flag(),
  stdc: choice(['a', 'c', 's', 't'], 'compile', NOT_IN_PROGRAM),
  strip: flag('compile', NO_EFFECT),
  syslibdir: path(),
  sysslice: path(NO_EFFECT),
  tree: atoi(1, REFUSED),
  tregs: atoi(1, NO_EFFECT),
  udefs: flag('compile', NO_EFFECT),
  undef: path(NOT_IN_PROGRAM),
  unodefs: flag('compile', REFUSED),
  useruid: atoi(0, REFUSED),
  verbose: flag(),
  version: { kind: 'version', scope: 'compile' },
  zdefs: flag(),
  // Run-time options: set before tracing starts.
  aggsize: size('runtime', 4 << 20),
  bpflog: runtime('runtime', REFUSED),
  bpflogsize: size('runtime', undefined, REFUSED),
  bufpolicy: choice(['ring', 'fill', 'switch'], 'runtime', { def: 'switch' }),
  bufresize: choice(['auto', 'manual'], 'runtime', { def: 'auto' }),
  bufsize: size('runtime', 4 << 20),
  cleanrate: rate('runtime', NS_PER_S / 101, NO_EFFECT),
  cpu: runtime('runtime', REFUSED),
  destructive: runtime('runtime'),
  dynvarsize: size('runtime', 1 << 20),
  grabanon: runtime('runtime', REFUSED),
  jstackframes: runtime('runtime', { def: 50 }),
  jstackstrsize: size('runtime', 512),
  // DTrace takes "unlimited" or a size, and ignores a size it cannot parse.
  lockmem: { kind: 'path', scope: 'runtime', ...NOT_IN_PROGRAM, ...NO_EFFECT },
  maxframes: runtime('runtime', { def: 127 }),
  noresolve: runtime('runtime'),
  nspec: runtime('runtime', { def: 1 }),
  pcapsize: size('runtime', 1514),
  scratchsize: size('runtime', 256),
  specsize: size('runtime', 4 << 20),
  stackframes: runtime('runtime', { def: 20 }),
  statusrate: rate('runtime', NS_PER_S),
  strsize: size('runtime', 256),
  ustackframes: runtime('runtime', { def: 100 }),
  // Dynamic run-time options: setopt() may change them while tracing.
  aggrate: rate('dynamic', NS_PER_S),
  aggsortkey: runtime('dynamic'),
  aggsortkeypos: runtime('dynamic', { def: 0 }),
  aggsortpos: runtime('dynamic', { def: 0 }),
  aggsortrev: runtime('dynamic'),
  flowindent: runtime('dynamic'),
  printsize: size('dynamic', 8192),
  quiet: runtime('dynamic'),
  quietresize: runtime('dynamic'),
  rawbytes: runtime('dynamic'),
  stackindent: runtime('dynamic', { def: 14 }),
  switchrate: rate('dynamic', NS_PER_S),
};

/** Why setting an option failed, in DTrace's words (dt_errtab), and ours for an option not built. */
export const OptionErrors = {
  name: 'Invalid option name',
  value: 'Invalid value for specified option',
  context: 'Option cannot be used from within a D program',
  active: 'Operation illegal when tracing is active',
  noreg: 'Insufficient registers to generate code',
  overflow: 'Value too large for defined data type',
  versionFormat: 'Version is not properly formatted or is too large',
  versionUndefined: 'Requested version is not supported by compiler',
  versionReduced: 'Requested version conflicts with earlier setting',
  refused: 'Option is not supported yet',
} as const;
export type OptionError = (typeof OptionErrors)[keyof typeof OptionErrors];

/** Where a setting comes from: the command line (or environment), a `#pragma D option`, or setopt() while tracing. */
export type OptionContext = 'cli' | 'program' | 'tracing';

/** UNSET is the value of a run-time option set to "no" (DTRACEOPT_UNSET). */
const UNSET = null;

export type OptionValue = number | string | null;

/**
 * D versions DTrace defines (dt_open.c's _dtrace_versions), as
 * DT_VERSION_NUMBER(major, minor, micro) = major << 24 | minor << 12 | micro.
 * The compiler's own version, 2.0.1, is newer than any a program may ask for.
 */
export const D_VERSIONS: readonly string[] = ['1.0', '1.1', '1.2', '1.2.1', '1.2.2', '1.3', '1.4', '1.4.1', '1.5', '1.6', '1.6.1', '1.6.2', '1.6.3', '1.6.4', '2.0'];
export const D_VERSION_LATEST = versionNumber('2.0.1')!;

/** versionNumber parses "M[.m[.u]]" as dt_version_str2num does; undefined when malformed or too large. */
export function versionNumber(s: string): number | undefined {
  const n = [0, 0, 0];
  let i = 0;
  for (const c of s) {
    if (c >= '0' && c <= '9') n[i] = n[i] * 10 + Number(c);
    else if (c !== '.' || i++ >= 2) return undefined;
    if (n[i] > 0xfff) return undefined;
  }
  if (n[0] > 0xff) return undefined;
  return n[0] * 2 ** 24 + n[1] * 2 ** 12 + n[2];
}

/** Options holds the values set so far; unset options read as their defaults. */
export class Options {
  private readonly values = new Map<string, OptionValue>();
  /** The D version programs are compiled for (the `version` option); names newer than it are hidden. */
  private vmax = D_VERSION_LATEST;

  /**
   * set parses and stores `name[=value]` (value undefined: the name
   * alone); returns DTrace's error message or undefined. `fromProgram`
   * is true for `#pragma D option` (the older boolean form of the context).
   */
  set(name: string, value: string | undefined, from: boolean | OptionContext): OptionError | undefined {
    const context: OptionContext = from === true ? 'program' : from === false ? 'cli' : from;
    const def = Object.hasOwn(OPTIONS, name) ? OPTIONS[name] : undefined;
    if (def === undefined) return OptionErrors.name;
    if (context === 'tracing' && def.scope === 'runtime') return OptionErrors.active;
    if (context === 'program' && def.inProgram === false) return OptionErrors.context;
    const parsed = parseOptionValue(name, def, value);
    if (typeof parsed === 'object' && parsed !== null) return parsed.error;
    if (def.support === 'refused') return OptionErrors.refused;
    if (def.kind === 'version') {
      const v = parsed as number;
      if (v > this.vmax) return OptionErrors.versionReduced;
      this.vmax = v;
      this.values.set(name, value ?? '');
      return undefined;
    }
    this.values.set(name, parsed);
    return undefined;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** bool tells whether an option is on: set to anything but "no" (DTrace tests options against DTRACEOPT_UNSET). */
  bool(name: string): boolean {
    const v = this.values.has(name) ? this.values.get(name) : OPTIONS[name]?.def;
    return v !== undefined && v !== UNSET;
  }

  num(name: string): number {
    const v = this.values.has(name) ? this.values.get(name) : OPTIONS[name]?.def;
    return typeof v === 'number' ? v : 0;
  }

  str(name: string): string | undefined {
    const v = this.values.get(name) ?? OPTIONS[name]?.def;
    return typeof v === 'string' ? v : undefined;
  }

  /** version is the D version programs are compiled for, as DT_VERSION_NUMBER. */
  version(): number {
    return this.vmax;
  }
}

type Parsed = OptionValue | { error: OptionError };

const bad = { error: OptionErrors.value } as const;

/** strtoull parses an unsigned integer as C's strtoull(s, &end, 0): optional blanks and sign, 0x hex, 0 octal; returns the value and where it stopped. */
export function strtoull(s: string): { value: bigint; end: number; negative: boolean } {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s);
  if (m === null) return { value: 0n, end: 0, negative: false };
  const digits = m[2];
  const value = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits.startsWith('0') ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  return { value, end: m[0].length, negative: m[1] === '-' && value !== 0n };
}

/** atoi is C's atoi(): leading blanks, a sign, digits up to the first non-digit; 0 when none. */
function atoiValue(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number(BigInt.asIntN(32, BigInt(m[1])));
}

const INT64_MAX = 2n ** 63n - 1n;

/** sizeValue parses a size as dt_optval_parse: one k/m/g/t suffix (any case) right after the number. */
export function sizeValue(s: string): number | undefined {
  const last = s.slice(-1).toLowerCase();
  const shift = { k: 10n, m: 20n, g: 30n, t: 40n }[last] ?? 0n;
  const r = strtoull(s);
  const end = shift > 0n ? s.length - 1 : s.length;
  if (r.end !== end || r.negative || r.value > 2n ** 64n - 1n) return undefined;
  // The product wraps at 64 bits as in C; a result past INT64_MAX is negative there, and refused.
  const v = BigInt.asUintN(64, r.value << shift);
  return v > INT64_MAX ? undefined : Number(v);
}

const RATE_SUFFIX: Readonly<Record<string, number>> = {
  ns: 1, nsec: 1, us: 1e3, usec: 1e3, ms: 1e6, msec: 1e6, s: NS_PER_S, sec: NS_PER_S,
  m: 60 * NS_PER_S, min: 60 * NS_PER_S, h: 3600 * NS_PER_S, hour: 3600 * NS_PER_S, d: 86400 * NS_PER_S, day: 86400 * NS_PER_S,
  hz: 0,
};

/** rateValue parses a time as dt_opt_rate: a number, then nothing (nanoseconds), a time unit, or hz (events per second). */
export function rateValue(s: string): number | undefined {
  const r = strtoull(s);
  const rest = s.slice(r.end).toLowerCase();
  if (r.negative || rest !== '' && !Object.hasOwn(RATE_SUFFIX, rest)) return undefined;
  const n = Number(r.value);
  if (rest === 'hz') return n === 0 ? 0 : Math.floor(NS_PER_S / n);
  return n * (rest === '' ? 1 : RATE_SUFFIX[rest]);
}

const YES = ['yes', 'enable', 'enabled', 'true', 'on', 'set'];
const NO = ['no', 'disable', 'disabled', 'false', 'off', 'unset'];

function parseOptionValue(name: string, def: OptionDef, value: string | undefined): Parsed {
  switch (def.kind) {
    case 'flag':
      return value === undefined ? 0 : bad;
    case 'any':
      return value ?? 0;
    case 'runtime': {
      if (value === undefined) return 0;
      if (value === '') return UNSET;
      const w = value.toLowerCase();
      if (YES.includes(w)) return 1;
      if (NO.includes(w)) return UNSET;
      const r = strtoull(value);
      if (r.end !== value.length || r.end === 0 || r.negative || r.value > INT64_MAX) return bad;
      const n = Number(r.value);
      return def.max !== undefined && n > def.max ? bad : n;
    }
    case 'size': {
      if (value === undefined && name === 'preallocate') return bad;
      const n = value === undefined || value === '' ? 0 : sizeValue(value);
      if (n === undefined) return bad;
      return sizeRule(name, n);
    }
    case 'rate': {
      const n = value === undefined ? 0 : rateValue(value);
      return n === undefined ? bad : n;
    }
    case 'enum': {
      if (value === undefined) return bad;
      const hit = def.values?.find((v) => def.caseless === true ? v.toLowerCase() === value.toLowerCase() : v === value);
      return hit ?? bad;
    }
    case 'path':
      return value === undefined ? bad : value;
    case 'atoi': {
      if (value === undefined) return bad;
      const n = atoiValue(value);
      if (n < (def.min ?? 0) || def.max !== undefined && n > def.max) return bad;
      // Only all of BPF's registers will do: fewer cannot generate code.
      if (name === 'iregs' && n < 8) return { error: OptionErrors.noreg };
      return n;
    }
    case 'version': {
      if (value === undefined) return bad;
      const v = versionNumber(value);
      if (v === undefined) return { error: OptionErrors.versionFormat };
      if (!D_VERSIONS.some((d) => versionNumber(d) === v)) return { error: OptionErrors.versionUndefined };
      return v;
    }
  }
}

/** sizeRule applies the extra checks and rounding some size options have (dt_opt_strsize, scratchsize, pcapsize, printsize). */
function sizeRule(name: string, n: number): Parsed {
  switch (name) {
    // A string must hold at least DTrace's two-byte NULL-string marker.
    case 'strsize': return n < 2 ? bad : n > 0xffffffff ? { error: OptionErrors.overflow } : n;
    // alloca() space: the size asked for and a word, rounded to words.
    case 'scratchsize': return n > 0 ? Math.ceil((n + 8) / 8) * 8 : n;
    case 'pcapsize': return Math.ceil((n <= 0 || n > 65535 ? 1514 : n) / 8) * 8;
    case 'printsize': return Math.ceil((n <= 0 || n > 65536 ? 8192 : n) / 8) * 8;
    default: return n;
  }
}
