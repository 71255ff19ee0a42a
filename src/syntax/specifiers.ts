// Declaration specifiers (storage class, type specifiers and qualifiers) and
// struct/union/enum specifiers, with the checks libdtrace's dt_decl.c makes
// as each specifier is read: one storage class, one base type
// (D_DECL_COMBO), and the char/void/signed/long combinations.

import type {
  BaseType, EnumType, Enumerator, MemberDecl, Qualifier, StorageClass, StructType, TypeSpec,
} from './ast.js';
import { parseDeclarator, declName } from './declarations.js';
import { parseAssignment, parseConditional } from './expressions.js';
import type { Parser } from './parser.js';
import { STORAGE_KEYWORDS } from './tokens.js';
import type { IdentToken, Token } from './tokens.js';

/** Where specifiers appear: a declaration, a parameter, or a type name / member. */
export type SpecContext = 'decl' | 'param' | 'type';

export interface Specifiers {
  readonly storage?: StorageClass;
  readonly spec: TypeSpec;
}

type DeclKind = 'unknown' | 'integer' | 'float' | 'typedef' | 'struct' | 'union' | 'enum';

/** SpecState mirrors the dt_decl_t being built: kind, name and attribute bits. */
class SpecState {
  storage: StorageClass | undefined;
  readonly qualifiers: Qualifier[] = [];
  readonly words: string[] = [];
  kind: DeclKind = 'unknown';
  name: string | undefined;
  base: BaseType | undefined;
  short = false;
  longs = 0;
  signed = false;
  unsigned = false;
  count = 0;

  constructor(private readonly p: Parser) {}

  /** claim is dt_decl_spec: a second base type is D_DECL_COMBO. */
  claim(kind: DeclKind, name: string | undefined, line: number): void {
    if (this.name !== undefined || this.kind !== 'unknown') this.p.error('D_DECL_COMBO', 'invalid type combination', line);
    this.kind = kind;
    this.name = name;
    this.check(line);
  }

  /** check is dt_decl_check, run after every specifier once a base type is known. */
  check(line: number): void {
    if (this.kind === 'unknown') return;
    const long = this.longs > 0;
    if (this.name === 'char' && (this.short || long)) {
      this.p.error('D_DECL_CHARATTR', 'invalid type declaration: short and long may not be used with char type', line);
    }
    if (this.name === 'void' && (this.short || long || this.signed || this.unsigned)) {
      this.p.error('D_DECL_VOIDATTR', 'invalid type declaration: attributes may not be used with void type', line);
    }
    if (this.kind !== 'integer' && (this.signed || this.unsigned)) {
      this.p.error('D_DECL_SIGNINT', 'invalid type declaration: signed and unsigned may only be used with integer type', line);
    }
    if (this.kind !== 'integer' && this.kind !== 'float' && long) {
      this.p.error(
        'D_DECL_LONGINT',
        'invalid type declaration: long and long long may only be used with integer or floating-point type',
        line,
      );
    }
  }

  toSpec(pos: Token['pos']): TypeSpec {
    return { kind: 'TypeSpec', pos, qualifiers: this.qualifiers, base: this.base ?? { kind: 'BuiltinType', words: this.words } };
  }
}

const INTEGER_NAMES: ReadonlySet<string> = new Set(['void', 'char', 'int']);
const FLOAT_NAMES: ReadonlySet<string> = new Set(['float', 'double']);
const ATTRIBUTES: ReadonlySet<string> = new Set(['short', 'long', 'signed', 'unsigned']);
const QUALIFIERS: ReadonlySet<string> = new Set(['const', 'volatile', 'restrict']);

/**
 * parseSpecifiers reads specifiers until something that cannot continue them.
 * A type name met after a base type ends them: it is the declarator's name.
 */
export function parseSpecifiers(p: Parser, ctx: SpecContext): Specifiers {
  const first = p.tok;
  const s = new SpecState(p);
  while (specifier(p, s, ctx)) s.count++;
  if (s.count === 0) p.fail();
  return { storage: s.storage, spec: s.toSpec(first.pos) };
}

/** specifier consumes one specifier into `s`; false when the lookahead is not one. */
function specifier(p: Parser, s: SpecState, ctx: SpecContext): boolean {
  const t = p.tok;
  if (t.kind === 'tname') return typedefName(p, s, t as IdentToken);
  if (t.kind !== 'keyword') return false;
  const w = t.text;
  if (STORAGE_KEYWORDS.has(w)) return storageClass(p, s, ctx, w as StorageClass);
  if (QUALIFIERS.has(w)) {
    s.qualifiers.push(w as Qualifier);
  } else if (ATTRIBUTES.has(w)) {
    attribute(s, w);
    s.words.push(w);
    s.check(t.endLine);
  } else if (INTEGER_NAMES.has(w) || FLOAT_NAMES.has(w)) {
    s.claim(INTEGER_NAMES.has(w) ? 'integer' : 'float', w, t.endLine);
    s.words.push(w);
  } else if (w === 'string') {
    s.claim('typedef', 'string', t.endLine);
    s.base = { kind: 'NamedType', name: 'string' };
  } else if (w === 'struct' || w === 'union') {
    s.base = parseStruct(p, s);
    return true;
  } else if (w === 'enum') {
    s.base = parseEnum(p, s);
    return true;
  } else {
    return false;
  }
  p.advance();
  return true;
}

