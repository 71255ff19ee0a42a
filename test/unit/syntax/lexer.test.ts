// Lexer tests: token kinds for tricky inputs, literals and escapes, macro
// substitution, probe-description state, control lines and lexical errors.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Lexer, tokenize } from '../../../src/syntax/lexer.js';
import type { Token } from '../../../src/syntax/tokens.js';
import { fails } from './helpers.js';

function kinds(src: string, mode: 'expr' | 'clause' = 'expr'): string[] {
  return tokenize(src, {}, mode)
    .filter((t) => t.kind !== 'eof')
    .map((t) => `${t.kind}:${t.text}`);
}

function only(src: string): Token {
  const toks = tokenize(src);
  assert.equal(toks.length, 2, `expected one token in ${src}`);
  return toks[0] as Token;
}

describe('lexer: operators and punctuation', () => {
  it('matches the longest operator', () => {
    assert.deepEqual(kinds('a<<=b>>c->d...e^^f'), [
      'ident:a', 'punct:<<=', 'ident:b', 'punct:>>', 'ident:c', 'punct:->', 'ident:d', 'punct:...', 'ident:e', 'punct:^^', 'ident:f',
    ]);
  });

  it('tells division from a predicate end by what follows the slash', () => {
    assert.deepEqual(kinds('a / b'), ['ident:a', 'punct:/', 'ident:b']);
    assert.deepEqual(kinds('a /\n {'), ['ident:a', 'epred:/', 'punct:{']);
    assert.deepEqual(kinds('a/'), ['ident:a', 'epred:/']);
    assert.deepEqual(kinds('a /= 2'), ['ident:a', 'punct:/=', 'int:2']);
  });

  it('reads keywords after . and -> as member names', () => {
    assert.deepEqual(kinds('x.self->this . /* c */ int'), [
      'ident:x', 'punct:.', 'ident:self', 'punct:->', 'ident:this', 'punct:.', 'ident:int',
    ]);
    assert.deepEqual(kinds('self->x'), ['keyword:self', 'punct:->', 'ident:x']);
  });

  it('reads aggregations and scoped identifiers', () => {
    assert.deepEqual(kinds('@foo[1] @ `max_pfn vmlinux`max_pfn'), [
      'agg:@foo', 'punct:[', 'int:1', 'punct:]', 'agg:@', 'ident:`max_pfn', 'ident:vmlinux`max_pfn',
    ]);
    const t = only('vmlinux`max_pfn');
    assert.ok(t.kind === 'ident');
    assert.equal(t.name, 'max_pfn');
    assert.equal(t.module, 'vmlinux');
    assert.equal(t.backquote, true);
  });

  it('marks predefined type names as tname', () => {
    assert.deepEqual(kinds('(uint64_t)x'), ['punct:(', 'tname:uint64_t', 'punct:)', 'ident:x']);
  });
});

describe('lexer: literals', () => {
  it('reads integers with bases and suffixes', () => {
    const cases: [string, bigint, string, number][] = [
      ['0', 0n, '', 8], ['42', 42n, '', 10], ['0x1fUL', 31n, 'ul', 16], ['017', 15n, '', 8],
      ['10ll', 10n, 'll', 10], ['18446744073709551615', (1n << 64n) - 1n, '', 10],
    ];
    for (const [src, value, suffix, base] of cases) {
      const t = only(src);
      assert.ok(t.kind === 'int', src);
      assert.deepEqual([t.value, t.suffix, t.base], [value, suffix, base], src);
    }
  });

  it('rejects too-big constants, bad octal digits and floats', () => {
    fails('BEGIN { x = 18446744073709551616; }', '[D_INT_OFLOW] line 1: constant 18446744073709551616 results in integer overflow');
    fails('BEGIN { x = 09; }', '[D_INT_DIGIT] line 1: constant 09 contains invalid digit 9');
    fails('BEGIN { x = 1.5; }', '[D_SYNTAX] line 1: floating-point constants are not permitted');
  });

  it('decodes string escapes as DTrace does', () => {
    const t = only('"a\\tb\\x41\\101\\q\\"\\\\"');
    assert.ok(t.kind === 'string');
    assert.equal(t.value, 'a\tbAA\\q"\\');
    const nul = only('"ab\\0cd"');
    assert.ok(nul.kind === 'string');
    assert.equal(nul.value, 'ab');
  });

  it('packs character constants with the first character most significant', () => {
    const cases: [string, bigint][] = [["'a'", 97n], ["'ab'", 0x6162n], ["'\\n'", 10n], ["'\\377'", 255n], ["'\\''", 0x5c27n]];
    for (const [src, value] of cases) {
      const t = only(src);
      assert.ok(t.kind === 'char', src);
      assert.equal(t.value, value, src);
    }
  });

  it('rejects empty, overlong and unterminated character constants', () => {
    fails("BEGIN { x = ''; }", '[D_CHR_NULL] line 1: empty character constant');
    fails("BEGIN { x = 'abcdefghi'; }", '[D_CHR_OFLOW] line 1: character constant is too long');
    fails("BEGIN {\n x = 'a\n'; }", '[D_CHR_NL] line 3: newline encountered in character constant');
    fails('BEGIN {\n x = "a\n"; }', '[D_STR_NL] line 3: newline encountered in string literal');
  });
});

