// The type checker: resolves identifiers, gives every expression its D type,
// folds constants and recognises actions, turning the AST into the checked
// program (sema/ir.ts). Declarations, pragmas and clauses are processed in
// program order, as DTrace does: a variable exists from its declaration or
// first assignment on. Errors are CompileErrors with DTrace's tags and words.

import { CompileError, type Pos } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { BUILTIN_VARS, FAULT_CONSTANTS } from './builtins.js';
import { FUNCS } from './actions.js';
import type { Aggregation, CheckedClause, CheckedProgram, TExpr, TStmt, Variable } from './ir.js';
import { checkAggAssign } from './aggs.js';
import { applyPragma } from './pragma.js';
import type { Options } from './options.js';
import { foldBinary, foldUnary, foldCast } from './fold.js';
import { checkCallStmt, checkParams, protoLen } from './calls.js';
import { resolveTypeName, resolveDeclType, Typedefs } from './typenames.js';
import {
  PREDEFINED_TYPEDEFS, T, arithResult, intConstType, isArith, isScalar, pointerTo, sameType, type IntType, type Type,
} from './types.js';

const INT64 = PREDEFINED_TYPEDEFS.get('int64_t')!;

/** unsupported reports a construct the language has but this compiler does not build yet. */
export function unsupported(what: string, pos: Pos): CompileError {
  return new CompileError('D_UNSUPPORTED', `${what} is not supported yet`, pos);
}

function quote(t: Type): string {
  return `"${t.name}"`;
}

/** Scope is the checker's symbol tables, filled in program order. */
export class Scope {
  readonly globals = new Map<string, Variable>();
  readonly self = new Map<string, Variable>();
  readonly locals = new Map<string, Variable>();
  readonly inlines = new Map<string, TExpr>();
  readonly typedefs = new Typedefs();
  readonly variables: Variable[] = [];
  readonly aggs = new Map<string, Aggregation>();

  table(scope: Variable['scope']): Map<string, Variable> {
    return scope === 'global' ? this.globals : scope === 'self' ? this.self : this.locals;
  }

  declare(scope: Variable['scope'], name: string, type: Type, declared: boolean): Variable {
    const v: Variable = { id: this.variables.length, name, scope, type, declared };
    this.variables.push(v);
    this.table(scope).set(name, v);
    return v;
  }
}

/** checkProgram type-checks a parsed program; options set by pragmas are applied to `options`. */
export function checkProgram(prog: A.Program, options: Options): CheckedProgram {
  const scope = new Scope();
  const clauses: CheckedClause[] = [];
  // Pragmas apply to the whole program wherever they appear (they are read
  // by the lexer before the clauses are compiled), so process them first.
  for (const item of prog.items) if (item.kind === 'Pragma') applyPragma(item, options);
  for (const item of prog.items) {
    switch (item.kind) {
      case 'Pragma': break;
      case 'Declaration': declare(item, scope); break;
      case 'InlineDecl': declareInline(item, scope); break;
      case 'Clause': clauses.push(new ClauseChecker(scope, clauses.length).check(item)); break;
      case 'TranslatorDecl': throw unsupported('translator', item.pos);
      case 'ProviderDecl': throw unsupported('provider definition', item.pos);
    }
  }
  return { clauses, variables: scope.variables, aggregations: [...scope.aggs.values()] };
}

function declName(d: A.Declarator): string | undefined {
  return d.kind === 'NameDecl' ? d.name : declName(d.inner);
}

