// Declarations: declarators (pointer, array, function, D's associative
// `[type, ...]`), abstract declarators and type names, parameter lists with
// dt_decl_prototype's checks, and the top-level definitions of dt_grammar.y:
// declarations, inline, translator and provider.

import type {
  ArrayDecl, Declaration, Declarator, Expr, FunctionDecl, InitDeclarator, InlineDecl, NameDecl,
  ParamDecl, PointerDecl, ProviderDecl, Qualifier, TranslatorDecl, TypeName, TypeSpec,
} from './ast.js';
import type { Pos } from '../diag/diagnostic.js';
import { parseAssignment, parseConditional } from './expressions.js';
import type { Parser } from './parser.js';
import { parseSpecifiers } from './specifiers.js';
import { STORAGE_KEYWORDS } from './tokens.js';
import type { IdentToken } from './tokens.js';

/** 'named' declarators need a name, 'abstract' ones (type names) have none, parameters may have either. */
export type DeclaratorMode = 'named' | 'abstract' | 'either';

/** declName finds the name a declarator declares, if any. */
export function declName(d: Declarator): string | undefined {
  return d.kind === 'NameDecl' ? d.name : declName(d.inner);
}

function fullName(t: IdentToken): string {
  return t.backquote ? `${t.module ?? ''}\`${t.name}` : t.name;
}

// ---------------------------------------------------------------- declarators

/** declarator: `*` [qualifiers] declarator | direct declarator. */
export function parseDeclarator(p: Parser, mode: DeclaratorMode): Declarator {
  if (!p.is('*')) return parseDirect(p, mode);
  const star = p.advance();
  const qualifiers: Qualifier[] = [];
  while (p.is('const') || p.is('volatile') || p.is('restrict')) qualifiers.push(p.advance().text as Qualifier);
  const inner = parseDeclarator(p, mode);
  const ptr: PointerDecl = { kind: 'PointerDecl', pos: star.pos, qualifiers, inner };
  return ptr;
}

/** parseDirect reads a name or `( declarator )`, then array and function suffixes. */
function parseDirect(p: Parser, mode: DeclaratorMode): Declarator {
  let core: Declarator;
  const t = p.tok;
  if ((t.kind === 'ident' || t.kind === 'tname') && mode !== 'abstract') {
    p.advance();
    core = { kind: 'NameDecl', pos: t.pos, name: fullName(t as IdentToken) };
  } else if (p.is('(')) {
    p.advance();
    core = parseParenDeclarator(p, mode, t.pos);
  } else if (mode !== 'named') {
    core = { kind: 'NameDecl', pos: t.pos };
  } else {
    return p.fail();
  }
  for (;;) {
    if (p.is('[')) core = parseArraySuffix(p, core);
    else if (p.is('(')) core = parseFunctionSuffix(p, core);
    else return core;
  }
}

/**
 * parseParenDeclarator: after `(`, a nested declarator (`(*p)`, `(x)`) or,
 * where no name is required, the parameter list of an abstract function.
 */
function parseParenDeclarator(p: Parser, mode: DeclaratorMode, pos: Pos): Declarator {
  const t = p.tok;
  const named = (t.kind === 'ident' || t.kind === 'tname') && mode !== 'abstract';
  if (p.is('*') || p.is('(') || named) {
    const inner = parseDeclarator(p, mode);
    p.expect(')');
    return inner;
  }
  if (mode === 'named') return p.fail();
  const empty: NameDecl = { kind: 'NameDecl', pos };
  return functionRest(p, empty, pos);
}

/** array: `[ ]`, `[ constant-expression ]` or D's `[ type, ... ]` tuple signature. */
function parseArraySuffix(p: Parser, inner: Declarator): ArrayDecl {
  const open = p.advance();
  const at = (t: { endLine: number; pos: Pos }): Pos => ({ line: t.endLine, col: t.pos.col });
  if (p.is(']')) return { kind: 'ArrayDecl', pos: open.pos, inner, end: at(p.advance()) };
  if (startsParameter(p)) {
    const list = parseParameters(p, ']', 'array');
    const keys = list.params.map(toTypeName);
    return { kind: 'ArrayDecl', pos: open.pos, inner, keys, end: list.end };
  }
  const size: Expr = parseConditional(p);
  return { kind: 'ArrayDecl', pos: open.pos, inner, size, end: at(p.expect(']')) };
}

function parseFunctionSuffix(p: Parser, inner: Declarator): FunctionDecl {
  const open = p.advance();
  return functionRest(p, inner, open.pos);
}

