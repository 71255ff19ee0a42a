// Declarations as DTrace processes them (checked against dtrace-utils):
// variables, typedefs, externs and inlines with every D_DECL_* diagnostic
// in DTrace's words; definitions are processed before the clauses.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, constant, rejects, typeName } from './helpers.js';

describe('variable declarations', () => {
  it('declare globals, thread-locals, clause-locals, scalar and associative arrays', () => {
    const p = check('int a, b;\nself string s;\nthis long l;\nint arr[5];\nint assoc[string, int];\nBEGIN { }');
    assert.deepEqual(p.variables.map((v) => `${v.scope} ${v.name}: ${v.type.name}${v.keys ? ` [${v.keys.map((k) => k.name).join(', ')}]` : ''}`), [
      'global a: int', 'global b: int', 'self s: string', 'this l: long', 'global arr: int [5]', 'global assoc: int [string, int]',
    ]);
  });

  it('a clause sees a declaration that comes after it (clauses are checked last)', () => {
    rejects('BEGIN { x = "a"; }\nint x;', 'D_OP_INCOMPAT', 'operands have incompatible types: "int" = "string"', 1);
  });

  it('repeating a declaration exactly is allowed', () => {
    check('int x; int x;\nint *p; int *p;\nint a[int]; int a[int];\nBEGIN { }');
  });

  it('D_DECL_IDRED names the current and previous kind and type', () => {
    rejects('int x;\nlong x;', 'D_DECL_IDRED', 'identifier redeclared: x\n\t current: scalar long\n\tprevious: scalar int', 2);
    rejects('int x; int x[int];', 'D_DECL_IDRED', 'identifier redeclared: x\n\t current: associative array int\n\tprevious: scalar int');
    rejects('int x[int]; int x[string];', 'D_DECL_IDRED',
      'identifier redeclared: x\n\t current: associative array, key #1 of type string\n\tprevious: associative array, key #1 of type int');
    rejects('int x[int]; int x[int, int];', 'D_DECL_IDRED',
      'identifier redeclared: x\n\t current: associative array of int, tuple length 2\n\tprevious: associative array of int, tuple length 1');
    // Each array a declarator writes is a new type; typedef names and `signed int` are distinct types.
    rejects('int x[5]; int x[5];', 'D_DECL_IDRED', 'identifier redeclared: x\n\t current: scalar int [5]\n\tprevious: scalar int [5]');
    rejects('int32_t x; int x;', 'D_DECL_IDRED', 'identifier redeclared: x\n\t current: scalar int\n\tprevious: scalar int32_t');
    rejects('int x; signed int x;', 'D_DECL_IDRED', 'identifier redeclared: x\n\t current: scalar signed int\n\tprevious: scalar int');
    rejects('enum e { A }; int A;', 'D_DECL_IDRED', 'identifier redeclared: A\n\t current: scalar int\n\tprevious: enumerator enum e');
    rejects('int NULL;', 'D_DECL_IDRED', 'identifier redeclared: NULL\n\t current: scalar int\n\tprevious: scalar long');
  });

  it('built-in variables and functions and typedef names may not be declared', () => {
    rejects('int pid;', 'D_DECL_IDRED', 'built-in identifier redeclared: pid');
    rejects('int trace;', 'D_DECL_IDRED', 'built-in identifier redeclared: trace');
    rejects('int uint_t;', 'D_DECL_IDRED', 'typedef identifier redeclared: uint_t');
    rejects('self int uint_t;', 'D_DECL_IDRED', 'typedef identifier redeclared: uint_t');
    rejects('typedef int foo; int foo;', 'D_DECL_IDRED', 'typedef identifier redeclared: foo');
    // A built-in is a global: a thread-local of the same name is another variable.
    check('self int pid;\nBEGIN { }');
  });

  it('declarations DTrace refuses', () => {
    rejects('int x[];', 'D_DECL_ARRNULL', 'array declaration requires array dimension or tuple signature: x');
    rejects('this int x[int];', 'D_DECL_LOCASSC', 'associative arrays may not be declared as local variables: x');
    rejects('void x;', 'D_DECL_VOIDOBJ', 'cannot have void object: x');
    rejects('struct foo x;', 'D_DECL_INCOMPLETE', 'incomplete struct/union/enum struct foo: x');
    rejects('static int x;', 'D_DECL_BADCLASS', 'specified storage class not appropriate in D');
    rejects('register int x;', 'D_DECL_BADCLASS', 'specified storage class not appropriate in D');
    rejects('int;', 'D_DECL_USELESS', 'useless declaration');
    rejects('int x[int][int];', 'D_DECL_DYNOBJ', 'cannot declare array of associative arrays');
    rejects('void x[5];', 'D_DECL_VOIDOBJ', 'cannot declare array of void');
    rejects('int x[0];', 'D_DECL_ARRSUB', 'positive integral constant expression or tuple signature expected as array declaration subscript');
    rejects('int x["a"];', 'D_DECL_ARRSUB', 'positive integral constant expression or tuple signature expected as array declaration subscript');
    rejects('int x[4294967296];', 'D_DECL_ARRBIG', 'array dimension too big');
  });

  it('errors are reported on the line DTrace reports them', () => {
    rejects('int x;\nlong\nx\n;', 'D_DECL_IDRED', undefined, 4);
    rejects('int\n;', 'D_DECL_USELESS', 'useless declaration', 2);
    rejects('int x[\n0\n];', 'D_DECL_ARRSUB', undefined, 3);
  });

  it('a declarator is declared before the text after it is read: its errors come before a syntax error', () => {
    // A type name after a type specifier is the declarator's name (dt_decl_spec).
    rejects('int uint_t x;', 'D_DECL_IDRED', 'typedef identifier redeclared: uint_t');
    rejects('typedef int uint_t x;', 'D_DECL_IDRED', 'typedef redeclared: uint_t');
    rejects('int pid, 3;', 'D_DECL_IDRED', 'built-in identifier redeclared: pid');
    rejects('int x, y z;', 'D_SYNTAX', 'syntax error near "z;"');
  });

  it('an associative array keyed by a tuple holds arrays when a dimension follows the tuple', () => {
    assert.equal(check('int x[int][5];\nBEGIN { }').variables[0].type.name, 'int [5]');
  });

  it('a function prototype is an extern declaration; externs must agree', () => {
    check('int foo(int);\nstatic int bar(int);\nextern int x; extern int x;\nBEGIN { }');
    rejects('extern int x; extern long x;', 'D_DECL_IDRED', 'identifier redeclared: D`x\n\t current: long\n\tprevious: int');
  });
});

