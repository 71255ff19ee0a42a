// The type checker's driver: declarations, inlines, translators, pragmas
// and clauses are processed in program order, as DTrace does (a variable
// exists from its declaration or first assignment on); each clause's
// statements are checked here and its expressions by sema/expr.ts. Errors
// are CompileErrors with DTrace's tags and words. D library files are
// brought in the same way, when the program first names what one defines.

import { CompileError, type Pos } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { BUILTIN_VARS } from './builtins.js';
import { FUNCS } from './actions.js';
import type { CheckedClause, CheckedProgram, TExpr, TStmt } from './ir.js';
import { checkAggAssign } from './aggs.js';
import { applyPragma } from './pragma.js';
import type { Options } from './options.js';
import { foldCast } from './fold.js';
import { checkCallStmt } from './calls.js';
import { TypeEnv, type KernelInfo } from './env.js';
import { ExprChecker, argCompat, quote, unsupported, type ClauseArgs } from './expr.js';
import { Scope } from './scope.js';
import { Translators, xlateCompat } from './translators.js';
import type { Library, LibFile, LibKind } from '../dlib/library.js';
import { TypeResolver, declName } from './typenames.js';
import { T, isScalar, isIntegral, named, sameType, type Type } from './types.js';

export { unsupported };

/** CheckOptions are what the checker needs besides the program. */
export interface CheckOptions {
  readonly kernel?: KernelInfo;
  /** What each clause's probes say about args[], by clause index. */
  readonly clauseArgs?: (index: number) => ClauseArgs | undefined;
  /** The D library (-xnolibs: none). */
  readonly library?: Library;
}

/** checkProgram type-checks a parsed program; options set by pragmas are applied to `options`. */
export function checkProgram(prog: A.Program, options: Options, opts: CheckOptions = {}): CheckedProgram {
  // Pragmas apply to the whole program wherever they appear (they are read
  // by the lexer before the clauses are compiled), so process them first.
  for (const item of prog.items) if (item.kind === 'Pragma') applyPragma(item, options);
  const scope = newScope(options, opts.kernel, opts.library);
  const clauses: CheckedClause[] = [];
  for (const item of prog.items) {
    if (item.kind === 'Clause') {
      const index = clauses.length;
      clauses.push(new ClauseChecker(scope, index, opts.clauseArgs?.(index)).check(item));
    } else {
      declareItem(item, scope, false);
    }
  }
  return { clauses, variables: scope.variables, aggregations: [...scope.aggs.values()] };
}

/** declareItem processes a definition of the program or (`lib`) of a D library file. */
function declareItem(item: Exclude<A.TopLevel, A.Clause>, scope: Scope, lib: boolean): void {
  switch (item.kind) {
    case 'Pragma': break;
    case 'Declaration': declare(item, scope); break;
    case 'InlineDecl': declareInline(item, scope); break;
    case 'TranslatorDecl': scope.translators.define(new ClauseChecker(scope, -1), item, lib); break;
    case 'ProviderDecl': throw unsupported('provider definition', item.pos);
  }
}

/**
 * LibraryLoader brings a D library file into a program the first time the
 * program needs a name the file defines: the files it depends on first,
 * then its definitions in order, as if they preceded the program. Each
 * file is loaded once; errors in it name the file.
 */
class LibraryLoader {
  private readonly loaded = new Set<string>();
  constructor(private readonly lib: Library, private readonly scope: Scope) {}

  need(kind: LibKind, name: string): boolean {
    const f = this.lib.find(kind, name);
    if (f === undefined || this.loaded.has(f.path)) return false;
    this.load(f);
    return true;
  }

  private load(f: LibFile): void {
    this.loaded.add(f.path);
    try {
      for (const d of f.entries.depends) {
        const dep = this.lib.dependency(f, d);
        if (!this.loaded.has(dep.path)) this.load(dep);
      }
      for (const item of this.lib.program(f).items) {
        if (item.kind === 'Clause') throw new CompileError('D_SYNTAX', 'a D library may not contain probe clauses', item.pos);
        declareItem(item, this.scope, true);
      }
    } catch (e) {
      throw e instanceof CompileError ? e.inFile(f.path) : e;
    }
  }
}

