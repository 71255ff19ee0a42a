// The checked program: what the type checker hands to the code generator.
// Every expression carries its D type; identifiers are resolved to
// variables, built-ins or kernel symbols; constants are folded; actions are
// recognised. Expressions that denote storage (lvalues: variables,
// associative-array elements, dereferences, members, array elements,
// kernel symbols) are nodes the code generator can both read and, where D
// allows it, write.

import type { Pos } from '../diag/diagnostic.js';
import type { ProbeDesc } from '../syntax/ast.js';
import type { ParsedFormat } from '../format/printf.js';
import type { KernelSymbol } from './ktypes.js';
import type { Translator } from './translators.js';
import type { Member, Type } from './types.js';

export type VarScope = 'global' | 'self' | 'this';

/**
 * Variable is one D variable: global, thread-local (self->) or clause-local
 * (this->). A variable indexed with `[...]` is an associative array: `keys`
 * holds its key types, fixed by its first use.
 */
export interface Variable {
  readonly id: number;
  readonly name: string;
  readonly scope: VarScope;
  type: Type;
  /** Set once the variable's type is known (by declaration or first assignment). */
  readonly declared: boolean;
  keys?: Type[];
  /** DTrace's DT_IDFLG_ALLOCA: the variable has held an alloca() pointer, so its values are scratch offsets (sema/alloca.ts). */
  alloca?: boolean;
  /** DTrace's DT_IDFLG_NONALLOCA: something other than an alloca() pointer or 0 was stored in it. */
  nonAlloca?: boolean;
}

export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>';
export type CmpOp = '<' | '>' | '<=' | '>=' | '==' | '!=';

interface Base {
  readonly type: Type;
  readonly pos: Pos;
}

/** Expressions that denote storage; `writable` ones may be assigned. */
export type LValue =
  /** A scalar D variable (any scope). */
  | (Base & { readonly k: 'var'; readonly v: Variable })
  /** An element of an associative array. */
  | (Base & { readonly k: 'assoc'; readonly v: Variable; readonly keys: TExpr[] })
  /** The object a pointer points to (`*p`, and `p->m`, `p[i]` built on it). */
  | (Base & { readonly k: 'deref'; readonly ptr: TExpr })
  /** A member of a struct or union object (`obj` has a struct or union type). */
  | (Base & { readonly k: 'member'; readonly obj: TExpr; readonly m: Member })
  /** An element of an array object; `bound` is the element count checked at run time (0: unchecked). */
  | (Base & { readonly k: 'index'; readonly arr: TExpr; readonly idx: TExpr; readonly bound: number })
  /** A kernel variable named with a backquote. */
  | (Base & { readonly k: 'sym'; readonly sym: KernelSymbol });

export type TExpr =
  | LValue
  | (Base & { readonly k: 'int'; readonly value: bigint })
  | (Base & { readonly k: 'str'; readonly value: string })
  | (Base & { readonly k: 'builtin'; readonly name: string })
  /** args[i] of the probe, typed by the provider. */
  | (Base & { readonly k: 'args'; readonly idx: TExpr })
  | (Base & { readonly k: 'unop'; readonly op: '-' | '~' | '!'; readonly e: TExpr })
  | (Base & { readonly k: 'binop'; readonly op: ArithOp; readonly l: TExpr; readonly r: TExpr })
  /** Pointer plus or minus an integer: the integer is scaled by the pointee's size. */
  | (Base & { readonly k: 'ptradd'; readonly op: '+' | '-'; readonly ptr: TExpr; readonly off: TExpr; readonly scale: number })
  /** Difference of two pointers, in elements of `scale` bytes. */
  | (Base & { readonly k: 'ptrdiff'; readonly l: TExpr; readonly r: TExpr; readonly scale: number })
  | (Base & { readonly k: 'cmp'; readonly op: CmpOp; readonly l: TExpr; readonly r: TExpr; readonly signed: boolean; readonly strcmp: boolean })
  | (Base & { readonly k: 'logic'; readonly op: '&&' | '||' | '^^'; readonly l: TExpr; readonly r: TExpr })
  | (Base & { readonly k: 'cond'; readonly c: TExpr; readonly t: TExpr; readonly f: TExpr })
  | (Base & { readonly k: 'cast'; readonly e: TExpr })
  /** The address of an lvalue (`&x.m`, `&p->m`, `` &`sym ``). */
  | (Base & { readonly k: 'addr'; readonly e: LValue })
  /** A char pointer or char array read as a string (stringof, %s, string assignment and comparison). */
  | (Base & { readonly k: 'tostr'; readonly e: TExpr })
  | (Base & { readonly k: 'assign'; readonly target: LValue; readonly op: ArithOp | '='; readonly value: TExpr })
  /** ++/--: `step` is 1 for integers and the pointee's size for pointers. */
  | (Base & { readonly k: 'incdec'; readonly target: LValue; readonly op: '++' | '--'; readonly prefix: boolean; readonly step: number })
  /** A subroutine call (copyinstr, ...): its code comes from the subroutine table. */
  | (Base & { readonly k: 'call'; readonly fn: string; readonly args: TExpr[] })
  /**
   * A translated value not yet computed: `xlate<T>(e)` (ptr false) or
   * `xlate<T *>(e)` (ptr true), DTrace's "translated data" and "pointer to
   * translated data". The checker turns its member references into the
   * translator's expressions and materializes it when it is stored whole;
   * the code generator only sees the pointer form, whose value is the input.
   */
  | (Base & { readonly k: 'xlated'; readonly xl: Translator; readonly input: TExpr; readonly ptr: boolean })
  /** A translated struct as a whole: each member's value is computed into a struct of `type`. */
  | (Base & { readonly k: 'xlate'; readonly members: { readonly m: Member; readonly value: TExpr }[] })
  | (Base & { readonly k: 'comma'; readonly exprs: TExpr[] });

/** isLValue tells whether an expression denotes storage. */
export function isLValue(e: TExpr): e is LValue {
  return e.k === 'var' || e.k === 'assoc' || e.k === 'deref' || e.k === 'member' || e.k === 'index' || e.k === 'sym';
}

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
  | { readonly k: 'aggop'; readonly op: 'clear' | 'trunc' | 'normalize' | 'denormalize'; readonly agg: Aggregation; readonly arg?: TExpr; readonly pos: Pos }
  /** Any other action of library/actions.ts, with its checked arguments and printf-like format. */
  | { readonly k: 'action'; readonly name: string; readonly args: TExpr[]; readonly fmt?: ParsedFormat; readonly pos: Pos }
  /** speculate(id), commit(id), discard(id): the clause's speculation actions (codegen/spec.ts). */
  | { readonly k: 'spec'; readonly op: SpecOp; readonly id: TExpr; readonly pos: Pos };

/** SpecOp names the speculation actions. */
export type SpecOp = 'speculate' | 'commit' | 'discard';

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
  /** The destructive actions and subroutines called: tracing needs the destructive option. */
  readonly destructive: readonly string[];
}