function declare(d: A.Declaration, scope: Scope): void {
  if (d.storage === 'typedef') {
    for (const { declarator } of d.declarators) {
      const name = declName(declarator);
      if (name !== undefined) scope.typedefs.define(name, resolveDeclType(d.spec, declarator, scope.typedefs));
    }
    return;
  }
  if (d.declarators.length === 0) {
    // `struct s {...};` or `enum e {...};` alone declares a type.
    if (d.spec.base.kind === 'StructType' || d.spec.base.kind === 'EnumType') throw unsupported(`${d.spec.base.kind === 'EnumType' ? 'enum' : d.spec.base.tag} definition`, d.pos);
    return;
  }
  const where: Variable['scope'] = d.storage === 'self' ? 'self' : d.storage === 'this' ? 'this' : 'global';
  for (const { declarator, init } of d.declarators) {
    const name = declName(declarator);
    if (name === undefined) continue;
    if (init !== undefined) throw new CompileError('D_DECL_INIT', `initializers are not permitted for variable ${name}`, d.pos);
    if (declarator.kind === 'FunctionDecl') continue; // an extern function prototype declares nothing we use
    const type = resolveDeclType(d.spec, declarator, scope.typedefs);
    if (type.kind === 'void') throw new CompileError('D_DECL_VOIDOBJ', `cannot have void object: ${name}`, d.pos);
    if (type.kind === 'array' && where === 'this') throw new CompileError('D_DECL_LOCASSC', `local variables may not be used as associative arrays: ${name}`, d.pos);
    const prev = scope.table(where).get(name);
    if (prev !== undefined) {
      if (!sameType(prev.type, type)) throw new CompileError('D_DECL_IDRED', `identifier redeclared: ${name}`, d.pos);
      continue;
    }
    scope.declare(where, name, type, true);
  }
}

function declareInline(d: A.InlineDecl, scope: Scope): void {
  const name = declName(d.declarator) ?? '';
  const type = resolveDeclType(d.spec, d.declarator, scope.typedefs);
  const value = new ClauseChecker(scope, -1).expr(d.value);
  if (!assignable(type, value.type)) {
    throw new CompileError('D_OP_INCOMPAT', `inline ${name} definition uses incompatible types: ${quote(type)} = ${quote(value.type)}`, d.pos);
  }
  scope.inlines.set(name, type.kind === 'int' && value.k === 'int' ? foldCast(value, type) : value);
}

/** assignable tells whether a value of type `from` may be stored in `to`. */
export function assignable(to: Type, from: Type): boolean {
  if (to.kind === 'int' && from.kind === 'int') return true;
  if (to.kind === 'string' && from.kind === 'string') return true;
  if (to.kind === 'pointer' && from.kind === 'pointer') return true;
  if (to.kind === 'string' && from.kind === 'pointer' && from.to.kind === 'int' && from.to.size === 1) return true;
  return false;
}

/** ClauseChecker checks the predicate and body of one clause (or an inline's value when index is -1). */
export class ClauseChecker {
  constructor(readonly scope: Scope, readonly index: number) {}

  /**
   * check checks a clause as dtrace-utils' dt_cook_clause does: the actions
   * first, then the predicate, so a variable the body creates may be read
   * in the predicate; if that fails to resolve a name, it tries again
   * predicate first, so the error names the first use in the text.
   */
  check(c: A.Clause): CheckedClause {
    try {
      const body = c.body === undefined ? [] : this.stmts(c.body);
      return this.finish(c, this.predicate(c), body);
    } catch (e) {
      if (!(e instanceof CompileError) || e.diag.tag !== 'D_IDENT_UNDEF' || c.predicate === undefined) throw e;
      // As dt_cook_clause, variables created by the failed pass stay created.
      const predicate = this.predicate(c);
      return this.finish(c, predicate, c.body === undefined ? [] : this.stmts(c.body));
    }
  }

  private predicate(c: A.Clause): TExpr | undefined {
    if (c.predicate === undefined) return undefined;
    const p = this.expr(c.predicate);
    if (!isScalar(p.type)) throw new CompileError('D_PRED_SCALAR', 'predicate result must be of scalar type', c.end ?? c.predicate.pos);
    return p;
  }

  private finish(c: A.Clause, predicate: TExpr | undefined, body: TStmt[]): CheckedClause {
    return { index: this.index, pos: c.pos, probes: c.probes, predicate, defaultAction: c.body === undefined, body };
  }

  stmts(list: readonly A.Stmt[]): TStmt[] {
    const out: TStmt[] = [];
    for (const s of list) this.stmt(s, out);
    return out;
  }

