// Type checker: variables (created by their first assignment, in program
// order), `x++` creating an int64_t (as in dtrace-utils), and DTrace's compile-time errors with their
// exact wording: D_IDENT_UNDEF, D_OP_INCOMPAT, D_PRED_SCALAR, D_PROTO_LEN,
// D_PROTO_ARG; constructs not built yet are D_UNSUPPORTED, never a crash.

import assert from 'node:assert/strict';
import type { TStmt } from '../../../src/sema/ir.js';
import { describe, it } from 'node:test';
import { parseProgram } from '../../../src/syntax/parser.js';
import { checkProgram } from '../../../src/sema/check.js';
import { Options } from '../../../src/sema/options.js';
import { typeName } from './helpers.js';
import { check, lastStmt, rejects } from './helpers.js';

function vars(src: string): string[] {
  return check(src).variables.map((v) => `${v.scope} ${v.name}: ${v.type.name}${v.declared ? ' (declared)' : ''}`);
}

describe('variables', () => {
  it('a global is created by its first assignment, with the value type', () => {
    assert.deepEqual(vars('BEGIN { x = 1; s = "a"; l = 1l; c = (char)1; }'), [
      'global x: int', 'global s: string', 'global l: long', 'global c: char',
    ]);
  });

  it('a variable created in one clause is known in later clauses', () => {
    const p = check('BEGIN { x = 1; }\nEND { trace(x); }');
    const s = lastStmt(p);
    assert.equal(s.k, 'trace');
    assert.equal((s as { e: { k: string } }).e.k, 'var');
  });

  it('reading before the first assignment is D_IDENT_UNDEF', () => {
    rejects('BEGIN { trace(y); }', 'D_IDENT_UNDEF', 'failed to resolve y: Unknown variable name', 1);
    rejects('BEGIN { trace(y); }\nEND { y = 1; }', 'D_IDENT_UNDEF', 'failed to resolve y: Unknown variable name', 1);
    rejects('BEGIN { y = y + 1; }', 'D_IDENT_UNDEF', 'failed to resolve y: Unknown variable name');
    rejects('BEGIN\n/z == 0/\n{ trace(1); }', 'D_IDENT_UNDEF', 'failed to resolve z: Unknown variable name', 2);
  });

  it('the action list is checked before the predicate: a variable assigned in the body may be read in the predicate', () => {
    // dt_cook_clause cooks the actions first and retries predicate-first only on D_IDENT_UNDEF.
    assert.deepEqual(vars('BEGIN\n/z == 0/\n{ z = 1; }'), ['global z: int']);
    // Body first fails on b; the retry checks the predicate first, so the error names a (line 2).
    rejects('BEGIN\n/a == 0/\n{ trace(b); }', 'D_IDENT_UNDEF', 'failed to resolve a: Unknown variable name', 2);
  });

  it('a variable read in the predicate and created by ++ in the predicate is known in the body', () => {
    assert.deepEqual(vars('BEGIN /x++ == 0/ { trace(x); }'), ['global x: int64_t']);
  });

  it('reading an unassigned self-> or this-> variable is D_VAR_UNDEF', () => {
    rejects('BEGIN { trace(self->t); }', 'D_VAR_UNDEF', 'self->t has not yet been declared or assigned');
    rejects('BEGIN { trace(this->t); }', 'D_VAR_UNDEF', 'this->t has not yet been declared or assigned');
  });

  it('self-> and this-> variables are separate from globals', () => {
    assert.deepEqual(vars('BEGIN { self->a = 1; this->a = "s"; a = (short)2; }'), [
      'self a: int', 'this a: string', 'global a: short',
    ]);
  });

  it('x++ on a new variable creates an int64_t (also x-- and ++self->y)', () => {
    assert.deepEqual(vars('BEGIN { x++; }'), ['global x: int64_t']);
    assert.deepEqual(vars('BEGIN { --x; }'), ['global x: int64_t']);
    assert.deepEqual(vars('BEGIN { ++self->y; this->z--; }'), ['self y: int64_t', 'this z: int64_t']);
  });

  it('x++ in the body creates the variable the predicate reads', () => {
    assert.deepEqual(vars('BEGIN /x == 0/ { x++; }'), ['global x: int64_t']);
  });

  it('x++ on a variable assigned earlier in the same clause keeps the assigned type', () => {
    // Statements are checked in order: `s = (short)1` creates a short before `s++` is seen.
    assert.deepEqual(vars('BEGIN { s = (short)32767; s++; }'), ['global s: short']);
    assert.deepEqual(vars('BEGIN { x = 1ul; x++; }'), ['global x: unsigned long']);
  });

  it('x++ on a variable created by an earlier clause keeps its type', () => {
    assert.deepEqual(vars('BEGIN { x = 1ul; }\nEND { x++; }'), ['global x: unsigned long']);
  });

  it('declared variables keep their declared type', () => {
    assert.deepEqual(vars('unsigned short u;\nself char c;\nBEGIN { u = 70000; self->c = 1; }'), [
      'global u: unsigned short (declared)', 'self c: char (declared)',
    ]);
  });

  it('assigning to a built-in variable is D_OP_WRITE', () => {
    rejects('BEGIN { pid = 1; }', 'D_OP_WRITE', 'operator = can only be applied to a writable variable');
  });

  it('assigning to a non-lvalue is D_OP_LVAL', () => {
    rejects('BEGIN { 1 = 2; }', 'D_OP_LVAL');
  });

  it('redeclaring with another type is D_DECL_IDRED', () => {
    rejects('int x;\nlong x;\nBEGIN { }', 'D_DECL_IDRED', 'identifier redeclared: x\n\t current: scalar long\n\tprevious: scalar int', 2);
  });
});

