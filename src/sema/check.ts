// The type checker's driver: definitions (sema/decls.ts) as the parser
// completes them and clauses once the program is read, as DTrace does (a
// variable exists from its declaration or first assignment on); each
// clause's statements are checked here and its expressions by
// sema/expr.ts. Errors are CompileErrors with DTrace's tags and words. D
// library files are brought in the same way, when the program first names
// what one defines.

import { CompileError, type Pos } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { FUNCS } from './actions.js';
import type { CheckedClause, CheckedProgram, TExpr, TStmt } from './ir.js';
import { declare, declareInline } from './decls.js';
import { checkAggAssign } from './aggs.js';
import { applyPragma } from './pragma.js';
import type { Options } from './options.js';
import { checkActionValue, checkCallStmt } from './calls.js';
import { TypeEnv, type KernelInfo } from './env.js';
import { ExprChecker, unsupported, type ClauseArgs } from './expr.js';
import { Scope } from './scope.js';
import { checkAllocaReuse, type VarStore } from './alloca.js';
import { Translators } from './translators.js';
import type { Library, LibFile, LibKind } from '../dlib/library.js';
import { TypeResolver } from './typenames.js';
import { isScalar } from './types.js';
import { SpecRules } from './specrules.js';

export { unsupported };

/** CheckOptions are what the checker needs besides the program. */
export interface CheckOptions {
  readonly kernel?: KernelInfo;
  /** The D library (-xnolibs: none). */
  readonly library?: Library;
}

/**
 * ProgramChecker checks a program the way DTrace compiles one: pragmas as
 * the lexer meets them, definitions (declarations, inlines, translators)
 * as the parser completes each one, so later text is parsed knowing them
 * and their errors come first; clauses once the whole program is read,
 * so a clause sees every definition, wherever it appears.
 */
export class ProgramChecker {
  readonly scope: Scope;
  private readonly pending: A.Clause[] = [];
  private readonly library?: Library;

  constructor(readonly options: Options, opts: CheckOptions = {}) {
    this.scope = newScope(options, opts.kernel, opts.library);
    this.library = opts.library;
  }

  /** pragma applies a D pragma (`#pragma D option ...`) at once. */
  pragma(p: A.Pragma): void {
    applyPragma(p, this.options);
    if (p.words[0] === 'D' && p.words[1] === 'attributes' && p.words[3] !== undefined) this.attributesTarget(p.words[3], p.pos);
  }

  /**
   * attributesTarget checks what `#pragma D attributes` names: an
   * identifier of the program defined before it; a built-in or a D
   * library's is outside the program's scope. (Stability attributes are
   * not reported yet: -v is refused.)
   */
  private attributesTarget(name: string, pos: A.Pos): void {
    const g = this.scope.global(name);
    if (g?.builtin === true || g === undefined && this.library?.isIdent(name) === true) {
      throw new CompileError('D_PRAGMA_SCOPE', '#pragma attributes cannot modify entity defined outside program scope', pos);
    }
    if (g === undefined) throw new CompileError('D_PRAGMA_UNUSED', 'unused #pragma attributes', pos);
  }

  /** item takes one top-level item as the parser completes it; pragmas are applied through `pragma`. */
  item(item: A.TopLevel): void {
    if (item.kind === 'Clause') this.pending.push(item);
    else declareItem(item, this.scope, false);
  }

  /** isTypeName tells the parser whether an identifier names a type the program can use. */
  isTypeName(name: string): boolean {
    return this.scope.types.env.isTypeName(name);
  }

  /** isIdentifier tells the parser a name is a global identifier (never a type): built-ins, inlines, variables, the D library's. */
  isIdentifier(name: string): boolean {
    return this.scope.global(name) !== undefined || (this.library?.isIdent(name) ?? false);
  }

  /** finish checks the clauses in program order; `clauseArgs` says what each clause's probes give args[]. */
  finish(clauseArgs?: (index: number) => ClauseArgs | undefined): CheckedProgram {
    const clauses = this.pending.map((c, index) => new ClauseChecker(this.scope, index, clauseArgs?.(index)).check(c));
    const scope = this.scope;
    return { clauses, variables: scope.variables, aggregations: [...scope.aggs.values()], destructive: [...scope.destructive] };
  }
}

/** checkProgram type-checks a parsed program; options set by pragmas are applied to `options`. */
export function checkProgram(
  prog: A.Program, options: Options, opts: CheckOptions & { readonly clauseArgs?: (index: number) => ClauseArgs | undefined } = {},
): CheckedProgram {
  const checker = new ProgramChecker(options, opts);
  // Pragmas apply to the whole program wherever they appear (DTrace's lexer reads them first).
  for (const item of prog.items) if (item.kind === 'Pragma') checker.pragma(item);
  for (const item of prog.items) checker.item(item);
  return checker.finish(opts.clauseArgs);
}