  private stmt(s: A.Stmt, out: TStmt[]): void {
    switch (s.kind) {
      case 'EmptyStmt': return;
      case 'BlockStmt': out.push(...this.stmts(s.body)); return;
      case 'IfStmt': {
        const c = this.expr(s.cond);
        if (!isScalar(c.type)) throw new CompileError('D_OP_SCALAR', 'if-statement condition must be of scalar type', s.cond.pos);
        out.push({ k: 'if', c, then: this.stmts([s.then]), else: s.else ? this.stmts([s.else]) : [] });
        return;
      }
      case 'ExprStmt': {
        const e = s.expr;
        if (e.kind === 'Call' && FUNCS[e.callee]?.kind === 'action') {
          out.push(checkCallStmt(this, e));
          return;
        }
        if (e.kind === 'Assign' && (e.target.kind === 'AggRef' || e.target.kind === 'Index' && e.target.base.kind === 'AggRef')) {
          out.push(checkAggAssign(this, e));
          return;
        }
        if (e.kind === 'Call' && FUNCS[e.callee]?.kind === 'agg') {
          e.args.forEach((x) => this.expr(x));
          throw new CompileError('D_CG_EXPR', `aggregating function ${e.callee}( ) may only be used to assign a value to an aggregation`, e.pos);
        }
        if (e.kind === 'AggRef' || e.kind === 'Index' && e.base.kind === 'AggRef') {
          const name = e.kind === 'AggRef' ? e.name : (e.base as A.AggRef).name;
          throw new CompileError('D_AGG_NULL', `expression has null effect: @${name}`, e.pos);
        }
        out.push({ k: 'expr', e: this.expr(e) });
        return;
      }
    }
  }

  expr(e: A.Expr): TExpr {
    switch (e.kind) {
      case 'IntLit': return { k: 'int', type: intConstType(e.value, e.suffix, e.base), pos: e.pos, value: e.value };
      case 'CharLit': return { k: 'int', type: T.char, pos: e.pos, value: e.value };
      case 'StrLit': return { k: 'str', type: T.string, pos: e.pos, value: e.value };
      case 'Ident': return this.ident(e);
      case 'ScopedVar': return this.scopedVar(e);
      case 'AggRef': throw new CompileError('D_AGG_INEXPR', `aggregation @${e.name} may not be used in an expression`, e.pos);
      case 'Binary': return this.binary(e);
      case 'Assign': return this.assign(e);
      case 'Unary': return this.unary(e);
      case 'IncDec': return this.incdec(e);
      case 'Ternary': return this.ternary(e);
      case 'Cast': {
        const type = resolveTypeName(e.type, this.scope.typedefs);
        const v = this.expr(e.operand);
        if (type.kind === 'void') return { k: 'cast', type, pos: e.pos, e: v };
        if (!isScalar(type) && !(type.kind === 'string' && v.type.kind === 'string')) {
          throw new CompileError('D_CAST_INVAL', `invalid cast expression: ${quote(v.type)} to ${quote(type)}`, e.pos);
        }
        if (!isScalar(v.type) && v.type.kind !== type.kind) {
          throw new CompileError('D_CAST_INVAL', `invalid cast expression: ${quote(v.type)} to ${quote(type)}`, e.pos);
        }
        return v.k === 'int' && type.kind === 'int' ? foldCast(v, type) : { k: 'cast', type, pos: e.pos, e: v };
      }
      case 'SizeofType': {
        const type = resolveTypeName(e.type, this.scope.typedefs);
        return { k: 'int', type: T.ulong, pos: e.pos, value: BigInt(this.sizeOf(type, e.pos)) };
      }
      case 'Offsetof': throw unsupported('offsetof', e.pos);
      case 'Call': return this.call(e);
      case 'Index': return this.indexExpr(e);
      case 'Member': throw unsupported('struct and union members', e.pos);
      case 'Xlate': throw unsupported('xlate', e.pos);
      case 'Comma': {
        const exprs = e.exprs.map((x) => this.expr(x));
        return { k: 'comma', type: exprs[exprs.length - 1].type, pos: e.pos, exprs };
      }
    }
  }

  private sizeOf(type: Type, pos: Pos): number {
    switch (type.kind) {
      case 'int': return type.size;
      case 'pointer': return 8;
      case 'string': return 256;
      case 'array': return this.sizeOf(type.of, pos) * type.count;
      case 'void': throw new CompileError('D_SIZEOF_TYPE', 'cannot apply sizeof to an expression of type void', pos);
    }
  }

