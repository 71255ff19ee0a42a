// DTrace's options in one table: their kinds, defaults and where they may be
// set (-x on the command line, `#pragma D option` in a script). The compiler
// reads compile-time options (strsize, quiet...), the session the run-time
// ones (bufsize, switchrate...). Values are kept in DTrace's units: sizes in
// bytes, rates in nanoseconds between events.

/** How an option's value is written and parsed. */
export type OptionKind = 'bool' | 'size' | 'rate' | 'count' | 'string' | 'enum' | 'version';

export interface OptionDef {
  readonly kind: OptionKind;
  /** The value when unset; undefined means "unset". */
  readonly def?: number | string | boolean;
  /** False for options DTrace refuses inside a D program (#pragma D option). */
  readonly inProgram?: boolean;
  readonly values?: readonly string[];
  /** Largest value a count accepts. */
  readonly max?: number;
}

const NS_PER_S = 1_000_000_000;

/** OPTIONS is the table of options dtrace accepts. */
export const OPTIONS: Readonly<Record<string, OptionDef>> = {
  aggpercpu: { kind: 'bool', def: false },
  argref: { kind: 'bool', def: false },
  aggrate: { kind: 'rate', def: NS_PER_S },
  aggsize: { kind: 'size', def: 4 << 20 },
  aggsortkey: { kind: 'bool', def: false },
  aggsortkeypos: { kind: 'count', def: 0 },
  aggsortpos: { kind: 'count', def: 0 },
  aggsortrev: { kind: 'bool', def: false },
  bufpolicy: { kind: 'enum', def: 'switch', values: ['switch', 'fill', 'ring'] },
  bufresize: { kind: 'enum', def: 'auto', values: ['auto', 'manual'] },
  bufsize: { kind: 'size', def: 4 << 20 },
  cleanrate: { kind: 'rate', def: NS_PER_S / 101 },
  cpu: { kind: 'count' },
  cpp: { kind: 'bool', def: false, inProgram: false },
  cpphdrs: { kind: 'bool', def: false, inProgram: false },
  cpppath: { kind: 'string', inProgram: false },
  ctypes: { kind: 'string', inProgram: false },
  defaultargs: { kind: 'bool', def: false },
  define: { kind: 'string', inProgram: false },
  destructive: { kind: 'bool', def: false },
  droptags: { kind: 'bool', def: false },
  dtypes: { kind: 'string', inProgram: false },
  dynvarsize: { kind: 'size', def: 1 << 20 },
  empty: { kind: 'bool', def: false },
  errtags: { kind: 'bool', def: false, inProgram: false },
  evaltime: { kind: 'enum', values: ['exec', 'preinit', 'postinit', 'main'], inProgram: false },
  flowindent: { kind: 'bool', def: false },
  grabanon: { kind: 'bool', def: false },
  incdir: { kind: 'string', inProgram: false },
  iregs: { kind: 'count', max: 8 },
  jstackframes: { kind: 'count', def: 50 },
  jstackstrsize: { kind: 'size', def: 512 },
  lazyload: { kind: 'bool', def: false, inProgram: false },
  ldpath: { kind: 'string', inProgram: false },
  libdir: { kind: 'string', inProgram: false },
  linkmode: { kind: 'enum', values: ['kernel', 'dynamic', 'static'], inProgram: false },
  linktype: { kind: 'enum', values: ['elf', 'dof'], inProgram: false },
  maxframes: { kind: 'count', def: 127 },
  modpath: { kind: 'string', inProgram: false },
  nolibs: { kind: 'bool', def: false, inProgram: false },
  nspec: { kind: 'count', def: 1 },
  pcapsize: { kind: 'size', def: 0 },
  printsize: { kind: 'size', def: 8192 },
  pspec: { kind: 'bool', def: false },
  quiet: { kind: 'bool', def: false },
  rawbytes: { kind: 'bool', def: false },
  scratchsize: { kind: 'size', def: 256 },
  specsize: { kind: 'size', def: 4 << 20 },
  stackframes: { kind: 'count', def: 20 },
  stackindent: { kind: 'count', def: 14 },
  statusrate: { kind: 'rate', def: NS_PER_S },
  stdc: { kind: 'enum', values: ['a', 'c', 's', 't'], inProgram: false },
  strsize: { kind: 'size', def: 256 },
  switchrate: { kind: 'rate', def: NS_PER_S },
  syslibdir: { kind: 'string', inProgram: false },
  tree: { kind: 'count', inProgram: false },
  tregs: { kind: 'count', inProgram: false },
  undef: { kind: 'string', inProgram: false },
  ustackframes: { kind: 'count', def: 100 },
  verbose: { kind: 'bool', def: false, inProgram: false },
  version: { kind: 'version', inProgram: false },
  zdefs: { kind: 'bool', def: false, inProgram: false },
};

