// Integer constant folding for the one check DTrace makes while parsing that
// needs values: dt_node_op2 rejects `/` and `%` by a right operand that folds
// to zero (D_DIV_ZERO). The tree itself is left as written.

import type { Expr } from './ast.js';

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
    case 'Ternary': {
      const c = foldInt(e.cond);
      if (c === undefined) return undefined;
      return foldInt(c !== 0n ? e.then : e.else);
    }
    default:
      return undefined;
  }
}
