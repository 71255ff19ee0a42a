// Declarations as libdtrace's dt_node_decl and dt_node_inline process
// them, at the point the parser completes them: variables (global,
// self->, this->, scalar arrays and associative arrays), typedefs, extern
// declarations and inline definitions, with every D_DECL_* diagnostic in
// DTrace's order and words.

import { CompileError } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { argCompat } from './compat.js';
import { quote, type ExprChecker } from './expr.js';
import { xlateCompat } from './translators.js';
import type { TExpr } from './ir.js';
import type { GlobalIdent, Inline, Scope } from './scope.js';
import { declName, topDecl } from './typenames.js';
import { T, incompleteName, named, sameType, type Type } from './types.js';

function err(tag: string, msg: string, pos: A.Pos): CompileError {
  return new CompileError(tag, msg, pos);
}

/**
 * identical is DTrace's test of a redeclared type (ctf_type_cmp): the same
 * type under the same name. Each array a declarator writes is a new type,
 * so `int x[5]; int x[5];` is a redeclaration.
 */
export function identical(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.name !== b.name || a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'array': return false;
    case 'pointer': return b.kind === 'pointer' && identical(a.to, b.to);
    case 'sou': return b.kind === 'sou' && a.decl === b.decl;
    case 'enum': return b.kind === 'enum' && a.decl === b.decl;
    default: return sameType(a, b);
  }
}

/** declare processes a top-level declaration (dt_node_decl for each declarator). */
export function declare(d: A.Declaration, scope: Scope): void {
  const types = scope.types;
  const base = types.spec(d.spec);
  if (d.declarators.length === 0) {
    // Without a name, only declaring or defining a struct, union or enum tag does anything.
    if (d.spec.base.kind !== 'StructType' && d.spec.base.kind !== 'EnumType') throw err('D_DECL_USELESS', 'useless declaration', d.end);
    return;
  }
  for (const { declarator, end } of d.declarators) {
    const name = declName(declarator) ?? '';
    const type = types.declarator(base, declarator);
    // A function prototype declared like a variable is an extern declaration.
    const storage = type.kind === 'func' && (d.storage === undefined || d.storage === 'static') ? 'extern' : d.storage;
    switch (storage) {
      case 'auto': case 'register': case 'static':
        throw err('D_DECL_BADCLASS', 'specified storage class not appropriate in D', end);
      case 'extern': declareExtern(scope, name, type, end); break;
      case 'typedef': declareTypedef(scope, name, type, end); break;
      default: declareVariable(scope, storage ?? 'global', name, type, declarator, end);
    }
  }
}

/** declareExtern records the type of a kernel symbol the script names (dt_module_extern on the "D" module). */
function declareExtern(scope: Scope, name: string, type: Type, pos: A.Pos): void {
  const prev = scope.externs.get(name);
  if (prev === undefined) {
    scope.externs.set(name, type);
  } else if (!identical(prev, type)) {
    throw err('D_DECL_IDRED', `identifier redeclared: D\`${name}\n\t current: ${type.name}\n\tprevious: ${prev.name}`, pos);
  }
}

/** globalNamed finds a global identifier, loading the D library file that defines `name` if one does. */
function globalNamed(scope: Scope, name: string): GlobalIdent | undefined {
  scope.types.env.need('ident', name);
  return scope.global(name);
}

function declareTypedef(scope: Scope, name: string, type: Type, pos: A.Pos): void {
  const env = scope.types.env;
  if (globalNamed(scope, name) !== undefined) throw err('D_DECL_IDRED', `global variable identifier redeclared: ${name}`, pos);
  // D's own typedefs (predefined or the script's) may not be redefined; the kernel's may be shadowed.
  if (env.typedef(name, 'D') !== undefined) throw err('D_DECL_IDRED', `typedef redeclared: ${name}`, pos);
  env.defineTypedef(name, named(type, name));
}

function declareVariable(scope: Scope, where: 'global' | 'self' | 'this', name: string, type: Type, d: A.Declarator, pos: A.Pos): void {
  const prev = where === 'global' ? globalNamed(scope, name) : describe(scope.table(where).get(name));
  const top = topDecl(d);
  if (top.kind === 'ArrayDecl' && top.size === undefined && top.keys === undefined) {
    throw err('D_DECL_ARRNULL', `array declaration requires array dimension or tuple signature: ${name}`, pos);
  }
  if (prev?.builtin === true) throw err('D_DECL_IDRED', `built-in identifier redeclared: ${name}`, pos);
  // DTrace also refuses the kernel's typedef names (`int u32;`); looking
  // them up would read BTF for every declaration, so only D's are checked.
  if (scope.types.env.typedef(name, 'D') !== undefined) throw err('D_DECL_IDRED', `typedef identifier redeclared: ${name}`, pos);
  const keys = scope.types.keys(d);
  const kind = keys !== undefined ? 'associative array' : 'scalar';
  if (keys !== undefined && where === 'this') {
    throw err('D_DECL_LOCASSC', `associative arrays may not be declared as local variables: ${name}`, pos);
  }
  if (prev !== undefined) {
    redeclare(scope, where, name, kind, type, keys, prev, pos);
    return;
  }
  if (type.kind === 'void') throw err('D_DECL_VOIDOBJ', `cannot have void object: ${name}`, pos);
  if (type.kind === 'sou' && (!type.decl.complete || type.decl.size === 0) || type.kind === 'enum' && !type.decl.defined) {
    throw err('D_DECL_INCOMPLETE', `incomplete struct/union/enum ${incompleteName(type)}: ${name}`, pos);
  }
  const v = scope.declare(where, name, type, true);
  if (keys !== undefined) v.keys = keys;
}

