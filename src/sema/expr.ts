// Checking D expressions: identifiers are resolved to variables, built-ins,
// enumerators, inlines or kernel symbols; every operator is checked by
// DTrace's rules (K&R's, plus D's strings, associative arrays and
// translators) and reports DTrace's D_* diagnostics; the result is the
// checked IR of sema/ir.ts.

import { CompileError, type Pos } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { BUILTIN_VARS } from '../library/vars.js';
import { bindParams } from './decls.js';
import { FUNCS } from './actions.js';
import { checkSubrCall } from './subrs.js';
import { symbolicKey } from './stackkeys.js';
import { foldBinary, foldCast, foldUnary } from './fold.js';
import { isLValue, type ArithOp, type CmpOp, type LValue, type TExpr, type Variable } from './ir.js';
import type { Inline, Scope } from './scope.js';
import { argCompat, isZero, ptrCompat } from './compat.js';
import { assignTaint, incdecStore, keyTaint, ptrdiffAlloca, storable, type VarStore } from './alloca.js';
import {
  resolved, T, arithResult, findMember, intConstType, isArith, isByRef, isChar, isIncomplete, isIntegral, isPointerLike, isScalar,
  isStrCompat, isVoidOrFuncPtr, named, pointerTo, sameType, sizeOf, type IntType, type Type,
} from './types.js';

export { argCompat, isZero, ptrCompat };

const INT64 = named(T.long, 'int64_t');
const SIZE_T = named(T.ulong, 'size_t');
const PTRDIFF_T = named(T.long, 'ptrdiff_t');

/** unsupported reports a construct the language has but this compiler does not build yet. */
export function unsupported(what: string, pos: Pos): CompileError {
  return new CompileError('D_UNSUPPORTED', `${what} is not supported yet`, pos);
}

export function quote(t: Type): string {
  return `"${t.name}"`;
}

function err(tag: string, msg: string, pos: Pos): CompileError {
  return new CompileError(tag, msg, pos);
}

/** ClauseArgs is what the probes of a clause say about args[]: their types, or none for untyped probes. */
export interface ClauseArgs {
  /** The probe description as DTrace names it in args[] messages (`:::BEGIN`). */
  readonly desc: string;
  /** Argument types; undefined when the probes' arguments are untyped 64-bit integers. */
  readonly types?: readonly Type[];
  /** Number of arguments the probes have (for untyped probes). */
  readonly count: number;
}

/** MAX_TUPLE is how many keys a tuple (associative array or aggregation key) may have, as in DTrace. */
export const MAX_TUPLE = 9;

/** checkTupleSize refuses a key tuple longer than DTrace's tuple registers hold (a code generator limit, untagged). */
export function checkTupleSize(n: number): void {
  if (n > MAX_TUPLE) throw new CompileError('', 'Insufficient tuple registers to generate code');
}

/** isDynamic tells whether an lvalue lives in dynamic storage (thread-locals and associative arrays). */
function isDynamic(l: LValue): boolean {
  return l.k === 'assoc' || l.k === 'var' && l.v.scope === 'self';
}

/**
 * writable tells whether D lets a program store into an lvalue (DTrace's
 * DT_NF_WRITABLE): its own variables and their parts, and (as dt_cook_op1
 * propagates the bit) what a pointer held in one of its variables points
 * to, `*(v + i)` included. Of those, only D's storage and alloca memory
 * can be stored into (sema/alloca.ts storable).
 */
export function writable(l: TExpr): boolean {
  switch (l.k) {
    case 'var': case 'assoc': return true;
    case 'member': return writable(l.obj);
    case 'index': return writable(l.arr);
    case 'deref': return writable(l.ptr) || l.ptr.k === 'ptradd' && l.ptr.op === '+' && writable(l.ptr.ptr);
    default: return false;
  }
}

/** ExprChecker checks the expressions of one clause (or an inline's or translator's value). */
export class ExprChecker {
  /** Names bound to values while a translator member is checked (its input parameter). */
  protected readonly bindings = new Map<string, TExpr>();
  /** Stores into variables in the order the code generator makes them (checked for alloca reuse). */
  readonly stores: VarStore[] = [];
  /** Stores through pointers to memory D cannot write, refused after the clause is checked (checkWrite). */
  readonly unstorable: CompileError[] = [];

  constructor(readonly scope: Scope, readonly index: number, readonly args?: ClauseArgs) {}

  /** bindAll checks `fn` with each of `names` standing for the value at the same index. */
  bindAll<R>(names: readonly string[], values: readonly TExpr[], fn: () => R): R {
    if (names.length === 0) return fn();
    return this.bind(names[0], values[0], () => this.bindAll(names.slice(1), values.slice(1), fn));
  }

  /** bind checks `fn` with `name` standing for `value`. */
  bind<R>(name: string, value: TExpr, fn: () => R): R {
    const prev = this.bindings.get(name);
    this.bindings.set(name, value);
    try {
      return fn();
    } finally {
      if (prev === undefined) this.bindings.delete(name);
      else this.bindings.set(name, prev);
    }
  }

  expr(e: A.Expr): TExpr {
    switch (e.kind) {
      case 'IntLit': return { k: 'int', type: intConstType(e.value, e.suffix, e.base), pos: e.pos, value: e.value };
      // A character constant is an int in D, as in C: 'ab' is (('a' << 8) | 'b').
      case 'CharLit': return { k: 'int', type: intConstType(e.value, '', 10), pos: e.pos, value: e.value };
      case 'StrLit': return { k: 'str', type: T.string, pos: e.pos, value: e.value };
      case 'Ident': return this.ident(e);
      case 'ScopedVar': return this.scopedVar(e);
      case 'AggRef': throw err('D_AGG_INEXPR', `aggregation @${e.name} may not be used in an expression`, e.pos);
      case 'Binary': return this.binary(e);
      case 'Assign': return this.assign(e);
      case 'Unary': return this.unary(e);
      case 'IncDec': return this.incdec(e);
      case 'Ternary': return this.ternary(e);
      case 'Cast': return this.cast(e);
      case 'SizeofType': {
        const type = this.scope.types.typeName(e.type);
        return this.sizeofType(type, e.end);
      }
      case 'Offsetof': return this.offsetof(e);
      case 'Call': return this.call(e);
      case 'Index': return this.indexExpr(e);
      case 'Member': return this.member(e);
      case 'Xlate': return this.scope.translators.xlate(this, e);
      case 'Comma': {
        const exprs = e.exprs.map((x) => this.expr(x));
        for (const x of exprs) if (x.type.kind === 'void' && x.k === 'int') throw err('D_OP_ACT', 'operator , operands cannot be actions', e.pos);
        return { k: 'comma', type: exprs[exprs.length - 1].type, pos: e.pos, exprs };
      }
    }
  }

