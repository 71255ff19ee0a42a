// BTF vocabulary shared by the reader (btf.ts) and the writer (write.ts): the
// on-disk constants of the BPF Type Format (kernel Documentation/bpf/btf.rst)
// and the decoded, read-only views that Btf.type() hands to the compiler.
// Views are plain data so later stages can switch on `kind` exhaustively.

/** BTF_MAGIC as a little-endian u16 at byte 0 of every blob. */
export const BTF_MAGIC = 0xeb9f;
export const BTF_VERSION = 1;
/** Size of the header this code writes and the minimum it accepts. */
export const BTF_HEADER_LEN = 24;

/** Numeric kinds stored in bits 24-28 of btf_type.info. */
export const BTF_KIND = {
  UNKN: 0,
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;
export const BTF_KIND_MAX = 19;

/** Bits of the INT encoding byte. At most one is set. */
export const BTF_INT_SIGNED = 1;
export const BTF_INT_CHAR = 2;
export const BTF_INT_BOOL = 4;

/** Kind names as the API spells them; 'void' is type id 0, which has no record. */
export type BtfKindName =
  | 'void'
  | 'int'
  | 'ptr'
  | 'array'
  | 'struct'
  | 'union'
  | 'enum'
  | 'fwd'
  | 'typedef'
  | 'volatile'
  | 'const'
  | 'restrict'
  | 'func'
  | 'func_proto'
  | 'var'
  | 'datasec'
  | 'float'
  | 'decl_tag'
  | 'type_tag'
  | 'enum64';

/** KIND_NAMES[k] is the API name of numeric kind k (index 0 doubles as void). */
export const KIND_NAMES: readonly BtfKindName[] = [
  'void', 'int', 'ptr', 'array', 'struct', 'union', 'enum', 'fwd', 'typedef',
  'volatile', 'const', 'restrict', 'func', 'func_proto', 'var', 'datasec',
  'float', 'decl_tag', 'type_tag', 'enum64',
];

/** Linkage of FUNC (stored in vlen) and VAR (stored in btf_var.linkage). */
export type BtfLinkage = 'static' | 'global' | 'extern';
export const LINKAGE_NAMES: readonly BtfLinkage[] = ['static', 'global', 'extern'];

/** BtfError reports malformed BTF or a query the types cannot answer. */
export class BtfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BtfError';
  }
}

interface ViewBase {
  /** Type id of this record (0 only for void). */
  readonly id: number;
  /** Name from the string section; '' for anonymous types. */
  readonly name: string;
}

export interface BtfVoid extends ViewBase {
  readonly kind: 'void';
}

export interface BtfInt extends ViewBase {
  readonly kind: 'int';
  /** Storage size in bytes. */
  readonly size: number;
  /** Number of value bits (< size*8 only for old-style bitfield ints). */
  readonly bits: number;
  /** BTF_INT_OFFSET: extra bit offset; 0 in everything pahole/llvm emit. */
  readonly bitOffset: number;
  readonly signed: boolean;
  readonly char: boolean;
  readonly bool: boolean;
}

/** Kinds that only point at another type. */
export interface BtfRef extends ViewBase {
  readonly kind: 'ptr' | 'typedef' | 'volatile' | 'const' | 'restrict' | 'type_tag';
  readonly type: number;
  /** For type_tag: kind_flag set means the tag is a raw __attribute__. */
  readonly attribute: boolean;
}

export interface BtfArray extends ViewBase {
  readonly kind: 'array';
  readonly elemType: number;
  readonly indexType: number;
  readonly nelems: number;
}

export interface BtfMember {
  /** '' for an anonymous struct/union member. */
  readonly name: string;
  readonly typeId: number;
  /** Offset of the member's first bit from the start of the aggregate. */
  readonly bitOffset: number;
  /** Width of a bitfield member; 0 when the member is not a bitfield. */
  readonly bitfieldSize: number;
}

export interface BtfComposite extends ViewBase {
  readonly kind: 'struct' | 'union';
  readonly size: number;
  readonly members: readonly BtfMember[];
}

export interface BtfEnumValue {
  readonly name: string;
  /** bigint because ENUM64 values need all 64 bits. */
  readonly value: bigint;
}

export interface BtfEnum extends ViewBase {
  readonly kind: 'enum' | 'enum64';
  readonly size: number;
  /** kind_flag: values are signed. */
  readonly signed: boolean;
  readonly values: readonly BtfEnumValue[];
}

export interface BtfFwd extends ViewBase {
  readonly kind: 'fwd';
  /** kind_flag: forward declaration of a union rather than a struct. */
  readonly union: boolean;
}

export interface BtfFunc extends ViewBase {
  readonly kind: 'func';
  /** The FUNC_PROTO describing the signature. */
  readonly type: number;
  readonly linkage: BtfLinkage;
}

export interface BtfParam {
  /** '' when the prototype does not name the parameter. */
  readonly name: string;
  readonly typeId: number;
}

export interface BtfFuncProto extends ViewBase {
  readonly kind: 'func_proto';
  readonly returnType: number;
  /** Parameters without the trailing {0,0} record that marks varargs. */
  readonly params: readonly BtfParam[];
  readonly variadic: boolean;
}

export interface BtfVar extends ViewBase {
  readonly kind: 'var';
  readonly type: number;
  readonly linkage: BtfLinkage;
}

export interface BtfVarSecinfo {
  readonly typeId: number;
  readonly offset: number;
  readonly size: number;
}

export interface BtfDatasec extends ViewBase {
  readonly kind: 'datasec';
  readonly size: number;
  readonly vars: readonly BtfVarSecinfo[];
}

export interface BtfFloat extends ViewBase {
  readonly kind: 'float';
  readonly size: number;
}

export interface BtfDeclTag extends ViewBase {
  readonly kind: 'decl_tag';
  /** The tagged type, variable or function. */
  readonly type: number;
  /** Member/parameter index the tag applies to; -1 for the whole target. */
  readonly componentIdx: number;
  readonly attribute: boolean;
}

/** BtfType is the decoded view of one type id. */
export type BtfType =
  | BtfVoid
  | BtfInt
  | BtfRef
  | BtfArray
  | BtfComposite
  | BtfEnum
  | BtfFwd
  | BtfFunc
  | BtfFuncProto
  | BtfVar
  | BtfDatasec
  | BtfFloat
  | BtfDeclTag;

/** Where a member lives, as memberOffset reports it. */
export interface MemberLocation {
  /** Byte offset from the start of the outer object (for a bitfield: of the byte holding its first bit). */
  readonly offsetBytes: number;
  /** Exact bit offset from the start of the outer object. */
  readonly bitOffset: number;
  /** Declared type of the member (typedefs/qualifiers kept). */
  readonly typeId: number;
  /** Present only for bitfields: first bit within offsetBytes (0-7) and width. */
  readonly bitfield?: { readonly bitOffset: number; readonly bits: number };
}
