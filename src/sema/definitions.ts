// Struct, union and enum definitions in a script, as libdtrace's
// dt_decl_sou, dt_decl_member, dt_decl_enum and dt_decl_enumerator make
// them: each member is checked in DTrace's order and with its words, and
// laid out as DTrace's type containers (libctf) lay members out, which is
// not quite C: every member starts on a byte boundary aligned for its type
// (a struct aligns as its first member), a bit-field takes the fewest whole
// bytes that hold it (rounded up to a power of two), a struct's size ends
// at its last member and a union's is its largest member's. Enumerators
// become global integer constants.

import { CompileError } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { assocDecl, declName, isPositive, type TypeResolver } from './typenames.js';
import {
  bitFieldBytes, enumType, incompleteName, isIntegral, sizeOf, souType, alignOf, EnumDecl, SouDecl,
  type EnumType, type Member, type SouType, type Type,
} from './types.js';

const INT_MAX = 0x7fffffffn;
const INT_MIN = -0x80000000n;

/**
 * defineSou defines `struct|union [name] { members }`. A tag the script
 * already defined is redeclared; a forward declaration of it is completed.
 * A definition nested in another one is not visible by its tag afterwards
 * (DTrace adds it to its container as a non-root type).
 */
export function defineSou(r: TypeResolver, b: A.StructType): SouType {
  const name = b.name ?? '';
  const have = name === '' ? undefined : r.env.ownTag(b.tag, name);
  if (have?.kind === 'sou' && !have.decl.forward) {
    throw new CompileError('D_DECL_TYPERED', `type redeclared: ${b.tag} ${name}`, b.pos);
  }
  const t = have?.kind === 'sou' ? have : r.nesting === 0 ? r.env.declareSou(b.tag, name) : souType(new SouDecl(b.tag, name, 'D'));
  t.decl.defining = true;
  r.nesting++;
  try {
    const { members, size } = layMembers(r, t, b.members ?? []);
    t.decl.define(members, size);
  } finally {
    r.nesting--;
  }
  return t;
}

/** layMembers checks each member declaration (dt_decl_member) and gives each its offset. */
function layMembers(r: TypeResolver, t: SouType, decls: readonly A.MemberDecl[]): { members: Member[]; size: number } {
  const union = t.decl.tag === 'union';
  const members: Member[] = [];
  let size = 0;
  // `int a, b;` shares one specifier: resolve (and define what it defines) once.
  let spec: A.TypeSpec | undefined;
  let base: Type | undefined;
  for (const md of decls) {
    if (md.spec !== spec || base === undefined) {
      spec = md.spec;
      base = r.spec(md.spec);
    }
    const m = member(r, base, md);
    if (m === undefined) continue;
    if (m.name !== '' && members.some((x) => x.name === m.name)) {
      throw new CompileError('D_UNKNOWN', `failed to define member '${m.name}': Duplicate member or variable name`, md.end);
    }
    const msize = m.bits !== undefined ? bitFieldBytes(m.bits) : sizeOf(m.type, r.strsize());
    const malign = Math.max(1, m.bits !== undefined ? msize : alignOf(m.type));
    let offset = 0;
    const last = members[members.length - 1];
    if (!union && last !== undefined) {
      // The byte after the last member's bits, aligned for this member.
      const end = Math.ceil((last.bitOffset + (last.bits ?? sizeOf(last.type, r.strsize()) * 8)) / 8);
      offset = Math.ceil(end / malign) * malign;
      size = offset + msize;
    } else {
      size = Math.max(size, msize);
    }
    members.push({ ...m, bitOffset: offset * 8 });
  }
  return { members, size };
}

