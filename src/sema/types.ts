// D types as the checker and code generator see them: C's integer and
// floating-point types on LP64, D's string, void, pointers (that know
// whether they point into kernel or user memory), arrays, structs and
// unions, enums and function types. Kernel types from BTF (sema/ktypes.ts)
// and types a script declares are built from the same pieces. Everything
// here is pure data plus the predicates and rules DTrace applies to it.

import { PREDEFINED_TYPEDEFS as PREDEFINED_C_TYPEDEFS } from '../syntax/predefined.js';

/**
 * TypeBase is what every type has: its name as DTrace prints it, and for a
 * typedef the type it names (DTrace prints that one where it resolves
 * typedefs, e.g. in D_OP_SOU).
 */
interface TypeBase {
  readonly name: string;
  readonly alias?: Type;
}

/** IntType is a C integer type; `name` is how DTrace prints it in messages. */
export interface IntType extends TypeBase {
  readonly kind: 'int';
  readonly size: 1 | 2 | 4 | 8;
  readonly signed: boolean;
  /**
   * The value of stack( ) (`frames` return addresses), or of sym( )/func( )
   * or mod( ) (an address the consumer prints as a symbol or a module):
   * these exist only as aggregation keys (library/stacks.ts).
   */
  readonly symbolic?: 'stack' | 'ustack' | 'sym' | 'mod' | 'usym';
  readonly frames?: number;
}

export interface FloatType extends TypeBase {
  readonly kind: 'float';
  readonly size: number;
}

/** StringType is D's string: a NUL-terminated character array of strsize bytes. */
export interface StringType extends TypeBase {
  readonly kind: 'string';
}

export interface VoidType extends TypeBase {
  readonly kind: 'void';
}

export interface PointerType extends TypeBase {
  readonly kind: 'pointer';
  readonly to: Type;
  /** True for a pointer into user memory (DTrace's `userland`): reads go through probe_read_user. */
  readonly user: boolean;
}

export interface ArrayType extends TypeBase {
  readonly kind: 'array';
  readonly of: Type;
  readonly count: number;
}

/** Member is one member of a struct or union; bit-fields have `bits`. */
export interface Member {
  /** '' for an anonymous struct or union member (its members are found through it). */
  readonly name: string;
  readonly type: Type;
  /** Offset in bits from the start of the enclosing struct or union. */
  readonly bitOffset: number;
  /** Width of a bit-field; undefined for ordinary members. */
  readonly bits?: number;
}

/**
 * SouDecl is the one definition of a struct or union that every type
 * naming it (`struct foo`, typedefs of it) shares; identity is by decl.
 * A decl without members is a forward declaration (an incomplete type)
 * until it is defined; while its members are being declared it is
 * `defining` (still incomplete, but no longer a forward declaration).
 * Kernel decls fill their members on first use (`load`).
 */
export class SouDecl {
  private list: readonly Member[] | undefined;
  private sizeBytes = 0;
  /** True between the `{` of a script's definition and its `}`. */
  defining = false;

  constructor(
    readonly tag: 'struct' | 'union',
    /** The tag name; '' for an anonymous struct or union. */
    readonly tagName: string,
    /** Where the type was defined: 'D' for the script's own, else a kernel module name. */
    readonly module: string,
    private load?: () => { members: Member[]; size: number },
  ) {}

  get complete(): boolean {
    this.fill();
    return this.list !== undefined;
  }

  /** forward: declared by name only, never defined (nor being defined). */
  get forward(): boolean {
    return !this.complete && !this.defining;
  }

  get members(): readonly Member[] {
    this.fill();
    return this.list ?? [];
  }

  get size(): number {
    this.fill();
    return this.sizeBytes;
  }

  /** define completes a forward declaration (a script's `struct s { ... }`). */
  define(members: Member[], size: number): void {
    this.list = members;
    this.sizeBytes = size;
    this.defining = false;
  }

