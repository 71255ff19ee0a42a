// Token shapes and the lexical tables of D: keywords, punctuators, and the one
// operator table (binary precedence, assignment and unary operators) that the
// expression parser climbs. Everything the lexer and parser agree on lives here.

import type { Pos } from '../diag/diagnostic.js';
import type { AssignOp, BinaryOp } from './ast.js';
import { PREDEFINED_TYPE_NAMES } from './predefined.js';

/** Token kinds, after dt_lex.l: TNAME is an identifier the lexer judged to be a type name. */
export type TokenKind =
  | 'ident'
  | 'tname'
  | 'keyword'
  | 'punct'
  | 'int'
  | 'char'
  | 'string'
  | 'agg'
  | 'pspec'
  | 'epred'
  | 'eof';

export interface TokenBase {
  readonly pos: Pos;
  /** The token as written (`$1` for a macro argument, quotes included): what "near" messages show. */
  readonly text: string;
  /**
   * The lexer's line once this token (and any lookahead DTrace's lexer did past
   * it) was read: DTrace reports syntax errors at that line, not the token's.
   */
  readonly endLine: number;
}

export interface IdentToken extends TokenBase {
  readonly kind: 'ident' | 'tname';
  /** Name without its scope: `` vmlinux`max_pfn `` has name max_pfn. */
  readonly name: string;
  readonly module?: string;
  readonly backquote: boolean;
  /** Set when the identifier follows `.` or `->`, where keywords are member names. */
  readonly member: boolean;
  /** What DTrace shows "near" this identifier in a syntax error, when it differs from `text`. */
  readonly near?: string;
}

export interface KeywordToken extends TokenBase {
  readonly kind: 'keyword' | 'punct' | 'pspec' | 'epred' | 'eof';
}

export interface IntToken extends TokenBase {
  readonly kind: 'int' | 'char';
  readonly value: bigint;
  readonly suffix: string;
  readonly base: 8 | 10 | 16;
  /** A `$-1`-style macro argument carries its sign separately, as DTrace's yyintprefix. */
  readonly sign?: '+' | '-';
}

export interface StringToken extends TokenBase {
  readonly kind: 'string';
  readonly value: string;
}

export interface AggToken extends TokenBase {
  readonly kind: 'agg';
  /** The aggregation name without `@`; '' for the anonymous `@`. */
  readonly name: string;
}

export type Token = IdentToken | KeywordToken | IntToken | StringToken | AggToken;

/** Keywords in expression state (S0 of dt_lex.l). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'counter', 'default', 'do',
  'double', 'else', 'enum', 'extern', 'float', 'for', 'goto', 'if', 'import', 'inline',
  'int', 'long', 'offsetof', 'probe', 'provider', 'register', 'restrict', 'return',
  'self', 'short', 'signed', 'sizeof', 'static', 'string', 'stringof', 'struct',
  'switch', 'this', 'translator', 'typedef', 'union', 'unsigned', 'void', 'volatile',
  'while', 'xlate',
]);

/**
 * Keywords recognised at the start of a top-level item (S2). The others
 * (sizeof, if, probe...) lex there as probe descriptions, as in DTrace.
 */
export const CLAUSE_KEYWORDS: ReadonlySet<string> = new Set([
  'auto', 'char', 'const', 'counter', 'double', 'enum', 'extern', 'float', 'import',
  'inline', 'int', 'long', 'provider', 'register', 'restrict', 'self', 'short',
  'signed', 'static', 'string', 'struct', 'this', 'translator', 'typedef', 'union',
  'unsigned', 'void', 'volatile',
]);

/** Punctuators, longest first so the lexer can match greedily. */
export const PUNCTUATORS: readonly string[] = [
  '...', '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '^^',
  '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=',
  '(', ')', '[', ']', '{', '}', '.', ',', ';', ':', '?', '=', '<', '>',
  '+', '-', '*', '/', '%', '&', '|', '^', '!', '~',
];

/**
 * The operator table. Binary operators with their precedence (higher binds
 * tighter; all are left-associative, as in C and dt_grammar.y); assignment
 * operators (right-associative, below the ternary); prefix unary operators.
 */
export const BINARY_PRECEDENCE: ReadonlyMap<string, number> = new Map<BinaryOp, number>([
  ['||', 1],
  ['^^', 2],
  ['&&', 3],
  ['|', 4],
  ['^', 5],
  ['&', 6],
  ['==', 7], ['!=', 7],
  ['<', 8], ['<=', 8], ['>', 8], ['>=', 8],
  ['<<', 9], ['>>', 9],
  ['+', 10], ['-', 10],
  ['*', 11], ['/', 11], ['%', 11],
]);

export const ASSIGN_OPS: ReadonlySet<string> = new Set<AssignOp>([
  '=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=',
]);

/** Prefix operators whose operand is a cast-expression. */
export const UNARY_OPS: ReadonlySet<string> = new Set(['-', '+', '!', '~', '*', '&']);

/** Keywords that begin a type specifier or qualifier. */
export const TYPE_KEYWORDS: ReadonlySet<string> = new Set([
  'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned',
  'string', 'struct', 'union', 'enum', 'const', 'volatile', 'restrict',
]);

/** Storage classes; `self` and `this` are D's own. */
export const STORAGE_KEYWORDS: ReadonlySet<string> = new Set([
  'auto', 'register', 'static', 'extern', 'typedef', 'self', 'this',
]);

/**
 * Type names D always knows: C's type keywords and D's predefined typedefs
 * (syntax/predefined.ts), consulted when telling casts from expressions.
 */
export const PREDEFINED_TYPES: ReadonlySet<string> = new Set([
  'char', 'short', 'int', 'long', 'float', 'double', 'void', 'signed', 'unsigned',
  'string',
  ...PREDEFINED_TYPE_NAMES,
]);

/** isTok tells whether a token is the given keyword or punctuator. */
export function isTok(t: Token, text: string): boolean {
  return (t.kind === 'punct' || t.kind === 'keyword') && t.text === text;
}