  /** value checks an expression used for its value. */
  value(e: A.Expr): TExpr {
    return this.expr(e);
  }

  /** toString converts a string-compatible value to a string (`stringof`, %s, string stores and compares). */
  toStr(e: TExpr): TExpr {
    if (e.type.kind === 'string' || isZero(e)) return e;
    return { k: 'tostr', type: T.string, pos: e.pos, e };
  }

  // ------------------------------------------------------------ identifiers

  private ident(e: A.Ident): TExpr {
    if (e.backquote) return this.symbol(e);
    const bound = this.bindings.get(e.name);
    if (bound !== undefined) return bound;
    const v = this.scope.globals.get(e.name);
    if (v !== undefined) {
      if (v.keys !== undefined) throw err('D_IDENT_BADREF', `associative array '${e.name}' may not be referenced as scalar`, e.pos);
      return { k: 'var', type: v.type, pos: e.pos, v };
    }
    const inl = this.scope.inlines.get(e.name);
    if (inl !== undefined) {
      if (inl.constant === undefined && inl.params !== undefined) {
        throw err('D_IDENT_BADREF', `associative array '${e.name}' may not be referenced as scalar`, e.pos);
      }
      return this.inlineUse(inl, e.pos);
    }
    const en = this.scope.types.env.enumerators.get(e.name);
    if (en !== undefined) return { k: 'int', type: en.type, pos: e.pos, value: en.value };
    // A name the D library defines (curpsinfo, SSLEEP, ...): its file is loaded now.
    if (this.scope.types.env.need('ident', e.name)) return this.ident(e);
    const b = BUILTIN_VARS[e.name];
    if (b !== undefined && b.via !== undefined) {
      // A built-in read from kernel data: the member chain it stands for.
      const [root, ...path] = b.via;
      let ast: A.Expr = { kind: 'Ident', pos: e.pos, name: root, backquote: false };
      for (const m of path) ast = { kind: 'Member', pos: e.pos, object: ast, member: m, arrow: true };
      const v = this.value(ast);
      return { k: 'cast', type: b.type(this.scope.types.env), pos: e.pos, e: v };
    }
    if (b !== undefined) {
      if (e.name === 'args') throw err('D_IDENT_BADREF', 'associative array \'args\' may not be referenced as scalar', e.pos);
      if (b.gen === undefined) throw unsupported(`built-in variable ${e.name}`, e.pos);
      return { k: 'builtin', type: b.type(this.scope.types.env), pos: e.pos, name: e.name };
    }
    const ke = this.scope.types.env.kernelTypes()?.enumerator(e.name);
    // A kernel enumerator is an int constant (a script's own enumerators keep their enum type).
    if (ke !== undefined) return { k: 'int', type: T.int, pos: e.pos, value: ke.value };
    const fn = Object.hasOwn(FUNCS, e.name) ? FUNCS[e.name] : undefined;
    if (fn !== undefined) {
      const what = { action: 'tracing function', subr: 'function', agg: 'aggregating function' }[fn.kind];
      throw err('D_IDENT_BADREF', `${what} '${e.name}' may not be referenced as scalar`, e.pos);
    }
    throw err('D_IDENT_UNDEF', `failed to resolve ${e.name}: Unknown variable name`, e.pos);
  }

  /**
   * inlineUse is the value of an inline where it is used: its constant,
   * or its expression checked again (with the parameters of an
   * associative inline bound to `args`) and cast to the declared type.
   */
  inlineUse(inl: Inline, pos: Pos, args?: readonly TExpr[]): TExpr {
    if (inl.constant !== undefined) return { k: 'int', type: inl.constant.type, pos, value: inl.constant.value };
    const v = bindParams(this, inl.params ?? [], () => this.value(inl.value as A.Expr), args);
    // A translation, or a struct, is used as it is; anything else takes the declared type.
    if (sameType(v.type, inl.type) || v.k === 'xlated' || v.type.kind === 'sou') return { ...v, pos } as TExpr;
    return this.castTo({ ...v, pos } as TExpr, inl.type);
  }

  /** castTo converts a value to a scalar type as an implicit conversion (constants are folded). */
  castTo(v: TExpr, type: Type): TExpr {
    if (v.k === 'int' && type.kind === 'int') return foldCast(v, type);
    return { k: 'cast', type, pos: v.pos, e: v };
  }

  private symbol(e: A.Ident): TExpr {
    const sym = this.scope.types.env.symbol(e.module, e.name);
    if (sym === undefined) throw err('D_IDENT_UNDEF', `failed to resolve ${e.module ?? ''}\`${e.name}: Unknown symbol name`, e.pos);
    if (sym.type === undefined) {
      throw err('D_SYM_NOTYPES', `no symbolic type information is available for ${sym.module}\`${e.name}: No type information available for symbol`, e.pos);
    }
    return { k: 'sym', type: sym.type, pos: e.pos, sym };
  }

  private scopedVar(e: A.ScopedVar): TExpr {
    const v = this.scope.table(e.scope).get(e.name);
    if (v === undefined) throw err('D_VAR_UNDEF', `${e.scope}->${e.name} has not yet been declared or assigned`, e.pos);
    if (v.keys !== undefined) {
      // A thread-local array used as a scalar is a reference with no keys, as DTrace checks it.
      throw err('D_PROTO_LEN', `${e.name}[ ] prototype mismatch: 0 keys passed, ${v.keys.length} expected`, e.pos);
    }
    return { k: 'var', type: v.type, pos: e.pos, v };
  }

  // ------------------------------------------------------------ [ ] and members