/** functionRest reads a parameter list whose `(` is consumed. */
function functionRest(p: Parser, inner: Declarator, pos: Pos): FunctionDecl {
  if (p.is(')')) {
    p.advance();
    return { kind: 'FunctionDecl', pos, inner, params: [], varargs: false };
  }
  const { params, varargs } = parseParameters(p, ')', 'function');
  return { kind: 'FunctionDecl', pos, inner, params, varargs };
}

function toTypeName(d: ParamDecl): TypeName {
  return { kind: 'TypeName', pos: d.pos, spec: d.spec, declarator: d.declarator };
}

// ---------------------------------------------------------------- parameters

function startsParameter(p: Parser): boolean {
  const t = p.tok;
  return p.startsType() || p.is('...') || (t.kind === 'keyword' && STORAGE_KEYWORDS.has(t.text));
}

interface ParamEntry {
  readonly decl?: ParamDecl;
  /** Line DTrace gives the parameter's node (the token after it). */
  readonly line: number;
}

/** parseParameters reads parameter_type_list and the closing `close`, then checks the prototype. */
function parseParameters(
  p: Parser,
  close: string,
  kind: 'array' | 'function',
): { params: ParamDecl[]; varargs: boolean; end: Pos } {
  const entries: ParamEntry[] = [];
  let varargs = false;
  for (;;) {
    if (p.is('...')) {
      const dots = p.advance();
      entries.push({ line: dots.endLine });
      varargs = true;
      break;
    }
    const decl = parseParameter(p);
    entries.push({ decl, line: p.tok.endLine });
    if (!p.is(',')) break;
    p.advance();
  }
  const end = p.expect(close);
  checkPrototype(p, entries, kind, end.endLine);
  return { params: entries.flatMap((e) => (e.decl === undefined ? [] : [e.decl])), varargs, end: { line: end.endLine, col: end.pos.col } };
}

/** parameter_declaration: specifiers then a declarator, an abstract declarator, or nothing. */
function parseParameter(p: Parser): ParamDecl {
  const pos = p.tok.pos;
  const { storage, spec } = parseSpecifiers(p, 'param');
  const declarator = parseDeclarator(p, 'either');
  if (storage !== undefined && storage !== 'register') {
    p.error('D_DECL_PARMCLASS', 'inappropriate storage class for function or associative array parameter');
  }
  return { pos, spec, declarator };
}

function isVoid(spec: TypeSpec, d: Declarator): boolean {
  return d.kind === 'NameDecl' && spec.base.kind === 'BuiltinType' && spec.base.words.join(' ') === 'void';
}

/** isTuple: the declarator declares an associative array (`a[int]`), whose type is D's dynamic one. */
function isTuple(d: Declarator): boolean {
  if (d.kind === 'NameDecl') return false;
  return d.kind === 'ArrayDecl' && d.keys !== undefined || isTuple(d.inner);
}

/** checkPrototype is dt_decl_prototype for array (no varargs, no void) and function prototypes. */
function checkPrototype(p: Parser, entries: readonly ParamEntry[], kind: 'array' | 'function', endLine: number): void {
  const seen = new Set<string>();
  let voids = 0;
  entries.forEach((e, k) => {
    const i = k + 1;
    if (e.decl === undefined) {
      if (kind === 'array') {
        p.error('D_DECL_PROTO_VARARGS', `${kind} prototype may not use a variable-length argument list`, e.line);
      }
      return;
    }
    const name = declName(e.decl.declarator);
    if (isTuple(e.decl.declarator)) {
      p.error(
        'D_DECL_PROTO_TYPE',
        `${kind} prototype may not use parameter of type dynamic variable: ${name ?? '(anonymous)'}, parameter #${i}`,
        e.line,
      );
    }
    const v = isVoid(e.decl.spec, e.decl.declarator);
    if (v) voids++;
    if (v && kind === 'array') {
      p.error(
        'D_DECL_PROTO_TYPE',
        `${kind} prototype may not use parameter of type void: ${name ?? '(anonymous)'}, parameter #${i}`,
        e.line,
      );
    }
    if (v && name !== undefined) p.error('D_DECL_PROTO_NAME', `void parameter may not have a name: ${name}`, e.line);
    if (name !== undefined && seen.has(name)) {
      p.error('D_DECL_PROTO_FORM', `parameter is already declared in ${kind} prototype: ${name}, parameter #${i}`, e.line);
    }
    if (name !== undefined) seen.add(name);
  });
  if (voids > 0 && entries.length > 1) p.error('D_DECL_PROTO_VOID', 'void must be sole parameter', endLine);
}

// ---------------------------------------------------------------- type names