  private fill(): void {
    if (this.load === undefined) return;
    const l = this.load;
    this.load = undefined;
    const d = l();
    this.define(d.members, d.size);
  }
}

export interface SouType extends TypeBase {
  readonly kind: 'sou';
  readonly decl: SouDecl;
}

/** EnumDecl is the one definition of an enum; enumerators in declaration order. */
export class EnumDecl {
  readonly values = new Map<string, bigint>();
  constructor(readonly tagName: string, readonly module: string, readonly size: number = 4) {}
  /** Undefined while the enum is only declared (`enum e;`). */
  defined = false;
}

export interface EnumType extends TypeBase {
  readonly kind: 'enum';
  readonly decl: EnumDecl;
}

export interface FuncType extends TypeBase {
  readonly kind: 'func';
  readonly ret: Type;
  readonly params: readonly Type[];
  readonly varargs: boolean;
}

export type Type = IntType | FloatType | StringType | VoidType | PointerType | ArrayType | SouType | EnumType | FuncType;

function int(name: string, size: 1 | 2 | 4 | 8, signed: boolean): IntType {
  return { kind: 'int', name, size, signed };
}

/** The named types every D program starts with (C keywords resolve to these). */
export const T = {
  char: int('char', 1, true),
  uchar: int('unsigned char', 1, false),
  schar: int('signed char', 1, true),
  short: int('short', 2, true),
  ushort: int('unsigned short', 2, false),
  int: int('int', 4, true),
  uint: int('unsigned int', 4, false),
  long: int('long', 8, true),
  ulong: int('unsigned long', 8, false),
  llong: int('long long', 8, true),
  ullong: int('unsigned long long', 8, false),
  bool: int('_Bool', 1, false),
  float: { kind: 'float', name: 'float', size: 4 } as FloatType,
  double: { kind: 'float', name: 'double', size: 8 } as FloatType,
  ldouble: { kind: 'float', name: 'long double', size: 16 } as FloatType,
  string: { kind: 'string', name: 'string' } as StringType,
  void: { kind: 'void', name: 'void' } as VoidType,
} as const;

/** named gives a type another name (a typedef): same type, printed as `name`. */
export function named<U extends Type>(t: U, name: string): U {
  return { ...t, name, alias: t };
}

/** resolved strips typedef names: the type as DTrace names it after ctf_type_resolve. */
export function resolved(t: Type): Type {
  let r = t;
  while (r.alias !== undefined) r = r.alias;
  return r;
}

/** intrinsic is another of C's own integer types of the same kind (not a typedef: nothing to resolve to). */
function intrinsic(t: IntType, name: string): IntType {
  return { ...t, name };
}

/**
 * The C types DTrace's C container predefines (dt_open.c's intrinsics for
 * LP64), by the name DTrace gives them: `signed int` and `int` are the
 * same kind of integer but distinct, named types.
 */
const INTRINSICS: ReadonlyMap<string, Type> = new Map<string, Type>([
  ['void', T.void],
  ['signed', intrinsic(T.int, 'signed')],
  ['unsigned', intrinsic(T.uint, 'unsigned')],
  ['char', T.char],
  ['short', T.short],
  ['int', T.int],
  ['long', T.long],
  ['long long', T.llong],
  ['signed char', T.schar],
  ['signed short', intrinsic(T.short, 'signed short')],
  ['signed int', intrinsic(T.int, 'signed int')],
  ['signed long', intrinsic(T.long, 'signed long')],
  ['signed long long', intrinsic(T.llong, 'signed long long')],
  ['unsigned char', T.uchar],
  ['unsigned short', T.ushort],
  ['unsigned int', T.uint],
  ['unsigned long', T.ulong],
  ['unsigned long long', T.ullong],
  ['_Bool', T.bool],
  ['float', T.float],
  ['double', T.double],
  ['long double', T.ldouble],
]);

