// The checker's symbol tables for one program, filled in program order:
// variables of each scope, inlines, aggregations, the type environment and
// the translators. Shared by every clause checker of the program.

import type { Pos } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import type { Aggregation, TExpr, VarScope, Variable } from './ir.js';
import type { Options } from './options.js';
import type { TypeResolver } from './typenames.js';
import type { Translators } from './translators.js';
import type { Type } from './types.js';

/** Inline is an `inline` definition: a function giving its value at a use site. */
export type Inline = (pos: Pos) => TExpr;

/**
 * InlineArray is an inline with parameters (`inline int f[int x] = x + 1;`),
 * used like an associative array: its value is checked at each use with the
 * parameters bound to the keys.
 */
export interface InlineArray {
  readonly params: readonly { readonly name: string; readonly type: Type }[];
  readonly type: Type;
  readonly value: A.Expr;
}

export class Scope {
  readonly globals = new Map<string, Variable>();
  readonly self = new Map<string, Variable>();
  readonly locals = new Map<string, Variable>();
  readonly inlines = new Map<string, Inline>();
  readonly inlineArrays = new Map<string, InlineArray>();
  readonly variables: Variable[] = [];
  readonly aggs = new Map<string, Aggregation>();

  constructor(readonly types: TypeResolver, readonly translators: Translators, readonly options: Options) {}

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
}
