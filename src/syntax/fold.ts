// Integer constant folding for the one check DTrace makes while parsing that
// needs values: dt_node_op2 rejects `/` and `%` by a right operand that folds
// to zero (D_DIV_ZERO). The tree itself is left as written.

import type { Expr, TypeName } from './ast.js';

const MASK = (1n << 64n) - 1n;

function wrap(v: bigint): bigint {
  return v & MASK;
}

function signed(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

function foldUnary(op: string, v: bigint): bigint | undefined {
  switch (op) {
    case '-': return wrap(-v);
    case '+': return v;
    case '~': return wrap(~v);
    case '!': return v === 0n ? 1n : 0n;
    default: return undefined;
  }
}

function foldBinary(op: string, l: bigint, r: bigint): bigint | undefined {
  const bool = (b: boolean): bigint => (b ? 1n : 0n);
  switch (op) {
    case '+': return wrap(l + r);
    case '-': return wrap(l - r);
    case '*': return wrap(l * r);
    case '/': return r === 0n ? undefined : wrap(signed(l) / signed(r));
    case '%': return r === 0n ? undefined : wrap(signed(l) % signed(r));
    case '<<': return wrap(l << (r & 63n));
    case '>>': return l >> (r & 63n);
    case '&': return l & r;
    case '|': return l | r;
    case '^': return l ^ r;
    case '==': return bool(l === r);
    case '!=': return bool(l !== r);
    case '<': return bool(signed(l) < signed(r));
    case '<=': return bool(signed(l) <= signed(r));
    case '>': return bool(signed(l) > signed(r));
    case '>=': return bool(signed(l) >= signed(r));
    case '&&': return bool(l !== 0n && r !== 0n);
    case '||': return bool(l !== 0n || r !== 0n);
    case '^^': return bool((l !== 0n) !== (r !== 0n));
    default: return undefined;
  }
}

/** Sizes of the D typedefs of integer types (dt_open.c's LP64 table). */
const TYPEDEF_SIZES: Readonly<Record<string, number>> = {
  int8_t: 1, int16_t: 2, int32_t: 4, int64_t: 8, uint8_t: 1, uint16_t: 2, uint32_t: 4, uint64_t: 8,
  intptr_t: 8, uintptr_t: 8, ssize_t: 8, size_t: 8, ptrdiff_t: 8, uchar_t: 1, ushort_t: 2,
  uint_t: 4, ulong_t: 8, u_longlong_t: 8, id_t: 4, pid_t: 4,
};

/** integerSize gives the byte size of an integer type name, or undefined for other types. */
function integerSize(t: TypeName): number | undefined {
  if (t.declarator.kind !== 'NameDecl') return undefined;
  const base = t.spec.base;
  if (base.kind === 'NamedType') return TYPEDEF_SIZES[base.name];
  if (base.kind !== 'BuiltinType') return undefined;
  const w = base.words;
  if (w.includes('void') || w.includes('float') || w.includes('double')) return undefined;
  if (w.includes('char')) return 1;
  if (w.includes('short')) return 2;
  return w.includes('long') ? 8 : 4;
}

/**
 * foldCast: dt_node_op2 folds a cast of an integer constant to an integer
 * type; narrowing can turn a value into zero, widening cannot.
 */
function foldCast(t: TypeName, v: bigint): bigint | undefined {
  const size = integerSize(t);
  return size === undefined ? undefined : v & ((1n << BigInt(size * 8)) - 1n);
}

/** foldInt gives the value of an integer constant expression, or undefined if it is not one. */
export function foldInt(e: Expr): bigint | undefined {
  switch (e.kind) {
    case 'IntLit':
    case 'CharLit':
      return e.value;
    case 'Unary': {
      const v = foldInt(e.operand);
      return v === undefined ? undefined : foldUnary(e.op, v);
    }
    case 'Binary': {
      const l = foldInt(e.left);
      const r = foldInt(e.right);
      return l === undefined || r === undefined ? undefined : foldBinary(e.op, l, r);
    }
    case 'Cast': {
      const v = foldInt(e.operand);
      return v === undefined ? undefined : foldCast(e.type, v);
    }
    case 'Ternary': {
      const c = foldInt(e.cond);
      if (c === undefined) return undefined;
      return foldInt(c !== 0n ? e.then : e.else);
    }
    default:
      return undefined;
  }
}