  private indexExpr(e: A.Index): TExpr {
    const b = e.base;
    if (b.kind === 'Ident' && !b.backquote && b.name === 'args' && !this.scope.globals.has('args')) return this.argsRef(e);
    if (b.kind === 'Ident' && !b.backquote && b.name in BUILTIN_VARS && !this.scope.globals.has(b.name)) {
      // A built-in array (uregs[]): its index is checked first.
      e.index.forEach((x) => this.value(x));
    }
    // An associative inline (the D library's too: its file is loaded when first named).
    const named = b.kind === 'Ident' && !b.backquote && !this.bindings.has(b.name) && !this.scope.globals.has(b.name) ? b.name : undefined;
    const inl = named === undefined ? undefined
      : this.scope.inlines.get(named) ?? (this.scope.types.env.need('ident', named) ? this.scope.inlines.get(named) : undefined);
    if (inl?.params !== undefined && inl.constant === undefined) {
      const keys = e.index.map((x, i) => this.keyValue(this.keyExpr(x, i, 'associative array'), i));
      this.checkKeys(inl.name, inl.params.map((p) => p.type), keys, e.pos);
      return this.inlineUse(inl, e.pos, keys);
    }
    const assoc = this.assocVar(b, e.pos, false);
    if (assoc !== undefined) return this.assocRef(assoc, e, false);
    const base = this.expr(b);
    if (e.index.length > 1) throw err('D_ARR_BADREF', `cannot access ${this.nodeName(b)} as an associative array`, e.pos);
    return this.subscript(base, this.expr(e.index[0]), e.pos);
  }

  /** nodeName names an operand as DTrace's messages do. */
  private nodeName(b: A.Expr): string {
    if (b.kind === 'Ident' || b.kind === 'ScopedVar') return `scalar ${b.name}`;
    return 'expression';
  }

  /**
   * assocVar resolves the base of `x[...]` when it is (or, when `create`,
   * may become) an associative array: an undeclared or array global, or an
   * undeclared or array thread-local. Clause-locals may not be arrays.
   */
  private assocVar(b: A.Expr, pos: Pos, create: boolean): Variable | 'new' | undefined {
    if (b.kind === 'Ident' && !b.backquote) {
      const v = this.scope.globals.get(b.name);
      if (v !== undefined) return v.keys !== undefined ? v : undefined;
      if (this.scope.inlines.has(b.name) || b.name in BUILTIN_VARS || this.scope.types.env.enumerators.has(b.name)) return undefined;
      if (!create) throw err('D_VAR_UNDEF', `${b.name} has not yet been declared or assigned`, b.pos);
      return 'new';
    }
    if (b.kind === 'ScopedVar') {
      const v = this.scope.table(b.scope).get(b.name);
      if (v !== undefined) return v.keys !== undefined ? v : undefined;
      if (b.scope === 'this') throw err('D_ARR_LOCAL', `local variables may not be used as associative arrays: ${b.name}`, pos);
      if (!create) throw err('D_VAR_UNDEF', `self->${b.name} has not yet been declared or assigned`, b.pos);
      return 'new';
    }
    return undefined;
  }

  /** assocRef checks `v[keys]` against the array's key signature (fixed by its first use). */
  assocRef(v: Variable | 'new', e: A.Index, create: boolean, valueType?: Type): LValue & { k: 'assoc' } {
    const keys = e.index.map((x, i) => this.keyValue(this.keyExpr(x, i, 'associative array'), i));
    checkTupleSize(keys.length);
    const b = e.base as A.Ident | A.ScopedVar;
    let vv: Variable;
    if (v === 'new') {
      if (!create || valueType === undefined) throw err('D_IDENT_UNDEF', `failed to resolve ${b.name}: Unknown variable name`, b.pos);
      vv = this.scope.declare(b.kind === 'Ident' ? 'global' : b.scope, b.name, valueType, false);
      vv.keys = keys.map((k) => k.type);
    } else {
      vv = v;
      this.checkKeys(vv.name, vv.keys!, keys, e.pos);
    }
    keyTaint(this.scope, vv, keys);
    return { k: 'assoc', type: vv.type, pos: e.pos, v: vv, keys };
  }

  /** keyExpr checks a key expression: an aggregation (type "aggregation") is no key, of an array or an aggregation. */
  keyExpr(x: A.Expr, i: number, what: 'associative array' | 'aggregation'): TExpr {
    if (x.kind === 'AggRef') throw err('D_KEY_TYPE', `aggregation expression may not be used as ${what} index: key #${i + 1}`, x.pos);
    return this.value(x);
  }

  /** keyValue checks one key of an associative array: any type but void; char arrays key as strings. */
  private keyValue(k: TExpr, i: number): TExpr {
    if (k.type.kind === 'void') throw err('D_KEY_TYPE', 'void cannot be used as a key', k.pos);
    if (k.k === 'xlated') throw err('D_KEY_TYPE', `${k.type.name} expression may not be used as associative array index: key #${i + 1}`, k.pos);
    if (k.type.kind === 'array' && isChar(k.type.of)) return this.toStr(k);
    return k;
  }

  /** checkKeys checks the keys of `name[...]` against its key types (dt_idcook_sign). */
  private checkKeys(name: string, want: readonly Type[], keys: readonly TExpr[], pos: Pos): void {
    if (keys.length !== want.length) {
      throw err('D_PROTO_LEN', `${name}[ ] prototype mismatch: ${keys.length} key${keys.length === 1 ? '' : 's'} passed, ${want.length} expected`, pos);
    }
    keys.forEach((k, i) => {
      if (!argCompat(want[i], k)) {
        throw err('D_PROTO_ARG', `${name}[ ] key #${i + 1} is incompatible with prototype:\n\tprototype: ${want[i].name}\n\t      key: ${k.type.name}`, pos);
      }
    });
  }

  /** argsRef checks `args[n]`: n must be a constant within the probe's arguments. */
  private argsRef(e: A.Index): TExpr {
    if (e.index.length !== 1) {
      throw err('D_PROTO_LEN', `args[ ] prototype mismatch: ${e.index.length} args passed, 1 expected`, e.pos);
    }
    const idx = this.value(e.index[0]);
    const a = this.args;
    if (idx.k !== 'int' || !isIntegral(idx.type)) {
      throw err('D_PROTO_ARG', `args[ ] argument #1 is incompatible with prototype:\n\tprototype: integer constant\n\t argument: ${idx.type.name}`, e.pos);
    }
    if (a === undefined) throw err('D_ARGS_NONE', 'args[ ] may not be referenced outside of a probe clause', e.pos);
    const n = BigInt.asIntN(32, idx.value);
    const count = a.types?.length ?? a.count;
    if (n < 0n || n >= BigInt(count)) throw err('D_ARGS_IDX', `index ${n} is out of range for ${a.desc} args[ ]`, e.pos);
    return { k: 'args', type: a.types?.[Number(n)] ?? INT64, pos: e.pos, idx };
  }

