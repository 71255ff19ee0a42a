// The D parser: a recursive-descent rendering of libdtrace's dt_grammar.y.
// This file holds the token stream, the knowledge DTrace's lexer consults to
// tell type names from identifiers, and the top level: clauses (probe
// descriptions, predicate, body), statements, and dispatch to declarations.
// Expressions and declarations live in expressions.ts and declarations.ts.
// Like DTrace, parsing stops at the first error with DTrace's message.

import { CompileError, type Pos } from '../diag/diagnostic.js';
import type {
  Clause, EmptyStmt, Expr, IfStmt, Pragma, ProbeDesc, Program, Stmt, TopLevel,
} from './ast.js';
import { parseDeclaration, parseInline, parseProvider, parseTranslator } from './declarations.js';
import { parseExpression } from './expressions.js';
import { Lexer } from './lexer.js';
import type { LexerHost, LexMode } from './lexer.js';
import type { MacroOptions } from './macros.js';
import { makeProbeDesc } from './probedesc.js';
import type { ProbeSpecKind } from './probedesc.js';
import { PREDEFINED_TYPES, STORAGE_KEYWORDS, TYPE_KEYWORDS, isTok } from './tokens.js';
import type { IdentToken, IntToken, Token } from './tokens.js';

export interface ParseOptions {
  /** Values of `$1`.. (args[0] is `$0`) and of `$pid`-style macro variables. */
  readonly macros?: MacroOptions;
  /** -xdefaultargs: undefined `$N` read as 0 / "" instead of D_MACRO_UNDEF. */
  readonly defaultArgs?: boolean;
  /** -xargref: do not complain about an unreferenced last argument. */
  readonly argref?: boolean;
  /** -xpspec: a word at the start of an item is always a probe description. */
  readonly pspec?: boolean;
  /** -xempty: accept a program with no clauses or definitions. */
  readonly allowEmpty?: boolean;
  /**
   * 'file' for a script (-s): a probe description needs a predicate or body.
   * 'string' for -n/-P/-m/-f text, where `BEGIN` alone is a clause.
   */
  readonly source?: 'file' | 'string';
  /** What a lone description word names (-P provider, -m module, -f function, -n name). */
  readonly probeSpec?: ProbeSpecKind;
  /** Type names known outside the program (kernel BTF typedefs). */
  readonly isTypeName?: (name: string) => boolean;
  /** Identifiers known outside the program (built-in variables and functions). */
  readonly isIdentifier?: (name: string) => boolean;
  /** Called for each D pragma as it is read, as DTrace applies pragmas while lexing. */
  readonly onPragma?: (p: Pragma) => void;
  /**
   * Called as each clause or definition is complete, before the next token is
   * read: DTrace processes declarations in its grammar actions, so their errors
   * come before any later syntax error, D_MACRO_UNUSED or D_EMPTY.
   */
  readonly onItem?: (item: TopLevel) => void;
}

export class Parser implements LexerHost {
  readonly lx: Lexer;
  /** The lookahead token. */
  tok: Token;
  /** Typedef names declared so far in the program. */
  readonly typedefs = new Set<string>();
  /** Names known to be identifiers (DTrace's pcb_idents and program globals). */
  readonly known = new Set<string>();
  /** Inside a typedef declaration: ambiguous names are not remembered as identifiers. */
  inTypedef = false;
  /** Inside a translator's input type, where `name >` ends the type. */
  xlatorInput = false;
  /**
   * The last unary-expression parsed: an assignment's target must be one, so
   * the target is valid only if it is this very node (not a binary, cast or
   * ternary built around it).
   */
  lastUnary: Expr | undefined;
  private readonly pending: Pragma[] = [];

  constructor(
    src: string,
    readonly opts: ParseOptions = {},
  ) {
    this.lx = new Lexer(src, this, { macros: opts.macros, defaultArgs: opts.defaultArgs, pspec: opts.pspec });
    if (opts.argref === true) this.lx.argref = true;
    this.tok = this.lx.next();
  }

  // ------------------------------------------------------------ lexer host

  isTypeName(name: string): boolean {
    return PREDEFINED_TYPES.has(name) || this.typedefs.has(name) || (this.opts.isTypeName?.(name) ?? false);
  }

  /** isKnownIdent: a name DTrace's id_or_type returns as an identifier before looking past it. */
  isKnownIdent(name: string): boolean {
    return this.known.has(name) || (this.opts.isIdentifier?.(name) ?? false);
  }