/** declareItem processes a definition of the program or (`lib`) of a D library file. */
function declareItem(item: Exclude<A.TopLevel, A.Clause>, scope: Scope, lib: boolean): void {
  switch (item.kind) {
    case 'Pragma': break;
    case 'Declaration': declare(item, scope); break;
    case 'InlineDecl': declareInline(item, scope, new ClauseChecker(scope, -1)); break;
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
  types.isGlobalName = (name) => {
    env.need('ident', name);
    return scope!.global(name) !== undefined;
  };
  if (library !== undefined) {
    const loader = new LibraryLoader(library, scope);
    env.need = (kind, name) => loader.need(kind, name);
    env.isLibraryType = (name) => library.isTypeName(name);
  }
  return scope;
}

/** inRegion runs `fn`, naming the part of the clause in any error it raises, as DTrace's yylabel does. */
function inRegion<R>(region: string, fn: () => R): R {
  try {
    return fn();
  } catch (e) {
    // Untagged errors are code generator limits (DTrace's EDT_* errors), which name no region.
    if (e instanceof CompileError && e.diag.tag !== '') e.inRegion(region);
    throw e;
  }
}

/** ClauseChecker checks the predicate and body of one clause (or an inline's value when index is -1). */
export class ClauseChecker extends ExprChecker {
  /** The speculation rules of the clause being checked (sema/specrules.ts). */
  specRules = new SpecRules();

  /**
   * check checks a clause as dtrace-utils' dt_cook_clause does: the actions
   * first, then the predicate, so a variable the body creates may be read
   * in the predicate; if that fails to resolve a name, it tries again
   * predicate first, so the error names the first use in the text.
   */
  check(c: A.Clause): CheckedClause {
    // Checked again while variables gain the alloca taint, so that every
    // use sees it (dt_cook_clause's retry); the stores are then checked
    // in the order the code generator makes them: predicate, then body.
    for (;;) {
      const taints = this.scope.allocaTaints;
      let clause: CheckedClause;
      let stores: VarStore[];
      let unstorable: CompileError[];
      try {
        [clause, stores, unstorable] = this.checkOnce(c);
      } catch (e) {
        if (this.scope.allocaTaints !== taints) continue;
        throw e;
      }
      if (this.scope.allocaTaints !== taints) continue;
      checkAllocaReuse(stores, c.probes[0]?.pos ?? c.pos);
      if (unstorable.length > 0) throw unstorable[0];
      return clause;
    }
  }

  private checkOnce(c: A.Clause): [CheckedClause, VarStore[], CompileError[]] {
    this.stores.length = 0;
    this.unstorable.length = 0;
    try {
      const body = this.body(c);
      const pred = this.predicate(c);
      return [this.finish(c, pred.e, body.stmts), [...pred.stores, ...body.stores], [...pred.unstorable, ...body.unstorable]];
    } catch (e) {
      const tag = e instanceof CompileError ? e.diag.tag : '';
      if (tag !== 'D_IDENT_UNDEF' && tag !== 'D_VAR_UNDEF' || c.predicate === undefined) throw e;
      // As dt_cook_clause, variables created by the failed pass stay created.
      this.stores.length = 0;
      this.unstorable.length = 0;
      const pred = this.predicate(c);
      const body = this.body(c);
      return [this.finish(c, pred.e, body.stmts), [...pred.stores, ...body.stores], [...pred.unstorable, ...body.unstorable]];
    }
  }

  /** Part is a checked part of a clause with the stores it makes, in order. */
  private part<R>(region: string, fn: () => R): { r: R; stores: VarStore[]; unstorable: CompileError[] } {
    const start = this.stores.length;
    const first = this.unstorable.length;
    const r = inRegion(region, fn);
    return { r, stores: this.stores.splice(start), unstorable: this.unstorable.splice(first).map((e) => e.inRegion(region)) };
  }

  private body(c: A.Clause): { stmts: TStmt[]; stores: VarStore[]; unstorable: CompileError[] } {
    this.specRules = new SpecRules();
    const p = this.part('action list', () => c.body === undefined ? [] : this.stmts(c.body));
    return { stmts: p.r, stores: p.stores, unstorable: p.unstorable };
  }

  private predicate(c: A.Clause): { e: TExpr | undefined; stores: VarStore[]; unstorable: CompileError[] } {
    const p = this.part('predicate', () => this.predicateExpr(c));
    return { e: p.r, stores: p.stores, unstorable: p.unstorable };
  }

  private predicateExpr(c: A.Clause): TExpr | undefined {
    const pred = c.predicate;
    if (pred === undefined) return undefined;
    const p = this.value(pred);
    if (!isScalar(p.type)) throw new CompileError('D_PRED_SCALAR', 'predicate result must be of scalar type', c.end ?? pred.pos);
    return p;
  }

  private finish(c: A.Clause, predicate: TExpr | undefined, body: TStmt[]): CheckedClause {
    // As DTrace, the speculation rules are enforced once the whole clause is typed.
    this.specRules.check();
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
          out.push(this.noted(checkCallStmt(this, e)));
          return;
        }
        if (e.kind === 'Assign' && (e.target.kind === 'AggRef' || e.target.kind === 'Index' && e.target.base.kind === 'AggRef')) {
          out.push(this.noted(checkAggAssign(this, e)));
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
        out.push(this.noted({ k: 'expr', e: this.value(e) }));
        return;
      }
    }
  }

  private noted(s: TStmt): TStmt {
    this.specRules.noteStmt(s);
    return s;
  }

  protected override actionAsValue(e: A.Call): void {
    checkActionValue(this, e);
  }
}

export type { Pos };