  private ident(e: A.Ident): TExpr {
    if (e.backquote) throw unsupported('kernel symbol access', e.pos);
    const v = this.scope.globals.get(e.name);
    if (v !== undefined) return { k: 'var', type: v.type, pos: e.pos, v };
    const inl = this.scope.inlines.get(e.name);
    if (inl !== undefined) return { ...inl, pos: e.pos };
    const b = BUILTIN_VARS[e.name];
    if (b !== undefined) {
      if (!b.supported) throw unsupported(`built-in variable ${e.name}`, e.pos);
      return { k: 'builtin', type: b.type, pos: e.pos, name: e.name };
    }
    if (e.name in FAULT_CONSTANTS) return { k: 'int', type: T.int, pos: e.pos, value: BigInt(FAULT_CONSTANTS[e.name]) };
    throw new CompileError('D_IDENT_UNDEF', `failed to resolve ${e.name}: Unknown variable name`, e.pos);
  }

  private scopedVar(e: A.ScopedVar): TExpr {
    const v = this.scope.table(e.scope).get(e.name);
    if (v === undefined) throw new CompileError('D_IDENT_UNDEF', `failed to resolve ${e.scope}->${e.name}: Unknown variable name`, e.pos);
    return { k: 'var', type: v.type, pos: e.pos, v };
  }

  /** lvalue resolves an assignment target, creating the variable on first assignment. */
  private lvalue(target: A.Expr, valueType: Type | undefined, op: string): Variable {
    let scope: Variable['scope'];
    let name: string;
    if (target.kind === 'Ident' && !target.backquote) {
      scope = 'global';
      name = target.name;
      if (!this.scope.globals.has(name) && (name in BUILTIN_VARS || this.scope.inlines.has(name))) {
        throw new CompileError('D_OP_WRITE', `operator ${op} can only be applied to a writable variable`, target.pos);
      }
    } else if (target.kind === 'ScopedVar') {
      scope = target.scope;
      name = target.name;
    } else if (target.kind === 'Index' || target.kind === 'Member' || target.kind === 'Unary' && target.operand.kind !== 'IntLit') {
      if (target.kind === 'Index') {
        target.index.forEach((x) => this.expr(x));
        if (target.base.kind === 'ScopedVar' && target.base.scope === 'this') {
          throw new CompileError('D_ARR_LOCAL', `local variables may not be used as associative arrays: this->${target.base.name}`, target.pos);
        }
        throw unsupported('associative arrays', target.pos);
      }
      throw unsupported(target.kind === 'Member' ? 'struct and union members' : 'pointer stores', target.pos);
    } else {
      throw new CompileError('D_OP_LVAL', `operator ${op} requires modifiable lvalue as an operand`, target.pos);
    }
    const existing = this.scope.table(scope).get(name);
    if (existing !== undefined) return existing;
    if (valueType === undefined || valueType.kind === 'void') {
      throw new CompileError('D_IDENT_UNDEF', `failed to resolve ${scope === 'global' ? '' : `${scope}->`}${name}: Unknown variable name`, target.pos);
    }
    // A new variable takes the type of the first value stored in it.
    return this.scope.declare(scope, name, valueType, false);
  }

  private assign(e: A.Assign): TExpr {
    const value = this.expr(e.value);
    const v = this.lvalue(e.target, value.type, e.op);
    if (v.type.kind === 'array') throw new CompileError('D_OP_ARRFUN', `operator ${e.op} may not be applied to operand of type ${quote(v.type)}`, e.pos);
    if (e.op === '=') {
      if (!assignable(v.type, value.type)) {
        throw new CompileError('D_OP_INCOMPAT', `operands have incompatible types: ${quote(v.type)} = ${quote(value.type)}`, e.pos);
      }
      return { k: 'assign', type: v.type, pos: e.pos, v, op: '=', value };
    }
    const op = e.op.slice(0, -1) as '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>';
    if (!isArith(v.type) || !isArith(value.type)) {
      throw new CompileError('D_OP_ARITH', `operator ${e.op} requires operands of arithmetic type`, e.pos);
    }
    if (op === '/' || op === '%') this.checkDivisor(value);
    return { k: 'assign', type: v.type, pos: e.pos, v, op, value };
  }

  private checkDivisor(r: TExpr): void {
    if (r.k === 'int' && r.value === 0n) throw new CompileError('D_DIV_ZERO', 'expression contains division by zero', r.pos);
  }

