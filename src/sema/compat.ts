// DTrace's tests of type compatibility, shared by the expression checker,
// declarations, subroutine prototypes and translators: a value usable as
// a null pointer, pointers to compatible types (dt_node_is_ptrcompat), and
// a value that may be passed or assigned where a type is wanted
// (dt_node_is_argcompat).

import type { TExpr } from './ir.js';
import { T, isIntegral, isStrCompat, sameType, type Type } from './types.js';

/** isZero tells whether e is the integer constant 0 (D's null pointer, and "delete" for dynamic variables). */
export function isZero(e: TExpr): boolean {
  return e.k === 'int' && isIntegral(e.type) && e.value === 0n;
}

/**
 * ptrCompat is dt_node_is_ptrcompat: two pointers (or arrays, or strings)
 * to the same type, either one void, or a pointer and the constant 0;
 * both into the same address space.
 */
export function ptrCompat(l: TExpr, r: TExpr): boolean {
  // Translated values are compatible with nothing (dt_node_is_ptrcompat fails on dynamic nodes).
  if (l.k === 'xlated' || r.k === 'xlated') return false;
  const li = isIntegral(l.type);
  const ri = isIntegral(r.type);
  if (li && ri) return false;
  if (li && !isZero(l) || ri && !isZero(r)) return false;
  const lt = li ? r.type : l.type;
  const rt = ri ? l.type : r.type;
  const ref = (t: Type): Type | undefined => t.kind === 'pointer' ? t.to : t.kind === 'array' ? t.of : t.kind === 'string' ? T.char : undefined;
  const a = ref(lt);
  const b = ref(rt);
  if (a === undefined || b === undefined) return false;
  if (!li && !ri && lt.kind === 'pointer' && rt.kind === 'pointer' && lt.user !== rt.user) return false;
  return a.kind === 'void' || b.kind === 'void' || sameType(a, b);
}

/** argCompat is dt_node_is_argcompat: may a value be passed or assigned where type `to` is wanted? */
export function argCompat(to: Type, v: TExpr): boolean {
  if (v.k === 'xlated') return false;
  const from = v.type;
  if (isIntegral(to) && isIntegral(from)) return true;
  if (isStrCompat(to) && isStrCompat(from)) return true;
  if (to.kind === 'sou' || to.kind === 'func') return sameType(to, from);
  if (to.kind === 'float' || from.kind === 'float') return sameType(to, from);
  const self: TExpr = { k: 'int', type: to, pos: v.pos, value: 1n };
  return ptrCompat(self, v);
}
