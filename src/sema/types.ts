// D types as the checker and code generator see them: C's integer types on
// LP64, D's string, void, pointers and arrays. Kernel struct types from BTF
// join this union later; everything here is pure data.

/** IntType is a C integer type; `name` is how DTrace prints it in messages. */
export interface IntType {
  readonly kind: 'int';
  readonly name: string;
  readonly size: 1 | 2 | 4 | 8;
  readonly signed: boolean;
}

/** StringType is D's string: a NUL-terminated character array of strsize bytes. */
export interface StringType {
  readonly kind: 'string';
  readonly name: 'string';
}

export interface VoidType {
  readonly kind: 'void';
  readonly name: 'void';
}

export interface PointerType {
  readonly kind: 'pointer';
  readonly name: string;
  readonly to: Type;
}

export interface ArrayType {
  readonly kind: 'array';
  readonly name: string;
  readonly of: Type;
  readonly count: number;
}

export type Type = IntType | StringType | VoidType | PointerType | ArrayType;

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
  string: { kind: 'string', name: 'string' } as StringType,
  void: { kind: 'void', name: 'void' } as VoidType,
} as const;

/** Typedefs DTrace predefines (from its C and D type containers). */
export const PREDEFINED_TYPEDEFS: ReadonlyMap<string, Type> = new Map<string, Type>([
  ['int8_t', int('int8_t', 1, true)],
  ['int16_t', int('int16_t', 2, true)],
  ['int32_t', int('int32_t', 4, true)],
  ['int64_t', int('int64_t', 8, true)],
  ['uint8_t', int('uint8_t', 1, false)],
  ['uint16_t', int('uint16_t', 2, false)],
  ['uint32_t', int('uint32_t', 4, false)],
  ['uint64_t', int('uint64_t', 8, false)],
  ['intptr_t', int('intptr_t', 8, true)],
  ['uintptr_t', int('uintptr_t', 8, false)],
  ['size_t', int('size_t', 8, false)],
  ['ssize_t', int('ssize_t', 8, true)],
  ['ptrdiff_t', int('ptrdiff_t', 8, true)],
  ['off_t', int('off_t', 8, true)],
  ['pid_t', int('pid_t', 4, true)],
  ['id_t', int('id_t', 4, true)],
  ['uid_t', int('uid_t', 4, false)],
  ['gid_t', int('gid_t', 4, false)],
  ['processorid_t', int('processorid_t', 4, true)],
  ['hrtime_t', int('hrtime_t', 8, true)],
  ['dtrace_id_t', int('dtrace_id_t', 4, false)],
  ['dtrace_epid_t', int('dtrace_epid_t', 4, false)],
  ['boolean_t', int('boolean_t', 4, true)],
  ['string', T.string],
]);

/** builtinFromWords maps C type keywords (`unsigned long long`) to a type, or undefined if invalid. */
export function builtinFromWords(words: readonly string[]): Type | undefined {
  let signed: boolean | undefined;
  let longs = 0;
  let base: string | undefined;
  for (const w of words) {
    if (w === 'signed' || w === 'unsigned') {
      if (signed !== undefined) return undefined;
      signed = w === 'signed';
    } else if (w === 'long') {
      longs++;
    } else {
      if (base !== undefined) return undefined;
      base = w;
    }
  }
  if (base === 'void') return signed === undefined && longs === 0 ? T.void : undefined;
  if (base === 'float' || base === 'double') return undefined;
  if (base === '_Bool') return T.bool;
  if (base === 'char') {
    if (longs) return undefined;
    return signed === undefined ? T.char : signed ? T.schar : T.uchar;
  }
  if (base === 'short') {
    if (longs) return undefined;
    return signed === false ? T.ushort : T.short;
  }
  if (base !== undefined && base !== 'int') return undefined;
  if (longs === 0) return signed === false ? T.uint : T.int;
  if (longs === 1) return signed === false ? T.ulong : T.long;
  if (longs === 2) return signed === false ? T.ullong : T.llong;
  return undefined;
}

export function pointerTo(to: Type): PointerType {
  return { kind: 'pointer', name: `${to.name} *`, to };
}

export function arrayOf(of: Type, count: number): ArrayType {
  return { kind: 'array', name: `${of.name} [${count}]`, of, count };
}

export function isInt(t: Type): t is IntType {
  return t.kind === 'int';
}

/** isScalar: integers and pointers (what predicates, conditions and `!` accept). */
export function isScalar(t: Type): boolean {
  return t.kind === 'int' || t.kind === 'pointer';
}

/** isArith: types the arithmetic operators accept. */
export function isArith(t: Type): boolean {
  return t.kind === 'int';
}

/** sizeOf gives a type's storage size in bytes; strings are strsize bytes. */
export function sizeOf(t: Type, strsize: number): number {
  switch (t.kind) {
    case 'int': return t.size;
    case 'string': return strsize;
    case 'void': return 0;
    case 'pointer': return 8;
    case 'array': return sizeOf(t.of, strsize) * t.count;
  }
}

/** arithResult gives the type of a binary arithmetic operation, as DTrace's type promotion computes it. */
export function arithResult(a: IntType, b: IntType): IntType {
  // DTrace does not promote to int: the wider operand's type wins, and of
  // two equally wide types the unsigned one (uchar + char is uchar).
  if (a.size !== b.size) return a.size > b.size ? a : b;
  if (a.signed && !b.signed) return b;
  return a;
}

/** typeEqual compares types structurally (names of integer typedefs ignored). */
export function sameType(a: Type, b: Type): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'int': return b.kind === 'int' && a.size === b.size && a.signed === b.signed;
    case 'pointer': return b.kind === 'pointer' && sameType(a.to, b.to);
    case 'array': return b.kind === 'array' && a.count === b.count && sameType(a.of, b.of);
    default: return true;
  }
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