  private incdec(e: A.IncDec): TExpr {
    // `x++` on a new variable creates it as an int64_t, as dtrace-utils does.
    const v = this.lvalue(e.target, INT64, e.op);
    if (!isScalar(v.type)) throw new CompileError('D_OP_SCALAR', `operator ${e.op} requires operand of scalar type`, e.pos);
    return { k: 'incdec', type: v.type, pos: e.pos, v, op: e.op, prefix: e.prefix };
  }

  private binary(e: A.Binary): TExpr {
    for (const side of [e.left, e.right]) {
      if (side.kind === 'AggRef') throw new CompileError('D_OP_INCOMPAT', `operands have incompatible types: aggregation @${side.name} ${e.op} ...`, e.pos);
    }
    const l = this.expr(e.left);
    const r = this.expr(e.right);
    switch (e.op) {
      case '&&': case '||': case '^^':
        if (!isScalar(l.type) || !isScalar(r.type)) throw new CompileError('D_OP_SCALAR', `operator ${e.op} requires operands of scalar type`, e.pos);
        return foldBinary({ k: 'logic', type: T.int, pos: e.pos, op: e.op, l, r });
      case '<': case '>': case '<=': case '>=': case '==': case '!=':
        return this.compare(e, l, r);
      case '<<': case '>>': case '&': case '|': case '^': case '%':
        if (l.type.kind !== 'int' || r.type.kind !== 'int') throw new CompileError('D_OP_INT', `operator ${e.op} requires operands of integral type`, e.pos);
        break;
      default:
        if (l.type.kind === 'pointer' || r.type.kind === 'pointer') {
          throw new CompileError('D_OP_INCOMPAT', `operands have incompatible types: ${quote(l.type)} ${e.op} ${quote(r.type)}`, e.pos);
        }
        if (!isArith(l.type) || !isArith(r.type)) throw new CompileError('D_OP_ARITH', `operator ${e.op} requires operands of arithmetic type`, e.pos);
    }
    if (e.op === '/' || e.op === '%') this.checkDivisor(r);
    const lt = l.type as IntType;
    const rt = r.type as IntType;
    // Shifts take the type of their left operand.
    const type = e.op === '<<' || e.op === '>>' ? lt : arithResult(lt, rt);
    return foldBinary({ k: 'binop', type, pos: e.pos, op: e.op, l, r });
  }

  private compare(e: A.Binary, l: TExpr, r: TExpr): TExpr {
    const op = e.op as '<' | '>' | '<=' | '>=' | '==' | '!=';
    const isStr = (t: Type): boolean => t.kind === 'string';
    if (isStr(l.type) || isStr(r.type)) {
      const charPtr = (t: Type): boolean => t.kind === 'pointer' && t.to.kind === 'int' && t.to.size === 1;
      if (!(isStr(l.type) || charPtr(l.type)) || !(isStr(r.type) || charPtr(r.type))) {
        throw new CompileError('D_OP_INCOMPAT', `operands have incompatible types: ${quote(l.type)} ${e.op} ${quote(r.type)}`, e.pos);
      }
      return foldBinary({ k: 'cmp', type: T.int, pos: e.pos, op, l, r, signed: false, strcmp: true });
    }
    if (!isScalar(l.type) || !isScalar(r.type)) {
      throw new CompileError('D_OP_INCOMPAT', `operands have incompatible types: ${quote(l.type)} ${e.op} ${quote(r.type)}`, e.pos);
    }
    let signed = false;
    if (l.type.kind === 'int' && r.type.kind === 'int') signed = arithResult(l.type, r.type).signed;
    return foldBinary({ k: 'cmp', type: T.int, pos: e.pos, op, l, r, signed, strcmp: false });
  }

