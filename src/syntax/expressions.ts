// D expressions: precedence climbing over the operator table in tokens.ts for
// the binary levels, recursive descent for the rest of dt_grammar.y's
// expression rules (comma, assignment, ternary, casts, unary, postfix,
// primary, sizeof/stringof/offsetof/xlate). Casts are told from parenthesised
// expressions by whether the token after `(` begins a type name.

import type {
  AssignOp, BinaryOp, Expr, Ident, IntLit, UnaryOp,
} from './ast.js';
import { parseTypeName } from './declarations.js';
import { foldInt } from './fold.js';
import type { Parser } from './parser.js';
import { ASSIGN_OPS, BINARY_PRECEDENCE, UNARY_OPS } from './tokens.js';
import type { IdentToken, IntToken, Token } from './tokens.js';

/** expression: assignment expressions joined by the comma operator. */
export function parseExpression(p: Parser): Expr {
  const first = parseAssignment(p);
  if (!p.is(',')) return first;
  const exprs = [first];
  while (p.is(',')) {
    p.advance();
    exprs.push(parseAssignment(p));
  }
  return { kind: 'Comma', pos: exprPos(first), exprs };
}

/** assignment_expression: right-associative; the target must be a unary-expression. */
export function parseAssignment(p: Parser): Expr {
  const target = parseConditional(p);
  const t = p.tok;
  if (t.kind !== 'punct' || !ASSIGN_OPS.has(t.text)) return target;
  if (p.lastUnary !== target) p.fail();
  p.advance();
  const value = parseAssignment(p);
  const op = t.text as AssignOp;
  if ((op === '/=' || op === '%=') && foldInt(value) === 0n) divZero(p);
  return { kind: 'Assign', pos: reducedAt(p, target), op, target, value };
}

/** conditional_expression: `c ? expression : conditional_expression`. */
export function parseConditional(p: Parser): Expr {
  const cond = parseBinary(p, 1);
  if (!p.is('?')) return cond;
  p.advance();
  const then = parseExpression(p);
  p.expect(':');
  const otherwise = parseConditional(p);
  return { kind: 'Ternary', pos: reducedAt(p, cond), cond, then, else: otherwise };
}

/** parseBinary climbs the precedence table; every binary operator is left-associative. */
function parseBinary(p: Parser, minPrec: number): Expr {
  let left = parseCast(p);
  for (;;) {
    const t = p.tok;
    const prec = t.kind === 'punct' ? BINARY_PRECEDENCE.get(t.text) : undefined;
    if (prec === undefined || prec < minPrec) return left;
    p.advance();
    const right = parseBinary(p, prec + 1);
    const op = t.text as BinaryOp;
    if ((op === '/' || op === '%') && foldInt(right) === 0n) divZero(p);
    left = { kind: 'Binary', pos: reducedAt(p, left), op, left, right };
  }
}

/** divZero is dt_node_op2's check, made as the operator is reduced. */
function divZero(p: Parser): never {
  return p.error('D_DIV_ZERO', 'expression contains division by zero');
}

/** cast_expression: `(type) cast_expression` or a unary expression. */
function parseCast(p: Parser): Expr {
  if (!p.is('(')) return parseUnary(p);
  const open = p.advance();
  if (p.startsType()) {
    const type = parseTypeName(p);
    p.expect(')');
    const operand = parseCast(p);
    return { kind: 'Cast', pos: reducedAt(p, open), type, operand };
  }
  return parsePostfix(p, parseParenRest(p));
}

/** parseParenRest finishes `( expression )` once the `(` is consumed. */
function parseParenRest(p: Parser): Expr {
  const inner = parseExpression(p);
  p.expect(')');
  return inner;
}

function unaryNode(p: Parser, e: Expr): Expr {
  p.lastUnary = e;
  return e;
}

/** unary_expression: prefix operators, sizeof, stringof, or a postfix expression. */
function parseUnary(p: Parser): Expr {
  const t = p.tok;
  if (t.kind === 'punct' && (t.text === '++' || t.text === '--')) {
    p.advance();
    const target = parseUnary(p);
    return unaryNode(p, { kind: 'IncDec', pos: reducedAt(p, t), op: t.text, prefix: true, target });
  }
  if (t.kind === 'punct' && UNARY_OPS.has(t.text)) {
    p.advance();
    const operand = parseCast(p);
    return unaryNode(p, { kind: 'Unary', pos: reducedAt(p, t), op: t.text as UnaryOp, operand });
  }
  if (p.is('sizeof')) return unaryNode(p, parseSizeof(p));
  if (p.is('stringof')) {
    p.advance();
    return unaryNode(p, { kind: 'Unary', pos: t.pos, op: 'stringof', operand: parseUnary(p) });
  }
  return parsePostfix(p, parsePrimary(p));
}

/** sizeof unary_expression | sizeof ( type_name ). */
function parseSizeof(p: Parser): Expr {
  const pos = p.advance().pos;
  if (!p.is('(')) return { kind: 'Unary', pos, op: 'sizeof', operand: parseUnary(p) };
  p.advance();
  if (p.startsType()) {
    const type = parseTypeName(p);
    const rp = p.expect(')');
    return { kind: 'SizeofType', pos, type, end: { line: rp.endLine, col: rp.pos.col } };
  }
  const operand = parsePostfix(p, parseParenRest(p));
  return { kind: 'Unary', pos, op: 'sizeof', operand };
}