/** newScope creates the symbol tables of one program. */
export function newScope(options: Options, kernel?: KernelInfo, library?: Library): Scope {
  const env = new TypeEnv(kernel);
  let scope: Scope | undefined;
  const types = new TypeResolver(env, (e) => {
    const v = new ClauseChecker(scope!, -1).expr(e);
    return v.k === 'int' ? { value: v.value, type: v.type } : undefined;
  }, () => options.num('strsize'));
  scope = new Scope(types, new Translators(), options);
  // D's one hard-wired definition: `inline long NULL = 0;` (a constant inline: it is the int 0).
  scope.inlines.set('NULL', (pos) => ({ k: 'int', type: T.int, pos, value: 0n }));
  types.isGlobalName = (name) => scope!.globals.has(name) || scope!.inlines.has(name) || name in BUILTIN_VARS;
  if (library !== undefined) {
    const loader = new LibraryLoader(library, scope);
    env.need = (kind, name) => loader.need(kind, name);
    env.isLibraryType = (name) => library.isTypeName(name);
  }
  return scope;
}

function declare(d: A.Declaration, scope: Scope): void {
  const types = scope.types;
  const base = types.spec(d.spec);
  if (d.storage === 'typedef') {
    for (const { declarator } of d.declarators) {
      const name = declName(declarator);
      if (name === undefined) continue;
      const t = types.declarator(base, declarator);
      if (types.env.isOwnTypedef(name) && !sameType(types.env.typedef(name)!, t)) {
        throw new CompileError('D_DECL_IDRED', `typedef redeclared: ${name}`, d.pos);
      }
      types.env.defineTypedef(name, named(t, name));
    }
    return;
  }
  const where = d.storage === 'self' ? 'self' : d.storage === 'this' ? 'this' : 'global';
  for (const { declarator, init } of d.declarators) {
    const name = declName(declarator);
    if (name === undefined) continue;
    if (init !== undefined) throw new CompileError('D_DECL_INIT', `initializers are not permitted for variable ${name}`, d.pos);
    const type = types.declarator(base, declarator);
    if (type.kind === 'func') continue; // an extern function prototype declares nothing we use
    if (d.storage === 'extern') continue;
    const keys = types.keys(declarator);
    if (type.kind === 'void') throw new CompileError('D_DECL_VOIDOBJ', `cannot have void object: ${name}`, d.pos);
    if (keys !== undefined && where === 'this') {
      throw new CompileError('D_DECL_LOCASSC', `associative arrays may not be declared as local variables: ${name}`, d.pos);
    }
    if (type.kind === 'sou' && !type.decl.complete || type.kind === 'enum' && !type.decl.defined) {
      throw new CompileError('D_DECL_INCOMPLETE', `incomplete struct/union/enum ${type.name}: ${name}`, d.pos);
    }
    if (where === 'global' && name in BUILTIN_VARS) throw new CompileError('D_DECL_IDRED', `built-in identifier redeclared: ${name}`, d.pos);
    if (where === 'global') types.env.need('ident', name);
    const prev = scope.table(where).get(name);
    if (prev !== undefined) {
      const sameKeys = (prev.keys === undefined) === (keys === undefined)
        && (keys === undefined || keys.length === prev.keys!.length && keys.every((k, i) => sameType(k, prev.keys![i])));
      if (!sameType(prev.type, type) || !sameKeys) {
        throw new CompileError('D_DECL_IDRED', `identifier redeclared: ${name}`, d.pos);
      }
      continue;
    }
    const v = scope.declare(where, name, type, true);
    if (keys !== undefined) v.keys = keys;
  }
}