describe('typedefs', () => {
  it('a typedef names a type in every type position', () => {
    const decls = 'typedef struct foo { int a; long b; } foo_t;\ntypedef int myint;';
    assert.equal(constant('sizeof (foo_t)', decls).value, 16n);
    assert.equal(constant('offsetof(foo_t, b)', decls).value, 8n);
    assert.equal(typeName('(foo_t *)0', decls), 'foo_t *');
    assert.equal(typeName('(myint)1', decls), 'myint');
    check(`${decls}\nmyint a[myint];\ninline myint z = 3;\nint f(myint, myint *);\nBEGIN { a[1] = z; }`);
  });

  it('D\'s own typedefs may not be redefined; a global name may not become a typedef', () => {
    rejects('typedef int foo; typedef int foo;', 'D_DECL_IDRED', 'typedef redeclared: foo');
    rejects('typedef int uint_t;', 'D_DECL_IDRED', 'typedef redeclared: uint_t');
    rejects('int foo; typedef int foo;', 'D_DECL_IDRED', 'global variable identifier redeclared: foo');
  });

  it('a typedef of a forward declaration is complete once the struct is defined', () => {
    check('typedef struct foo foo_t;\nstruct foo { int a; };\nfoo_t x;\nBEGIN { x.a = 1; }');
  });
});

describe('C type keywords', () => {
  it('resolve to the types DTrace names', () => {
    assert.equal(typeName('(short int)1'), 'short');
    assert.equal(typeName('(long int)1'), 'long');
    assert.equal(typeName('(signed long)1'), 'signed long');
    assert.equal(typeName('(unsigned)1'), 'unsigned');
    assert.equal(typeName('(signed)1'), 'signed');
    assert.equal(typeName('(long long int)1'), 'long long');
    assert.equal(typeName('(unsigned short int)1'), 'unsigned short');
  });

  it('combinations C does not have are D_UNKNOWN in DTrace\'s spelling', () => {
    rejects('BEGIN { i = (long short)0; }', 'D_UNKNOWN', 'failed to resolve type short long : Unknown type name');
    rejects('long long long x;', 'D_UNKNOWN', 'failed to resolve type long long long : Unknown type name');
    rejects('long float x;', 'D_UNKNOWN', 'failed to resolve type long float: Unknown type name');
  });
});

