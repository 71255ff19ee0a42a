// Expression parsing: C precedence and associativity for every level of the
// operator table, unary/postfix forms, casts against parenthesised
// expressions, and D's own operators (self->, this->, @, xlate, stringof).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dump, expr, exprOf, fails } from './helpers.js';

describe('expressions: precedence and associativity', () => {
  it('orders the binary levels as C does', () => {
    assert.equal(expr('a || b ^^ c && d | e ^ f & g == h < i << j + k * l'),
      '(|| a (^^ b (&& c (| d (^ e (& f (== g (< h (<< i (+ j (* k l)))))))))))');
    assert.equal(expr('a * b + c << d < e == f & g ^ h | i && j ^^ k || l'),
      '(|| (^^ (&& (| (^ (& (== (< (<< (+ (* a b) c) d) e) f) g) h) i) j) k) l)');
  });

  it('makes binary operators left-associative', () => {
    assert.equal(expr('a - b - c'), '(- (- a b) c)');
    assert.equal(expr('a / b % c * d'), '(* (% (/ a b) c) d)');
    assert.equal(expr('a != b == c'), '(== (!= a b) c)');
    assert.equal(expr('a >= b <= c > d'), '(> (<= (>= a b) c) d)');
    assert.equal(expr('a >> b << c'), '(<< (>> a b) c)');
  });

  it('makes assignment right-associative and lowest but for comma', () => {
    assert.equal(expr('a = b += c'), '(= a (+= b c))');
    assert.equal(expr('a = b, c = d'), '(, (= a b) (= c d))');
    assert.equal(expr('x <<= y || z'), '(<<= x (|| y z))');
  });

  it('nests the ternary to the right and allows a comma in its middle', () => {
    assert.equal(expr('a ? b : c ? d : e'), '(? a b (? c d e))');
    assert.equal(expr('a || b ? c, d : e'), '(? (|| a b) (, c d) e)');
    assert.equal(expr('x = a ? b : c'), '(= x (? a b c))');
  });
});

describe('expressions: unary and postfix', () => {
  it('binds prefix operators tighter than binary ones', () => {
    assert.equal(expr('-a * !b + ~c - *d & &e'), '(& (- (+ (* (- a) (! b)) (~ c)) (* d)) (& e))');
    assert.equal(expr('++a + b--'), '(+ (pre++ a) (post-- b))');
    assert.equal(expr('- - a'), '(- (- a))');
  });

  it('applies postfix operators left to right', () => {
    assert.equal(expr('a[1, 2].b->c'), '(-> (. ([] a 1 2) b) c)');
    assert.equal(expr('f(1, g(2))[3]++'), '(post++ ([] (f 1 (g 2)) 3))');
    assert.equal(expr('args[0]->name'), '(-> ([] args 0) name)');
  });

  it('reads self-> and this-> as scoped variables', () => {
    assert.equal(expr('self->x[1] = this->y'), '(= ([] self->x 1) this->y)');
    assert.equal(expr('self->x++'), '(post++ self->x)');
  });

  it('reads sizeof and stringof on expressions and types', () => {
    assert.equal(expr('sizeof x + 1'), '(+ (sizeof x) 1)');
    assert.equal(expr('sizeof (x) * 2'), '(* (sizeof x) 2)');
    assert.equal(expr('sizeof (int *) * 2'), '(* (sizeof-type) 2)');
    assert.equal(expr('stringof x + y'), '(+ (stringof x) y)');
    assert.equal(expr('sizeof -x'), '(sizeof (- x))');
  });

  it('reads aggregations, calls, offsetof and xlate', () => {
    assert.equal(expr('@a[execname, pid] = count()'), '(= ([] @a execname pid) (count))');
    assert.equal(expr('@ = sum(1)'), '(= @ (sum 1))');
    assert.equal(expr('offsetof(struct foo, bar) + 1'), '(+ (offsetof bar) 1)');
    assert.equal(expr('xlate<struct psinfo *>(curthread)->pr_pid'), '(-> (xlate curthread) pr_pid)');
  });

  it('keeps a macro argument sign as a unary operator', () => {
    assert.equal(expr('$1 + 1', { macros: { args: ['s', '-3'], vars: {} } }), '(+ (- 3) 1)');
  });
});

describe('expressions: casts', () => {
  it('casts when the parenthesis holds a type name', () => {
    assert.equal(expr('(int)x + 1'), '(+ (cast x) 1)');
    assert.equal(expr('(unsigned long long)(char)x'), '(cast (cast x))');
    assert.equal(expr('(struct foo *)p'), '(cast p)');
    assert.equal(expr('(string)x'), '(cast x)');
    assert.equal(expr('(uint64_t)-1'), '(cast (- 1))');
  });

  it('treats a parenthesised identifier as an expression', () => {
    assert.equal(expr('(x) + 1'), '(+ x 1)');
    assert.equal(expr('(x)[1]'), '([] x 1)');
  });

  it('uses typedefs declared in the program and the isTypeName option', () => {
    assert.match(dump('typedef int myint_t;\nBEGIN { x = (myint_t)y; }'), /Cast/);
    assert.equal(expr('(foo_t)x', { isTypeName: (n) => n === 'foo_t' }), '(cast x)');
    // DTrace peeked past the unknown `x`, so its yytext runs to the end of the line.
    fails('BEGIN { (foo_t)x; }', '[D_SYNTAX] line 1: syntax error near "x; }"');
  });

  it('shows an identifier DTrace peeked past as the rest of its line, blanks as spaces', () => {
    fails('BEGIN { x = 1 y; }', '[D_SYNTAX] line 1: syntax error near "y; }"');
    fails('BEGIN { x = 1 y\t; }', '[D_SYNTAX] line 1: syntax error near "y ; }"');
    fails('BEGIN { x = 1 y\n ; }', '[D_SYNTAX] line 1: syntax error near "y "');
    fails('typedef int foo bar;', '[D_SYNTAX] line 1: syntax error near "bar;"');
    fails('BEGIN { trace(offsetof(vnode_t, m)); }', '[D_SYNTAX] line 1: syntax error near "vnode_t, m)); }"');
    // A known identifier is not peeked past.
    fails('BEGIN { x = 1 pid; }', '[D_SYNTAX] line 1: syntax error near "pid"', { isIdentifier: (n: string): boolean => n === 'pid' });
  });

  it('prefers identifiers that are being assigned or are known', () => {
    // `foo_t = 1` marks foo_t as a variable, as DTrace's lexer lookahead does.
    const opts = { isTypeName: (n: string): boolean => n === 'foo_t' };
    const prog = exprOf('foo_t = 1', opts);
    assert.equal(prog.kind, 'Assign');
    assert.equal(expr('(foo_t)', { ...opts, isIdentifier: (n) => n === 'foo_t' }), 'foo_t');
  });

  it('refuses an assignment to a non-unary expression', () => {
    fails('BEGIN { a + b = c; }', '[D_SYNTAX] line 1: syntax error near "="');
    fails('BEGIN { (int)a = c; }', '[D_SYNTAX] line 1: syntax error near "="');
    fails('BEGIN { a ? b : c = d; }', '[D_SYNTAX] line 1: syntax error near "="');
  });
});

describe('expressions: calls', () => {
  it('calls only named functions', () => {
    assert.equal(expr('(f)(1)'), '(f 1)');
    fails('BEGIN { a.b(1); }', '[D_FUNC_IDENT] line 1: function designator is not of function type');
  });
});
