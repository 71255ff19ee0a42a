// Struct, union, bit-field and enum definitions: sizes and offsets as
// dtrace-utils' type containers lay them out (each checked against it),
// and the D_DECL_* diagnostics of member and enumerator declarations.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, constant, rejects, typeName } from './helpers.js';

function size(t: string, decls: string): bigint {
  return constant(`sizeof (${t})`, decls).value;
}

function offset(t: string, m: string, decls: string): bigint {
  return constant(`offsetof(${t}, ${m})`, decls).value;
}

describe('struct and union layout', () => {
  it('a struct ends at its last member: no trailing padding', () => {
    assert.equal(size('struct s', 'struct s { int a; char b; };'), 5n);
    assert.equal(size('struct s', 'struct s { long l; char c; };'), 9n);
    assert.equal(size('struct s', 'struct s { char c; double d; float f; char z; };'), 21n);
    assert.equal(offset('struct s', 'z', 'struct s { char c; double d; float f; char z; };'), 20n);
  });

  it('each member is aligned for its type; long double to 16', () => {
    const d = 'struct s { char c; char arr[3]; long l; }; struct t { char c; long double ld; char d; };';
    assert.equal(offset('struct s', 'arr', d), 1n);
    assert.equal(offset('struct s', 'l', d), 8n);
    assert.equal(offset('struct t', 'ld', d), 16n);
    assert.equal(size('struct t', d), 33n);
  });

  it('a struct member aligns as the struct\'s first member; a union member as its most aligned member', () => {
    const d = 'struct in { char x; long y; }; struct a { char c; struct in u; char d; };\n'
      + 'union u { char x; long y; }; struct b { char c; union u u; char d; };';
    assert.equal(offset('struct a', 'u', d), 1n);
    assert.equal(size('struct a', d), 18n);
    assert.equal(offset('struct b', 'u', d), 8n);
    assert.equal(size('struct b', d), 17n);
  });

  it('a union is as large as its largest member, not rounded up', () => {
    assert.equal(size('union s', 'union s { char a[3]; short b; };'), 3n);
    assert.equal(size('union s', 'union s { char a[5]; int b; };'), 5n);
    assert.equal(offset('union s', 'b', 'union s { char a[5]; int b; };'), 0n);
  });

  it('strings, pointers, function pointers and arrays', () => {
    assert.equal(size('struct s', 'struct s { char c; string s; char d; };'), 258n);
    assert.equal(offset('struct s', 'd', 'struct s { char c; int (*fp)(); char d; };'), 16n);
    assert.equal(offset('struct s', 'd', 'struct s { char c; int a[2]; char d; };'), 12n);
    assert.equal(size('struct s', 'struct s { int a; struct s *next; };'), 16n);
  });
});

describe('bit-fields', () => {
  it('take the fewest whole bytes that hold them, a power of two, aligned to that', () => {
    assert.equal(offset('struct s', 'd', 'struct s { char c; int b:17; char d; };'), 7n);
    assert.equal(size('struct s', 'struct s { char c; int b:17; char d; };'), 8n);
    assert.equal(offset('struct s', 'd', 'struct s { char c; long b:33; char d; };'), 13n);
    assert.equal(offset('struct s', 'd', 'struct s { char c; int b:9; char d; };'), 4n);
    assert.equal(size('struct s', 'struct s { int a:3; int b:3; int c:3; };'), 3n);
    assert.equal(size('struct s', 'struct s { char a:3; char b:6; int c:30; int d:3; };'), 9n);
    assert.equal(size('union u', 'union u { char a; int b:3; long c:9; };'), 2n);
  });

  it('an unnamed bit-field takes room, except a zero-width one', () => {
    assert.equal(size('struct s', 'struct s { int :3; int a; };'), 8n);
    assert.equal(size('struct s', 'struct s { int :0; int a; };'), 4n);
  });

  it('a bit-field has its base type\'s name', () => {
    assert.equal(typeName('x.b', 'struct s { int a; unsigned b:3; } x;'), 'unsigned');
  });

  it('D_DECL_BF* errors', () => {
    const bfconst = 'positive integral constant expression expected as bit-field size';
    rejects('struct s { int a:0; };', 'D_DECL_BFCONST', bfconst);
    rejects('struct s { int a:-1; };', 'D_DECL_BFCONST', bfconst);
    rejects('struct s { int a:"x"; };', 'D_DECL_BFCONST', bfconst);
    rejects('struct s { int a:33; };', 'D_DECL_BFSIZE', 'bit-field too big for type: a');
    rejects('struct s { char b:9; };', 'D_DECL_BFSIZE', 'bit-field too big for type: b');
    rejects('struct s { char *a:3; };', 'D_DECL_BFTYPE', 'invalid type for bit-field: a');
    rejects('struct s { float a:3; };', 'D_DECL_BFTYPE', 'invalid type for bit-field: a');
    rejects('enum e { A };\nstruct s { enum e a:3; };', 'D_DECL_BFTYPE', 'invalid type for bit-field: a');
    rejects('struct s { int a; int b:3; };\nBEGIN { trace(offsetof(struct s, b)); }', 'D_OFFSETOF_BITFIELD', 'cannot take offset of a bit-field: b');
    rejects('struct s { int a; int b:3; } x;\nBEGIN { trace(sizeof (x.b)); }', 'D_SIZEOF_BITFIELD', 'cannot apply sizeof to a bit-field');
  });
});

