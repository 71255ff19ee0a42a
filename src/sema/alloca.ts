// DTrace's alloca taint (dt_parser.c's DT_NF_ALLOCA, DT_NF_NONASSIGN and
// the identifier flags DT_IDFLG_ALLOCA / DT_IDFLG_NONALLOCA). A value
// derived from alloca() (or copyin(), which allocates the same way) is an
// offset into the clause's scratch area, not an address: the code
// generator checks and converts it wherever memory is reached through it.
// Which values are such offsets follows from the checked expression and
// the flags of the variables it reads, so the taint is computed here
// rather than stored on every node; the checker re-checks a clause until
// no variable gains the flag (dt_cook_clause's retry), and refuses what
// DTrace refuses: mixing alloca and other pointers in pointer arithmetic,
// in a variable, or in the branches of ?: assigned to a variable.

import { CompileError, type Pos } from '../diag/diagnostic.js';
import type { LValue, TExpr, Variable } from './ir.js';
import { isZero } from './compat.js';
import { isByRef } from './types.js';

/** Subroutines whose value points into scratch memory they allocate (DT_IDFLG_ALLOCA in dt_open.c). */
const ALLOCA_SUBRS: ReadonlySet<string> = new Set(['alloca', 'copyin']);

/** allocaOf is DT_NF_ALLOCA: the value is an alloca pointer (a scratch offset). */
export function allocaOf(e: TExpr): boolean {
  switch (e.k) {
    case 'call': return ALLOCA_SUBRS.has(e.fn);
    case 'var': case 'assoc': return e.v.alloca === true;
    // Unary operators and shifts take their operand's flags (dt_node_type_propagate).
    case 'unop': return e.op !== '!' && allocaOf(e.e);
    case 'binop': return e.op === '<<' || e.op === '>>' ? allocaOf(e.l) : allocaOf(e.l) || allocaOf(e.r);
    case 'ptradd': return allocaOf(e.ptr) || allocaOf(e.off);
    case 'ptrdiff': case 'logic': return allocaOf(e.l) || allocaOf(e.r);
    // ?: is tainted by its first branch only, as in dt_cook_op3.
    case 'cond': return allocaOf(e.t);
    case 'cast': return allocaOf(e.e);
    case 'addr': return inAlloca(e.e);
    // p->m and s.m of an object in scratch are tainted (a pointer member holds an offset too); *p is not.
    case 'member': return inAlloca(e.obj);
    case 'assign': return allocaOf(e.target) || e.type.kind !== 'string' && allocaOf(e.value);
    case 'incdec': return allocaOf(e.target);
    case 'comma': return allocaOf(e.exprs[e.exprs.length - 1]);
    default: return false;
  }
}

/** inAlloca tells whether an lvalue (or struct value) lives in alloca scratch memory. */
export function inAlloca(e: TExpr): boolean {
  switch (e.k) {
    case 'deref': return allocaOf(e.ptr);
    case 'member': return inAlloca(e.obj);
    case 'index': return inAlloca(e.arr);
    default: return false;
  }
}

/**
 * mixedAlloca is DT_NF_NONASSIGN: a ?: whose branches are one alloca and
 * one not (or a value carrying such a ?: through an alloca operand),
 * which may not be stored in a variable.
 */
export function mixedAlloca(e: TExpr): boolean {
  switch (e.k) {
    case 'cond': return allocaOf(e.t) !== allocaOf(e.f) || mixedAlloca(e.t) || mixedAlloca(e.f);
    case 'cast': case 'unop': return allocaOf(e.e) && mixedAlloca(e.e);
    case 'binop': case 'ptrdiff': case 'logic': return [e.l, e.r].some((x) => allocaOf(x) && mixedAlloca(x));
    case 'ptradd': return allocaOf(e.ptr) && mixedAlloca(e.ptr);
    case 'comma': return mixedAlloca(e.exprs[e.exprs.length - 1]);
    default: return false;
  }
}

