// Declarations: storage classes, specifiers and qualifiers, struct/union/enum
// definitions with bit-fields, pointer/array/function and associative
// declarators, type names, inline, translator and provider definitions, and
// the D_DECL_* errors DTrace raises while parsing them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProgram } from '../../../src/syntax/parser.js';
import type { Declaration, TopLevel } from '../../../src/syntax/ast.js';
import { dump as dumpAny, fails } from './helpers.js';

/** Declaration-only programs are "empty" to DTrace unless -xempty is given. */
function dump(src: string): string {
  return dumpAny(src, { allowEmpty: true });
}

function decl(src: string): Declaration {
  const item = parseProgram(src, { allowEmpty: true }).items[0];
  assert.ok(item?.kind === 'Declaration');
  return item;
}

function lines(...l: string[]): string {
  return l.join('\n') + '\n';
}

describe('declarations: specifiers', () => {
  it('reads storage classes including self and this', () => {
    assert.deepEqual(['self int x;', 'this int x;', 'extern int x;', 'static int x;', 'typedef int t;'].map((s) => decl(s).storage),
      ['self', 'this', 'extern', 'static', 'typedef']);
  });

  it('keeps builtin words as written and qualifiers apart', () => {
    assert.equal(dump('const unsigned long long volatile x;'), lines(
      'Declaration', '  Spec const volatile unsigned long long', '  Name x'));
    assert.equal(dump('string s; uint32_t u;'), lines(
      'Declaration', '  Spec typedef string', '  Name s', 'Declaration', '  Spec typedef uint32_t', '  Name u'));
  });

  it('lets a typedef name be redeclared as a variable once a type is given', () => {
    assert.equal(dump('typedef int foo_t;\nint foo_t;'), lines(
      'Declaration typedef', '  Spec int', '  Name foo_t', 'Declaration', '  Spec int', '  Name foo_t'));
  });

  it('raises dt_decl.c errors for bad combinations', () => {
    fails('int int x;', '[D_DECL_COMBO] line 1: invalid type combination');
    fails('\nshort void x;', '[D_DECL_VOIDATTR] line 2: invalid type declaration: attributes may not be used with void type');
    fails('BEGIN { x = (char long)0; }', '[D_DECL_CHARATTR] line 1: invalid type declaration: short and long may not be used with char type');
    fails('unsigned string s;', '[D_DECL_SIGNINT] line 1: invalid type declaration: signed and unsigned may only be used with integer type');
    fails('long struct s x;', '[D_DECL_LONGINT] line 1: invalid type declaration: long and long long may only be used with integer or floating-point type');
    fails('self this int x;', '[D_DECL_CLASS] line 1: only one storage class allowed in a declaration');
    fails('int `x;', '[D_DECL_SCOPE] line 1: D scoping operator may not be used in a declaration name (`x)');
  });

  it('has no initialisers', () => {
    fails('int i = 0;', '[D_SYNTAX] line 1: syntax error near "="');
  });
});

describe('declarations: struct, union, enum', () => {
  it('reads struct definitions with bit-fields and a declarator', () => {
    assert.equal(dump('struct s { int a : 3, : 2; char *b[4]; } v;'), lines(
      'Declaration',
      '  Spec struct s {}',
      '    Field bits', '      Spec int', '      Name a', '      Int 3',
      '    Field bits', '      Spec int', '      Abstract', '      Int 2',
      '    Field', '      Spec char', '      Pointer', '        Array sized', '          Int 4', '          Name b',
      '  Name v'));
  });

  it('reads unions, anonymous members, references and scoped tags', () => {
    assert.match(dump('union u { struct { int x; } s; long l; };'), /Spec union u \{\}\n {4}Field\n {6}Spec struct \(anon\) \{\}/);
    const d = decl('struct vmlinux`task_struct *t;');
    assert.deepEqual(d.spec.base, { kind: 'StructType', pos: { line: 1, col: 1 }, tag: 'struct', name: 'task_struct', module: 'vmlinux' });
  });

  it('reads enums and remembers enumerators as identifiers', () => {
    assert.equal(dump('enum e { A, B = 2 + 1 };\nBEGIN { x = (A); }'), lines(
      'Declaration', '  Spec enum e {}', '    Enumerator A', '    Enumerator B', '      Binary +', '        Int 2', '        Int 1',
      'Clause', '  Probe "BEGIN" ["BEGIN"]', '  Body', '    ExprStmt', '      Assign =', '        Ident x', '        Ident A'));
  });

  it('needs members and refuses a second type after a struct body', () => {
    fails('struct s { };', '[D_SYNTAX] line 1: syntax error near "}"');
    fails('struct a { int x; }\nstruct b { int y; };', '[D_DECL_COMBO] line 2: invalid type combination');
    fails('enum e { A, };', '[D_SYNTAX] line 1: syntax error near "}"');
  });
});