  /** subscript is `base[i]` on a pointer, an array or a string: the element, as `*(base + i)`. */
  subscript(base: TExpr, idx: TExpr, pos: Pos): TExpr {
    if (base.type.kind === 'string') {
      if (!isIntegral(idx.type)) throw err('D_OP_INCOMPAT', `operands have incompatible types: ${quote(base.type)} + ${quote(idx.type)}`, pos);
      return { k: 'deref', type: T.char, pos, ptr: { k: 'ptradd', op: '+', type: pointerTo(T.char), pos, ptr: base, off: idx, scale: 1 } };
    }
    if (base.type.kind === 'array') {
      if (!isIntegral(idx.type)) throw err('D_OP_INCOMPAT', `operands have incompatible types: ${quote(base.type)} + ${quote(idx.type)}`, pos);
      const n = base.type.count;
      if (idx.k === 'int' && n > 1 && BigInt.asUintN(64, idx.value) >= BigInt(n)) {
        throw err('D_ARR_BOUNDS', `index outside array bounds: ${BigInt.asUintN(64, idx.value)}, max is ${n}`, pos);
      }
      // Indexes are checked at run time, except into kernel arrays of 0 or 1
      // elements, which are usually variable-sized arrays at a struct's end.
      const bound = n > 1 || writable(base) ? n : 0;
      return { k: 'index', type: base.type.of, pos, arr: base, idx, bound };
    }
    if (base.type.kind === 'pointer') {
      const p = this.ptrArith('+', base, idx, pos);
      return this.derefOf(p, pos);
    }
    throw err('D_DEREF_NONPTR', 'cannot dereference non-pointer type', pos);
  }

  private member(e: A.Member): TExpr {
    let obj = this.expr(e.object);
    const xl = this.scope.translators.member(this, obj, e);
    if (xl !== undefined) return xl;
    const op = e.arrow ? '->' : '.';
    if (e.arrow) {
      if (obj.type.kind !== 'pointer') throw err('D_OP_PTR', 'operator -> must be applied to a pointer', e.pos);
      const to = obj.type.to;
      if (to.kind !== 'sou') {
        throw err('D_OP_SOU', `operator -> cannot be applied to pointer to type ${quote(resolved(to))}; must be applied to a struct or union pointer`, e.pos);
      }
      obj = { k: 'deref', type: to, pos: e.pos, ptr: obj };
    }
    const t = obj.type;
    if (t.kind !== 'sou') {
      throw err('D_OP_SOU', `operator ${op} cannot be applied to type ${quote(resolved(t))}; must be applied to a struct or union`, e.pos);
    }
    if (!t.decl.complete) {
      throw err('D_OP_INCOMPLETE', `operator ${op} cannot be applied to a forward declaration: no ${t.decl.tag} ${t.decl.tagName} definition is available`, e.pos);
    }
    const m = findMember(t.decl, e.member);
    if (m === undefined) throw err('D_TYPE_MEMBER', `${e.member} is not a member of ${t.decl.tag} ${t.decl.tagName}`, e.pos);
    return { k: 'member', type: m.type, pos: e.pos, obj, m };
  }

  // ------------------------------------------------------------ unary operators

  /** derefOf is `*p`: the object a pointer points to. */
  derefOf(p: TExpr, pos: Pos): TExpr {
    const xl = this.scope.translators.deref(p, pos);
    if (xl !== undefined) return xl;
    const t = p.type;
    let to: Type;
    // A string is a char array to `*`: its first character.
    if (t.kind === 'string') return this.subscript(p, { k: 'int', type: T.int, pos, value: 0n }, pos);
    if (t.kind === 'pointer') to = t.to;
    else if (t.kind === 'array') to = t.of;
    else throw err('D_DEREF_NONPTR', 'cannot dereference non-pointer type', pos);
    if (to.kind === 'void') throw err('D_DEREF_VOID', 'cannot dereference pointer to void', pos);
    if (to.kind === 'func') throw err('D_DEREF_FUNC', 'cannot dereference pointer to function', pos);
    if (t.kind === 'array') return this.subscript(p, { k: 'int', type: T.int, pos, value: 0n }, pos);
    return { k: 'deref', type: to, pos, ptr: p };
  }

  private unary(e: A.Unary): TExpr {
    if (e.operand.kind === 'AggRef') throw aggOperand(e.op, e.pos);
    switch (e.op) {
      case '*': return this.derefOf(this.expr(e.operand), e.pos);
      case '&': return this.addressOf(e);
      case 'sizeof': {
        const v = this.value(e.operand);
        if (v.k === 'member' && v.m.bits !== undefined) throw err('D_SIZEOF_BITFIELD', 'cannot apply sizeof to a bit-field', e.pos);
        if (v.k === 'str') return { k: 'int', type: SIZE_T, pos: e.pos, value: BigInt(Buffer.byteLength(v.value, 'latin1') + 1) };
        if (v.k === 'sym' && v.sym.size !== undefined) return { k: 'int', type: SIZE_T, pos: e.pos, value: BigInt(v.sym.size) };
        const n = sizeOf(v.type, this.scope.strsize());
        if (n === 0) throw err('D_SIZEOF_TYPE', 'cannot apply sizeof to an operand of unknown size', e.pos);
        return { k: 'int', type: SIZE_T, pos: e.pos, value: BigInt(n) };
      }
      case 'stringof': {
        const v = this.value(e.operand);
        if (v.type.kind === 'string') return v;
        if (!isScalar(v.type) && !isPointerLike(v.type) && !isStrCompat(v.type)) {
          throw err('D_STRINGOF_TYPE', `cannot apply stringof to a value of type ${v.type.name}`, e.pos);
        }
        return { k: 'tostr', type: T.string, pos: e.pos, e: v };
      }
      case '+': case '-': {
        const v = this.value(e.operand);
        if (!isArith(v.type)) throw err('D_OP_ARITH', `operator ${e.op} requires an operand of arithmetic type`, e.pos);
        const type = v.type.kind === 'enum' ? T.int : v.type;
        if (e.op === '+') return v.type === type ? v : { k: 'cast', type, pos: e.pos, e: v };
        return foldUnary({ k: 'unop', type, pos: e.pos, op: '-', e: v });
      }
      case '~': {
        const v = this.value(e.operand);
        if (!isIntegral(v.type)) throw err('D_OP_INT', 'operator ~ requires an operand of integral type', e.pos);
        return foldUnary({ k: 'unop', type: v.type.kind === 'enum' ? T.int : v.type, pos: e.pos, op: '~', e: v });
      }
      case '!': {
        const v = this.value(e.operand);
        if (!isScalar(v.type)) throw err('D_OP_SCALAR', 'operator ! requires an operand of scalar type', e.pos);
        return foldUnary({ k: 'unop', type: T.int, pos: e.pos, op: '!', e: v });
      }
    }
  }

