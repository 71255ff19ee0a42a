// The checker's symbol tables for one program, filled in program order:
// variables of each scope, inlines, aggregations, the type environment and
// the translators. Shared by every clause checker of the program. `global`
// describes any global identifier the way DTrace's messages name its kind.

import type * as A from '../syntax/ast.js';
import { FUNCS } from './actions.js';
import { BUILTIN_VARS, FAULT_CONSTANTS } from '../library/vars.js';
import type { Aggregation, VarScope, Variable } from './ir.js';
import type { Options } from './options.js';
import type { TypeResolver } from './typenames.js';
import type { Translators } from './translators.js';
import { T, type Type } from './types.js';

/** InlineParam is one parameter of an associative-array inline (`inline int f[int x] = ...`). */
export interface InlineParam {
  readonly name?: string;
  readonly type: Type;
}

/**
 * Inline is an `inline` definition. Its value is checked again at each use
 * (so each use is a fresh expression) and cast to the declared type, except
 * when it folded to an integer constant: DTrace then substitutes that
 * constant, with the constant's own type, wherever the name appears.
 */
export interface Inline {
  readonly name: string;
  /** The declared type; an associative-array inline's value type. */
  readonly type: Type;
  /** Set for an associative-array inline: its parameters, in order. */
  readonly params?: readonly InlineParam[];
  readonly constant?: { readonly value: bigint; readonly type: Type };
  readonly value?: A.Expr;
}

/** GlobalIdent describes a global name as DTrace's redeclaration messages do. */
export interface GlobalIdent {
  /** dt_idkind_name: 'scalar', 'associative array', 'function', 'tracing function', ... */
  readonly kind: string;
  readonly inline: boolean;
  /** Built-in (DTrace's generation 0): variables and functions of the language itself. */
  readonly builtin: boolean;
  /** The identifier's type, where it has one. */
  readonly type?: Type;
}

const FUNC_KINDS = { action: 'tracing function', agg: 'aggregating function', subr: 'function' } as const;

/** Built-in variables that are arrays (DT_IDENT_ARRAY) rather than scalars. */
const BUILTIN_ARRAYS: ReadonlySet<string> = new Set(['args', 'uregs']);

export class Scope {
  readonly globals = new Map<string, Variable>();
  readonly self = new Map<string, Variable>();
  readonly locals = new Map<string, Variable>();
  readonly inlines = new Map<string, Inline>();
  /** Types of the kernel symbols the script declared `extern`. */
  readonly externs = new Map<string, Type>();
  readonly variables: Variable[] = [];
  readonly aggs = new Map<string, Aggregation>();
  /** Names of the destructive actions and subroutines the program calls (they need -w). */
  readonly destructive = new Set<string>();
  /** Variables flagged as holding alloca pointers so far (sema/alloca.ts): a clause is re-checked while it grows. */
  allocaTaints = 0;

  constructor(readonly types: TypeResolver, readonly translators: Translators, readonly options: Options) {
    // What dtrace-utils compiles into every program: `inline long NULL = 0;`
    // and the D library's fault codes.
    this.inlines.set('NULL', { name: 'NULL', type: T.long, constant: { value: 0n, type: T.int } });
    for (const [name, value] of Object.entries(FAULT_CONSTANTS)) {
      this.inlines.set(name, { name, type: T.int, constant: { value: BigInt(value), type: T.int } });
    }
  }

  /** strsize is the size of a D string (the strsize option). */
  strsize(): number {
    return this.options.num('strsize');
  }

  table(scope: VarScope): Map<string, Variable> {
    return scope === 'global' ? this.globals : scope === 'self' ? this.self : this.locals;
  }

  declare(scope: VarScope, name: string, type: Type, declared: boolean): Variable {
    const v: Variable = { id: this.variables.length, name, scope, type, declared };
    this.variables.push(v);
    this.table(scope).set(name, v);
    return v;
  }

  /** global finds a global identifier of any kind: variable, inline, enumerator, built-in variable or function. */
  global(name: string): GlobalIdent | undefined {
    const v = this.globals.get(name);
    if (v !== undefined) return { kind: v.keys !== undefined ? 'associative array' : 'scalar', inline: false, builtin: false, type: v.type };
    const inl = this.inlines.get(name);
    if (inl !== undefined) return { kind: inl.params !== undefined ? 'associative array' : 'scalar', inline: true, builtin: false, type: inl.type };
    const en = this.types.env.enumerators.get(name);
    if (en !== undefined) return { kind: 'enumerator', inline: true, builtin: false, type: en.type };
    if (name in BUILTIN_VARS) return { kind: BUILTIN_ARRAYS.has(name) ? 'associative array' : 'scalar', inline: false, builtin: true };
    const f = FUNCS[name];
    if (f !== undefined) return { kind: FUNC_KINDS[f.kind], inline: false, builtin: true };
    return undefined;
  }
}
