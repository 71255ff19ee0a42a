// The D abstract syntax tree: what the parser produces and every later stage
// reads. Nodes are plain data discriminated by `kind`; every node carries the
// position of its first token. The tree covers the whole D grammar (clauses,
// declarations, struct/union/enum, typedef, inline, translators, provider
// definitions, pragmas), including what later stages do not support yet.

import type { Pos } from '../diag/diagnostic.js';

export type { Pos };

/** Program is one D compilation unit (a script file or the -n/-P descriptions). */
export interface Program {
  readonly kind: 'Program';
  readonly items: TopLevel[];
}

export type TopLevel =
  | Clause
  | Declaration
  | InlineDecl
  | TranslatorDecl
  | ProviderDecl
  | Pragma;

/** Clause is `probe-descriptions [/predicate/] [{ statements }]`. */
export interface Clause {
  readonly kind: 'Clause';
  readonly pos: Pos;
  readonly probes: ProbeDesc[];
  readonly predicate?: Expr;
  /** The statements of the body; undefined when the clause has no braces (default action). */
  readonly body?: Stmt[];
  /** Position of the closing brace: DTrace reports clause-level errors (predicate type) there. */
  readonly end?: Pos;
}

/**
 * ProbeDesc is one probe description as written (`syscall::read:entry`,
 * `BEGIN`, `tick-1s`, globs allowed). `parts` holds the colon-separated
 * fields as written, left to right (1 to 4 of them); the probe matcher fills
 * the missing leading fields with empty strings.
 */
export interface ProbeDesc {
  readonly kind: 'ProbeDesc';
  readonly pos: Pos;
  readonly text: string;
  readonly parts: string[];
  /** Set when the description is a numeric probe id (`123`) rather than a name. */
  readonly id?: bigint;
}

/** Pragma is a `#pragma` line: `words` are the tokens after `#pragma`. */
export interface Pragma {
  readonly kind: 'Pragma';
  readonly pos: Pos;
  readonly words: string[];
}

// ---------------------------------------------------------------- types

export type Qualifier = 'const' | 'volatile' | 'restrict';

/** StorageClass of a declaration; `self` and `this` declare thread- and clause-local variables. */
export type StorageClass = 'auto' | 'register' | 'static' | 'extern' | 'typedef' | 'self' | 'this';

/** TypeSpec is the declaration-specifier part of a declaration or type name. */
export interface TypeSpec {
  readonly kind: 'TypeSpec';
  readonly pos: Pos;
  readonly qualifiers: Qualifier[];
  readonly base: BaseType;
}

export type BaseType = BuiltinType | NamedType | StructType | EnumType;

/** BuiltinType is a C arithmetic or void type by its keywords, e.g. ['unsigned', 'long', 'long']. */
export interface BuiltinType {
  readonly kind: 'BuiltinType';
  readonly words: string[];
}

/** NamedType is a typedef name (including D's `string`), optionally scoped `` mod`name ``. */
export interface NamedType {
  readonly kind: 'NamedType';
  readonly name: string;
  readonly module?: string;
}

/** StructType is `struct|union [mod`]name [{ members }]`; members present means a definition. */
export interface StructType {
  readonly kind: 'StructType';
  readonly pos: Pos;
  readonly tag: 'struct' | 'union';
  readonly name?: string;
  readonly module?: string;
  readonly members?: MemberDecl[];
}

export interface MemberDecl {
  readonly kind: 'MemberDecl';
  readonly pos: Pos;
  readonly spec: TypeSpec;
  readonly declarator: Declarator;
  readonly bits?: Expr;
  /** The token after the member's declarator (`,` or `;`): DTrace reports errors in the member on its line. */
  readonly end: Pos;
}

/** EnumType is `enum [name] [{ enumerators }]`. */
export interface EnumType {
  readonly kind: 'EnumType';
  readonly pos: Pos;
  readonly name?: string;
  readonly module?: string;
  readonly enumerators?: Enumerator[];
}

export interface Enumerator {
  readonly pos: Pos;
  readonly name: string;
  readonly value?: Expr;
  /** The token after the enumerator (`,` or `}`): DTrace reports errors in it on its line. */
  readonly end: Pos;
}

/**
 * Declarator is the C declarator tree around a name, as C nests it:
 * `int *a[5]` is PointerDecl{inner: ArrayDecl{size 5, inner: NameDecl a}}.
 * The declared type is found walking from the outside in, each node wrapping
 * the type built so far: int → pointer to int → array of 5 pointers to int.
 */
export type Declarator = NameDecl | PointerDecl | ArrayDecl | FunctionDecl;