  private addressOf(e: A.Unary): TExpr {
    const o = e.operand;
    if (o.kind === 'AggRef') throw err('D_ADDROF_VAR', 'cannot take address of dynamic variable', e.pos);
    const v = this.expr(o);
    if (v.k === 'var' || v.k === 'assoc' || v.k === 'builtin' || v.k === 'args') {
      throw err('D_ADDROF_VAR', 'cannot take address of dynamic variable', e.pos);
    }
    // Arrays reached through a pointer or a member are not lvalues in D (K&R A7.3.3).
    if (!isLValue(v) || v.k !== 'sym' && v.type.kind === 'array') {
      throw err('D_ADDROF_LVAL', 'unacceptable operand for unary & operator', e.pos);
    }
    if (v.k === 'member' && v.m.bits !== undefined) throw err('D_ADDROF_BITFIELD', 'cannot take address of bit-field', e.pos);
    const user = v.k === 'deref' && v.ptr.type.kind === 'pointer' && v.ptr.type.user;
    return { k: 'addr', type: pointerTo(v.type, user), pos: e.pos, e: v };
  }

  // ------------------------------------------------------------ binary operators

  private binary(e: A.Binary): TExpr {
    if (e.left.kind === 'AggRef' || e.right.kind === 'AggRef') {
      // An aggregation in an expression has the type "aggregation", which no operator takes.
      const name = (side: A.Expr): string => side.kind === 'AggRef' ? 'aggregation' : this.value(side).type.name;
      throw err('D_OP_INCOMPAT', `operands have incompatible types: "${name(e.left)}" ${e.op} "${name(e.right)}"`, e.pos);
    }
    const l = this.value(e.left);
    if (isCompare(e.op)) return this.compare(e, l);
    const r = this.value(e.right);
    switch (e.op) {
      case '&&': case '||': case '^^':
        if (!isScalar(l.type) || !isScalar(r.type)) throw err('D_OP_SCALAR', `operator ${e.op} requires operands of scalar type`, e.pos);
        return foldBinary({ k: 'logic', type: T.int, pos: e.pos, op: e.op, l, r });
      case '+': case '-':
        return this.additive(e.op, l, r, e.pos);
      case '<<': case '>>': case '&': case '|': case '^': case '%':
        if (!isIntegral(l.type) || !isIntegral(r.type)) throw err('D_OP_INT', `operator ${e.op} requires operands of integral type`, e.pos);
        break;
      default:
        if (!isArith(l.type) || !isArith(r.type)) throw err('D_OP_ARITH', `operator ${e.op} requires operands of arithmetic type`, e.pos);
    }
    if (e.op === '/' || e.op === '%') this.checkDivisor(r);
    const lt = l.type as IntType;
    const rt = r.type as IntType;
    // Shifts take the type of their left operand.
    const type = e.op === '<<' || e.op === '>>' ? (lt.kind === 'int' ? lt : T.int) : arithResult(lt, rt);
    return foldBinary({ k: 'binop', type, pos: e.pos, op: e.op as '*', l, r });
  }

  /** additive checks + and -: integers, pointer ± integer, pointer - pointer (K&R A7.7; strings act as pointers). */
  private additive(op: '+' | '-', l: TExpr, r: TExpr, pos: Pos): TExpr {
    const ptr = (t: Type): boolean => t.kind === 'string' || isPointerLike(t) && !isVoidOrFuncPtr(t);
    if (isIntegral(l.type) && isIntegral(r.type)) {
      return foldBinary({ k: 'binop', type: arithResult(l.type, r.type), pos, op, l, r });
    }
    // A string plus or minus an integer is the string from there on (D treats strings as pointers).
    const str = (x: TExpr): TExpr => x.type.kind === 'string' ? this.toStr(this.ptrArith(op, x, x === l ? r : l, pos)) : this.ptrArith(op, x, x === l ? r : l, pos);
    if (ptr(l.type) && isIntegral(r.type)) return str(l);
    if (op === '+' && isIntegral(l.type) && ptr(r.type)) return str(r);
    if (op === '-' && ptr(l.type) && ptr(r.type) && ptrCompat(l, r)) {
      ptrdiffAlloca(l, r, op, pos);
      return { k: 'ptrdiff', type: PTRDIFF_T, pos, l, r, scale: Math.max(1, elemSize(l.type, this.scope.strsize())) };
    }
    throw err('D_OP_INCOMPAT', `operands have incompatible types: ${quote(l.type)} ${op} ${quote(r.type)}`, pos);
  }

  /** ptrArith is pointer ± integer: the result has the pointer's type (an array's decays to a pointer). */
  ptrArith(op: '+' | '-', p: TExpr, n: TExpr, pos: Pos): TExpr {
    const t = p.type;
    if (t.kind === 'array' && n.k === 'int' && t.count > 1 && BigInt.asUintN(64, n.value) >= BigInt(t.count)) {
      throw err('D_ARR_BOUNDS', `index outside array bounds: ${BigInt.asUintN(64, n.value)}, max is ${t.count}`, pos);
    }
    // As in DTrace, an array plus an integer keeps the array's type (trace() shows its bytes from there).
    const type = t.kind === 'string' ? pointerTo(T.char) : t;
    const scale = Math.max(1, elemSize(t, this.scope.strsize()));
    return { k: 'ptradd', type, pos, op, ptr: p, off: n, scale };
  }