function attribute(s: SpecState, w: string): void {
  if (w === 'short') s.short = true;
  else if (w === 'long') s.longs++;
  else if (w === 'signed') s.signed = true;
  else s.unsigned = true;
}

function storageClass(p: Parser, s: SpecState, ctx: SpecContext, w: StorageClass): boolean {
  if (ctx === 'type') return false;
  // A parameter's first specifier may not be self or this (storage_class_specifier).
  if (ctx === 'param' && s.count === 0 && (w === 'self' || w === 'this')) return false;
  if (s.storage !== undefined) p.error('D_DECL_CLASS', 'only one storage class allowed in a declaration');
  s.storage = w;
  if (w === 'typedef') p.inTypedef = true;
  p.advance();
  return true;
}

function typedefName(p: Parser, s: SpecState, t: IdentToken): boolean {
  if (s.name !== undefined) return false; // already typed: this is the declarator
  s.claim('typedef', t.name, t.endLine);
  s.base = { kind: 'NamedType', name: t.name, module: t.module };
  p.advance();
  return true;
}

/** tagName reads the optional tag after struct/union/enum (an identifier or a type name). */
function tagName(p: Parser): IdentToken | undefined {
  const t = p.tok;
  if (t.kind !== 'ident' && t.kind !== 'tname') return undefined;
  p.advance();
  return t as IdentToken;
}

/** claimTag applies dt_decl_spec for a tagged type. */
function claimTag(s: SpecState, kind: DeclKind, tag: IdentToken | undefined, line: number): void {
  s.claim(kind, tag?.name ?? '(anon)', line);
}

/** struct_or_union_specifier: a reference `struct s` or a definition `struct [s] { members }`. */
function parseStruct(p: Parser, s: SpecState): StructType {
  const kw = p.advance();
  const tag = kw.text as 'struct' | 'union';
  const name = tagName(p);
  if (!p.is('{')) {
    if (name === undefined) p.fail();
    claimTag(s, tag, name, p.tok.endLine);
    return { kind: 'StructType', pos: kw.pos, tag, name: name.name, module: name.module };
  }
  claimTag(s, tag, name, p.tok.endLine);
  p.advance();
  const members: MemberDecl[] = [];
  do members.push(...parseMembers(p));
  while (!p.is('}'));
  p.advance();
  return { kind: 'StructType', pos: kw.pos, tag, name: name?.name, module: name?.module, members };
}

/** struct_declaration: specifiers then declarators (with optional bit-field widths) and `;`. */
function parseMembers(p: Parser): MemberDecl[] {
  const { spec } = parseSpecifiers(p, 'type');
  const out: MemberDecl[] = [];
  for (;;) {
    const pos = p.tok.pos;
    const declarator = p.is(':') ? { kind: 'NameDecl' as const, pos } : parseDeclarator(p, 'named');
    let bits;
    if (p.is(':')) {
      p.advance();
      bits = parseConditional(p);
    }
    const name = declName(declarator);
    if (name?.includes('`') === true) {
      p.error('D_DECL_SCOPE', `D scoping operator may not be used in a member name (${name})`);
    }
    out.push({ kind: 'MemberDecl', pos, spec, declarator, bits, end: p.here() });
    if (!p.is(',')) break;
    p.advance();
  }
  p.expect(';');
  return out;
}

/** enum_specifier: `enum e` or `enum [e] { A [= expr], ... }`. */
function parseEnum(p: Parser, s: SpecState): EnumType {
  const kw = p.advance();
  const name = tagName(p);
  if (!p.is('{')) {
    if (name === undefined) p.fail();
    claimTag(s, 'enum', name, p.tok.endLine);
    return { kind: 'EnumType', pos: kw.pos, name: name.name, module: name.module };
  }
  claimTag(s, 'enum', name, p.tok.endLine);
  p.advance();
  const enumerators: Enumerator[] = [];
  for (;;) {
    enumerators.push(parseEnumerator(p));
    if (!p.is(',')) break;
    p.advance();
  }
  p.expect('}');
  return { kind: 'EnumType', pos: kw.pos, name: name?.name, module: name?.module, enumerators };
}

function parseEnumerator(p: Parser): Enumerator {
  const t = p.tok;
  if (t.kind !== 'ident') p.fail();
  p.advance();
  const id = t as IdentToken;
  const name = id.name;
  p.known.add(name);
  const value = p.is('=') ? (p.advance(), parseAssignment(p)) : undefined;
  if (id.backquote) {
    p.error('D_DECL_SCOPE', `D scoping operator may not be used in an enumerator name (${id.module ?? ''}\`${name})`);
  }
  return { pos: t.pos, name, value, end: p.here() };
}