/** type_name: specifier-qualifier list and an optional abstract declarator. */
export function parseTypeName(p: Parser): TypeName {
  const pos = p.tok.pos;
  const { spec } = parseSpecifiers(p, 'type');
  const declarator = parseDeclarator(p, 'abstract');
  return { kind: 'TypeName', pos, spec, declarator };
}

// ---------------------------------------------------------------- top-level definitions

/** checkScope refuses `` `x `` as a declared name (dt_node_decl). */
function checkScope(p: Parser, d: Declarator): void {
  const name = declName(d);
  if (name?.includes('`') === true) {
    p.error('D_DECL_SCOPE', `D scoping operator may not be used in a declaration name (${name})`);
  }
}

/** declaration: specifiers and declarators (D has no initialisers) ending in `;`. */
export function parseDeclaration(p: Parser): Declaration {
  const pos = p.tok.pos;
  const { storage, spec } = parseSpecifiers(p, 'decl');
  const declarators: InitDeclarator[] = [];
  try {
    if (!p.is(';')) {
      for (;;) {
        const declarator = parseDeclarator(p, 'named');
        checkScope(p, declarator);
        declarators.push({ declarator, end: p.here() });
        if (!p.is(',')) break;
        p.advance();
      }
    }
    if (!p.is(';')) p.fail();
  } catch (e) {
    // DTrace declares each declarator as its grammar reduces it, before it
    // reads on: an error in what follows comes after theirs.
    if (declarators.length > 0) p.opts.onItem?.({ kind: 'Declaration', pos, storage, spec, declarators, end: p.here() });
    throw e;
  }
  const end = p.here();
  for (const { declarator } of declarators) {
    const name = declName(declarator) as string;
    if (storage === 'typedef') p.typedefs.add(name);
    else p.known.add(name);
  }
  p.inTypedef = false;
  return p.endItem<Declaration>({ kind: 'Declaration', pos, storage, spec, declarators, end });
}

/** inline_definition: `inline type name = expression;`. */
export function parseInline(p: Parser): InlineDecl {
  const pos = p.advance().pos;
  const { storage, spec } = parseSpecifiers(p, 'decl');
  const declarator = parseDeclarator(p, 'named');
  p.inTypedef = false;
  p.expect('=');
  const value = parseAssignment(p);
  if (!p.is(';')) p.fail();
  p.known.add(declName(declarator) as string);
  return p.endItem<InlineDecl>({ kind: 'InlineDecl', pos, storage, spec, declarator, value, end: p.here() });
}

/** translator_definition: `translator out < in name > { member = expr; ... };`. */
export function parseTranslator(p: Parser): TranslatorDecl {
  const pos = p.advance().pos;
  const output = parseTypeName(p);
  p.expect('<');
  p.xlatorInput = true;
  const input = parseTypeName(p);
  const param = p.tok;
  if (param.kind !== 'ident' && param.kind !== 'tname') p.fail();
  p.xlatorInput = false;
  p.advance();
  p.expect('>');
  p.expect('{');
  const members: TranslatorDecl['members'] = [];
  while (!p.is('}')) {
    const m = p.tok;
    if (m.kind !== 'ident') p.fail();
    p.advance();
    p.expect('=');
    const value = parseAssignment(p);
    p.expect(';');
    members.push({ pos: m.pos, name: (m as IdentToken).name, value });
  }
  p.advance();
  if (!p.is(';')) p.fail();
  const end = p.tok.pos;
  return p.endItem<TranslatorDecl>({ kind: 'TranslatorDecl', pos, output, input, param: (param as IdentToken).name, members, end });
}

/** provider_definition: `provider name { probe p(args) [: (xargs)]; ... };`. */
export function parseProvider(p: Parser): ProviderDecl {
  const pos = p.advance().pos;
  const name = p.tok;
  if (name.kind !== 'ident') p.fail();
  p.advance();
  p.expect('{');
  const probes: ProviderDecl['probes'] = [];
  while (p.is('probe')) {
    const probePos = p.advance().pos;
    const pn = p.tok;
    if (pn.kind !== 'ident') p.fail();
    p.advance();
    const params = probeParams(p);
    const xparams = p.is(':') ? (p.advance(), probeParams(p)) : undefined;
    p.expect(';');
    probes.push({ pos: probePos, name: (pn as IdentToken).name, params, xparams });
  }
  p.expect('}');
  if (!p.is(';')) p.fail();
  return p.endItem<ProviderDecl>({ kind: 'ProviderDecl', pos, name: (name as IdentToken).name, probes });
}

/** probeParams reads a provider probe's `( parameter-list )`. */
function probeParams(p: Parser): ParamDecl[] {
  const open = p.expect('(');
  return functionRest(p, { kind: 'NameDecl', pos: open.pos }, open.pos).params;
}