describe('member declarations', () => {
  it('D_DECL_* errors on members, on the line DTrace reports', () => {
    rejects('struct s { void a; };', 'D_DECL_VOIDOBJ', 'cannot have void member: a');
    rejects('struct s { int f(); };', 'D_DECL_VOIDOBJ', 'cannot have void member: f');
    rejects('struct s { int a[]; };', 'D_DECL_VOIDOBJ', 'cannot have void member: a');
    rejects('struct s { void :3; };', 'D_DECL_VOIDOBJ', 'cannot have void member: (null)');
    rejects('struct s { int a[int]; };', 'D_DECL_DYNOBJ', 'cannot have dynamic member: a');
    rejects('struct s { struct t a; };', 'D_DECL_INCOMPLETE', 'incomplete struct/union/enum struct t: a');
    rejects('struct s { struct s a; };', 'D_DECL_INCOMPLETE', 'incomplete struct/union/enum struct s: a');
    rejects('union r { union r a; };', 'D_DECL_INCOMPLETE', 'incomplete struct/union/enum union r: a');
    // DTrace's tests name every forward declaration `struct`.
    rejects('union r { union pirate p; };', 'D_DECL_INCOMPLETE', 'incomplete struct/union/enum struct pirate: p');
    rejects('struct s {\n\tint x;\n\tchar x;\n};', 'D_UNKNOWN', 'failed to define member \'x\': Duplicate member or variable name', 3);
    rejects('struct s { int `a; };', 'D_DECL_SCOPE', 'D scoping operator may not be used in a member name (`a)');
  });

  it('a struct is defined once; a forward declaration is completed', () => {
    rejects('struct s { int a; };\nstruct s { int b; };', 'D_DECL_TYPERED', 'type redeclared: struct s', 2);
    assert.equal(size('struct s', 'struct s;\nstruct s { int b; };'), 4n);
    // struct, union and enum tags are separate.
    check('struct foo { int a; };\nunion foo { int a; };\nenum foo { A };\nBEGIN { }');
  });

  it('a tag defined inside another definition is not visible by name', () => {
    rejects('struct s { struct s1 { int a; } x; };\nstruct s1 y;', 'D_DECL_INCOMPLETE', 'incomplete struct/union/enum struct s1: y');
    check('struct s { struct s1 { int a; } x; };\nstruct s1 { int b; };\nBEGIN { }');
  });

  it('anonymous structs are named with an empty tag', () => {
    rejects('struct { int a; } x;\nBEGIN { x = 1; }', 'D_OP_INCOMPAT', 'operands have incompatible types: "struct " = "int"');
  });

  it('several declarators share one definition', () => {
    const p = check('struct s { int a; } x, y;\nBEGIN { y = x; }');
    assert.deepEqual(p.variables.map((v) => v.type.name), ['struct s', 'struct s']);
  });
});