describe('declarations: declarators', () => {
  it('nests pointer, array and function declarators as C does', () => {
    assert.equal(dump('int *a[5]; int (*p)[5]; int *f(int, char *);'), lines(
      'Declaration', '  Spec int', '  Pointer', '    Array sized', '      Int 5', '      Name a',
      'Declaration', '  Spec int', '  Array sized', '    Int 5', '    Pointer', '      Name p',
      'Declaration', '  Spec int', '  Pointer', '    Function',
      '      Param', '        Spec int', '        Abstract',
      '      Param', '        Spec char', '        Pointer', '          Abstract',
      '      Name f'));
  });

  it('reads multi-dimensional arrays innermost first', () => {
    assert.equal(dump('int m[2][3];'), lines(
      'Declaration', '  Spec int', '  Array sized', '    Int 3', '    Array sized', '      Int 2', '      Name m'));
  });

  it('reads associative arrays with a tuple signature', () => {
    const d = decl('int a[string, int], b[int];');
    assert.deepEqual(d.declarators.map((x) => x.declarator.kind === 'ArrayDecl' ? x.declarator.keys?.length : -1), [2, 1]);
  });

  it('checks prototypes as dt_decl_prototype does', () => {
    fails('int x[void, char];', '[D_DECL_PROTO_TYPE] line 1: array prototype may not use parameter of type void: (anonymous), parameter #1');
    fails('int a(void v);', '[D_DECL_PROTO_NAME] line 1: void parameter may not have a name: v');
    fails('int a[...];', '[D_DECL_PROTO_VARARGS] line 1: array prototype may not use a variable-length argument list');
    fails('int f(int, void);', '[D_DECL_PROTO_VOID] line 1: void must be sole parameter');
    fails('int f(static int);', '[D_DECL_PARMCLASS] line 1: inappropriate storage class for function or associative array parameter');
    fails('int f(int a, int a);', '[D_DECL_PROTO_FORM] line 1: parameter is already declared in function prototype: a, parameter #2');
    fails('int a(int a[int]);', '[D_DECL_PROTO_TYPE] line 1: function prototype may not use parameter of type dynamic variable: a, parameter #1');
    fails('int a[int [int]];', '[D_DECL_PROTO_TYPE] line 1: array prototype may not use parameter of type dynamic variable: (anonymous), parameter #1');
  });

  it('accepts function prototypes with void, varargs and function pointers', () => {
    assert.match(dump('int f(void); int g(int, ...); int (*h)(int);'), /Function varargs/);
  });
});

describe('declarations: type names', () => {
  it('reads abstract declarators in casts, sizeof, offsetof and xlate', () => {
    assert.match(dump('BEGIN { x = (int (*)[3])p; }'), /Cast\n {10}TypeName\n {12}Spec int\n {12}Array sized\n {14}Int 3\n {14}Pointer\n {16}Abstract/);
    assert.match(dump('BEGIN { x = sizeof (char **); }'), /SizeofType\n {10}TypeName\n {12}Spec char\n {12}Pointer\n {14}Pointer/);
  });
});

describe('definitions', () => {
  it('reads inline definitions, including associative ones', () => {
    assert.equal(dump('inline int i4[int x, int y] = x + y;'), lines(
      'Inline', '  Spec int', '  Array assoc',
      '    TypeName', '      Spec int', '      Name x', '    TypeName', '      Spec int', '      Name y', '    Name i4',
      '  Binary +', '    Ident x', '    Ident y'));
    assert.match(dump('inline string s = "x";\nBEGIN { trace(s); }'), /Inline/);
  });

  it('reads translators', () => {
    assert.equal(dump('translator struct out < struct in *p > { a = p->a; b = 1; };'), lines(
      'Translator param=p',
      '  TypeName', '    Spec struct out', '    Abstract',
      '  TypeName', '    Spec struct in', '    Pointer', '      Abstract',
      '  Member a', '    Member ->a', '      Ident p',
      '  Member b', '    Int 1'));
    assert.match(dump('translator int < uint64_t x > { };'), /Translator param=x/);
    fails('translator struct o (struct i *p)\n{ };', '[D_SYNTAX] line 2: syntax error near "{"');
  });

  it('reads provider definitions', () => {
    assert.equal(dump('provider p { probe a(int, char *); probe b() : (string); };'), lines(
      'Provider p',
      '  Probe a', '    Param', '      Spec int', '      Abstract', '    Param', '      Spec char', '      Pointer', '        Abstract',
      '  Probe b', '    Translated', '      Param', '        Spec typedef string', '        Abstract'));
  });

  it('hands each finished item to onItem before reading on', () => {
    const seen: string[] = [];
    const onItem = (i: TopLevel): void => {
      seen.push(i.kind);
      if (i.kind === 'Declaration') throw new Error('stop here');
    };
    assert.throws(() => parseProgram('BEGIN {}\nint x;\n$$$', { onItem }), /stop here/);
    assert.deepEqual(seen, ['Clause', 'Declaration']);
  });
});