describe('D_OP_INCOMPAT', () => {
  it('storing a value of another kind', () => {
    rejects('BEGIN { x = 1; x = "a"; }', 'D_OP_INCOMPAT', 'operands have incompatible types: "int" = "string"');
    rejects('BEGIN { s = "a"; s = 1; }', 'D_OP_INCOMPAT', 'operands have incompatible types: "string" = "int"');
    rejects('unsigned char u;\nBEGIN { u = "a"; }', 'D_OP_INCOMPAT', 'operands have incompatible types: "unsigned char" = "string"', 2);
  });
  it('comparing a string with an integer', () => {
    rejects('BEGIN { trace("a" == 1); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "string" == "int"');
    rejects('BEGIN { trace(2l < execname); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "long" < "string"');
  });
  it('?: with a string and an integer arm', () => {
    rejects('BEGIN { trace(pid ? "a" : 1); }', 'D_OP_INCOMPAT', 'operator ?: operands must have compatible types');
  });
});

describe('an aggregation in an expression', () => {
  // DTrace gives @a the type "aggregation" there; each use reports what that type may not do.
  const A = 'BEGIN { @a = count(); ';
  it('operators, casts and stores name the type "aggregation"', () => {
    rejects(`${A}x = @a + 1; }`, 'D_OP_INCOMPAT', 'operands have incompatible types: "aggregation" + "int"');
    rejects(`${A}x = 1 - @a; }`, 'D_OP_INCOMPAT', 'operands have incompatible types: "int" - "aggregation"');
    rejects(`${A}x = @a; }`, 'D_OP_INCOMPAT', 'operands have incompatible types: "scalar" = "aggregation"');
    rejects(`int x;\n${A}x = @a; }`, 'D_OP_INCOMPAT', 'operands have incompatible types: "int" = "aggregation"', 2);
    rejects(`${A}y[1] = @a; }`, 'D_OP_INCOMPAT', 'operands have incompatible types: "associative array" = "aggregation"');
    rejects(`${A}x = 1; x += @a; }`, 'D_OP_VFPTR', 'operator += requires left-hand scalar operand of known size');
    rejects(`${A}x = (int)@a; }`, 'D_CAST_INVAL', 'invalid cast expression: "aggregation" to "int"');
  });
  it('unary operators and the ?: condition', () => {
    rejects(`${A}x = -@a; }`, 'D_OP_ARITH', 'operator - requires an operand of arithmetic type');
    rejects(`${A}x = !@a; }`, 'D_OP_SCALAR', 'operator ! requires an operand of scalar type');
    rejects(`${A}x = ~@a; }`, 'D_OP_INT', 'operator ~ requires an operand of integral type');
    rejects(`${A}x = *@a; }`, 'D_DEREF_NONPTR', 'cannot dereference non-pointer type');
    rejects(`${A}x = &@a; }`, 'D_ADDROF_VAR', 'cannot take address of dynamic variable');
    rejects(`${A}x = sizeof(@a); }`, 'D_SIZEOF_TYPE', 'cannot apply sizeof to an operand of unknown size');
    rejects(`${A}x = stringof(@a); }`, 'D_STRINGOF_TYPE', 'cannot apply stringof to a value of type aggregation');
    rejects(`${A}x = @a ? 1 : 0; }`, 'D_OP_SCALAR', 'operator ?: expression must be of scalar type');
  });
  it('keys and printf( ) values', () => {
    rejects(`${A}@b[@a] = count(); }`, 'D_KEY_TYPE', 'aggregation expression may not be used as aggregation index: key #1');
    rejects(`${A}x[1, @a] = 1; }`, 'D_KEY_TYPE', 'aggregation expression may not be used as associative array index: key #2');
    rejects(`${A}printf("%d %s", 1, @a); }`, 'D_PRINTF_ARG_TYPE', 'printf( ) argument #3 is incompatible with conversion #2 prototype:\n\tconversion: %s\n\t prototype: char [] or string (or use stringof)\n\t  argument: aggregation');
  });
});

