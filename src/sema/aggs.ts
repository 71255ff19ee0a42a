// Checking aggregations: `@name[keys] = func(args)`. An aggregation's
// function, key types and histogram parameters are fixed by its first use;
// later uses must match. Errors carry DTrace's D_AGG_*, D_LQUANT_* and
// D_LLQUANT_* tags.

import { CompileError, type Pos } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { FUNCS } from './actions.js';
import { protoLen } from './subrs.js';
import type { ClauseChecker } from './check.js';
import { checkTupleSize } from './expr.js';
import type { AggFunc, Aggregation, TExpr, TStmt } from './ir.js';
import { isChar, isScalar, sameType, type Type } from './types.js';

const AGG_FUNCS: ReadonlySet<string> = new Set(['count', 'sum', 'avg', 'min', 'max', 'stddev', 'quantize', 'lquantize', 'llquantize']);

function err(tag: string, msg: string, pos: Pos): CompileError {
  return new CompileError(tag, msg, pos);
}

function aggName(name: string): string {
  return `@${name}`;
}

/** constArg requires argument n of a quantization to be an integer constant. */
function constArg(args: readonly TExpr[], n: number, tag: string, fn: string, pos: Pos): bigint {
  const a = args[n];
  if (a.k !== 'int' || a.type.kind !== 'int') throw err(tag, `${fn}( ) argument #${n + 1} must be an integer constant`, pos);
  return BigInt.asIntN(64, a.value);
}

const INT32_MAX = 0x7fffffffn;
const INT32_MIN = -0x80000000n;
const UINT16_MAX = 0xffffn;

function lquantizeParams(args: readonly TExpr[], pos: Pos): NonNullable<Aggregation['lq']> {
  const base = constArg(args, 1, 'D_LQUANT_BASETYPE', 'lquantize', pos);
  const limit = constArg(args, 2, 'D_LQUANT_LIMTYPE', 'lquantize', pos);
  const step = args.length > 3 ? constArg(args, 3, 'D_LQUANT_STEPTYPE', 'lquantize', pos) : 1n;
  if (base < INT32_MIN || base > INT32_MAX) throw err('D_LQUANT_BASEVAL', 'lquantize( ) base (argument #2) must be a 32-bit quantity', pos);
  if (limit < INT32_MIN || limit > INT32_MAX) throw err('D_LQUANT_LIMVAL', 'lquantize( ) limit (argument #3) must be a 32-bit quantity', pos);
  if (limit <= base) throw err('D_LQUANT_MISMATCH', 'lquantize( ) base (argument #2) must be less than limit (argument #3)', pos);
  if (step <= 0n) throw err('D_LQUANT_STEPTYPE', 'lquantize( ) step (argument #4) must be a positive integer', pos);
  if (step > UINT16_MAX) throw err('D_LQUANT_STEPVAL', 'lquantize( ) step (argument #4) must be a 16-bit quantity', pos);
  if (step > limit - base) throw err('D_LQUANT_STEPLARGE', 'lquantize( ) step (argument #4) must be less than or equal to the difference between limit (argument #3) and base (argument #2)', pos);
  if ((limit - base) / step > UINT16_MAX) throw err('D_LQUANT_STEPSMALL', 'lquantize( ) step (argument #4) too small: too many levels between base (argument #2) and limit (argument #3)', pos);
  return { base, limit, step };
}

function llquantizeParams(args: readonly TExpr[], pos: Pos): NonNullable<Aggregation['llq']> {
  const factor = constArg(args, 1, 'D_LLQUANT_FACTORTYPE', 'llquantize', pos);
  const low = constArg(args, 2, 'D_LLQUANT_LMAGTYPE', 'llquantize', pos);
  const high = constArg(args, 3, 'D_LLQUANT_HMAGTYPE', 'llquantize', pos);
  const nsteps = constArg(args, 4, 'D_LLQUANT_STEPTYPE', 'llquantize', pos);
  if (factor < 2n || factor > UINT16_MAX) throw err('D_LLQUANT_FACTORVAL', 'llquantize( ) factor (argument #2) must be at least 2 and a 16-bit quantity', pos);
  if (low < 0n || low > UINT16_MAX) throw err('D_LLQUANT_LMAGVAL', 'llquantize( ) low magnitude (argument #3) must be a non-negative 16-bit quantity', pos);
  if (high < 0n || high > UINT16_MAX) throw err('D_LLQUANT_HMAGVAL', 'llquantize( ) high magnitude (argument #4) must be a non-negative 16-bit quantity', pos);
  if (high < low) throw err('D_LLQUANT_HMAGVAL', 'llquantize( ) high magnitude (argument #4) must be at least low magnitude (argument #3)', pos);
  if (nsteps <= 0n) throw err('D_LLQUANT_STEPTYPE', 'llquantize( ) steps (argument #5) must be a positive integer', pos);
  if (nsteps > UINT16_MAX) throw err('D_LLQUANT_STEPVAL', 'llquantize( ) steps (argument #5) must be a 16-bit quantity', pos);
  // The steps must evenly divide factor^(low+1) (factor^2 when low is 0).
  const power = factor ** (low === 0n ? 2n : low + 1n);
  if (power % nsteps !== 0n) {
    throw err('D_LLQUANT_STEPVAL', 'llquantize( ) factor (argument #2) must evenly divide the number of steps per magnitude (argument #5), or the number of steps per magnitude must evenly divide a power of the factor', pos);
  }
  let pow = 1n;
  for (let i = 0n; i <= high; i++) {
    pow *= factor;
    if (pow > 0xffffffffffffffffn) throw err('D_LLQUANT_HMAGVAL', 'llquantize( ) factor (argument #2) raised to high magnitude (argument #4) overflows 64-bits', pos);
  }
  return { factor, low, high, nsteps };
}