  private unary(e: A.Unary): TExpr {
    switch (e.op) {
      case '&': {
        const o = e.operand;
        if (o.kind === 'Ident' || o.kind === 'ScopedVar' || o.kind === 'Index' || o.kind === 'Member' || o.kind === 'Unary' && o.op === '*') {
          throw unsupported('the address-of operator', e.pos);
        }
        throw new CompileError('D_ADDROF_LVAL', 'unacceptable operand for unary & operator', e.pos);
      }
      case '*': throw unsupported('pointer dereference', e.pos);
      case 'sizeof': {
        const v = this.expr(e.operand);
        return { k: 'int', type: T.ulong, pos: e.pos, value: BigInt(this.sizeOf(v.type, e.pos)) };
      }
      case 'stringof': {
        const v = this.expr(e.operand);
        if (v.type.kind === 'string') return v;
        if (!isScalar(v.type)) throw new CompileError('D_STRINGOF_TYPE', `stringof( ) cannot be applied to an operand of type ${quote(v.type)}`, e.pos);
        throw unsupported('stringof of a scalar', e.pos);
      }
      case '+': case '-': {
        const v = this.expr(e.operand);
        if (!isArith(v.type)) throw new CompileError('D_OP_ARITH', `operator ${e.op} requires an operand of arithmetic type`, e.pos);
        if (e.op === '+') return v;
        return foldUnary({ k: 'unop', type: v.type, pos: e.pos, op: '-', e: v });
      }
      case '~': {
        const v = this.expr(e.operand);
        if (v.type.kind !== 'int') throw new CompileError('D_OP_INT', 'operator ~ requires an operand of integral type', e.pos);
        return foldUnary({ k: 'unop', type: v.type, pos: e.pos, op: '~', e: v });
      }
      case '!': {
        const v = this.expr(e.operand);
        if (!isScalar(v.type)) throw new CompileError('D_OP_SCALAR', 'operator ! requires an operand of scalar type', e.pos);
        return foldUnary({ k: 'unop', type: T.int, pos: e.pos, op: '!', e: v });
      }
    }
  }

  private ternary(e: A.Ternary): TExpr {
    const c = this.expr(e.cond);
    if (!isScalar(c.type)) throw new CompileError('D_OP_SCALAR', 'operator ?: expression must be of scalar type', e.cond.pos);
    const t = this.expr(e.then);
    const f = this.expr(e.else);
    let type: Type;
    if (t.type.kind === 'int' && f.type.kind === 'int') type = arithResult(t.type, f.type);
    else if (t.type.kind === 'string' && f.type.kind === 'string') type = T.string;
    else if (t.type.kind === 'pointer' && f.type.kind === 'pointer') type = t.type;
    else throw new CompileError('D_OP_INCOMPAT', `operator ?: operands must have compatible types`, e.pos);
    if (c.k === 'int') return c.value !== 0n ? { ...t, type } : { ...f, type };
    return { k: 'cond', type, pos: e.pos, c, t, f };
  }

  private call(e: A.Call): TExpr {
    const def = FUNCS[e.callee];
    if (def === undefined) throw new CompileError('D_IDENT_UNDEF', `failed to resolve ${e.callee}: Unknown function name`, e.pos);
    if (def.kind === 'action') {
      // An action used as a value has type void; the caller reports the misuse.
      checkCallStmt(this, e);
      return { k: 'int', type: T.void, pos: e.pos, value: 0n };
    }
    const args = e.args.map((a) => this.expr(a));
    if (args.length < def.min || args.length > def.max) throw protoLen(e.callee, args.length, def.min, def.max, e.pos);
    if (def.kind === 'agg') throw new CompileError('D_AGG_FUNC', `${e.callee}( ) may only be used to assign a value to an aggregation`, e.pos);
    checkParams(e.callee, def, args, e.pos);
    throw unsupported(`subroutine ${e.callee}( )`, e.pos);
  }

  private indexExpr(e: A.Index): TExpr {
    e.index.forEach((x) => this.expr(x));
    if (e.base.kind === 'Ident' && e.base.name === 'args') throw unsupported('args[]', e.pos);
    if (e.base.kind === 'ScopedVar' && e.base.scope === 'this') {
      throw new CompileError('D_ARR_LOCAL', `local variables may not be used as associative arrays: this->${e.base.name}`, e.pos);
    }
    if (e.base.kind === 'Ident') {
      const v = this.scope.globals.get(e.base.name);
      if (v === undefined && !(e.base.name in BUILTIN_VARS)) {
        throw new CompileError('D_IDENT_UNDEF', `failed to resolve ${e.base.name}: Unknown variable name`, e.base.pos);
      }
    }
    throw unsupported('arrays', e.pos);
  }
}