function declareInline(d: A.InlineDecl, scope: Scope): void {
  const name = declName(d.declarator) ?? '';
  scope.types.env.need('ident', name);
  if (scope.inlines.has(name) || scope.inlineArrays.has(name) || scope.globals.has(name) || name in BUILTIN_VARS) {
    // DTrace names the previous identifier's kind, then "inline" for an inline.
    const arr = scope.inlineArrays.has(name) || scope.globals.get(name)?.keys !== undefined;
    const inl = scope.inlines.has(name) || scope.inlineArrays.has(name);
    throw new CompileError('D_DECL_IDRED', `identifier redefined: ${name}\n\t current: inline definition\n\tprevious: ${arr ? 'associative array' : 'scalar'} ${inl ? 'inline' : ''}`, d.pos);
  }
  const type = scope.types.declarator(scope.types.spec(d.spec), d.declarator);
  if (type.kind === 'void') throw new CompileError('D_DECL_VOIDOBJ', `cannot declare void inline: ${name}`, d.pos);
  const c = new ClauseChecker(scope, -1);
  const keys = scope.types.keys(d.declarator);
  if (keys !== undefined) {
    // An inline array: its value is checked now with each parameter standing for a value of its type.
    const params = keyNames(d.declarator).map((n, i) => ({ name: n, type: keys[i] }));
    const v = c.bindAll(params.map((p) => p.name), params.map((p): TExpr => ({ k: 'builtin', type: p.type, pos: d.pos, name: p.name })), () => c.expr(d.value));
    if (!argCompat(type, v) && !xlateCompat(type, v)) {
      throw new CompileError('D_OP_INCOMPAT', `inline ${name} definition uses incompatible types: ${quote(type)} = ${quote(v.type)}`, d.pos);
    }
    scope.inlineArrays.set(name, { params, type, value: d.value });
    return;
  }
  const value = c.expr(d.value);
  if (!argCompat(type, value) && !xlateCompat(type, value)) {
    throw new CompileError('D_OP_INCOMPAT', `inline ${name} definition uses incompatible types: ${quote(type)} = ${quote(value.type)}`, d.pos);
  }
  // Constants are folded once; other values are checked again at each use,
  // so each use is a fresh expression (translated values stay translated).
  if (value.k === 'int' && isIntegral(type)) {
    // DTrace substitutes an integer constant inline by its value, typed by the constant itself.
    scope.inlines.set(name, (pos) => ({ ...value, pos }));
    return;
  }
  scope.inlines.set(name, (pos) => {
    const v = new ClauseChecker(scope, -1).expr(d.value);
    return sameType(v.type, type) || v.type.kind === 'sou' ? { ...v, pos } : { k: 'cast', type, pos, e: v } as TExpr;
  });
}

/** inRegion runs `fn`, naming the part of the clause in any error it raises, as DTrace's yylabel does. */
function inRegion<R>(region: string, fn: () => R): R {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CompileError) e.inRegion(region);
    throw e;
  }
}

/** keyNames are the parameter names of an inline array's declarator (`[int x, int y]`). */
function keyNames(d: A.Declarator): string[] {
  if (d.kind === 'ArrayDecl' && d.keys !== undefined) return d.keys.map((k) => declName(k.declarator) ?? '');
  return d.kind === 'NameDecl' ? [] : keyNames(d.inner);
}

/** ClauseChecker checks the predicate and body of one clause (or an inline's value when index is -1). */
export class ClauseChecker extends ExprChecker {
  /**
   * check checks a clause as dtrace-utils' dt_cook_clause does: the actions
   * first, then the predicate, so a variable the body creates may be read
   * in the predicate; if that fails to resolve a name, it tries again
   * predicate first, so the error names the first use in the text.
   */
  check(c: A.Clause): CheckedClause {
    try {
      const body = this.body(c);
      return this.finish(c, this.predicate(c), body);
    } catch (e) {
      const tag = e instanceof CompileError ? e.diag.tag : '';
      if (tag !== 'D_IDENT_UNDEF' && tag !== 'D_VAR_UNDEF' || c.predicate === undefined) throw e;
      // As dt_cook_clause, variables created by the failed pass stay created.
      const predicate = this.predicate(c);
      return this.finish(c, predicate, this.body(c));
    }
  }

  private body(c: A.Clause): TStmt[] {
    return inRegion('action list', () => c.body === undefined ? [] : this.stmts(c.body));
  }

  private predicate(c: A.Clause): TExpr | undefined {
    const pred = c.predicate;
    if (pred === undefined) return undefined;
    return inRegion('predicate', () => {
      const p = this.value(pred);
      if (!isScalar(p.type)) throw new CompileError('D_PRED_SCALAR', 'predicate result must be of scalar type', c.end ?? pred.pos);
      return p;
    });
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
        const c = this.value(s.cond);
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
        out.push({ k: 'expr', e: this.value(e) });
        return;
      }
    }
  }

  protected override actionAsValue(e: A.Call): void {
    checkCallStmt(this, e);
  }
}

export type { Pos };