/** sameAgg checks a later use of an aggregation against its first. */
function checkReuse(prev: Aggregation, next: Omit<Aggregation, 'id'>, pos: Pos): void {
  const n = aggName(prev.name);
  if (prev.func !== next.func) throw err('D_AGG_REDEF', `aggregation redefined: ${n}\n\t current: ${next.func}( )\n\tprevious: ${prev.func}( )`, pos);
  if (prev.keys.length !== next.keys.length) {
    throw err('D_PROTO_LEN', `${n}[ ] prototype mismatch: ${next.keys.length} key${next.keys.length === 1 ? '' : 's'} passed, ${prev.keys.length} expected`, pos);
  }
  prev.keys.forEach((t, i) => {
    const k = next.keys[i];
    // sym( ) and mod( ) keys are both _symaddr; stacks are only like stacks.
    const symbolic = (x: Type): string | undefined => (x.kind !== 'int' ? undefined : x.symbolic === 'mod' ? 'sym' : x.symbolic);
    if (!sameType(t, k) && !(t.kind === 'int' && k.kind === 'int') || symbolic(t) !== symbolic(k)) {
      const shown = prev.name === '' ? '@_' : n;
      throw err('D_PROTO_ARG', `${shown}[ ] key #${i + 1} is incompatible with prototype:\n\tprototype: ${t.name}\n\t      key: ${k.name}`, pos);
    }
  });
  if (prev.lq && next.lq) {
    if (prev.lq.base !== next.lq.base) throw err('D_LQUANT_MATCHBASE', `lquantize( ) base (argument #2) doesn't match previous declaration: expected ${prev.lq.base}, found ${next.lq.base}`, pos);
    if (prev.lq.step !== next.lq.step) throw err('D_LQUANT_MATCHSTEP', `lquantize( ) step (argument #4) doesn't match previous declaration: expected ${prev.lq.step}, found ${next.lq.step}`, pos);
    // DTrace compares the levels, not the limit as written.
    const levels = (q: NonNullable<Aggregation['lq']>): bigint => (q.limit - q.base) / q.step;
    if (levels(prev.lq) !== levels(next.lq)) throw err('D_LQUANT_MATCHLIM', `lquantize( ) limit (argument #3) doesn't match previous declaration: expected ${prev.lq.limit}, found ${next.lq.limit}`, pos);
  }
  if (prev.llq && next.llq) {
    if (prev.llq.factor !== next.llq.factor) throw err('D_LLQUANT_MATCHFACTOR', `llquantize( ) factor (argument #2) doesn't match previous declaration: expected ${prev.llq.factor}, found ${next.llq.factor}`, pos);
    if (prev.llq.low !== next.llq.low) throw err('D_LLQUANT_MATCHLMAG', `llquantize( ) low magnitude (argument #3) doesn't match previous declaration: expected ${prev.llq.low}, found ${next.llq.low}`, pos);
    if (prev.llq.high !== next.llq.high) throw err('D_LLQUANT_MATCHHMAG', `llquantize( ) high magnitude (argument #4) doesn't match previous declaration: expected ${prev.llq.high}, found ${next.llq.high}`, pos);
    if (prev.llq.nsteps !== next.llq.nsteps) throw err('D_LLQUANT_MATCHSTEPS', `llquantize( ) steps (argument #5) doesn't match previous declaration: expected ${prev.llq.nsteps}, found ${next.llq.nsteps}`, pos);
  }
}

function checkKey(t: Type, i: number, pos: Pos): void {
  if (t.kind === 'void') throw err('D_KEY_TYPE', `aggregation key #${i + 1} cannot be of type void`, pos);
  if (t.kind === 'array') throw err('D_KEY_TYPE', `aggregation key #${i + 1} cannot be of type ${t.name}`, pos);
}

