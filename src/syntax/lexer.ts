// The D lexer, after libdtrace's dt_lex.l. It has DTrace's two main states:
// 'clause' (S2, the start of a top-level item, where probe descriptions such
// as `syscall::read:entry` or `tick-1s` are single tokens) and 'expr' (S0,
// C-like tokens), plus the identifier-only state after `.`/`->` so keywords can
// be member names. Control lines (#pragma, cpp's line markers) are handled as
// they are met; `/` looks ahead to tell a predicate's end from division.
// Tokens are produced on demand: the parser sets the state before asking.

import { CompileError } from '../diag/diagnostic.js';
import type { Pos } from '../diag/diagnostic.js';
import type { Pragma } from './ast.js';
import { charBytes, charValue, cString, decodeEscapes, strtoull } from './literals.js';
import { MacroTable } from './macros.js';
import type { MacroOptions, MacroValue } from './macros.js';
import { runControlLine } from './pragma.js';
import type { ControlItem } from './pragma.js';
import { CLAUSE_KEYWORDS, KEYWORDS, PREDEFINED_TYPES, PUNCTUATORS } from './tokens.js';
import type { IdentToken, IntToken, Token } from './tokens.js';

export type LexMode = 'clause' | 'expr';

/** LexerHost is the parser-side knowledge DTrace's lexer consults. */
export interface LexerHost {
  /** Is `name` a type name (C/D intrinsic, typedef, or known from BTF)? */
  isTypeName(name: string): boolean;
  /**
   * DTrace's id_or_type for an identifier in expression state: `follow` is the
   * next non-blank character and the one after it, `parens` the open-paren count.
   */
  classifyIdent(name: string, follow: string, parens: number): 'ident' | 'tname';
  /** Is `name` an identifier DTrace already knows (a global, or one it judged an identifier before), so it does not peek past it? */
  isKnownIdent(name: string): boolean;
  /** A D pragma met in the input, passed on as DTrace processes it: at once. */
  pragma(p: Pragma): void;
}

export interface LexerOptions {
  readonly macros?: MacroOptions;
  /** -xdefaultargs: undefined `$N` read as 0 / "". */
  readonly defaultArgs?: boolean;
  /** -xpspec: words at the start of an item are always probe descriptions. */
  readonly pspec?: boolean;
}

