// Shared helpers for the type checker tests: parse and check a D program in
// one call, pick out the value of a trace() statement, and expect a
// CompileError with DTrace's tag and exact message.

import assert from 'node:assert/strict';
import { CompileError } from '../../../src/diag/diagnostic.js';
import { parseProgram } from '../../../src/syntax/parser.js';
import { ProgramChecker } from '../../../src/sema/check.js';
import type { CheckedProgram, TExpr, TStmt } from '../../../src/sema/ir.js';
import { Options } from '../../../src/sema/options.js';

/**
 * check parses and type-checks `src` with fresh (or the given) options, as
 * the compiler does: definitions as the parser completes them (so their
 * errors come before D_EMPTY), clauses at the end.
 */
export function check(src: string, options: Options = new Options()): CheckedProgram {
  const checker = new ProgramChecker(options);
  parseProgram(src, {
    isTypeName: (name) => checker.isTypeName(name),
    isIdentifier: (name) => checker.isIdentifier(name),
    onPragma: (p) => checker.pragma(p),
    onItem: (item) => checker.item(item),
  });
  return checker.finish();
}

/** lastStmt returns the last statement of the last clause. */
export function lastStmt(p: CheckedProgram): TStmt {
  const c = p.clauses[p.clauses.length - 1];
  assert.ok(c !== undefined, 'program has no clause');
  const s = c.body[c.body.length - 1];
  assert.ok(s !== undefined, 'clause has no statement');
  return s;
}

/** traced checks `<decls> BEGIN { trace(<expr>); }` and returns the checked expression. */
export function traced(expr: string, decls = ''): TExpr {
  const s = lastStmt(check(`${decls}\nBEGIN { trace(${expr}); }`));
  assert.equal(s.k, 'trace');
  return (s as TStmt & { k: 'trace' }).e;
}

/** typeName is the D type name of `expr` (as DTrace prints it in messages). */
export function typeName(expr: string, decls = ''): string {
  return traced(expr, decls).type.name;
}

/** constant checks that `expr` folds to an integer constant and returns its type name and value. */
export function constant(expr: string, decls = ''): { type: string; value: bigint } {
  const e = traced(expr, decls);
  assert.equal(e.k, 'int', `${expr} did not fold to a constant (got ${e.k})`);
  return { type: e.type.name, value: (e as TExpr & { k: 'int' }).value };
}

/** compileError runs `fn` and returns the CompileError it must throw. */
export function compileError(fn: () => unknown): CompileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  assert.fail('expected a CompileError');
}

/** rejects checks `src` and asserts the error's tag, message and (optionally) line. */
export function rejects(src: string, tag: string, message?: string, line?: number, options?: Options): void {
  const e = compileError(() => check(src, options));
  assert.equal(e.diag.tag, tag, `tag for ${JSON.stringify(src)}: ${e.diag.message}`);
  if (message !== undefined) assert.equal(e.diag.message, message);
  if (line !== undefined) assert.equal(e.diag.pos?.line, line);
}