/** NameDecl ends a declarator chain; `name` is absent in abstract declarators (type names). */
export interface NameDecl {
  readonly kind: 'NameDecl';
  readonly pos: Pos;
  readonly name?: string;
}

export interface PointerDecl {
  readonly kind: 'PointerDecl';
  readonly pos: Pos;
  readonly qualifiers: Qualifier[];
  readonly inner: Declarator;
}

/**
 * ArrayDecl is `[]`, `[N]` or D's associative `[type, type...]`.
 * `size` is set for a constant dimension, `keys` for an associative array.
 */
export interface ArrayDecl {
  readonly kind: 'ArrayDecl';
  readonly pos: Pos;
  readonly inner: Declarator;
  readonly size?: Expr;
  readonly keys?: TypeName[];
  /** The closing `]`, where DTrace reports errors in the dimension. */
  readonly end: Pos;
}

export interface FunctionDecl {
  readonly kind: 'FunctionDecl';
  readonly pos: Pos;
  readonly inner: Declarator;
  readonly params: ParamDecl[];
  readonly varargs: boolean;
}

export interface ParamDecl {
  readonly pos: Pos;
  readonly spec: TypeSpec;
  readonly declarator: Declarator;
}

/** TypeName is a type as written in a cast, sizeof, offsetof, xlate or parameter list. */
export interface TypeName {
  readonly kind: 'TypeName';
  readonly pos: Pos;
  readonly spec: TypeSpec;
  readonly declarator: Declarator;
}

// ---------------------------------------------------------------- declarations

export interface InitDeclarator {
  readonly declarator: Declarator;
  readonly init?: Expr;
  /** The token after the declarator (`,` or `;`): DTrace reports errors in the declaration on its line. */
  readonly end: Pos;
}

/** Declaration is a top-level C/D declaration, e.g. `self int x;`, `typedef ...;`, `struct s {...};`. */
export interface Declaration {
  readonly kind: 'Declaration';
  readonly pos: Pos;
  readonly storage?: StorageClass;
  readonly spec: TypeSpec;
  readonly declarators: InitDeclarator[];
  /** The closing `;`, where DTrace reports errors in a declaration without declarators. */
  readonly end: Pos;
}

/** InlineDecl is `inline type name = expr;`. */
export interface InlineDecl {
  readonly kind: 'InlineDecl';
  readonly pos: Pos;
  /** A storage class written after `inline` (the grammar allows one). */
  readonly storage?: StorageClass;
  readonly spec: TypeSpec;
  readonly declarator: Declarator;
  readonly value: Expr;
  /** The closing `;`, where DTrace reports errors in the definition. */
  readonly end: Pos;
}

/** TranslatorDecl is `translator out < in_type ident > { member = expr; ... };`. */
export interface TranslatorDecl {
  readonly kind: 'TranslatorDecl';
  readonly pos: Pos;
  readonly output: TypeName;
  readonly input: TypeName;
  readonly param: string;
  readonly members: { readonly pos: Pos; readonly name: string; readonly value: Expr }[];
  /** Position of the closing `;`, where DTrace reduces the definition and reports errors about it. */
  readonly end?: Pos;
}

/** ProviderDecl is a USDT `provider name { probe p(args) [: (xargs)]; ... };` definition. */
export interface ProviderDecl {
  readonly kind: 'ProviderDecl';
  readonly pos: Pos;
  readonly name: string;
  readonly probes: {
    readonly pos: Pos;
    readonly name: string;
    readonly params: ParamDecl[];
    readonly xparams?: ParamDecl[];
  }[];
}

// ---------------------------------------------------------------- statements

export type Stmt = ExprStmt | IfStmt | BlockStmt | EmptyStmt;

export interface ExprStmt {
  readonly kind: 'ExprStmt';
  readonly pos: Pos;
  readonly expr: Expr;
}

export interface IfStmt {
  readonly kind: 'IfStmt';
  readonly pos: Pos;
  readonly cond: Expr;
  readonly then: Stmt;
  readonly else?: Stmt;
}

export interface BlockStmt {
  readonly kind: 'BlockStmt';
  readonly pos: Pos;
  readonly body: Stmt[];
}

export interface EmptyStmt {
  readonly kind: 'EmptyStmt';
  readonly pos: Pos;
}

// ---------------------------------------------------------------- expressions

export type BinaryOp =
  | '*' | '/' | '%' | '+' | '-' | '<<' | '>>'
  | '<' | '>' | '<=' | '>=' | '==' | '!='
  | '&' | '^' | '|' | '&&' | '^^' | '||';

export type AssignOp = '=' | '*=' | '/=' | '%=' | '+=' | '-=' | '<<=' | '>>=' | '&=' | '^=' | '|=';

export type UnaryOp = '-' | '+' | '!' | '~' | '*' | '&' | 'sizeof' | 'stringof';