  /** classifyIdent is id_or_type: known names first, then a peek at what follows, then types. */
  classifyIdent(name: string, follow: string, parens: number): 'ident' | 'tname' {
    if (this.known.has(name) || (this.opts.isIdentifier?.(name) ?? false)) return 'ident';
    const [c0, c1] = [follow[0], follow[1]];
    const assigned =
      ((c0 === '+' || c0 === '-') && c1 === c0) ||
      (c0 === '=' && c1 !== '=') ||
      c0 === '[' ||
      c0 === ';' ||
      (c0 === ',' && parens === 0) ||
      (c0 === '>' && this.xlatorInput);
    if (assigned) {
      if (!this.inTypedef) this.known.add(name);
      return 'ident';
    }
    return this.isTypeName(name) ? 'tname' : 'ident';
  }

  pragma(p: Pragma): void {
    this.pending.push(p);
    this.opts.onPragma?.(p);
  }

  // ------------------------------------------------------------ token stream

  /** advance consumes the lookahead and reads the next token, in `mode` if given. */
  advance(mode?: LexMode): Token {
    const t = this.tok;
    if (mode !== undefined) this.lx.mode = mode;
    this.tok = this.lx.next();
    return t;
  }

  /** is tells whether the lookahead is the keyword or punctuator `text`. */
  is(text: string): boolean {
    return isTok(this.tok, text);
  }

  /** expect consumes `text` or fails with a syntax error at the lookahead. */
  expect(text: string, mode?: LexMode): Token {
    if (!this.is(text)) this.fail();
    return this.advance(mode);
  }

  /** fail raises bison's "syntax error" with DTrace's " near ..." suffix. */
  fail(t: Token = this.tok): never {
    const text = t.kind === 'ident' || t.kind === 'tname' ? (t as IdentToken).near ?? t.text : t.text;
    const near = t.kind === 'eof' ? 'end of input' : `"${text.split('\n')[0] as string}"`;
    throw new CompileError('D_SYNTAX', `syntax error near ${near}`, { line: t.endLine, col: t.pos.col });
  }

  /** error raises a D_* error on the given line. */
  error(tag: string, message: string, line: number = this.tok.endLine): never {
    throw new CompileError(tag, message, { line, col: 1 });
  }

  /** endItem hands a finished item to onItem, then reads the next item's first token. */
  endItem<T extends TopLevel>(item: T): T {
    this.opts.onItem?.(item);
    this.advance('clause');
    return item;
  }

  /**
   * here is where DTrace reports an error found when the lookahead was
   * read: the lookahead's line (after any look past it) and column.
   */
  here(): Pos {
    return { line: this.tok.endLine, col: this.tok.pos.col };
  }

  /** startsType tells whether a token begins a type name (specifier or qualifier). */
  startsType(t: Token = this.tok): boolean {
    return t.kind === 'tname' || (t.kind === 'keyword' && TYPE_KEYWORDS.has(t.text));
  }

  // ------------------------------------------------------------ program

  parse(): Program {
    const items: TopLevel[] = [];
    while (this.tok.kind !== 'eof') {
      items.push(...this.pending.splice(0));
      items.push(this.parseItem());
    }
    items.push(...this.pending.splice(0));
    this.checkArguments();
    this.checkEmpty(items);
    return { kind: 'Program', items };
  }

  private parseItem(): TopLevel {
    const t = this.tok;
    if (t.kind === 'pspec' || t.kind === 'int') return this.parseClause();
    if (t.kind === 'keyword') {
      if (t.text === 'inline') return parseInline(this);
      if (t.text === 'translator') return parseTranslator(this);
      if (t.text === 'provider') return parseProvider(this);
      if (TYPE_KEYWORDS.has(t.text) || STORAGE_KEYWORDS.has(t.text)) return parseDeclaration(this);
    }
    if (t.kind === 'tname') return parseDeclaration(this);
    return this.fail();
  }

  /** checkArguments is D_MACRO_UNUSED: the last argument must be referenced. */
  private checkArguments(): void {
    const m = this.lx.macros;
    if (m.argc > 1 && !this.lx.argref && !m.used.has(m.argc - 1)) {
      const arg = this.opts.macros?.args[m.argc - 1] ?? '';
      this.error('D_MACRO_UNUSED', `extraneous argument '${arg}' ($${m.argc - 1} is not referenced)`, this.lx.line);
    }
  }

  private checkEmpty(items: readonly TopLevel[]): void {
    if (this.opts.allowEmpty === true || this.lx.allowEmpty) return;
    if (items.some((i) => i.kind !== 'Pragma' && i.kind !== 'Declaration')) return;
    this.error('D_EMPTY', 'empty D program translation unit', this.lx.line);
  }

  // ------------------------------------------------------------ clauses