/**
 * builtinName spells C type keywords the way DTrace names the type it
 * looks up (dt_decl_type): the attributes in a fixed order (signed,
 * unsigned, short, long, long long), then the base keyword unless short or
 * long make it redundant (`short int` is `short `). The trailing blank is
 * DTrace's and shows in its "failed to resolve type" message.
 */
export function builtinName(words: readonly string[]): string {
  let longs = 0;
  const has = (w: string): boolean => words.includes(w);
  let base: string | undefined;
  for (const w of words) {
    if (w === 'long') longs++;
    else if (w !== 'signed' && w !== 'unsigned' && w !== 'short') base = w;
  }
  // A third `long` sets "long" again beside "long long", as dt_decl_attr does.
  const long = longs === 1 || longs >= 3;
  const longlong = longs >= 2;
  let name = '';
  if (has('signed')) name += 'signed ';
  if (has('unsigned')) name += 'unsigned ';
  if (has('short')) name += 'short ';
  if (long) name += 'long ';
  if (longlong) name += 'long long ';
  const integer = base === undefined || base === 'void' || base === 'char' || base === 'int';
  if (name === '' && base === undefined) name = 'int';
  if (base !== undefined && (!integer || !has('short') && longs === 0)) name += base;
  return name;
}

/** builtinFromWords maps C type keywords (`unsigned long long`) to a type, or undefined when C has no such type. */
export function builtinFromWords(words: readonly string[]): Type | undefined {
  return INTRINSICS.get(builtinName(words).trim());
}

/**
 * Typedefs D predefines, built from the one table of them
 * (syntax/predefined.ts) that the parser also reads: each name gets the
 * type of its C spelling, printed under the typedef's name.
 */
export const PREDEFINED_TYPEDEFS: ReadonlyMap<string, Type> = new Map<string, Type>([
  ...PREDEFINED_C_TYPEDEFS.map(([name, c]): [string, Type] => {
    const ptr = c.endsWith('*');
    const base = builtinFromWords(c.replace('*', '').trim().split(/\s+/));
    if (base === undefined) throw new Error(`BUG: predefined typedef ${name} has no type ${c}`);
    return [name, named(ptr ? pointerTo(base) : base, name)];
  }),
  ['string', T.string],
]);

/** pointerName writes `T *`, keeping C's spacing for pointers to pointers (`char **`). */
function pointerName(to: Type): string {
  if (to.kind === 'array') return `${to.of.name} (*)[${to.count}]`;
  if (to.kind === 'func') return to.name.replace('(*)', '(**)').replace(/\(\)/, '(*)()');
  return to.kind === 'pointer' ? `${to.name}*` : `${to.name} *`;
}

export function pointerTo(to: Type, user = false): PointerType {
  return { kind: 'pointer', name: pointerName(to), to, user };
}

export function arrayOf(of: Type, count: number): ArrayType {
  return { kind: 'array', name: `${of.name} [${count}]`, of, count };
}

/** souType is the type `struct tag`; DTrace names an anonymous one `struct ` (an empty tag). */
export function souType(decl: SouDecl): SouType {
  return { kind: 'sou', name: `${decl.tag} ${decl.tagName}`, decl };
}

export function enumType(decl: EnumDecl): EnumType {
  return { kind: 'enum', name: `enum ${decl.tagName}`, decl };
}

/** isIncomplete: a struct or union without members, or an enum without enumerators. */
export function isIncomplete(t: Type): boolean {
  return t.kind === 'sou' && !t.decl.complete || t.kind === 'enum' && !t.decl.defined;
}

/**
 * incompleteName names an incomplete type in D_DECL_INCOMPLETE messages.
 * The type containers DTrace's tests were written against name every
 * forward declaration `struct tag`, whether struct, union or enum; a
 * struct or union still being defined keeps its own name.
 */
export function incompleteName(t: Type): string {
  const forward = t.kind === 'sou' && t.decl.forward || t.kind === 'enum' && !t.decl.defined;
  if (!forward) return t.name;
  const own = t.kind === 'sou' ? souType(t.decl).name : enumType(t.decl).name;
  return t.name === own ? `struct ${t.decl.tagName}` : t.name;
}