  private compare(e: A.Binary, l: TExpr): TExpr {
    const op = e.op as CmpOp;
    // An enum on the left lets the right name one of its enumerators.
    let r: TExpr;
    const rr = e.right;
    if (l.type.kind === 'enum' && rr.kind === 'Ident' && !rr.backquote && l.type.decl.values.has(rr.name)) {
      if (this.scope.globals.has(rr.name)) {
        throw err('D_IDENT_AMBIG', `ambiguous use of operator ${op}: ${rr.name} is both a ${l.type.name} enum tag and a global scalar`, e.pos);
      }
      r = { k: 'int', type: l.type, pos: rr.pos, value: l.type.decl.values.get(rr.name)! };
    } else {
      r = this.value(rr);
    }
    const lt = l.type;
    const rt = r.type;
    if (sameType(lt, rt) && !isByRef(lt) && lt.kind !== 'void') {
      // same scalar types
    } else if (isIntegral(lt) && isIntegral(rt)) {
      // integers
    } else if (isStrCompat(lt) && isStrCompat(rt) && (lt.kind === 'string' || rt.kind === 'string')) {
      return foldBinary({ k: 'cmp', type: T.int, pos: e.pos, op, l: this.toStr(l), r: this.toStr(r), signed: false, strcmp: true });
    } else if (sameType(lt, rt) && lt.kind === 'string') {
      return foldBinary({ k: 'cmp', type: T.int, pos: e.pos, op, l, r, signed: false, strcmp: true });
    } else if (!ptrCompat(l, r)) {
      throw err('D_OP_INCOMPAT', `operands have incompatible types: ${quote(lt)} ${op} ${quote(rt)}`, e.pos);
    }
    if (!isScalar(lt) && !isPointerLike(lt) && lt.kind !== 'string' || !isScalar(rt) && !isPointerLike(rt) && rt.kind !== 'string') {
      throw err('D_OP_INCOMPAT', `operands have incompatible types: ${quote(lt)} ${op} ${quote(rt)}`, e.pos);
    }
    let signed = false;
    if (isIntegral(lt) && isIntegral(rt)) signed = arithResult(lt, rt).signed;
    return foldBinary({ k: 'cmp', type: T.int, pos: e.pos, op, l, r, signed, strcmp: false });
  }

  private checkDivisor(r: TExpr): void {
    if (r.k === 'int' && r.value === 0n) throw err('D_DIV_ZERO', 'expression contains division by zero', r.pos);
  }

  // ------------------------------------------------------------ ?:, casts, sizeof, offsetof

  private ternary(e: A.Ternary): TExpr {
    if (e.cond.kind === 'AggRef') throw err('D_OP_SCALAR', 'operator ?: expression must be of scalar type', e.cond.pos);
    const c = this.value(e.cond);
    const t = this.value(e.then);
    const f = this.value(e.else);
    if (!isScalar(c.type)) throw err('D_OP_SCALAR', 'operator ?: expression must be of scalar type', e.cond.pos);
    let type: Type;
    let tt = t;
    let ff = f;
    if (sameType(t.type, f.type)) type = t.type;
    else if (isIntegral(t.type) && isIntegral(f.type)) type = arithResult(t.type, f.type);
    else if (isStrCompat(t.type) && isStrCompat(f.type) && (t.type.kind === 'string' || f.type.kind === 'string')) {
      type = T.string;
      tt = this.toStr(t);
      ff = this.toStr(f);
    } else if (ptrCompat(t, f)) type = isZero(t) ? f.type : isZero(f) ? t.type : t.type.kind === 'pointer' && t.type.to.kind === 'void' ? f.type : t.type;
    else throw err('D_OP_INCOMPAT', 'operator ?: operands must have compatible types', e.pos);
    if (t.type.kind === 'void' || f.type.kind === 'void') throw err('D_OP_ACT', 'action cannot be used in a conditional context', e.pos);
    if (c.k === 'int') return c.value !== 0n ? { ...tt, type } : { ...ff, type };
    return { k: 'cond', type, pos: e.pos, c, t: tt, f: ff };
  }

  private cast(e: A.Cast): TExpr {
    const type = this.scope.types.typeName(e.type);
    if (e.operand.kind === 'AggRef') throw err('D_CAST_INVAL', `invalid cast expression: "aggregation" to ${quote(type)}`, e.pos);
    const v = this.value(e.operand);
    if (v.k === 'xlated') {
      // A translated pointer may be cast to a pointer type, which makes it its input pointer.
      if (!v.ptr || type.kind !== 'pointer') {
        throw err('D_CAST_INVAL', `invalid cast expression: ${quote(v.type)} to ${quote(type)}`, e.pos);
      }
      return { k: 'cast', type, pos: e.pos, e: v.input };
    }
    const ok = sameType(type, v.type)
      || isScalar(type) && (isScalar(v.type) || v.type.kind === 'func')
      || type.kind === 'void'
      || type.kind === 'pointer' && isPointerLike(v.type)
      || type.kind === 'string' && (isScalar(v.type) || isPointerLike(v.type) || isStrCompat(v.type));
    if (!ok) throw err('D_CAST_INVAL', `invalid cast expression: ${quote(v.type)} to ${quote(type)}`, e.pos);
    if (type.kind === 'string') return v.type.kind === 'string' ? v : { k: 'tostr', type, pos: e.pos, e: v };
    if (v.k === 'int' && type.kind === 'int') return foldCast(v, type);
    if (type.kind === 'sou' || type.kind === 'array') return { ...v, type } as TExpr;
    return { k: 'cast', type, pos: e.pos, e: v };
  }

  /** sizeofType is `sizeof (type)`: a size_t constant; incomplete types and void have no size. */
  sizeofType(type: Type, pos: Pos): TExpr {
    const n = isIncomplete(type) ? 0 : sizeOf(type, this.scope.strsize());
    if (n === 0) throw err('D_SIZEOF_TYPE', 'cannot apply sizeof to an operand of unknown size', pos);
    return { k: 'int', type: SIZE_T, pos, value: BigInt(n) };
  }

  /** offsetof is dt_node_offsetof: the byte offset of a member of a (complete) struct or union, an int constant. */
  private offsetof(e: A.Offsetof): TExpr {
    const type = this.scope.types.typeName(e.type);
    // A forward declaration is not a struct or union yet.
    if (type.kind !== 'sou' || type.decl.forward) {
      throw err('D_OFFSETOF_TYPE', 'offsetof operand must be a struct or union type', e.end);
    }
    const m = findMember(type.decl, e.member);
    if (m === undefined) throw err('D_UNKNOWN', `failed to determine offset of ${e.member}: Member name not found`, e.end);
    if (m.bits !== undefined) throw err('D_OFFSETOF_BITFIELD', `cannot take offset of a bit-field: ${e.member}`, e.end);
    const value = BigInt(m.bitOffset / 8);
    return { k: 'int', type: intConstType(value, '', 10), pos: e.end, value };
  }

  // ------------------------------------------------------------ assignment