/** parsePostfix applies `[...]`, `(...)`, `.`, `->`, `++` and `--` to a primary expression. */
function parsePostfix(p: Parser, base: Expr): Expr {
  let e = unaryNode(p, base);
  for (;;) {
    const t = p.tok;
    if (t.kind !== 'punct') return e;
    if (t.text === '[') {
      p.advance();
      const index = parseArguments(p, ']');
      p.advance();
      e = { kind: 'Index', pos: exprPos(e), base: e, index };
    } else if (t.text === '(') {
      e = parseCall(p, e);
    } else if (t.text === '.' || t.text === '->') {
      e = parseMember(p, e, t.text === '->');
    } else if (t.text === '++' || t.text === '--') {
      p.advance();
      e = { kind: 'IncDec', pos: exprPos(e), op: t.text, prefix: false, target: e };
    } else {
      return e;
    }
    unaryNode(p, e);
  }
}

/** parseArguments reads `assignment_expression, ...` up to `close`, which it does not consume. */
function parseArguments(p: Parser, close: string): Expr[] {
  const args = [parseAssignment(p)];
  while (p.is(',')) {
    p.advance();
    args.push(parseAssignment(p));
  }
  if (!p.is(close)) p.fail();
  return args;
}

/** parseCall: D calls only named functions (dt_node_func's D_FUNC_IDENT otherwise). */
function parseCall(p: Parser, callee: Expr): Expr {
  p.advance();
  const args = p.is(')') ? [] : parseArguments(p, ')');
  const close = p.advance();
  if (callee.kind !== 'Ident') p.error('D_FUNC_IDENT', 'function designator is not of function type', close.endLine);
  return { kind: 'Call', pos: callee.pos, callee: identName(callee), args };
}

/** parseMember: `e.name` / `e->name`; `self->x` and `this->x` are scoped variables. */
function parseMember(p: Parser, object: Expr, arrow: boolean): Expr {
  // DTrace reports a member's errors on the line of its `.` or `->`.
  const op = p.advance();
  const t = p.tok;
  if (t.kind !== 'ident' && t.kind !== 'tname') p.fail();
  p.advance();
  const member = identName(t as IdentToken);
  if (arrow && object.kind === 'Ident' && !object.backquote && (object.name === 'self' || object.name === 'this')) {
    return { kind: 'ScopedVar', pos: object.pos, scope: object.name, name: member };
  }
  return { kind: 'Member', pos: { line: op.pos.line, col: object.pos.col }, object, member, arrow };
}

/** primary_expression plus the offsetof/xlate forms of postfix_expression. */
function parsePrimary(p: Parser): Expr {
  const t = p.tok;
  switch (t.kind) {
    case 'ident':
      p.advance();
      return identNode(t as IdentToken);
    case 'agg':
      p.advance();
      return { kind: 'AggRef', pos: t.pos, name: t.name };
    case 'int':
    case 'char':
      p.advance();
      return intNode(t as IntToken);
    case 'string':
      p.advance();
      return { kind: 'StrLit', pos: t.pos, value: t.value };
    case 'keyword':
      return parseKeywordPrimary(p, t);
    case 'punct':
      if (t.text === '(') {
        p.advance();
        if (p.startsType()) p.fail();
        return parseParenRest(p);
      }
      return p.fail();
    default:
      return p.fail();
  }
}

function parseKeywordPrimary(p: Parser, t: Token): Expr {
  if (t.text === 'self' || t.text === 'this') {
    p.advance();
    return { kind: 'Ident', pos: t.pos, name: t.text, backquote: false };
  }
  if (t.text === 'offsetof') return parseOffsetof(p);
  if (t.text === 'xlate') return parseXlate(p);
  return p.fail();
}

/** offsetof ( type_name , member ). */
function parseOffsetof(p: Parser): Expr {
  const pos = p.advance().pos;
  p.expect('(');
  const type = parseTypeName(p);
  p.expect(',');
  const m = p.tok;
  if (m.kind !== 'ident' && m.kind !== 'tname') p.fail();
  p.advance();
  const rp = p.expect(')');
  return { kind: 'Offsetof', pos, type, member: identName(m as IdentToken), end: { line: rp.endLine, col: rp.pos.col } };
}

/** xlate < type_name > ( expression ). */
function parseXlate(p: Parser): Expr {
  const pos = p.advance().pos;
  p.expect('<');
  const type = parseTypeName(p);
  p.expect('>');
  p.expect('(');
  const operand = parseParenRest(p);
  return { kind: 'Xlate', pos, type, operand };
}

/** identName is the name as written, with its scope (`` mod`name ``) if any. */
export function identName(t: { readonly name: string; readonly module?: string; readonly backquote: boolean }): string {
  if (!t.backquote) return t.name;
  return `${t.module ?? ''}\`${t.name}`;
}

function identNode(t: IdentToken): Ident {
  return { kind: 'Ident', pos: t.pos, name: t.name, module: t.module, backquote: t.backquote };
}

/** intNode keeps a macro argument's sign as a unary operator, as DTrace's yyintprefix. */
function intNode(t: IntToken): Expr {
  if (t.kind === 'char') return { kind: 'CharLit', pos: t.pos, value: t.value, text: t.text };
  const lit: IntLit = { kind: 'IntLit', pos: t.pos, value: t.value, suffix: t.suffix, base: t.base, text: t.text };
  return t.sign === undefined ? lit : { kind: 'Unary', pos: t.pos, op: t.sign, operand: lit };
}

/** exprPos is the position of an expression's first token. */
export function exprPos(e: Expr): { line: number; col: number } {
  return e.pos;
}

/**
 * reducedAt is the position of an operator node as DTrace's parser gives
 * it: the line the lexer is on when the operator is reduced, i.e. after
 * its last operand's lookahead token (for a predicate's closing `/`, the
 * line of what follows it), with the column of its first token.
 */
function reducedAt(p: Parser, first: { readonly pos: { line: number; col: number } }): { line: number; col: number } {
  return { line: p.tok.endLine, col: first.pos.col };
}