describe('#pragma D attributes', () => {
  it('names an identifier the program defined before it; a built-in is outside its scope', () => {
    rejects('#pragma D attributes Stable/Stable/Common foo\nBEGIN { }', 'D_PRAGMA_UNUSED', 'unused #pragma attributes', 1);
    rejects('#pragma D attributes Stable/Stable/Common x\nBEGIN { x = 1; }', 'D_PRAGMA_UNUSED', 'unused #pragma attributes', 1);
    rejects('#pragma D attributes Stable/Stable/Common execname\nBEGIN { }', 'D_PRAGMA_SCOPE', '#pragma attributes cannot modify entity defined outside program scope', 1);
    assert.equal(check('inline int y = 3;\n#pragma D attributes Stable/Stable/Common y\nBEGIN { trace(y); }').clauses.length, 1);
  });
});

describe('other operator errors', () => {
  it('arithmetic on strings is D_OP_ARITH, but a string plus an integer is the rest of the string', () => {
    rejects('BEGIN { trace("a" * 1); }', 'D_OP_ARITH', 'operator * requires operands of arithmetic type');
    rejects('BEGIN { trace(-"a"); }', 'D_OP_ARITH', 'operator - requires an operand of arithmetic type');
    rejects('BEGIN { trace("a" + "b"); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "string" + "string"');
    assert.equal(typeName('"abc" + 1'), 'string');
  });
  it('integral operators on strings are D_OP_INT', () => {
    rejects('BEGIN { trace("a" % 2); }', 'D_OP_INT', 'operator % requires operands of integral type');
    rejects('BEGIN { trace(~"a"); }', 'D_OP_INT', 'operator ~ requires an operand of integral type');
  });
  it('logical operators on strings are D_OP_SCALAR', () => {
    rejects('BEGIN { trace("a" && 1); }', 'D_OP_SCALAR', 'operator && requires operands of scalar type');
    rejects('BEGIN { trace(!"a"); }', 'D_OP_SCALAR', 'operator ! requires an operand of scalar type');
    rejects('BEGIN { if ("a") { trace(1); } }', 'D_OP_SCALAR', 'if-statement condition must be of scalar type');
  });
  it('++ on a string is D_OP_SCALAR', () => {
    rejects('BEGIN { s = "a"; }\nEND { s++; }', 'D_OP_SCALAR', 'operator ++ requires operand of scalar type', 2);
  });
});

describe('predicates', () => {
  it('a string predicate is D_PRED_SCALAR', () => {
    rejects('BEGIN\n/"abc"/\n{ trace(1); }', 'D_PRED_SCALAR', 'predicate result must be of scalar type');
    rejects('BEGIN /execname/ { trace(1); }', 'D_PRED_SCALAR', 'predicate result must be of scalar type');
  });
  it('integer and comparison predicates are accepted', () => {
    assert.equal(check('BEGIN /pid/ { }').clauses[0].predicate?.type.name, 'pid_t');
    assert.equal(check('BEGIN /execname == "x"/ { }').clauses[0].predicate?.type.name, 'int');
  });
  it('a clause without a body (-n BEGIN) takes the default action', () => {
    assert.equal(check('BEGIN /1/ { }').clauses[0].defaultAction, false);
    const p = checkProgram(parseProgram('BEGIN', { source: 'string' }), new Options());
    assert.equal(p.clauses[0].defaultAction, true);
    assert.deepEqual(p.clauses[0].body, []);
  });
});