/** Why setting an option failed, in DTrace's words (dt_errtab). */
export type OptionError = 'Invalid option name' | 'Invalid value for specified option' | 'Option cannot be used from within a D program' | 'Requested version is not supported by compiler';

export type OptionValue = number | string | boolean;

/** Options holds the values set so far; unset options read as their defaults. */
export class Options {
  private readonly values = new Map<string, OptionValue>();

  /** set parses and stores `name[=value]`; returns an error message or undefined. */
  set(name: string, value: string | undefined, fromProgram: boolean): OptionError | undefined {
    const def = OPTIONS[name];
    if (def === undefined) return 'Invalid option name';
    if (fromProgram && def.inProgram === false) return 'Option cannot be used from within a D program';
    const parsed = parseOptionValue(def, value);
    if (parsed === undefined) {
      return def.kind === 'version' ? 'Requested version is not supported by compiler' : 'Invalid value for specified option';
    }
    this.values.set(name, parsed);
    return undefined;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  bool(name: string): boolean {
    return Boolean(this.values.get(name) ?? OPTIONS[name]?.def ?? false);
  }

  num(name: string): number {
    const v = this.values.get(name) ?? OPTIONS[name]?.def;
    return typeof v === 'number' ? v : 0;
  }

  str(name: string): string | undefined {
    const v = this.values.get(name) ?? OPTIONS[name]?.def;
    return typeof v === 'string' ? v : undefined;
  }
}

const SIZE_SUFFIX: Record<string, number> = { '': 1, k: 1 << 10, m: 1 << 20, g: 1 << 30, t: 2 ** 40 };
const RATE_SUFFIX: Record<string, number> = {
  '': 1, hz: NS_PER_S, ns: 1, nsec: 1, us: 1e3, usec: 1e3, ms: 1e6, msec: 1e6,
  s: NS_PER_S, sec: NS_PER_S, m: 60 * NS_PER_S, min: 60 * NS_PER_S, h: 3600 * NS_PER_S, hour: 3600 * NS_PER_S,
  d: 86400 * NS_PER_S, day: 86400 * NS_PER_S,
};

function parseOptionValue(def: OptionDef, value: string | undefined): OptionValue | undefined {
  switch (def.kind) {
    case 'bool': {
      // dtrace-utils accepts these words (any case) for boolean options.
      if (value === undefined || value === '') return true;
      const w = value.toLowerCase();
      if (['yes', 'on', 'true', 'enable', 'enabled', 'set'].includes(w)) return true;
      if (['no', 'off', 'false', 'disable', 'disabled', 'unset'].includes(w)) return false;
      return undefined;
    }
    case 'size': {
      const m = /^(\d+)([kmgt]?)$/i.exec(value ?? '');
      if (!m) return undefined;
      const n = Number(m[1]) * (SIZE_SUFFIX[m[2].toLowerCase()] ?? 1);
      return Number.isSafeInteger(n) ? n : undefined;
    }
    case 'rate': {
      const m = /^(\d+)([a-z]*)$/i.exec(value ?? '');
      if (!m) return undefined;
      const suffix = m[2].toLowerCase();
      const n = Number(m[1]);
      if (!(suffix in RATE_SUFFIX)) return undefined;
      // "hz" is a frequency; a bare number is nanoseconds (dt_opt_rate), and 0 is allowed.
      if (suffix === 'hz') return n === 0 ? 0 : Math.max(1, Math.round(NS_PER_S / n));
      return n * RATE_SUFFIX[suffix];
    }
    case 'count': {
      if (!/^\d+$/.test(value ?? '')) return undefined;
      const n = Number(value);
      return Number.isSafeInteger(n) && n <= (def.max ?? 0xffffffff) ? n : undefined;
    }
    case 'enum':
      return value !== undefined && def.values?.includes(value) ? value : undefined;
    case 'version':
      return value !== undefined && /^\d+(\.\d+){0,2}$/.test(value) && versionSupported(value) ? value : undefined;
    case 'string':
      return value ?? '';
  }
}

/** D language versions this compiler accepts for `-x version=`. */
function versionSupported(v: string): boolean {
  const [maj, min = '0', mic = '0'] = v.split('.');
  const n = Number(maj) * 1_000_000 + Number(min) * 1000 + Number(mic);
  return n >= 1_000_000 && n <= 2_000_000;
}