describe('lexer: probe descriptions at the start of an item', () => {
  it('reads descriptions as single tokens', () => {
    assert.deepEqual(kinds('syscall::read:entry,tick-1s /', 'clause'), [
      'pspec:syscall::read:entry', 'punct:,', 'pspec:tick-1s', 'punct:/',
    ]);
    assert.deepEqual(kinds('fbt:vmlinux:*_read:entry{', 'clause'), ['pspec:fbt:vmlinux:*_read:entry', 'punct:{']);
    assert.deepEqual(kinds('123', 'clause'), ['int:123']);
  });

  it('switches to expression state after a declaration keyword', () => {
    assert.deepEqual(kinds('self int x;', 'clause'), ['keyword:self', 'keyword:int', 'ident:x', 'punct:;']);
    assert.deepEqual(kinds('int*x;', 'clause'), ['keyword:int', 'punct:*', 'ident:x', 'punct:;']);
    assert.deepEqual(kinds('uint64_t x;', 'clause'), ['tname:uint64_t', 'ident:x', 'punct:;']);
  });

  it('keeps words that could be types as descriptions under pspec', () => {
    const lx = new Lexer('int*x', undefined, { pspec: true });
    assert.equal(lx.next().kind, 'pspec');
  });
});

describe('lexer: macros', () => {
  const macros = { args: ['script.d', '42', 'foo', 'hello world', '"quoted"', '-5'], vars: { pid: '1234' } };

  function macro(src: string): Token {
    const toks = tokenize(src, { macros });
    return toks[0] as Token;
  }

  it('substitutes $N as an integer, identifier or string', () => {
    const n = macro('$1');
    assert.ok(n.kind === 'int');
    assert.equal(n.value, 42n);
    assert.equal(n.text, '$1');
    const id = macro('$2');
    assert.ok(id.kind === 'ident');
    assert.equal(id.name, 'foo');
    const s = macro('$3');
    assert.ok(s.kind === 'string');
    assert.equal(s.value, 'hello world');
    const q = macro('$4');
    assert.ok(q.kind === 'string');
    assert.equal(q.value, 'quoted');
    const neg = macro('$5');
    assert.ok(neg.kind === 'int');
    assert.deepEqual([neg.value, neg.sign], [5n, '-']);
  });

  it('gives $$N and $$name as strings and $name as an integer', () => {
    const s = macro('$$1');
    assert.ok(s.kind === 'string');
    assert.equal(s.value, '42');
    const p = macro('$pid');
    assert.ok(p.kind === 'int');
    assert.equal(p.value, 1234n);
    const ps = macro('$$pid');
    assert.ok(ps.kind === 'string');
    assert.equal(ps.value, '1234');
  });

  it('reports undefined macros unless defaultargs is set', () => {
    fails('BEGIN { x = $9; }', '[D_MACRO_UNDEF] line 1: macro argument $9 is not defined', { macros });
    fails('BEGIN { x = $ppid; }', '[D_MACRO_UNDEF] line 1: macro variable $ppid is not defined', { macros });
    const d = tokenize('$9 $$9', { macros, defaultArgs: true });
    assert.ok(d[0]?.kind === 'int' && d[0].value === 0n);
    assert.ok(d[1]?.kind === 'string' && d[1].value === '');
  });
});

describe('lexer: comments and control lines', () => {
  it('skips comments and counts their lines', () => {
    const toks = tokenize('a /* x\ny\n*/ b // tail\nc');
    assert.deepEqual(toks.map((t) => t.pos.line), [1, 3, 4, 4]);
  });

  it('reports an unterminated or nested comment', () => {
    fails('BEGIN {}\n/* open\n', '[D_SYNTAX] line 3: end-of-file encountered before matching */');
    fails('/* a /* b */', '[D_SYNTAX] line 1: /* encountered inside a comment');
  });

  it('honours cpp line markers and #line', () => {
    const toks = tokenize('a\n# 40 "/dev/stdin"\nb\n#line 7\nc');
    assert.deepEqual(toks.slice(0, 3).map((t) => t.pos.line), [1, 40, 8]);
  });

  it('skips #! lines and reports control lines cut by end of file', () => {
    assert.deepEqual(kinds('#!/usr/sbin/dtrace -s\nx'), ['ident:x']);
    fails('BEGIN {}\n#pragma', '[D_SYNTAX] line 2: end-of-file encountered before end of control line');
  });
});