describe('action prototypes', () => {
  it('exit( ) takes exactly one argument', () => {
    rejects('BEGIN { exit(); }', 'D_PROTO_LEN', 'exit( ) prototype mismatch: 0 args passed, 1 expected');
    rejects('BEGIN { exit(1, 2); }', 'D_PROTO_LEN', 'exit( ) prototype mismatch: 2 args passed, 1 expected');
  });
  it('exit( ) of a string is D_PROTO_ARG', () => {
    rejects('BEGIN { exit("a"); }', 'D_PROTO_ARG', 'exit( ) argument #1 is incompatible with prototype:\n\tprototype: int\n\t argument: string');
  });
  it('trace( ) takes exactly one argument', () => {
    rejects('BEGIN { trace(); }', 'D_PROTO_LEN', 'trace( ) prototype mismatch: 0 args passed, 1 expected');
    rejects('BEGIN { trace(1, 2); }', 'D_PROTO_LEN', 'trace( ) prototype mismatch: 2 args passed, 1 expected');
  });
  it('printf( ) needs a format', () => {
    rejects('BEGIN { printf(); }', 'D_PROTO_LEN', 'printf( ) prototype mismatch: 0 args passed, at least 1 expected');
    rejects('BEGIN { printf(1); }', 'D_PROTO_ARG', 'printf( ) argument #1 is incompatible with prototype:\n\tprototype: string\n\t argument: int');
  });
  it('printf( ) arguments are checked against the format', () => {
    rejects('BEGIN { printf("%d\\n"); }', 'D_PRINTF_ARG_PROTO', 'printf( ) prototype mismatch: conversion #1 (%d) is missing a corresponding value argument');
    rejects('BEGIN { printf("%d\\n", 1, 2); }', 'D_PRINTF_ARG_EXTRA', 'printf( ) prototype mismatch: only 1 arguments required by this format string');
  });
  it('too many arguments to an action with a range of counts: "at most N expected"', () => {
    // DTrace (dt_parser.c) says "at most" when a function takes a range of argument counts.
    rejects('BEGIN { setopt("quiet", "1", "2"); }', 'D_PROTO_LEN', 'setopt( ) prototype mismatch: 3 args passed, at most 2 expected');
  });
  it('too many arguments to a subroutine with a range of counts: "at most N expected"', () => {
    rejects('BEGIN { trace(substr("abc", 1, 2, 3)); }', 'D_PROTO_LEN', 'substr( ) prototype mismatch: 4 args passed, at most 3 expected');
  });
  it('"1 arg passed" is singular', () => {
    rejects('BEGIN { trace(rand(1)); }', 'D_PROTO_LEN', 'rand( ) prototype mismatch: 1 arg passed, 0 expected');
  });
  it('an unknown function is D_IDENT_UNDEF', () => {
    rejects('BEGIN { nosuchfunc(1); }', 'D_IDENT_UNDEF', 'failed to resolve nosuchfunc: Unknown function name');
  });
  it('recognised actions become statements', () => {
    const b = check('BEGIN { trace(1); printf("%d %s\\n", 2, "x"); exit(0); }').clauses[0].body;
    assert.deepEqual(b.map((s) => s.k), ['trace', 'printf', 'exit']);
    const pf = b[1] as { k: 'printf'; fmtText: string; args: unknown[] };
    assert.equal(pf.fmtText, '%d %s\n');
    assert.equal(pf.args.length, 2);
  });
});