// ---------------------------------------------------------------- predicates (dt_node_is_*)

export function isInt(t: Type): t is IntType {
  return t.kind === 'int';
}

/** isIntegral: integers and enums (dt_node_is_integer). */
export function isIntegral(t: Type): t is IntType | EnumType {
  // A stack( ) value is a list of addresses, not a number.
  return t.kind === 'int' && t.symbolic !== 'stack' && t.symbolic !== 'ustack' || t.kind === 'enum';
}

/** isArith: types the arithmetic operators accept (D has no floating-point arithmetic). */
export function isArith(t: Type): t is IntType | EnumType {
  return isIntegral(t);
}

/** isScalar: integers, enums and pointers (what predicates, conditions and `!` accept). */
export function isScalar(t: Type): boolean {
  return t.kind === 'int' || t.kind === 'enum' || t.kind === 'pointer';
}

/** isPointerLike: pointers and arrays, which D lets you index and do arithmetic on (dt_node_is_pointer). */
export function isPointerLike(t: Type): t is PointerType | ArrayType {
  return t.kind === 'pointer' || t.kind === 'array';
}

/** isChar: a one-byte signed integer, the element type that makes pointers and arrays strings. */
export function isChar(t: Type): boolean {
  return t.kind === 'int' && t.size === 1 && t.signed;
}

/** isStrCompat: string, char pointers and char arrays, all usable where D wants a string. */
export function isStrCompat(t: Type): boolean {
  if (t.kind === 'string') return true;
  if (t.kind === 'pointer') return isChar(t.to);
  if (t.kind === 'array') return isChar(t.of);
  return false;
}

/** isVoidOrFuncPtr: pointers whose target has no size (dt_node_is_vfptr): no arithmetic on them. */
export function isVoidOrFuncPtr(t: Type): boolean {
  return t.kind === 'pointer' && (t.to.kind === 'void' || t.to.kind === 'func');
}

/** isByRef: types whose values are addresses of their bytes (structs, unions, arrays, strings). */
export function isByRef(t: Type): boolean {
  return t.kind === 'sou' || t.kind === 'array' || t.kind === 'string';
}

// ---------------------------------------------------------------- sizes

/** sizeOf gives a type's storage size in bytes; strings are strsize bytes. */
export function sizeOf(t: Type, strsize: number): number {
  switch (t.kind) {
    case 'int': return t.size;
    case 'float': return t.size;
    case 'string': return strsize;
    case 'void': return 0;
    case 'func': return 0;
    case 'pointer': return 8;
    case 'array': return sizeOf(t.of, strsize) * t.count;
    case 'sou': return t.decl.size;
    case 'enum': return t.decl.size;
  }
}

/**
 * alignOf gives a type's alignment in bytes, as DTrace's type containers
 * (libctf) compute it: a union aligns as its most aligned member, but a
 * struct as its first member only.
 */
export function alignOf(t: Type): number {
  switch (t.kind) {
    case 'int': return t.size;
    case 'float': return Math.min(t.size, 16);
    case 'pointer': return 8;
    case 'func': return 8;
    case 'array': return alignOf(t.of);
    case 'enum': return t.decl.size;
    case 'sou': {
      const ms = t.decl.members;
      if (t.decl.tag === 'struct') return ms.length === 0 ? 1 : memberAlign(ms[0]);
      return Math.max(1, ...ms.map(memberAlign));
    }
    default: return 1;
  }
}

/** bitFieldBytes is the storage of a bit-field: the fewest whole bytes holding it, rounded up to a power of two. */
export function bitFieldBytes(bits: number): number {
  let n = 1;
  while (n * 8 < bits) n *= 2;
  return n;
}