describe('enums', () => {
  it('enumerators count up from the previous value, in C\'s int', () => {
    const d = 'enum colors { RED, ORANGE = 5 + 5, YELLOW = 2, GREEN, BLUE = GREEN + ORANGE, PINK = 5/4, INDIGO = -2, VIOLET };';
    assert.deepEqual(['RED', 'ORANGE', 'GREEN', 'BLUE', 'PINK', 'INDIGO', 'VIOLET'].map((n) => constant(n, d).value), [0n, 10n, 3n, 13n, 1n, -2n, -1n]);
    assert.equal(constant('B', 'enum e { A = 2147483647, B };').value, -2147483648n);
    assert.equal(constant('B', 'enum e { A = 1 };\nenum f { B = A + 1 };').value, 2n);
    assert.equal(constant('A', 'enum e { A = \'ab\' };').value, 0x6162n);
    assert.equal(typeName('A', 'enum e { A };'), 'enum e');
    assert.equal(size('enum e', 'enum e { A };'), 4n);
  });

  it('D_DECL_EN* and redeclarations', () => {
    rejects('enum e {\n\tTAG = "i am not an integer constant!"\n};', 'D_DECL_ENCONST', 'enumerator \'TAG\' must be assigned to an integral constant expression', 3);
    rejects('enum e { A = 2147483648 };', 'D_DECL_ENOFLOW', 'enumerator \'A\' value overflows INT_MAX (2147483647)');
    rejects('enum e { A = -2147483649 };', 'D_DECL_ENOFLOW', 'enumerator \'A\' value overflows INT_MAX (2147483647)');
    rejects('enum e { A, A };', 'D_UNKNOWN', 'failed to define enumerator \'A\': Duplicate member or variable name');
    rejects('enum e { A };\nenum f { A };', 'D_DECL_IDRED', 'identifier redeclared: A');
    rejects('enum e { pid };', 'D_DECL_IDRED', 'identifier redeclared: pid');
    rejects('enum e { trace };', 'D_DECL_IDRED', 'identifier redeclared: trace');
    rejects('enum e { A };\nenum e { B };', 'D_DECL_TYPERED', 'type redeclared: enum e');
    // Unlike a struct, an enum declared only by name may not be defined afterwards.
    rejects('enum e;\nenum e { B };', 'D_DECL_TYPERED', 'type redeclared: enum e');
    rejects('enum e { `A = 1 };', 'D_DECL_SCOPE', 'D scoping operator may not be used in an enumerator name (`A)');
  });

  it('enumerators of an enum defined inside a struct are global', () => {
    assert.equal(constant('E2', 'struct s { enum e1 { E1, E2 } x; };').value, 1n);
  });
});

describe('sizeof and offsetof', () => {
  it('sizeof a type, an expression, a string constant', () => {
    assert.deepEqual(constant('sizeof (int[3][4])'), { type: 'size_t', value: 48n });
    assert.deepEqual(constant('sizeof (\'c\')'), { type: 'size_t', value: 4n });
    assert.deepEqual(constant('sizeof ("abc")'), { type: 'size_t', value: 4n });
    assert.deepEqual(constant('sizeof (string)'), { type: 'size_t', value: 256n });
    assert.deepEqual(constant('sizeof (int (*)())'), { type: 'size_t', value: 8n });
  });

  it('types of unknown size', () => {
    const unknown = 'cannot apply sizeof to an operand of unknown size';
    rejects('BEGIN { trace(sizeof (void)); }', 'D_SIZEOF_TYPE', unknown);
    rejects('BEGIN { trace(sizeof (int[])); }', 'D_SIZEOF_TYPE', unknown);
    rejects('BEGIN { trace(sizeof (int ())); }', 'D_SIZEOF_TYPE', unknown);
    rejects('BEGIN { trace(sizeof (struct nosuch)); }', 'D_SIZEOF_TYPE', unknown);
    rejects('BEGIN {\n trace(sizeof(\nvoid));\n}', 'D_SIZEOF_TYPE', unknown, 3);
  });

  it('offsetof is an int; its operand must be a (defined) struct or union', () => {
    assert.deepEqual(constant('offsetof(struct s, b)', 'struct s { int a; int b; };'), { type: 'int', value: 4n });
    rejects('BEGIN { trace(offsetof(int, b)); }', 'D_OFFSETOF_TYPE', 'offsetof operand must be a struct or union type');
    rejects('BEGIN { trace(offsetof(struct no_such_type, x)); }', 'D_OFFSETOF_TYPE', 'offsetof operand must be a struct or union type');
    rejects('struct s { int a; };\nBEGIN { trace(offsetof(struct s, c)); }', 'D_UNKNOWN', 'failed to determine offset of c: Member name not found');
  });
});