  /**
   * target resolves an assignment target, creating the variable (or
   * associative array) it names on first assignment with the value's type.
   */
  target(t: A.Expr, valueType: Type | undefined, op: string): LValue {
    if (t.kind === 'Ident' && !t.backquote) {
      // A D library name is loaded first, so that assigning it is refused as DTrace refuses it.
      const v = this.scope.globals.get(t.name) ?? (this.scope.types.env.need('ident', t.name) ? this.scope.globals.get(t.name) : undefined);
      if (v === undefined) {
        const inl = this.scope.inlines.get(t.name);
        // Enumerators and integer-constant inlines are constants, not lvalues.
        if (inl?.constant !== undefined || this.scope.types.env.enumerators.has(t.name)) {
          throw err('D_OP_LVAL', `operator ${op} requires modifiable lvalue as an operand`, t.pos);
        }
        if (inl !== undefined && inl.params === undefined) {
          // An inline that names a variable stands for it, and stores into it.
          const u = this.inlineUse(inl, t.pos);
          if (isLValue(u) && writable(u)) return u;
        }
        if (inl !== undefined || t.name in BUILTIN_VARS) {
          throw err('D_OP_WRITE', `operator ${op} can only be applied to a writable variable`, t.pos);
        }
        return this.newVar('global', t.name, valueType, t.pos);
      }
      if (v.keys !== undefined) throw err('D_IDENT_BADREF', `associative array '${t.name}' may not be referenced as scalar`, t.pos);
      return { k: 'var', type: v.type, pos: t.pos, v };
    }
    if (t.kind === 'ScopedVar') {
      const v = this.scope.table(t.scope).get(t.name);
      if (v === undefined) return this.newVar(t.scope, t.name, valueType, t.pos);
      if (v.keys !== undefined) throw err('D_IDENT_BADREF', `associative array '${t.name}' may not be referenced as scalar`, t.pos);
      return { k: 'var', type: v.type, pos: t.pos, v };
    }
    if (t.kind === 'Index') {
      const b = t.base;
      const inl = b.kind === 'Ident' && !b.backquote && !this.scope.globals.has(b.name) ? this.scope.inlines.get(b.name) : undefined;
      if (inl?.params !== undefined && inl.constant === undefined) {
        throw err('D_OP_WRITE', `operator ${op} can only be applied to a writable variable`, t.pos);
      }
      const assoc = this.assocVar(t.base, t.pos, true);
      if (assoc !== undefined) return this.assocRef(assoc, t, true, valueType);
    }
    const l = this.expr(t);
    if (!isLValue(l) || l.type.kind === 'array' && !isChar(l.type.of) && l.k !== 'var') {
      throw err('D_OP_LVAL', `operator ${op} requires modifiable lvalue as an operand`, t.pos);
    }
    return l;
  }

  /** targetTypeName is the quoted type of an assignment target, "void" for a variable not yet created. */
  private targetTypeName(t: A.Expr): string {
    try {
      return quote(this.expr(t).type);
    } catch (e) {
      if (e instanceof CompileError) return quote(T.void);
      throw e;
    }
  }

  /**
   * checkDeclared refuses a compound assignment (+=, ...) to a variable
   * not yet declared or assigned: DTrace reads the left operand first.
   */
  private checkDeclared(t: A.Expr): void {
    if (t.kind === 'ScopedVar' && !this.scope.table(t.scope).has(t.name)) {
      throw err('D_VAR_UNDEF', `${t.scope}->${t.name} has not yet been declared or assigned`, t.pos);
    }
    if (t.kind !== 'Ident' || t.backquote || this.scope.globals.has(t.name) || this.scope.inlines.has(t.name) || t.name in BUILTIN_VARS) return;
    if (this.scope.types.env.enumerators.has(t.name) || this.scope.types.env.need('ident', t.name)) return;
    throw err('D_VAR_UNDEF', `${t.name} has not yet been declared or assigned`, t.pos);
  }

  private newVar(scope: Variable['scope'], name: string, valueType: Type | undefined, pos: Pos): LValue {
    if (valueType === undefined || valueType.kind === 'void') {
      throw err(scope === 'global' ? 'D_IDENT_UNDEF' : 'D_VAR_UNDEF', scope === 'global' ? `failed to resolve ${name}: Unknown variable name` : `${scope}->${name} has not yet been declared or assigned`, pos);
    }
    const v = this.scope.declare(scope, name, valueType, false);
    return { k: 'var', type: v.type, pos, v };
  }

  private assign(e: A.Assign): TExpr {
    if (e.op !== '=') this.checkDeclared(e.target);
    if (e.value.kind === 'AggRef' || e.value.kind === 'Ternary' && (e.value.then.kind === 'AggRef' || e.value.else.kind === 'AggRef')) {
      throw this.aggAssign(e);
    }
    // A translated struct stored whole is computed whole; a translated pointer cannot be stored.
    let value = this.scope.translators.materialize(this, this.value(e.value));
    // An action or void subroutine has no value: DTrace reports the operand types (the target is "void" when not yet created).
    if (value.type.kind === 'void' && e.op === '=') {
      throw err('D_OP_INCOMPAT', `operands have incompatible types: ${this.targetTypeName(e.target)} ${e.op} ${quote(value.type)}`, e.pos);
    }
    this.assignInline(e, value);
    const target = this.target(e.target, value.k === 'xlated' ? pointerTo(value.xl.output) : value.type, e.op);
    const lt = target.type;
    if (e.op === '=') {
      if (lt.kind === 'array' || lt.kind === 'func') {
        throw err('D_OP_ARRFUN', `operator ${e.op} may not be applied to operand of type ${quote(lt)}`, e.pos);
      }
      const ok = argCompat(lt, value) || isZero(value) && (lt.kind === 'string' || isDynamic(target));
      if (!ok) throw err('D_OP_INCOMPAT', `operands have incompatible types: ${quote(lt)} ${e.op} ${quote(value.type)}`, e.pos);
      this.checkWrite(target, e.op, e.pos);
      assignTaint(this.scope, this.stores, target, value, e.pos);
      if (lt.kind === 'string') value = this.toStr(value);
      return { k: 'assign', type: lt, pos: e.pos, target, op: '=', value };
    }
    const op = e.op.slice(0, -1) as ArithOp;
    if (op === '+' || op === '-') {
      if (lt.kind === 'string' || value.type.kind === 'string') {
        throw err('D_OP_INCOMPAT', `operands have incompatible types: ${quote(lt)} ${e.op} ${quote(value.type)}`, e.pos);
      }
      if (!isIntegral(lt) || !isIntegral(value.type)) {
        if (lt.kind !== 'pointer' || isVoidOrFuncPtr(lt)) throw err('D_OP_VFPTR', `operator ${e.op} requires left-hand scalar operand of known size`, e.pos);
        if (!isIntegral(value.type)) throw err('D_OP_INCOMPAT', `operands have incompatible types: ${quote(lt)} ${e.op} ${quote(value.type)}`, e.pos);
      }
    } else if (op === '*' || op === '/') {
      if (!isArith(lt) || !isArith(value.type)) throw err('D_OP_ARITH', `operator ${e.op} requires operands of arithmetic type`, e.pos);
    } else if (!isIntegral(lt) || !isIntegral(value.type)) {
      throw err('D_OP_INT', `operator ${e.op} requires operands of integral type`, e.pos);
    }
    this.checkWrite(target, e.op, e.pos);
    if (op === '/' || op === '%') this.checkDivisor(value);
    assignTaint(this.scope, this.stores, target, value, e.pos);
    if (lt.kind === 'pointer') {
      // p += n scales n by the pointee's size.
      const scale = Math.max(1, elemSize(lt, this.scope.strsize()));
      value = scale === 1 ? value : { k: 'binop', type: T.long, pos: value.pos, op: '*', l: value, r: { k: 'int', type: T.long, pos: value.pos, value: BigInt(scale) } };
    }
    return { k: 'assign', type: lt, pos: e.pos, target, op, value };
  }