describe('inline', () => {
  it('an integer-constant inline is that constant with its own type', () => {
    assert.deepEqual(constant('c', 'inline char c = 1000;'), { type: 'int', value: 1000n });
    assert.deepEqual(constant('sizeof (NULL)'), { type: 'size_t', value: 4n });
    assert.deepEqual(constant('n', 'inline short m = 10;\ninline int n = 10 * m + 1;'), { type: 'int', value: 101n });
  });

  it('another inline takes its declared type at each use', () => {
    assert.equal(typeName('y', 'inline char y = pid;'), 'char');
    assert.equal(typeName('s', 'inline string s = execname;'), 'string');
  });

  it('associative inlines bind their parameters', () => {
    assert.equal(typeName('y[1, "a"]', 'inline int y[int a, string b] = a + pid;'), 'int');
    rejects('inline int c[int x] = x * 2;\nBEGIN { trace(c["a"]); }', 'D_PROTO_ARG', 'c[ ] key #1 is incompatible with prototype:\n\tprototype: int\n\t      key: string');
    rejects('inline int c[int x] = x * 2;\nBEGIN { trace(c[3, 4]); }', 'D_PROTO_LEN', 'c[ ] prototype mismatch: 2 keys passed, 1 expected');
    rejects('inline int c[int x] = x * 2;\nBEGIN { trace(c); }', 'D_IDENT_BADREF', 'associative array \'c\' may not be referenced as scalar');
    rejects('inline int c[int x] = x * 2 + pid;\nBEGIN { c[0] = 3; }', 'D_OP_WRITE', 'operator = can only be applied to a writable variable');
    // The parameter is only known inside the definition.
    rejects('inline int c[int x] = x;\nBEGIN { trace(x); }', 'D_IDENT_UNDEF', 'failed to resolve x: Unknown variable name');
  });

  it('constants are not lvalues; an inline naming a variable stores into it', () => {
    rejects('inline int c = 1;\nBEGIN { c = 2; }', 'D_OP_LVAL', 'operator = requires modifiable lvalue as an operand');
    rejects('enum e { A };\nBEGIN { A = 2; }', 'D_OP_LVAL', 'operator = requires modifiable lvalue as an operand');
    rejects('inline int y = pid;\nBEGIN { y = 3; }', 'D_OP_WRITE', 'operator = can only be applied to a writable variable');
    check('int x;\ninline int y = x;\nBEGIN { y = 3; }');
  });

  it('the value is checked where the inline is defined', () => {
    rejects('inline int c = c;', 'D_IDENT_UNDEF', 'failed to resolve c: Unknown variable name');
    rejects('inline int y = z;\nBEGIN { z = 1; }', 'D_IDENT_UNDEF', 'failed to resolve z: Unknown variable name', 1);
    rejects('inline int c = "a";', 'D_OP_INCOMPAT', 'inline c definition uses incompatible types: "int" = "string"');
  });

  it('definitions DTrace refuses', () => {
    rejects('inline static int c = 1;', 'D_DECL_BADCLASS', 'specified storage class not appropriate for inline declaration');
    rejects('inline int c[5] = 1;', 'D_DECL_ARRNULL', 'inline declaration cannot be of scalar array type: c');
    rejects('inline int c[] = 1;', 'D_DECL_ARRNULL', 'inline declaration requires array tuple signature: c');
    rejects('inline void c = 1;', 'D_DECL_VOIDOBJ', 'cannot declare void inline: c');
    rejects('inline struct foo c = 1;', 'D_DECL_INCOMPLETE', 'incomplete struct/union/enum struct foo: c');
  });

  it('a name already global is D_DECL_IDRED with its kind', () => {
    const redefined = (prev: string): string => `identifier redefined: c\n\t current: inline definition\n\tprevious: ${prev}`;
    rejects('int c; inline int c = 1;', 'D_DECL_IDRED', redefined('scalar '));
    rejects('inline int c = 1;\ninline int c = 2;', 'D_DECL_IDRED', redefined('scalar inline'), 2);
    rejects('inline int c[int] = 1;\ninline int c = 2;', 'D_DECL_IDRED', redefined('associative array inline'));
    rejects('enum e { c };\ninline int c = 2;', 'D_DECL_IDRED', redefined('enumerator inline'));
    rejects('inline int trace = 1;', 'D_DECL_IDRED', 'identifier redefined: trace\n\t current: inline definition\n\tprevious: tracing function ');
    rejects('inline int count = 1;', 'D_DECL_IDRED', 'identifier redefined: count\n\t current: inline definition\n\tprevious: aggregating function ');
    rejects('inline int NULL = 1;', 'D_DECL_IDRED', 'identifier redefined: NULL\n\t current: inline definition\n\tprevious: scalar inline');
  });
});