describe('generic actions (library/actions.ts)', () => {
  it('system( ) takes a printf format, checked as printf\'s is', () => {
    const b = check('BEGIN { system("echo %s %d", "a", 1); }').clauses[0].body[0];
    assert.equal(b.k, 'action');
    const a = b as TStmt & { k: 'action' };
    assert.equal(a.name, 'system');
    assert.equal(a.args.length, 2, 'the format is not recorded');
    assert.equal(a.fmt?.conversions.length, 2);
    rejects('BEGIN { system("echo %d"); }', 'D_PRINTF_ARG_PROTO', 'system( ) prototype mismatch: conversion #1 (%d) is missing a corresponding value argument');
    rejects('BEGIN { system(1); }', 'D_PRINTF_ARG_FMT', 'system( ) argument #1 is incompatible with prototype:\n\tprototype: string constant\n\t argument: int');
    rejects('BEGIN { system(probename); }', 'D_PRINTF_ARG_FMT', 'system( ) argument #1 is incompatible with prototype:\n\tprototype: string constant\n\t argument: string');
    rejects('BEGIN { system(); }', 'D_PROTO_LEN', 'system( ) prototype mismatch: 0 args passed, at least 1 expected');
  });
  it('raise( ) takes an int; stop( ) nothing', () => {
    rejects('BEGIN { raise("x"); }', 'D_PROTO_ARG', 'raise( ) argument #1 is incompatible with prototype:\n\tprototype: int\n\t argument: string');
    rejects('BEGIN { stop(1); }', 'D_PROTO_LEN', 'stop( ) prototype mismatch: 1 arg passed, 0 expected');
  });
  it('setopt( ) takes an option name and an optional value, both strings', () => {
    const a = check('BEGIN { setopt("quiet"); setopt("aggrate", "1hz"); }').clauses[0].body as (TStmt & { k: 'action' })[];
    assert.deepEqual(a.map((x) => [x.name, x.args.length]), [['setopt', 1], ['setopt', 2]]);
    rejects('BEGIN { setopt(1); }', 'D_PROTO_ARG');
    rejects('BEGIN { setopt("a", "b", "c"); }', 'D_PROTO_LEN', 'setopt( ) prototype mismatch: 3 args passed, at most 2 expected');
  });
  it('freopen( ) takes a format; "" restores the output and "." is refused; ftruncate( ) takes nothing', () => {
    const a = check('BEGIN { freopen("/tmp/%d", 1); freopen(""); ftruncate(); }').clauses[0].body as (TStmt & { k: 'action' })[];
    assert.deepEqual(a.map((x) => [x.name, x.args.length, x.fmt === undefined]), [['freopen', 1, false], ['freopen', 0, true], ['ftruncate', 0, true]]);
    rejects('BEGIN { freopen("."); }', 'D_FREOPEN_INVALID', 'freopen( ) argument #1 cannot be "."');
    rejects('BEGIN { ftruncate(1); }', 'D_PROTO_LEN');
  });
  it('breakpoint( ) and panic( ) are refused with the reason, after their prototypes are checked', () => {
    rejects('BEGIN { breakpoint(); }', 'D_UNKNOWN', 'breakpoint( ) is not available: BPF programs cannot stop the kernel in a debugger');
    rejects('BEGIN { panic(); }', 'D_UNKNOWN', 'panic( ) is not available: BPF programs cannot panic the kernel');
    rejects('BEGIN { panic(1); }', 'D_PROTO_LEN');
  });
  it('chill( ) takes an int and is destructive', () => {
    assert.deepEqual(check('BEGIN { chill(1000); }').destructive, ['chill']);
    rejects('BEGIN { chill("x"); }', 'D_PROTO_ARG');
  });
  it('the program lists the destructive actions it calls (tracing then needs -w)', () => {
    assert.deepEqual(check('BEGIN { freopen("/dev/null"); }').destructive, ['freopen']);
    assert.deepEqual(check('BEGIN { raise(9); stop(); system("true"); }').destructive, ['raise', 'stop', 'system']);
    assert.deepEqual(check('BEGIN { trace(1); }').destructive, []);
  });
});

describe('unsupported constructs are D_UNSUPPORTED, not crashes', () => {
  const cases: [string, string][] = [
    ['BEGIN { trace(getpid()); }', 'subroutine getpid( ) is not supported yet'],
    ['BEGIN { ustack(); }', 'action ustack( ) is not supported yet'],
  ];
  for (const [src, msg] of cases) {
    it(src.split('\n')[0], () => rejects(src, 'D_UNSUPPORTED', msg));
  }
});
