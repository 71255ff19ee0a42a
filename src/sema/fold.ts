// Constant folding: operations on integer constants are computed at compile
// time with DTrace's semantics (64-bit registers; the expression's type only
// matters where a value is stored or cast), so `123/(7-7)` is a
// compile-time error and constant predicates cost nothing at run time.

import { CompileError } from '../diag/diagnostic.js';
import type { TExpr } from './ir.js';
import { truncate, type IntType, type Type } from './types.js';

type IntConst = TExpr & { k: 'int' };

/** isConst: an integer constant, enumerators included (their value is an int). */
function isConst(e: TExpr): e is IntConst {
  return e.k === 'int' && (e.type.kind === 'int' || e.type.kind === 'enum');
}

/** asSigned64 reads a constant's value as the 64-bit register DTrace computes in. */
function reg(e: IntConst): bigint {
  return BigInt.asIntN(64, e.value);
}

/** foldCast converts an integer constant to another integer type. */
export function foldCast(e: IntConst, type: Type): TExpr {
  if (type.kind !== 'int') return { k: 'cast', type, pos: e.pos, e };
  return { k: 'int', type, pos: e.pos, value: truncate(e.value, type) };
}

/** foldUnary folds -, ~ and ! applied to a constant. */
export function foldUnary(e: TExpr & { k: 'unop' }): TExpr {
  if (!isConst(e.e)) return e;
  const v = reg(e.e);
  const t = e.type as IntType;
  const r = e.op === '-' ? -v : e.op === '~' ? ~v : v === 0n ? 1n : 0n;
  return { k: 'int', type: t, pos: e.pos, value: reg64(r, t) };
}

/** foldBinary folds arithmetic, comparisons and logical operators on constants. */
export function foldBinary(e: TExpr): TExpr {
  if (e.k === 'logic') {
    if (!isConst(e.l) || !isConst(e.r)) return e;
    const a = e.l.value !== 0n;
    const b = e.r.value !== 0n;
    const r = e.op === '&&' ? a && b : e.op === '||' ? a || b : a !== b;
    return { k: 'int', type: e.type, pos: e.pos, value: r ? 1n : 0n };
  }
  if (e.k === 'cmp') {
    if (e.strcmp) {
      if (e.l.k !== 'str' || e.r.k !== 'str') return e;
      const c = e.l.value < e.r.value ? -1 : e.l.value > e.r.value ? 1 : 0;
      return { k: 'int', type: e.type, pos: e.pos, value: cmp(e.op, BigInt(c), 0n) ? 1n : 0n };
    }
    if (!isConst(e.l) || !isConst(e.r)) return e;
    const a = e.signed ? reg(e.l) : BigInt.asUintN(64, e.l.value);
    const b = e.signed ? reg(e.r) : BigInt.asUintN(64, e.r.value);
    return { k: 'int', type: e.type, pos: e.pos, value: cmp(e.op, a, b) ? 1n : 0n };
  }
  if (e.k !== 'binop' || !isConst(e.l) || !isConst(e.r)) return e;
  const t = e.type as IntType;
  const signed = t.signed;
  const a = signed ? reg(e.l) : BigInt.asUintN(64, e.l.value);
  const b = signed ? reg(e.r) : BigInt.asUintN(64, e.r.value);
  let r: bigint;
  switch (e.op) {
    case '+': r = a + b; break;
    case '-': r = a - b; break;
    case '*': r = a * b; break;
    case '/':
    case '%':
      if (b === 0n) throw new CompileError('D_DIV_ZERO', 'expression contains division by zero', e.pos);
      r = e.op === '/' ? a / b : a % b; // BigInt division truncates toward zero, as C does
      if (e.op === '%' && signed && b < 0n) r = -r; // DTrace: the sign of dividend times divisor
      break;
    case '&': r = a & b; break;
    case '|': r = a | b; break;
    case '^': r = a ^ b; break;
    case '<<': r = BigInt.asUintN(64, a) << (b & 63n); break;
    case '>>': r = a >> (b & 63n); break;
  }
  return { k: 'int', type: t, pos: e.pos, value: reg64(r, t) };
}

/**
 * reg64 keeps a folded value as the 64-bit register DTrace computes in:
 * like run-time arithmetic, folding narrows only at stores and casts
 * (so `(1 << 63) - 1` is INT64_MAX even though its type is int).
 */
function reg64(v: bigint, t: IntType): bigint {
  return t.signed ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v);
}

function cmp(op: string, a: bigint, b: bigint): boolean {
  switch (op) {
    case '<': return a < b;
    case '>': return a > b;
    case '<=': return a <= b;
    case '>=': return a >= b;
    case '==': return a === b;
    default: return a !== b;
  }
}