/** TASK_COMM_LEN: execname is at most 15 characters and its NUL. */
const COMM_LEN = 16;

/** stringWidth is how many bytes a string key expression can need (0: up to strsize); undefined for integers. */
function stringWidth(k: TExpr): number | undefined {
  if (k.type.kind !== 'string') return undefined;
  if (k.k === 'builtin' && k.name === 'execname') return COMM_LEN;
  if (k.k === 'str') return Buffer.byteLength(k.value, 'latin1') + 1;
  if (k.k === 'tostr' && k.e.type.kind === 'array') return k.e.type.count + 1;
  return 0;
}

/** checkAggAssign checks `@name[keys] = func(args)` and returns its statement. */
export function checkAggAssign(c: ClauseChecker, e: A.Assign): TStmt {
  const target = e.target;
  const ref = (target.kind === 'Index' ? target.base : target) as A.AggRef;
  // A char array key is its string, as printf's %s reads it.
  const keys = target.kind === 'Index' ? target.index.map((x, i) => c.keyExpr(x, i, 'aggregation')).map((k) => k.type.kind === 'array' && isChar(k.type.of) ? c.toStr(k) : k) : [];
  keys.forEach((k, i) => {
    if (k.k === 'xlated') throw err('D_KEY_TYPE', `${k.type.name} expression may not be used as aggregation index: key #${i + 1}`, k.pos);
    checkKey(k.type, i, k.pos);
  });
  checkTupleSize(keys.length);
  if (e.op !== '=') throw err('D_AGG_FUNC', `${aggName(ref.name)} must be assigned the result of an aggregating function`, e.pos);
  if (e.value.kind !== 'Call') throw err('D_AGG_FUNC', `${aggName(ref.name)} must be assigned the result of an aggregating function`, e.pos);
  const call = e.value;
  const args = call.args.map((x) => c.value(x));
  const def = FUNCS[call.callee];
  if (def === undefined) throw err('D_IDENT_UNDEF', `failed to resolve ${call.callee}: Unknown function name`, call.pos);
  if (!AGG_FUNCS.has(call.callee)) throw err('D_AGG_FUNC', `${aggName(ref.name)} must be assigned the result of an aggregating function`, e.pos);
  if (args.length < def.min || args.length > def.max) throw protoLen(call.callee, args.length, def.min, def.max, call.pos);
  const func = call.callee as AggFunc;
  const value = args[0];
  if (value !== undefined && !isScalar(value.type)) {
    throw err('D_AGG_SCALAR', `${call.callee}( ) argument #1 must be of scalar type`, call.pos);
  }
  let lq: Aggregation['lq'];
  let llq: Aggregation['llq'];
  let incr: TExpr | undefined;
  if (func === 'lquantize') {
    lq = lquantizeParams(args, call.pos);
    incr = args[4];
  } else if (func === 'llquantize') {
    llq = llquantizeParams(args, call.pos);
    incr = args[5];
  } else if (func === 'quantize') {
    incr = args[1];
  }
  if (incr !== undefined && !isScalar(incr.type)) {
    throw err('D_PROTO_ARG', `${call.callee}( ) argument #${args.indexOf(incr) + 1} is incompatible with prototype:\n\tprototype: uint64_t\n\t argument: ${incr.type.name}`, call.pos);
  }
  const widths = keys.map(stringWidth);
  const shape = { name: ref.name, func, keys: keys.map((k) => k.type), strKeyMax: widths, lq, llq, pos: e.pos };
  let agg = c.scope.aggs.get(ref.name);
  if (agg === undefined) {
    agg = { id: c.scope.aggs.size, ...shape };
    c.scope.aggs.set(ref.name, agg);
  } else {
    checkReuse(agg, shape, e.pos);
    widths.forEach((w, i) => {
      const prev = agg!.strKeyMax[i];
      if (w === undefined || prev === undefined) return;
      agg!.strKeyMax[i] = prev === 0 || w === 0 ? 0 : Math.max(prev, w);
    });
  }
  return { k: 'agg', agg, keys, value: func === 'count' ? undefined : value, incr, pos: e.pos };
}

/** aggArg resolves an argument that must name an aggregation (printa, clear, trunc...). */
export function aggArg(c: ClauseChecker, e: A.Expr, fn: string, n: number, tag: string): Aggregation {
  if (e.kind !== 'AggRef') {
    const t = e.kind === 'Ident' || e.kind === 'IntLit' || e.kind === 'StrLit' ? c.expr(e).type.name : 'expression';
    throw err(tag, `${fn}( ) argument #${n} is incompatible with prototype:\n\tprototype: aggregation\n\t argument: ${t}`, e.pos);
  }
  const agg = c.scope.aggs.get(e.name);
  if (agg === undefined) throw err('D_AGG_UNDEF', `aggregation @${e.name} is not defined`, e.pos);
  return agg;
}