export type Expr =
  | IntLit
  | CharLit
  | StrLit
  | Ident
  | ScopedVar
  | AggRef
  | Binary
  | Assign
  | Unary
  | IncDec
  | Ternary
  | Cast
  | SizeofType
  | Offsetof
  | Call
  | Index
  | Member
  | Xlate
  | Comma;

/**
 * IntLit is an integer constant. `suffix` is the u/l letters as written,
 * lower-cased ('' | 'u' | 'l' | 'ul' | 'll' | 'ull'); `base` tells decimal
 * from octal/hex, which C's constant typing rules need.
 */
export interface IntLit {
  readonly kind: 'IntLit';
  readonly pos: Pos;
  readonly value: bigint;
  readonly suffix: string;
  readonly base: 8 | 10 | 16;
  readonly text: string;
}

/** CharLit is a character constant such as 'a' or '\n' (type char, value as int). */
export interface CharLit {
  readonly kind: 'CharLit';
  readonly pos: Pos;
  readonly value: bigint;
  readonly text: string;
}

/** StrLit is a string constant with escapes decoded. */
export interface StrLit {
  readonly kind: 'StrLit';
  readonly pos: Pos;
  readonly value: string;
}

/**
 * Ident is a plain identifier: a variable, built-in variable, enumerator,
 * inline, or a kernel symbol when written with a backquote
 * (`` `max_pfn `` gives backquote:true, `` vmlinux`max_pfn `` also module).
 */
export interface Ident {
  readonly kind: 'Ident';
  readonly pos: Pos;
  readonly name: string;
  readonly module?: string;
  readonly backquote: boolean;
}

/** ScopedVar is `self->name` (thread-local) or `this->name` (clause-local). */
export interface ScopedVar {
  readonly kind: 'ScopedVar';
  readonly pos: Pos;
  readonly scope: 'self' | 'this';
  readonly name: string;
}

/** AggRef is `@name`; the anonymous aggregation `@` has name ''. */
export interface AggRef {
  readonly kind: 'AggRef';
  readonly pos: Pos;
  readonly name: string;
}

export interface Binary {
  readonly kind: 'Binary';
  readonly pos: Pos;
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

export interface Assign {
  readonly kind: 'Assign';
  readonly pos: Pos;
  readonly op: AssignOp;
  readonly target: Expr;
  readonly value: Expr;
}

/** Unary covers prefix operators, including `sizeof expr` and `stringof expr`. */
export interface Unary {
  readonly kind: 'Unary';
  readonly pos: Pos;
  readonly op: UnaryOp;
  readonly operand: Expr;
}

export interface IncDec {
  readonly kind: 'IncDec';
  readonly pos: Pos;
  readonly op: '++' | '--';
  readonly prefix: boolean;
  readonly target: Expr;
}

export interface Ternary {
  readonly kind: 'Ternary';
  readonly pos: Pos;
  readonly cond: Expr;
  readonly then: Expr;
  readonly else: Expr;
}

export interface Cast {
  readonly kind: 'Cast';
  readonly pos: Pos;
  readonly type: TypeName;
  readonly operand: Expr;
}

export interface SizeofType {
  readonly kind: 'SizeofType';
  readonly pos: Pos;
  readonly type: TypeName;
  /** The closing `)`, where DTrace reports errors (it evaluates sizeof when the parser reduces it). */
  readonly end: Pos;
}

export interface Offsetof {
  readonly kind: 'Offsetof';
  readonly pos: Pos;
  readonly type: TypeName;
  readonly member: string;
  /** The closing `)`, where DTrace reports errors (it evaluates offsetof when the parser reduces it). */
  readonly end: Pos;
}

/** Call is `name(args)`: an action, subroutine or aggregating function (D has no function pointers). */
export interface Call {
  readonly kind: 'Call';
  readonly pos: Pos;
  readonly callee: string;
  readonly args: Expr[];
}

/** Index is `base[a, b, ...]`: arrays, associative arrays, aggregations, args[]. */
export interface Index {
  readonly kind: 'Index';
  readonly pos: Pos;
  readonly base: Expr;
  readonly index: Expr[];
}

export interface Member {
  readonly kind: 'Member';
  readonly pos: Pos;
  readonly object: Expr;
  readonly member: string;
  readonly arrow: boolean;
}

export interface Xlate {
  readonly kind: 'Xlate';
  readonly pos: Pos;
  readonly type: TypeName;
  readonly operand: Expr;
}

/** Comma is the C comma operator `a, b`; its value is the last expression's. */
export interface Comma {
  readonly kind: 'Comma';
  readonly pos: Pos;
  readonly exprs: Expr[];
}