  private probeDesc(t: Token): ProbeDesc {
    if (t.kind === 'int') return this.probeId(t as IntToken);
    if (t.kind !== 'pspec') this.fail(t);
    const lookup = (ref: string): string | undefined => this.lx.macros.probeArg(ref);
    return makeProbeDesc(t.text, t.pos, t.endLine, this.opts.probeSpec ?? 'name', lookup);
  }

  private probeId(t: IntToken): ProbeDesc {
    if (t.value > 0xffffffffn) {
      this.error('D_PDESC_INVAL', `identifier ${t.value} exceeds maximum probe id`, t.endLine);
    }
    const spec = this.opts.probeSpec ?? 'name';
    if (spec !== 'name') {
      const what = { provider: 'providers', module: 'modules', function: 'functions' }[spec];
      this.error('D_PDESC_INVAL', `probe identifier ${t.value} not permitted when specifying ${what}`, t.endLine);
    }
    return { kind: 'ProbeDesc', pos: t.pos, text: t.text, parts: [], id: t.value };
  }

  private parseClause(): Clause {
    const first = this.tok;
    const probes = [this.probeDesc(this.advance())];
    while (this.is(',')) {
      this.advance();
      probes.push(this.probeDesc(this.advance()));
    }
    if (this.is('/')) return this.parsePredicated(first, probes);
    if (this.is('{')) return this.endItem<Clause>({ kind: 'Clause', pos: first.pos, probes, body: this.parseBody(), end: this.tok.pos });
    if (this.opts.source !== 'string') {
      this.error('D_SYNTAX', 'expected predicate and/or actions following probe description', first.endLine);
    }
    const clause: Clause = { kind: 'Clause', pos: first.pos, probes };
    this.opts.onItem?.(clause);
    return clause;
  }

  private parsePredicated(first: Token, probes: ProbeDesc[]): Clause {
    this.advance('expr');
    const predicate = parseExpression(this);
    if (this.tok.kind !== 'epred') this.fail();
    const end = this.advance();
    if (!this.is('{')) {
      const simple = ['Ident', 'IntLit', 'CharLit', 'StrLit', 'AggRef'].includes(predicate.kind);
      const line = simple && 'pos' in predicate ? predicate.pos.line : end.endLine;
      this.error('D_SYNTAX', 'expected actions { } following probe description and predicate', line);
    }
    return this.endItem<Clause>({ kind: 'Clause', pos: first.pos, probes, predicate, body: this.parseBody(), end: this.tok.pos });
  }

  /** parseBody reads `{ statements }` ending a clause, leaving the `}` as lookahead. */
  private parseBody(): Stmt[] {
    this.advance('expr');
    const body = this.parseStatements();
    if (!this.is('}')) this.fail();
    return body;
  }

  // ------------------------------------------------------------ statements

  /** parseStatements reads statement_list up to `}`; the last statement's `;` is optional. */
  parseStatements(): Stmt[] {
    const out: Stmt[] = [];
    while (!this.is('}')) {
      if (this.is('if') || this.is(';')) {
        out.push(this.parseStatement());
        continue;
      }
      const pos = this.tok.pos;
      const expr = parseExpression(this);
      out.push({ kind: 'ExprStmt', pos, expr });
      if (this.is(';')) this.advance();
      else if (!this.is('}')) this.fail();
    }
    return out;
  }

  /** parseStatement reads one `;`, `expr;` or `if` statement. */
  private parseStatement(): Stmt {
    const pos = this.tok.pos;
    if (this.is(';')) {
      this.advance();
      const empty: EmptyStmt = { kind: 'EmptyStmt', pos };
      return empty;
    }
    if (this.is('if')) return this.parseIf();
    const expr = parseExpression(this);
    this.expect(';');
    return { kind: 'ExprStmt', pos, expr };
  }

  private parseIf(): IfStmt {
    const pos = this.advance().pos;
    this.expect('(');
    const cond = parseExpression(this);
    this.expect(')');
    const then = this.parseStatementOrBlock();
    if (!this.is('else')) return { kind: 'IfStmt', pos, cond, then };
    this.advance();
    return { kind: 'IfStmt', pos, cond, then, else: this.parseStatementOrBlock() };
  }

  private parseStatementOrBlock(): Stmt {
    if (!this.is('{')) return this.parseStatement();
    const pos = this.advance().pos;
    const body = this.parseStatements();
    this.expect('}');
    return { kind: 'BlockStmt', pos, body };
  }
}

/** parseProgram parses a whole D program (a script or -n/-P/-m/-f text). */
export function parseProgram(source: string, opts: ParseOptions = {}): Program {
  return new Parser(source, opts).parse();
}
