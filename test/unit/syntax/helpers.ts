// Shared helpers for the syntax tests: parse and dump in one call, and run a
// parse expecting DTrace's error (tag, line, message).

import assert from 'node:assert/strict';
import { CompileError } from '../../../src/diag/diagnostic.js';
import type { Expr, Program } from '../../../src/syntax/ast.js';
import { dumpExpr, dumpProgram } from '../../../src/syntax/dump.js';
import { parseProgram } from '../../../src/syntax/parser.js';
import type { ParseOptions } from '../../../src/syntax/parser.js';

export function dump(src: string, opts: ParseOptions = {}): string {
  return dumpProgram(parseProgram(src, opts));
}

/** exprOf parses `BEGIN { <expr>; }` and returns the statement's expression. */
export function exprOf(src: string, opts: ParseOptions = {}): Expr {
  const prog: Program = parseProgram(`BEGIN { ${src}; }`, opts);
  const clause = prog.items[0];
  assert.ok(clause !== undefined && clause.kind === 'Clause' && clause.body !== undefined);
  const stmt = clause.body[0];
  assert.ok(stmt !== undefined && stmt.kind === 'ExprStmt');
  return stmt.expr;
}

/** sexpr renders an expression compactly: `(+ 1 (* 2 3))`. */
export function sexpr(e: Expr): string {
  switch (e.kind) {
    case 'IntLit':
    case 'CharLit':
      return String(e.value);
    case 'StrLit':
      return JSON.stringify(e.value);
    case 'Ident':
      return e.backquote ? `${e.module ?? ''}\`${e.name}` : e.name;
    case 'ScopedVar':
      return `${e.scope}->${e.name}`;
    case 'AggRef':
      return `@${e.name}`;
    case 'Binary':
      return `(${e.op} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case 'Assign':
      return `(${e.op} ${sexpr(e.target)} ${sexpr(e.value)})`;
    case 'Unary':
      return `(${e.op} ${sexpr(e.operand)})`;
    case 'IncDec':
      return `(${e.prefix ? 'pre' : 'post'}${e.op} ${sexpr(e.target)})`;
    case 'Ternary':
      return `(? ${sexpr(e.cond)} ${sexpr(e.then)} ${sexpr(e.else)})`;
    case 'Cast':
      return `(cast ${sexpr(e.operand)})`;
    case 'SizeofType':
      return '(sizeof-type)';
    case 'Offsetof':
      return `(offsetof ${e.member})`;
    case 'Call':
      return `(${e.callee}${e.args.map((a) => ' ' + sexpr(a)).join('')})`;
    case 'Index':
      return `([] ${sexpr(e.base)}${e.index.map((a) => ' ' + sexpr(a)).join('')})`;
    case 'Member':
      return `(${e.arrow ? '->' : '.'} ${sexpr(e.object)} ${e.member})`;
    case 'Xlate':
      return `(xlate ${sexpr(e.operand)})`;
    case 'Comma':
      return `(, ${e.exprs.map(sexpr).join(' ')})`;
  }
}

export function expr(src: string, opts: ParseOptions = {}): string {
  return sexpr(exprOf(src, opts));
}

/** fails asserts that parsing raises `[tag] line N: message`. */
export function fails(src: string, expected: string, opts: ParseOptions = {}): void {
  try {
    parseProgram(src, opts);
  } catch (e) {
    assert.ok(e instanceof CompileError, `not a CompileError: ${String(e)}`);
    const d = e.diag;
    assert.equal(`[${d.tag}] line ${d.pos?.line ?? 0}: ${d.message}`, expected);
    return;
  }
  assert.fail(`parsed without error; expected ${expected}`);
}

export { dumpExpr };