/** memberAlign is a member's alignment: a bit-field aligns as its storage. */
export function memberAlign(m: Member): number {
  return m.bits !== undefined ? bitFieldBytes(m.bits) : alignOf(m.type);
}

// ---------------------------------------------------------------- compatibility

/** sameType is ctf_type_compat: the types are the same C type (typedef names ignored). */
export function sameType(a: Type, b: Type): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case 'int': return b.kind === 'int' && a.size === b.size && a.signed === b.signed;
    case 'float': return b.kind === 'float' && a.size === b.size;
    case 'pointer': return b.kind === 'pointer' && sameType(a.to, b.to);
    case 'array': return b.kind === 'array' && a.count === b.count && sameType(a.of, b.of);
    case 'sou':
      return b.kind === 'sou' && (a.decl === b.decl || a.decl.tag === b.decl.tag && a.decl.tagName !== '' && a.decl.tagName === b.decl.tagName);
    case 'enum':
      return b.kind === 'enum' && (a.decl === b.decl || a.decl.tagName !== '' && a.decl.tagName === b.decl.tagName);
    case 'func': return b.kind === 'func' && sameType(a.ret, b.ret);
    default: return a.kind === b.kind;
  }
}

/**
 * arithResult gives the type of a binary arithmetic operation, as DTrace's
 * type promotion computes it: enums count as int; the operand of greater
 * rank (bits, plus one if unsigned) wins, and DTrace does not promote to
 * int first (uchar + char is uchar).
 */
export function arithResult(a: IntType | EnumType, b: IntType | EnumType): IntType {
  const l = a.kind === 'enum' ? T.int : a;
  const r = b.kind === 'enum' ? T.int : b;
  const rank = (t: IntType): number => t.size * 8 + (t.signed ? 0 : 1);
  return rank(r) > rank(l) ? r : l;
}

/**
 * enumStorage is how an enum's value is stored, loaded and printed: as an
 * unsigned integer of its size, since DTrace's type containers give enums
 * no signed encoding (an enumerator of -2 prints as 4294967294), while
 * arithmetic on enums is int arithmetic (arithResult).
 */
export function enumStorage(t: EnumType): IntType {
  return t.decl.size === 8 ? T.ulong : t.decl.size === 2 ? T.ushort : t.decl.size === 1 ? T.uchar : T.uint;
}

/** asInt views an integral type as an integer type (enums are ints). */
export function asInt(t: IntType | EnumType): IntType {
  return t.kind === 'enum' ? (t.decl.size === 8 ? T.long : T.int) : t;
}

/** intConstType types an integer constant as C does (LP64): int, then long/unsigned per base and suffix. */
export function intConstType(value: bigint, suffix: string, base: number): IntType {
  const u = suffix.includes('u');
  const l = suffix.includes('l');
  const INT_MAX = 0x7fffffffn;
  const UINT_MAX = 0xffffffffn;
  const LONG_MAX = 0x7fffffffffffffffn;
  if (!l) {
    if (!u && value <= INT_MAX) return T.int;
    if ((u || base !== 10) && value <= UINT_MAX) return T.uint;
  }
  if (!u && value <= LONG_MAX) return T.long;
  return T.ulong;
}

/** truncate wraps a bigint value to an integer type's width and signedness. */
export function truncate(v: bigint, t: IntType): bigint {
  const bits = BigInt(t.size * 8);
  return t.signed ? BigInt.asIntN(Number(bits), v) : BigInt.asUintN(Number(bits), v);
}

/**
 * findMember looks `name` up in a struct or union, searching anonymous
 * members as C does; the result's bitOffset is from the start of `decl`.
 */
export function findMember(decl: SouDecl, name: string): Member | undefined {
  for (const m of decl.members) {
    if (m.name === name) return m;
    if (m.name === '' && m.type.kind === 'sou') {
      const inner = findMember(m.type.decl, name);
      if (inner !== undefined) return { ...inner, bitOffset: m.bitOffset + inner.bitOffset };
    }
  }
  return undefined;
}