/** describe gives a self-> or this-> variable's kind and type for redeclaration checks. */
function describe(v: { type: Type; keys?: Type[] } | undefined): GlobalIdent | undefined {
  if (v === undefined) return undefined;
  return { kind: v.keys !== undefined ? 'associative array' : 'scalar', inline: false, builtin: false, type: v.type };
}

/** redeclare accepts a declaration repeating an earlier one exactly; anything else is D_DECL_IDRED. */
function redeclare(
  scope: Scope, where: 'global' | 'self' | 'this', name: string, kind: string, type: Type,
  keys: Type[] | undefined, prev: GlobalIdent, pos: A.Pos,
): void {
  const prevType = prev.type ?? T.void;
  if (prev.kind !== kind || !identical(type, prevType)) {
    throw err('D_DECL_IDRED', `identifier redeclared: ${name}\n\t current: ${kind} ${type.name}\n\tprevious: ${prev.kind} ${prevType.name}`, pos);
  }
  if (keys === undefined) return;
  const prevKeys = (where === 'global' ? scope.globals.get(name) : scope.table(where).get(name))?.keys
    ?? scope.inlines.get(name)?.params?.map((p) => p.type) ?? [];
  keys.forEach((k, i) => {
    const p = prevKeys[i];
    if (p === undefined || identical(k, p)) return;
    throw err('D_DECL_IDRED', `identifier redeclared: ${name}\n\t current: ${kind}, key #${i + 1} of type ${k.name}\n\tprevious: ${prev.kind}, key #${i + 1} of type ${p.name}`, pos);
  });
  if (keys.length !== prevKeys.length) {
    throw err('D_DECL_IDRED', `identifier redeclared: ${name}\n\t current: ${kind} of ${type.name}, tuple length ${keys.length}\n\tprevious: ${prev.kind} of ${prevType.name}, tuple length ${prevKeys.length}`, pos);
  }
}

/**
 * declareInline defines `inline type name = expr;` (or an associative
 * inline `inline type name[type param, ...] = expr;`). The value is checked
 * now, as DTrace cooks it at once (so it cannot use the inline itself, nor
 * variables that only clauses create); a value that folds to an integer
 * constant is kept as that constant.
 */
export function declareInline(d: A.InlineDecl, scope: Scope, checker: ExprChecker): void {
  const types = scope.types;
  const name = declName(d.declarator) ?? '';
  const type = types.declarator(types.spec(d.spec), d.declarator);
  if (d.storage !== undefined) throw err('D_DECL_BADCLASS', 'specified storage class not appropriate for inline declaration', d.end);
  const prev = globalNamed(scope, name);
  if (prev !== undefined) {
    throw err('D_DECL_IDRED', `identifier redefined: ${name}\n\t current: inline definition\n\tprevious: ${prev.kind} ${prev.inline ? 'inline' : ''}`, d.end);
  }
  const top = topDecl(d.declarator);
  if (top.kind === 'ArrayDecl' && top.keys === undefined) {
    if (top.size === undefined) throw err('D_DECL_ARRNULL', `inline declaration requires array tuple signature: ${name}`, d.end);
    throw err('D_DECL_ARRNULL', `inline declaration cannot be of scalar array type: ${name}`, d.end);
  }
  if (type.kind === 'void') throw err('D_DECL_VOIDOBJ', `cannot declare void inline: ${name}`, d.end);
  if (type.kind === 'sou' && type.decl.forward || type.kind === 'enum' && !type.decl.defined) {
    throw err('D_DECL_INCOMPLETE', `incomplete struct/union/enum ${incompleteName(type)}: ${name}`, d.end);
  }
  const params = types.params(d.declarator);
  // Each named parameter stands for a value of its type while the body is checked.
  const value = bindParams(checker, params ?? [], () => checker.value(d.value));
  if (!compatible(type, value)) {
    throw err('D_OP_INCOMPAT', `inline ${name} definition uses incompatible types: ${quote(type)} = ${quote(value.type)}`, d.end);
  }
  const inline: Inline = value.k === 'int'
    ? { name, type, params, constant: { value: value.value, type: value.type } }
    : { name, type, params, value: d.value };
  scope.inlines.set(name, inline);
}

/** compatible: a translated struct must be the inline's struct exactly; anything else as an assignment (dt_cook_inline). */
function compatible(type: Type, value: TExpr): boolean {
  return argCompat(type, value) || xlateCompat(type, value);
}

/** bindParams checks `fn` with each named inline parameter bound to a value of its type. */
export function bindParams<R>(checker: ExprChecker, params: readonly { name?: string; type: Type }[], fn: () => R, args?: readonly TExpr[]): R {
  const bind = (i: number): R => {
    if (i === params.length) return fn();
    const p = params[i];
    if (p.name === undefined) return bind(i + 1);
    const arg = args?.[i];
    const v: TExpr = arg === undefined
      ? { k: 'cast', type: p.type, pos: { line: 0, col: 0 }, e: { k: 'int', type: T.long, pos: { line: 0, col: 0 }, value: 0n } }
      : sameType(arg.type, p.type) ? arg : checker.castTo(arg, p.type);
    return checker.bind(p.name, v, () => bind(i + 1));
  };
  return bind(0);
}