const RGX_IDENT = /[a-zA-Z_`][0-9a-zA-Z_`]*/y;
const RGX_WORD = /[a-zA-Z_][0-9a-zA-Z_]*/y;
const RGX_INT = /(?:0[xX][0-9A-Fa-f]+|[0-9]+)[uU]?[lL]?[lL]?/y;
const RGX_FP = /(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFlL]?/y;
const RGX_PSPEC = /[-$:a-zA-Z_.?*\\[\]!][-$:0-9a-zA-Z_.`?*\\[\]!]*/y;
const RGX_CTL = /[\f\t\v ]*#/y;
const RGX_AGG = /@[a-zA-Z_][0-9a-zA-Z_]*/y;
const BLANKS = '\f\n\r\t\v ';

function matchAt(re: RegExp, s: string, i: number): string | undefined {
  re.lastIndex = i;
  const m = re.exec(s);
  return m === null ? undefined : m[0];
}

/** A host with no program knowledge: D's predefined types only. */
export const DEFAULT_HOST: LexerHost = {
  isTypeName: (name) => PREDEFINED_TYPES.has(name),
  classifyIdent: (name) => (PREDEFINED_TYPES.has(name) ? 'tname' : 'ident'),
  isKnownIdent: () => false,
  pragma: () => undefined,
};

export class Lexer {
  mode: LexMode = 'clause';
  /** Open ( and [ counts: DTrace checks them when a `/` ends a predicate. */
  parens = 0;
  brackets = 0;
  braces = 0;
  /** File named by the last line marker, when not the main input. */
  file: string | undefined;
  readonly macros: MacroTable;
  pspec: boolean;
  /** -xargref and -xempty, which a pragma may set mid-program (dt_opt_cflags). */
  argref = false;
  allowEmpty = false;

  private i = 0;
  private lineNo = 1;
  private lineStart = 0;
  private member = false;
  private souType = false;

  constructor(
    private readonly src: string,
    private readonly host: LexerHost = DEFAULT_HOST,
    opts: LexerOptions = {},
  ) {
    this.macros = new MacroTable(opts.macros ?? { args: [], vars: {} }, opts.defaultArgs ?? false);
    this.pspec = opts.pspec ?? false;
  }

  /** The current line (DTrace's yylineno). */
  get line(): number {
    return this.lineNo;
  }

  private pos(at = this.i): Pos {
    return { line: this.lineNo, col: at - this.lineStart + 1 };
  }

  private fail(tag: string, message: string, line = this.lineNo): never {
    throw new CompileError(tag, message, { line, col: 1 });
  }

  /** syntax reports DTrace's yyerror: D_SYNTAX at the current line. */
  private syntax(message: string): never {
    return this.fail('D_SYNTAX', message);
  }

  /** eat consumes n characters, counting newlines. */
  private eat(n: number): void {
    const end = Math.min(this.i + n, this.src.length);
    for (; this.i < end; this.i++) {
      if (this.src[this.i] === '\n') {
        this.lineNo++;
        this.lineStart = this.i + 1;
      }
    }
  }

  /** next returns the next token in the current mode. */
  next(): Token {
    for (;;) {
      if (this.atLineStart() && this.skipControlLine()) continue;
      const c = this.src[this.i];
      if (c === undefined) return this.simple('eof', '', this.i);
      if (BLANKS.includes(c) || (c === '\\' && this.src[this.i + 1] === '\n' && this.mode === 'expr')) {
        this.eat(c === '\\' ? 2 : 1);
        continue;
      }
      if (c === '/' && this.src[this.i + 1] === '*') {
        this.skipComment();
        continue;
      }
      if (c === '/' && this.src[this.i + 1] === '/') {
        // Not in dt_lex.l (cpp strips these under -C); `//` never starts valid D.
        this.skipLineComment();
        continue;
      }
      if (this.member) return this.memberToken();
      return this.mode === 'clause' ? this.clauseToken() : this.exprToken();
    }
  }

  private atLineStart(): boolean {
    return this.i === 0 || this.src[this.i - 1] === '\n';
  }

  private simple(kind: 'keyword' | 'punct' | 'pspec' | 'epred' | 'eof', text: string, start: number): Token {
    return { kind, text, pos: this.pos(start), endLine: this.lineNo };
  }

  // ------------------------------------------------------------ comments, control lines

  private skipComment(): void {
    this.eat(2);
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) this.syntax('end-of-file encountered before matching */');
      if (c === '*' && this.src[this.i + 1] === '/') {
        this.eat(2);
        return;
      }
      if (c === '/' && this.src[this.i + 1] === '*') this.syntax('/* encountered inside a comment');
      this.eat(1);
    }
  }

  private skipLineComment(): void {
    while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
  }

  /** skipControlLine handles a `#` line (or skips a `#!` line); false when there is none. */
  private skipControlLine(): boolean {
    const lead = matchAt(RGX_CTL, this.src, this.i);
    if (lead === undefined) return false;
    const hash = this.i + lead.length - 1;
    if (this.src[hash + 1] === '!') {
      this.skipLineComment();
      return true;
    }
    const pos = this.pos(hash);
    this.i = hash + 1;
    const items = this.controlItems();
    runControlLine(items, pos, {
      setLine: (next, file) => {
        this.lineNo = next;
        if (file !== undefined) this.file = file === '/dev/stdin' ? undefined : file;
      },
      pragma: (p) => this.pragma(p),
    });
    return true;
  }

  /** pragma notes the options that change lexing, then passes the pragma on. */
  private pragma(p: Pragma): void {
    const [d, directive, opt] = p.words;
    if (d === 'D' && directive === 'option') {
      if (opt === 'pspec') this.pspec = true;
      if (opt === 'defaultargs') this.macros.defaultArgs = true;
      if (opt === 'argref') this.argref = true;
      if (opt === 'empty') this.allowEmpty = true;
    }
    this.host.pragma(p);
  }

  /** controlItems reads the tokens of a control line up to and including its newline (S3). */
  private controlItems(): ControlItem[] {
    const items: ControlItem[] = [];
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) this.syntax('end-of-file encountered before end of control line');
      if (c === '\n') {
        this.eat(1);
        return items;
      }
      if ('\f\t\v '.includes(c)) {
        this.i++;
      } else if (c === '"') {
        items.push({ kind: 'string', text: this.stringBody().value });
      } else {
        items.push(this.controlWord());
      }
    }
  }

  private controlWord(): ControlItem {
    let j = this.i;
    while (j < this.src.length && !'\f\n\t\v "'.includes(this.src[j] as string)) j++;
    const word = this.src.slice(this.i, j);
    const int = matchAt(RGX_INT, this.src, this.i);
    if (int !== undefined && int.length >= word.length) {
      const t = this.intToken(int, this.i);
      this.i += int.length;
      return { kind: 'int', text: int, value: t.value };
    }
    this.i = j;
    return { kind: 'ident', text: word };
  }

  // ------------------------------------------------------------ clause state (S2)

  private clauseToken(): Token {
    const start = this.i;
    const c = this.src[start] as string;
    if (c === '{') {
      this.i++;
      this.braces++;
      this.souType = false;
      return this.simple('punct', '{', start);
    }
    if (c === '/' || c === ',') {
      this.i++;
      return this.simple('punct', c, start);
    }
    const int = /[0-9]/.test(c) ? matchAt(RGX_INT, this.src, start) : undefined;
    if (int !== undefined) {
      const t = this.intToken(int, start);
      this.i += int.length;
      return t;
    }
    const spec = matchAt(RGX_PSPEC, this.src, start);
    if (spec === undefined) this.syntax(`syntax error near "${c}"`);
    const word = matchAt(RGX_WORD, this.src, start);
    if (word !== undefined && word.length === spec.length && CLAUSE_KEYWORDS.has(word)) {
      this.i += word.length;
      this.mode = 'expr';
      this.souType = word === 'struct' || word === 'union' || word === 'enum';
      return this.simple('keyword', word, start);
    }
    return this.probeSpec(spec, start);
  }

  /**
   * probeSpec returns a probe description, unless the word (up to a `*`) is a
   * type name and could not be a probe description (DTrace's S2 TNAME check).
   */
  private probeSpec(spec: string, start: number): Token {
    if (!this.pspec && !/[:\-.?!`]/.test(spec) && spec !== 'BEGIN' && spec !== 'END' && spec !== 'ERROR') {
      const star = spec.indexOf('*');
      const base = star > 0 ? spec.slice(0, star) : spec;
      if (this.host.isTypeName(base)) {
        this.i = start + base.length;
        this.mode = 'expr';
        // `int*x`: the PSPEC match was longer than the keyword rule's.
        if (CLAUSE_KEYWORDS.has(base)) return this.simple('keyword', base, start);
        return this.identToken('tname', base, base, start, false);
      }
    }
    this.i = start + spec.length;
    return this.simple('pspec', spec, start);
  }

  // ------------------------------------------------------------ expression state (S0)

  private exprToken(): Token {
    const start = this.i;
    const c = this.src[start] as string;
    if (c === '$') return this.macroToken(start);
    if (/[a-zA-Z_`]/.test(c)) return this.wordToken(start);
    if (c === '@') return this.aggToken(start);
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(this.src[start + 1] ?? ''))) return this.numberToken(start);
    if (c === '"') {
      const { value, text } = this.stringBody();
      return { kind: 'string', text, value, pos: this.pos(start), endLine: this.lineNo };
    }
    if (c === "'") return this.charToken(start);
    if (c === '/' && this.src[start + 1] !== '=') return this.slashToken(start);
    return this.punctToken(start);
  }

  private wordToken(start: number): Token {
    const word = matchAt(RGX_IDENT, this.src, start) as string;
    this.i += word.length;
    if (KEYWORDS.has(word)) {
      this.souType = word === 'struct' || word === 'union' || word === 'enum';
      return this.simple('keyword', word, start);
    }
    return this.classified(word, word, start);
  }

  /** memberToken lexes after `.`/`->` (SIDENT): any word is a member name. */
  private memberToken(): Token {
    this.member = false;
    const start = this.i;
    if (this.src[start] === '$' && /[0-9]/.test(this.src[start + 1] ?? '')) {
      this.member = true;
      return this.macroToken(start);
    }
    const word = matchAt(RGX_IDENT, this.src, start);
    if (word === undefined) return this.next();
    this.i += word.length;
    return this.identToken('ident', word, word, start, true);
  }

  /** classified runs DTrace's id_or_type on an identifier just read. */
  private classified(name: string, text: string, start: number, member = false): IdentToken {
    if (member) return this.identToken('ident', name, text, start, true);
    if (this.souType) {
      this.souType = false;
      return this.identToken('tname', name, text, start, false);
    }
    const peeks = !this.host.isKnownIdent(name);
    const kind = this.host.classifyIdent(name, this.follow(), this.parens);
    const t = this.identToken(kind, name, text, start, false);
    return peeks ? { ...t, near: this.peekedText(start, text.length) } : t;
  }

  /**
   * peekedText is what DTrace shows "near" an identifier its id_or_type
   * peeked past: reading ahead and pushing the characters back leaves
   * yytext running to the end of the line, with the blanks it skipped
   * pushed back as spaces and its newlines after them.
   */
  private peekedText(start: number, length: number): string {
    let j = start + length;
    let spaces = 0;
    let newline = false;
    while (j < this.src.length && BLANKS.includes(this.src[j] as string)) {
      if (this.src[j] === '\n') newline = true;
      else spaces++;
      j++;
    }
    const word = this.src.slice(start, start + length) + ' '.repeat(spaces);
    if (newline) return word;
    const eol = this.src.indexOf('\n', j);
    return word + this.src.slice(j, eol < 0 ? undefined : eol);
  }

  private identToken(kind: 'ident' | 'tname', name: string, text: string, start: number, member: boolean): IdentToken {
    const tick = name.lastIndexOf('`');
    const module = tick > 0 ? name.slice(0, tick) : undefined;
    return {
      kind,
      text,
      name: tick >= 0 ? name.slice(tick + 1) : name,
      module,
      backquote: tick >= 0,
      member,
      pos: this.pos(start),
      endLine: this.lineNo,
    };
  }

  /** follow gives the next non-blank character and the one after it. */
  private follow(): string {
    let j = this.i;
    while (j < this.src.length && BLANKS.includes(this.src[j] as string)) j++;
    return this.src.slice(j, j + 2);
  }

  private aggToken(start: number): Token {
    const agg = matchAt(RGX_AGG, this.src, start) ?? '@';
    this.i += agg.length;
    return { kind: 'agg', text: agg, name: agg.slice(1), pos: this.pos(start), endLine: this.lineNo };
  }

  private numberToken(start: number): Token {
    const int = matchAt(RGX_INT, this.src, start) ?? '';
    const fp = matchAt(RGX_FP, this.src, start) ?? '';
    if (fp.length > int.length) this.syntax('floating-point constants are not permitted');
    this.i += int.length;
    return this.intToken(int, start);
  }

  /** intToken converts an RGX_INT match, with DTrace's overflow and digit checks. */
  private intToken(text: string, start: number): IntToken {
    const n = strtoull(text);
    if (n.overflow) this.fail('D_INT_OFLOW', `constant ${text} results in integer overflow`);
    const rest = text.slice(n.end);
    if (rest !== '' && !/[uUlL]/.test(rest[0] as string)) {
      this.fail('D_INT_DIGIT', `constant ${text} contains invalid digit ${rest[0] as string}`);
    }
    const base = text[0] !== '0' ? 10 : n.base;
    return { kind: 'int', text, value: n.value, suffix: rest.toLowerCase(), base, pos: this.pos(start), endLine: this.lineNo };
  }

  /** quotedBody scans `"..."` or `'...'` (RGX_STR / RGX_CHR) and returns the raw body. */
  private quotedBody(q: '"' | "'"): string {
    const start = this.i;
    let j = start + 1;
    for (;;) {
      const c = this.src[j];
      if (c === q) break;
      if (c === '\n') {
        this.eat(j + 1 - this.i);
        if (q === '"') this.fail('D_STR_NL', 'newline encountered in string literal');
        this.fail('D_CHR_NL', 'newline encountered in character constant');
      }
      if (c === undefined || (c === '\\' && (this.src[j + 1] === undefined || this.src[j + 1] === '\n'))) {
        this.syntax(`syntax error near "${q}"`);
      }
      j += c === '\\' ? 2 : 1;
    }
    this.i = j + 1;
    return this.src.slice(start + 1, j);
  }

  private stringBody(): { value: string; text: string } {
    const start = this.i;
    const body = this.quotedBody('"');
    return { value: cString(decodeEscapes(body)), text: this.src.slice(start, this.i) };
  }

  private charToken(start: number): Token {
    const body = this.quotedBody("'");
    if (body === '') this.fail('D_CHR_NULL', 'empty character constant');
    const bytes = charBytes(decodeEscapes(body));
    if (bytes.length > 8) this.fail('D_CHR_OFLOW', 'character constant is too long');
    const text = this.src.slice(start, this.i);
    return { kind: 'char', text, value: charValue(bytes), suffix: '', base: 10, pos: this.pos(start), endLine: this.lineNo };
  }

  /**
   * slashToken: `/` ends a predicate when the next non-blank character is
   * EOF, `;`, `{` or `/`; otherwise it divides. The blanks it looks past stay
   * consumed, so errors found here are on the line DTrace reports.
   */
  private slashToken(start: number): Token {
    this.i++;
    while (this.i < this.src.length && BLANKS.includes(this.src[this.i] as string)) this.eat(1);
    const c = this.src[this.i];
    const pos = this.pos(start);
    if (c === undefined || c === ';' || c === '{' || c === '/') {
      if (this.parens !== 0) this.syntax('closing ) expected in predicate before /');
      if (this.brackets !== 0) this.syntax('closing ] expected in predicate before /');
      return { kind: 'epred', text: '/', pos: { line: pos.line, col: pos.col }, endLine: this.lineNo };
    }
    return { kind: 'punct', text: '/', pos, endLine: this.lineNo };
  }

  private punctToken(start: number): Token {
    const op = PUNCTUATORS.find((p) => this.src.startsWith(p, start));
    if (op === undefined) this.syntax(`syntax error near "${this.src[start] as string}"`);
    this.i += op.length;
    this.count(op);
    if (op === '.' || op === '->') this.member = true;
    return this.simple('punct', op, start);
  }

  /** count keeps DTrace's bracket tallies and their "extra" errors. */
  private count(op: string): void {
    if ('(){<>'.includes(op)) this.souType = false;
    if (op === '(') this.parens++;
    else if (op === ')' && --this.parens < 0) this.syntax('extra ) in input stream');
    else if (op === '[') this.brackets++;
    else if (op === ']' && --this.brackets < 0) this.syntax('extra ] in input stream');
    else if (op === '{') this.braces++;
    else if (op === '}' && --this.braces < 0) this.syntax('extra } in input stream');
  }

  // ------------------------------------------------------------ macros

  private macroToken(start: number): Token {
    const inMember = this.member;
    this.member = false;
    const m = /\$(\$?)(?:([0-9]+)|([a-zA-Z_`][0-9a-zA-Z_`]*))/y;
    m.lastIndex = start;
    const r = m.exec(this.src);
    // `$$` forms and `$name` do not exist after `.`/`->` (S0-only rules).
    if (r === null || (inMember && (r[1] === '$' || r[3] !== undefined))) this.syntax('syntax error near "$"');
    const text = r[0];
    this.i += text.length;
    const pos = this.pos(start);
    const stringForm = r[1] === '$';
    let v: MacroValue;
    if (r[2] !== undefined) {
      const index = Number(r[2]);
      v = stringForm ? this.macros.argumentString(index, text, pos) : this.macros.argument(index, text, pos);
    } else {
      const name = r[3] as string;
      v = stringForm ? this.macros.variableString(name, text, pos) : this.macros.variableInt(name, text, pos);
    }
    return this.macroValueToken(v, text, start, inMember);
  }

  private macroValueToken(v: MacroValue, text: string, start: number, member: boolean): Token {
    const pos = this.pos(start);
    switch (v.kind) {
      case 'string':
        return { kind: 'string', text, value: v.value, pos, endLine: this.lineNo };
      case 'int':
        return { kind: 'int', text, value: v.value, suffix: v.suffix, base: v.base, sign: v.sign, pos, endLine: this.lineNo };
      case 'ident':
        return { ...this.classified(v.name, text, start, member), text };
    }
  }
}

/** tokenize lexes a whole source in expression state (for tests and tools). */
export function tokenize(src: string, opts: LexerOptions = {}, mode: LexMode = 'expr'): Token[] {
  const lx = new Lexer(src, DEFAULT_HOST, opts);
  lx.mode = mode;
  const out: Token[] = [];
  for (;;) {
    const t = lx.next();
    out.push(t);
    if (t.kind === 'eof') return out;
  }
}
