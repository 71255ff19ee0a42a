// Syntax errors and their lines, worded as DTrace's yyerror and lexer do:
// "syntax error near <token>", "near end of input", bracket tallies, the
// predicate-end checks, and errors DTrace raises after the parse.

import { describe, it } from 'node:test';
import { fails } from './helpers.js';

describe('syntax errors', () => {
  it('names the offending token and its line', () => {
    fails('BEGIN\n{\n\tx = (1 +;\n}', '[D_SYNTAX] line 3: syntax error near ";"');
    fails('BEGIN {\n  f(\n}', '[D_SYNTAX] line 3: syntax error near "}"');
    fails('BEGIN { x = 1 * / 2; }', '[D_SYNTAX] line 1: syntax error near "/"');
    fails('BEGIN { x = "a" "b"; }', '[D_SYNTAX] line 1: syntax error near ""b""');
  });

  it('says "near end of input" at the end', () => {
    fails('BEGIN {\n\tx = 1;\n', '[D_SYNTAX] line 3: syntax error near end of input');
  });

  it('reports stray characters and unbalanced brackets from the lexer', () => {
    fails('BEGIN { x = #; }', '[D_SYNTAX] line 1: syntax error near "#"');
    fails('BEGIN { x = a]; }', '[D_SYNTAX] line 1: extra ] in input stream');
    fails('BEGIN { x = f()); }', '[D_SYNTAX] line 1: extra ) in input stream');
    fails('BEGIN {}\n}', '[D_SYNTAX] line 2: syntax error near "}"');
  });

  it('checks brackets when a slash ends a predicate, on the line after it', () => {
    fails('BEGIN\n/a[1/\n{}', '[D_SYNTAX] line 3: closing ] expected in predicate before /');
    fails('BEGIN\n/f(1/\n{}', '[D_SYNTAX] line 3: closing ) expected in predicate before /');
  });

  it('reports a macro reference in an impossible place as the token written', () => {
    fails('BEGIN { x = 1 $pid; }', '[D_SYNTAX] line 1: syntax error near "$pid"', { macros: { args: [], vars: { pid: '9' } } });
    fails('BEGIN { x = $-1; }', '[D_SYNTAX] line 1: syntax error near "$"');
  });

  it('finds division by a constant zero while parsing', () => {
    fails('BEGIN {\n x = y / (3 - 3);\n}', '[D_DIV_ZERO] line 2: expression contains division by zero');
    fails('BEGIN { x %= 0; }', '[D_DIV_ZERO] line 1: expression contains division by zero');
    fails('BEGIN { x = 1 / (char)256; }', '[D_DIV_ZERO] line 1: expression contains division by zero');
  });

  it('reports an empty program and an unused last argument at the end of input', () => {
    fails('/* nothing */\n', '[D_EMPTY] line 2: empty D program translation unit');
    fails('BEGIN { x = $1; }\n', "[D_MACRO_UNUSED] line 2: extraneous argument 'b' ($2 is not referenced)", {
      macros: { args: ['s.d', 'a', 'b'], vars: {} },
    });
  });
});
