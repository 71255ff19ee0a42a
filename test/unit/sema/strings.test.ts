// The string subroutines' prototypes as the checker applies them: result
// types, and DTrace's D_PROTO_LEN / D_PROTO_ARG diagnostics, with the
// wording dtrace-utils prints (compared by hand with the reference).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, lastStmt, rejects } from './helpers.js';

function traced(src: string): { type: { name: string }; k: string } {
  const s = lastStmt(check(src)) as unknown as { k: string; e: { type: { name: string }; k: string } };
  assert.equal(s.k, 'trace');
  return s.e;
}

describe('string subroutine results', () => {
  const cases: [string, string][] = [
    ['strlen("a")', 'size_t'],
    ['strjoin("a", "b")', 'string'],
    ['substr("a", 1)', 'string'],
    ['substr("a", 1, 2)', 'string'],
    ['index("a", "b")', 'int'],
    ['rindex("a", "b", 3)', 'int'],
    ['strstr("a", "b")', 'string'],
    ['strchr("a", \'b\')', 'string'],
    ['strrchr("a", 98)', 'string'],
    ['strtok("a", ",")', 'string'],
    ['strtok(NULL, ",")', 'string'],
    ['lltostr(1)', 'string'],
    ['lltostr(1, 16)', 'string'],
    ['toupper("a")', 'string'],
    ['tolower("a")', 'string'],
    ['basename("/a")', 'string'],
    ['dirname("/a")', 'string'],
    ['cleanpath("/a")', 'string'],
    ['strtoll("1")', 'int64_t'],
    ['strtoll("1", 16)', 'int64_t'],
  ];
  for (const [call, type] of cases) {
    it(`${call} is ${type}`, () => assert.equal(traced(`BEGIN { trace(${call}); }`).type.name, type));
  }
  it('a char pointer argument stays a pointer (the code reads it, faulting on NULL)', () => {
    type E = { k: string; e?: E; args?: E[]; type: { name: string } };
    let v = traced('BEGIN { trace(strlen((char *)arg0)); }') as unknown as E;
    while (v.k === 'cast' && v.e !== undefined) v = v.e;
    assert.equal(v.k, 'call');
    assert.equal(v.args?.[0].type.name, 'char *');
  });
});

describe('string subroutine diagnostics', () => {
  const arg = (fn: string, n: number, proto: string, got: string): string =>
    `${fn}( ) argument #${n} is incompatible with prototype:\n\tprototype: ${proto}\n\t argument: ${got}`;
  const len: [string, string][] = [
    ['strlen()', 'strlen( ) prototype mismatch: 0 args passed, 1 expected'],
    ['strlen("a", "b")', 'strlen( ) prototype mismatch: 2 args passed, 1 expected'],
    ['strjoin("a")', 'strjoin( ) prototype mismatch: 1 arg passed, 2 expected'],
    ['substr("a")', 'substr( ) prototype mismatch: 1 arg passed, at least 2 expected'],
    ['substr("a", 1, 2, 3)', 'substr( ) prototype mismatch: 4 args passed, at most 3 expected'],
    ['index("a")', 'index( ) prototype mismatch: 1 arg passed, at least 2 expected'],
    ['rindex("a", "b", 1, 2)', 'rindex( ) prototype mismatch: 4 args passed, at most 3 expected'],
    ['strrchr("a")', 'strrchr( ) prototype mismatch: 1 arg passed, 2 expected'],
    ['strtok("a")', 'strtok( ) prototype mismatch: 1 arg passed, 2 expected'],
    ['dirname()', 'dirname( ) prototype mismatch: 0 args passed, 1 expected'],
    ['lltostr()', 'lltostr( ) prototype mismatch: 0 args passed, at least 1 expected'],
    ['strtoll("1", 2, 3)', 'strtoll( ) prototype mismatch: 3 args passed, at most 2 expected'],
  ];
  for (const [call, msg] of len) it(call, () => rejects(`BEGIN { trace(${call}); }`, 'D_PROTO_LEN', msg));
  const bad: [string, string][] = [
    ['strlen(1)', arg('strlen', 1, 'char *', 'int')],
    ['strjoin("a", 1)', arg('strjoin', 2, 'char *', 'int')],
    ['substr(1, 2)', arg('substr', 1, 'char *', 'int')],
    ['substr("a", "b")', arg('substr', 2, 'int', 'string')],
    ['substr("a", 1, "c")', arg('substr', 3, 'int', 'string')],
    ['index("a", 1)', arg('index', 2, 'char *', 'int')],
    ['index("a", "b", "c")', arg('index', 3, 'int', 'string')],
    ['rindex(1, "b")', arg('rindex', 1, 'char *', 'int')],
    ['strstr("a", 1)', arg('strstr', 2, 'char *', 'int')],
    ['strchr("a", "b")', arg('strchr', 2, 'char', 'string')],
    ['strchr(1, 2)', arg('strchr', 1, 'char *', 'int')],
    ['strtok("a", 1)', arg('strtok', 2, 'char *', 'int')],
    ['lltostr("a")', arg('lltostr', 1, 'int64_t', 'string')],
    ['lltostr(1, "a")', arg('lltostr', 2, 'int', 'string')],
    ['basename(1)', arg('basename', 1, 'char *', 'int')],
    ['cleanpath(1)', arg('cleanpath', 1, 'char *', 'int')],
    ['toupper(1)', arg('toupper', 1, 'char *', 'int')],
    ['strtoll(1)', arg('strtoll', 1, 'char *', 'int')],
    ['strtoll("1", "a")', arg('strtoll', 2, 'int', 'string')],
  ];
  for (const [call, msg] of bad) it(call, () => rejects(`BEGIN { trace(${call}); }`, 'D_PROTO_ARG', msg));
});

describe('a function named without a call', () => {
  it('is D_IDENT_BADREF, named by its kind', () => {
    rejects('BEGIN { x = strlen; }', 'D_IDENT_BADREF', "function 'strlen' may not be referenced as scalar");
    rejects('BEGIN { trace(exit); }', 'D_IDENT_BADREF', "tracing function 'exit' may not be referenced as scalar");
    rejects('BEGIN { trace(sum); }', 'D_IDENT_BADREF', "aggregating function 'sum' may not be referenced as scalar");
  });
});