/** member checks one member declaration; undefined for `int : 0`, which DTrace ignores. */
function member(r: TypeResolver, base: Type, md: A.MemberDecl): Omit<Member, 'bitOffset'> | undefined {
  const ident = declName(md.declarator);
  // DTrace formats a missing name with %s: glibc prints "(null)".
  const shown = ident ?? '(null)';
  if (assocDecl(md.declarator) !== undefined) throw new CompileError('D_DECL_DYNOBJ', `cannot have dynamic member: ${shown}`, md.end);
  const type = r.declarator(base, md.declarator);
  const resolved = type;
  if (resolved.kind === 'sou' && (!resolved.decl.complete || resolved.decl.size === 0) || resolved.kind === 'enum' && !resolved.decl.defined) {
    throw new CompileError('D_DECL_INCOMPLETE', `incomplete struct/union/enum ${incompleteName(type)}: ${shown}`, md.end);
  }
  if (sizeOf(type, r.strsize()) === 0) throw new CompileError('D_DECL_VOIDOBJ', `cannot have void member: ${shown}`, md.end);
  if (md.bits === undefined) return { name: ident ?? '', type };
  const w = r.evalConst(md.bits);
  // `int : 0` ends the storage unit in C; DTrace's containers ignore it.
  if (ident === undefined && w !== undefined && w.value === 0n) return undefined;
  const idname = ident ?? '(anon)';
  if (w === undefined || !isPositive(w)) {
    throw new CompileError('D_DECL_BFCONST', 'positive integral constant expression expected as bit-field size', md.end);
  }
  if (type.kind !== 'int') throw new CompileError('D_DECL_BFTYPE', `invalid type for bit-field: ${idname}`, md.end);
  if (BigInt.asUintN(64, w.value) > BigInt(type.size * 8)) throw new CompileError('D_DECL_BFSIZE', `bit-field too big for type: ${idname}`, md.end);
  return { name: ident ?? '', type, bits: Number(w.value) };
}

/**
 * defineEnum defines `enum [name] { enumerators }`. Unlike a struct, an
 * enum tag the script declared at all, even only by name, is redeclared
 * (DTrace's test for existing enumerators fails on a forward declaration).
 */
export function defineEnum(r: TypeResolver, b: A.EnumType): EnumType {
  const name = b.name ?? '';
  if (name !== '' && r.env.ownTag('enum', name) !== undefined) {
    throw new CompileError('D_DECL_TYPERED', `type redeclared: enum ${name}`, b.pos);
  }
  const t = r.nesting === 0 ? r.env.declareEnum(name) : enumType(new EnumDecl(name, 'D'));
  // Each enumerator defaults to the previous one plus one, in C's int.
  let value = -1n;
  for (const en of b.enumerators ?? []) {
    value = BigInt.asIntN(32, value + 1n);
    if (en.value !== undefined) value = enumeratorValue(r, t, en);
    if (t.decl.values.has(en.name)) {
      throw new CompileError('D_UNKNOWN', `failed to define enumerator '${en.name}': Duplicate member or variable name`, en.end);
    }
    t.decl.values.set(en.name, value);
    if (r.isGlobalName(en.name)) throw new CompileError('D_DECL_IDRED', `identifier redeclared: ${en.name}`, en.end);
    r.env.enumerators.set(en.name, { type: t, value });
  }
  t.decl.defined = true;
  return t;
}

/** enumeratorValue is `NAME = expr`: an earlier enumerator of the same enum, or an int constant. */
function enumeratorValue(r: TypeResolver, t: EnumType, en: A.Enumerator): bigint {
  const e = en.value as A.Expr;
  if (e.kind === 'Ident' && !e.backquote) {
    const prior = t.decl.values.get(e.name);
    if (prior !== undefined) return prior;
  }
  const c = r.evalConst(e);
  if (c === undefined || !isIntegral(c.type)) {
    throw new CompileError('D_DECL_ENCONST', `enumerator '${en.name}' must be assigned to an integral constant expression`, en.end);
  }
  const x = BigInt.asIntN(64, c.value);
  if (x > INT_MAX || x < INT_MIN) {
    throw new CompileError('D_DECL_ENOFLOW', `enumerator '${en.name}' value overflows INT_MAX (2147483647)`, en.end);
  }
  return x;
}

export type { SouType };
