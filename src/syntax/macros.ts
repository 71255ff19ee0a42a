// Macro references in D source: `$1`..`$N` (script arguments) and `$pid`-style
// macro variables, and their `$$` string forms. DTrace substitutes them in the
// lexer, turning `$N` into an integer, an identifier or a string token
// depending on what the argument looks like (dt_lex.l, strbadidnum).

import { CompileError } from '../diag/diagnostic.js';
import type { Pos } from '../diag/diagnostic.js';
import { cString, decodeEscapes, strtoull } from './literals.js';

/** MacroOptions are the values `$N` and `$name` stand for. */
export interface MacroOptions {
  /** args[0] is `$0` (the script name), args[1] is `$1`, ... */
  readonly args: readonly string[];
  /** Macro variables without `$`: pid, ppid, uid, gid, target, egid, euid, sid, pgid, projid, taskid. */
  readonly vars: Readonly<Record<string, string>>;
}

/** What a macro reference turns into. */
export type MacroValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: bigint; readonly suffix: string; readonly base: 8 | 10 | 16; readonly sign?: '+' | '-' }
  | { readonly kind: 'ident'; readonly name: string };

/** isIdentOrInt is strbadidnum's test: a whole integer, or only [A-Za-z0-9_`]. */
function isIdentOrInt(v: string): boolean {
  if (v === '') return false;
  const sign = v[0] === '+' || v[0] === '-' ? 1 : 0;
  const n = strtoull(v, sign);
  if (n.end === v.length && n.end > sign && !n.overflow) return true;
  return /^[A-Za-z0-9_`]+$/.test(v);
}

/** argValue reads the text of argument `text` (`$3`) the way `$N` substitutes it. */
function argValue(text: string, v: string, pos: Pos): MacroValue {
  if (!isIdentOrInt(v)) {
    const unquoted = v.length !== 1 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
    return { kind: 'string', value: cString(decodeEscapes(unquoted)) };
  }
  const first = v[0] as string;
  if (/[0-9+-]/.test(first)) {
    const sign = first === '+' || first === '-' ? first : undefined;
    const digits = sign === undefined ? v : v.slice(1);
    const n = strtoull(digits);
    if (n.overflow) {
      throw new CompileError(
        'D_MACRO_OFLOW',
        `macro argument ${text} constant ${digits} results in integer overflow`,
        pos,
      );
    }
    const base = digits[0] !== '0' ? 10 : n.base;
    return { kind: 'int', value: n.value, suffix: digits.slice(n.end).toLowerCase(), base, sign };
  }
  return { kind: 'ident', name: v };
}

/** MacroTable resolves macro references and remembers which arguments were used. */
export class MacroTable {
  /** Argument indexes that were referenced (for D_MACRO_UNUSED). */
  readonly used = new Set<number>();

  constructor(
    private readonly opts: MacroOptions,
    /** DTRACE_C_DEFARG: undefined arguments read as 0 or "" instead of failing. */
    public defaultArgs: boolean,
  ) {}

  get argc(): number {
    return this.opts.args.length;
  }

  private arg(index: number, text: string, pos: Pos): string | undefined {
    if (index >= this.opts.args.length) {
      if (!this.defaultArgs) {
        throw new CompileError('D_MACRO_UNDEF', `macro argument ${text} is not defined`, pos);
      }
      return undefined;
    }
    this.used.add(index);
    return this.opts.args[index];
  }

  private variable(name: string, text: string, pos: Pos): string {
    const v = Object.prototype.hasOwnProperty.call(this.opts.vars, name) ? this.opts.vars[name] : undefined;
    if (v === undefined) throw new CompileError('D_MACRO_UNDEF', `macro variable ${text} is not defined`, pos);
    return v;
  }

  /** `$N`: an integer, identifier or string token; "0" when defaulted. */
  argument(index: number, text: string, pos: Pos): MacroValue {
    return argValue(text, this.arg(index, text, pos) ?? '0', pos);
  }

  /** `$$N`: always the argument's text as a string. */
  argumentString(index: number, text: string, pos: Pos): MacroValue {
    return { kind: 'string', value: cString(decodeEscapes(this.arg(index, text, pos) ?? '')) };
  }

  /** `$name`: the variable's value as an int (DTrace casts it through int). */
  variableInt(name: string, text: string, pos: Pos): MacroValue {
    const v = this.variable(name, text, pos);
    const n = /^-?[0-9]+$/.test(v) ? BigInt(v) : 0n;
    return { kind: 'int', value: BigInt.asUintN(64, BigInt.asIntN(32, n)), suffix: '', base: 10 };
  }

  /** `$$name`: the variable's value as a string. */
  variableString(name: string, text: string, pos: Pos): MacroValue {
    return { kind: 'string', value: this.variable(name, text, pos) };
  }

  /** probeArg substitutes `$N`/`$name` inside a probe description field (dtrace_xstr2desc). */
  probeArg(ref: string): string | undefined {
    if (/^[0-9]+$/.test(ref)) {
      const i = Number(ref);
      if (i >= this.opts.args.length) return undefined;
      this.used.add(i);
      return this.opts.args[i];
    }
    const v = Object.prototype.hasOwnProperty.call(this.opts.vars, ref) ? this.opts.vars[ref] : undefined;
    return v === undefined ? undefined : String(BigInt.asIntN(32, /^-?[0-9]+$/.test(v) ? BigInt(v) : 0n));
  }
}
