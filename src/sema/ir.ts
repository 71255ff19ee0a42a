// The checked program: what the type checker hands to the code generator.
// Every expression carries its D type; identifiers are resolved to
// variables or built-ins; constants are folded; actions are recognised.

import type { Pos } from '../diag/diagnostic.js';
import type { ProbeDesc } from '../syntax/ast.js';
import type { ParsedFormat } from '../format/printf.js';
import type { Type } from './types.js';

/** Variable is one D variable: global, thread-local (self->) or clause-local (this->). */
export interface Variable {
  readonly id: number;
  readonly name: string;
  readonly scope: 'global' | 'self' | 'this';
  type: Type;
  /** Set once the variable's type is known (by declaration or first assignment). */
  readonly declared: boolean;
}

export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>';
export type CmpOp = '<' | '>' | '<=' | '>=' | '==' | '!=';

interface Base {
  readonly type: Type;
  readonly pos: Pos;
}

export type TExpr =
  | (Base & { readonly k: 'int'; readonly value: bigint })
  | (Base & { readonly k: 'str'; readonly value: string })
  | (Base & { readonly k: 'var'; readonly v: Variable })
  | (Base & { readonly k: 'builtin'; readonly name: string })
  | (Base & { readonly k: 'unop'; readonly op: '-' | '~' | '!'; readonly e: TExpr })
  | (Base & { readonly k: 'binop'; readonly op: ArithOp; readonly l: TExpr; readonly r: TExpr })
  | (Base & { readonly k: 'cmp'; readonly op: CmpOp; readonly l: TExpr; readonly r: TExpr; readonly signed: boolean; readonly strcmp: boolean })
  | (Base & { readonly k: 'logic'; readonly op: '&&' | '||' | '^^'; readonly l: TExpr; readonly r: TExpr })
  | (Base & { readonly k: 'cond'; readonly c: TExpr; readonly t: TExpr; readonly f: TExpr })
  | (Base & { readonly k: 'cast'; readonly e: TExpr })
  | (Base & { readonly k: 'assign'; readonly v: Variable; readonly op: ArithOp | '='; readonly value: TExpr })
  | (Base & { readonly k: 'incdec'; readonly v: Variable; readonly op: '++' | '--'; readonly prefix: boolean })
  | (Base & { readonly k: 'comma'; readonly exprs: TExpr[] });

/** AggFunc names an aggregating function. */
export type AggFunc = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'stddev' | 'quantize' | 'lquantize' | 'llquantize';

/** Aggregation is one `@name`: its function, key types and histogram parameters, fixed by first use. */
export interface Aggregation {
  readonly id: number;
  readonly name: string;
  readonly func: AggFunc;
  readonly keys: Type[];
  /**
   * For each string key, the most bytes (NUL included) any of its uses can
   * hold: 16 when every use is `execname`, a literal's length + 1; 0 means
   * "up to strsize". Integer keys hold undefined. Kept by the checker across
   * all uses, so the code generator sees the final width.
   */
  readonly strKeyMax: (number | undefined)[];
  readonly lq?: { readonly base: bigint; readonly limit: bigint; readonly step: bigint };
  readonly llq?: { readonly factor: bigint; readonly low: bigint; readonly high: bigint; readonly nsteps: bigint };
  readonly pos: Pos;
}

/** Action statements record data (trace, printf) or change the session (exit). */
export type TStmt =
  | { readonly k: 'expr'; readonly e: TExpr }
  | { readonly k: 'if'; readonly c: TExpr; readonly then: TStmt[]; readonly else: TStmt[] }
  | { readonly k: 'trace'; readonly e: TExpr; readonly pos: Pos }
  | { readonly k: 'printf'; readonly fmt: ParsedFormat; readonly fmtText: string; readonly args: TExpr[]; readonly pos: Pos }
  | { readonly k: 'exit'; readonly e: TExpr; readonly pos: Pos }
  /** @agg[keys] = func(value, incr): `value` absent for count(), `incr` only for the quantizations. */
  | { readonly k: 'agg'; readonly agg: Aggregation; readonly keys: TExpr[]; readonly value?: TExpr; readonly incr?: TExpr; readonly pos: Pos }
  /** printa([format,] @a, ...): the consumer prints the aggregations when it reads the record. */
  | { readonly k: 'printa'; readonly aggs: Aggregation[]; readonly fmt?: ParsedFormat; readonly pos: Pos }
  /** clear, trunc, normalize, denormalize: carried out by the consumer on its copy. */
  | { readonly k: 'aggop'; readonly op: 'clear' | 'trunc' | 'normalize' | 'denormalize'; readonly agg: Aggregation; readonly arg?: TExpr; readonly pos: Pos };

/** CheckedClause is one clause: its probe descriptions, predicate and checked body. */
export interface CheckedClause {
  /** Index in script order; names the clause function dt_clause_N. */
  readonly index: number;
  readonly pos: Pos;
  readonly probes: ProbeDesc[];
  readonly predicate?: TExpr;
  /** True when the clause had no body: DTrace's default action traces the probe. */
  readonly defaultAction: boolean;
  readonly body: TStmt[];
}

/** CheckedProgram is the input of the code generator. */
export interface CheckedProgram {
  readonly clauses: CheckedClause[];
  readonly variables: Variable[];
  readonly aggregations: Aggregation[];
}