/**
 * storable tells whether the code generator can store into a writable
 * lvalue: D's own storage (`*(a + i)` of an array variable included) or
 * memory reached through an alloca pointer.
 */
export function storable(l: TExpr): boolean {
  switch (l.k) {
    case 'var': case 'assoc': return true;
    case 'member': return storable(l.obj);
    case 'index': return storable(l.arr);
    case 'deref': return allocaOf(l.ptr) || l.ptr.k === 'ptradd' && l.ptr.op === '+' && l.ptr.ptr.type.kind === 'array' && storable(l.ptr.ptr);
    default: return false;
  }
}

/** AllocaTaints counts variables newly flagged as holding alloca pointers; a clause is checked again while it grows. */
export interface AllocaTaints {
  allocaTaints: number;
}

/** VarStore is a store into a D variable, kept to refuse reuse of one variable for both kinds of pointer. */
export interface VarStore {
  readonly v: Variable;
  readonly pos: Pos;
}

/**
 * assignTaint is dt_cook_op2's asgn_common for a store of `value` into
 * `target`: a ?: mixing alloca and other pointers may not be stored in a
 * variable; an alloca value (strings excepted: they are copied) taints the
 * variable, anything else but the constant 0 marks it non-alloca.
 * Structs and arrays are copied by value into D storage, so they never
 * carry the taint (DTrace's code generator cannot use them as offsets).
 */
export function assignTaint(counter: AllocaTaints, stores: VarStore[], target: LValue, value: TExpr, pos: Pos): void {
  if (target.k !== 'var' && target.k !== 'assoc') return;
  if (mixedAlloca(value)) {
    throw new CompileError('D_ALLOCA_INCOMPAT', 'ternary conditional with alloca and non-alloca branches cannot be assigned to a variable', pos);
  }
  const v = target.v;
  if (allocaOf(value) && !isByRef(value.type)) {
    if (v.alloca !== true) {
      v.alloca = true;
      counter.allocaTaints++;
    }
  } else if (!isZero(value)) {
    v.nonAlloca = true;
  }
  stores.push({ v, pos });
}

/**
 * keyTaint is dt_ident_cook's propagation from arguments: an associative
 * array indexed by an alloca pointer is taken to hold alloca pointers.
 */
export function keyTaint(counter: AllocaTaints, v: Variable, keys: readonly TExpr[]): void {
  if (v.alloca !== true && keys.some(allocaOf)) {
    v.alloca = true;
    counter.allocaTaints++;
  }
}

/** incdecStore records ++/-- of a variable, which DTrace's code generator stores as an assignment. */
export function incdecStore(stores: VarStore[], target: LValue, pos: Pos): void {
  if (target.k === 'var' || target.k === 'assoc') stores.push({ v: target.v, pos });
}

/**
 * checkAllocaReuse refuses a store into a variable that has held both an
 * alloca pointer and something else, as dt_cg_store_var does when it
 * generates the clause's stores in order: after the whole clause is
 * checked, naming no part of it, and (its line being the lexer's, which
 * compiling a clause sets to the clause's) at the clause's first line.
 */
export function checkAllocaReuse(stores: readonly VarStore[], clausePos: Pos): void {
  for (const { v } of stores) {
    if (v.alloca === true && v.nonAlloca === true) {
      const e = new CompileError('D_ALLOCA_INCOMPAT', `${v.name}: cannot reuse the same identifier for both alloca and non-alloca allocations`, clausePos);
      throw e.inRegion('');
    }
  }
}

/**
 * ptrdiffAlloca refuses pointer - pointer between alloca and other
 * memory (dt_cook_op2): they are distinct objects and scratch addresses
 * an implementation detail.
 */
export function ptrdiffAlloca(l: TExpr, r: TExpr, op: string, pos: Pos): void {
  if (allocaOf(l) !== allocaOf(r)) {
    throw new CompileError('D_OP_INCOMPAT', `adding or subtracting pointers to alloca and non-alloca space is meaningless: "${l.type.name}" ${op} "${r.type.name}"`, pos);
  }
}