  /**
   * assignInline checks `name = value` where `name` is an inline (the D
   * library's included) or an enumerator as dt_cook_op2 does: the types
   * first, against the value the name stands for; `target` then refuses
   * the store, or makes it for an inline that names a variable.
   */
  /**
   * aggAssign is the error for storing an aggregation (type "aggregation")
   * in a variable, as DTrace words it: a variable not declared yet is a
   * "scalar" (an array element an "associative array"), a compound
   * assignment wants a scalar of known size on its right too.
   */
  private aggAssign(e: A.Assign): CompileError {
    if (e.op !== '=') return err('D_OP_VFPTR', `operator ${e.op} requires left-hand scalar operand of known size`, e.pos);
    const t = e.target;
    let name = 'scalar';
    if (t.kind === 'Ident' || t.kind === 'ScopedVar') {
      const v = this.scope.table(t.kind === 'Ident' ? 'global' : t.scope).get(t.name);
      if (v !== undefined) name = v.type.name;
    } else if (t.kind === 'Index') {
      name = 'associative array';
    } else {
      name = this.expr(t).type.name;
    }
    return err('D_OP_INCOMPAT', `operands have incompatible types: "${name}" = "aggregation"`, e.pos);
  }

  private assignInline(e: A.Assign, value: TExpr): void {
    const t = e.target;
    if (e.op !== '=' || t.kind !== 'Ident' || t.backquote || this.scope.globals.has(t.name)) return;
    const env = this.scope.types.env;
    const known = (): boolean => this.scope.inlines.has(t.name) || env.enumerators.has(t.name);
    if (!known() && !(env.need('ident', t.name) && known())) return;
    const cur = this.ident(t);
    // The constant 0 is compatible with a pointer: DTrace compares the node itself, not only its type.
    if (cur.k === 'xlated' || !argCompat(cur.type, value) && !ptrCompat(cur, value)) {
      throw err('D_OP_INCOMPAT', `operands have incompatible types: ${quote(cur.type)} ${e.op} ${quote(value.type)}`, e.pos);
    }
  }

  private incdec(e: A.IncDec): TExpr {
    // `x++` on a new variable creates it as an int64_t, as DTrace does.
    const target = this.target(e.target, INT64, e.op);
    const t = target.type;
    if (!isScalar(t)) throw err('D_OP_SCALAR', `operator ${e.op} requires operand of scalar type`, e.pos);
    if (isVoidOrFuncPtr(t)) throw err('D_OP_VFPTR', `operator ${e.op} requires an operand of known size`, e.pos);
    this.checkWrite(target, e.op, e.pos);
    incdecStore(this.stores, target, e.pos);
    const step = t.kind === 'pointer' ? Math.max(1, elemSize(t, this.scope.strsize())) : 1;
    return { k: 'incdec', type: t, pos: e.pos, target, op: e.op, prefix: e.prefix, step };
  }

  /**
   * checkWrite is D_OP_WRITE. A store through any pointer held in a variable DTrace lets
   * through, then fails to load; this refuses it, after the clause's other errors.
   */
  private checkWrite(target: LValue, op: string, pos: Pos): void {
    const e = err('D_OP_WRITE', `operator ${op} can only be applied to a writable variable`, pos);
    if (!writable(target)) throw e;
    if (!storable(target)) this.unstorable.push(e);
  }

  // ------------------------------------------------------------ calls

  private call(e: A.Call): TExpr {
    const def = FUNCS[e.callee];
    if (def === undefined) throw err('D_IDENT_UNDEF', `failed to resolve ${e.callee}: Unknown function name`, e.pos);
    if (def.kind === 'action') {
      const sym = symbolicKey(this, e);
      if (sym !== undefined) return sym;
      // An action used as a value has type void; the caller reports the misuse.
      this.actionAsValue(e);
      return { k: 'int', type: T.void, pos: e.pos, value: 0n };
    }
    return checkSubrCall(this, e, def);
  }

  /** actionAsValue is overridden by the clause checker, which knows how to check actions. */
  protected actionAsValue(e: A.Call): void {
    throw err('D_UNKNOWN', `${e.callee}( ) may not be used here`, e.pos);
  }
}

function isCompare(op: A.BinaryOp): boolean {
  return op === '<' || op === '>' || op === '<=' || op === '>=' || op === '==' || op === '!=';
}

/** elemSize is the size of what a pointer, array or string steps over. */
function elemSize(t: Type, strsize: number): number {
  if (t.kind === 'pointer') return sizeOf(t.to, strsize);
  if (t.kind === 'array') return sizeOf(t.of, strsize);
  return 1;
}

/** aggOperand is the error for an aggregation (type "aggregation") as the operand of a unary operator, as DTrace words each. */
function aggOperand(op: A.Unary['op'], pos: A.Pos): CompileError {
  switch (op) {
    case '*': return err('D_DEREF_NONPTR', 'cannot dereference non-pointer type', pos);
    case '&': return err('D_ADDROF_VAR', 'cannot take address of dynamic variable', pos);
    case 'sizeof': return err('D_SIZEOF_TYPE', 'cannot apply sizeof to an operand of unknown size', pos);
    case 'stringof': return err('D_STRINGOF_TYPE', 'cannot apply stringof to a value of type aggregation', pos);
    case '!': return err('D_OP_SCALAR', 'operator ! requires an operand of scalar type', pos);
    case '~': return err('D_OP_INT', 'operator ~ requires an operand of integral type', pos);
    default: return err('D_OP_ARITH', `operator ${op} requires an operand of arithmetic type`, pos);
  }
}
