// Clauses and statements: probe description lists, predicates, bodies with
// and without a final semicolon, empty statements, if/else, pragmas as
// items, and clause-level errors worded as DTrace words them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProgram } from '../../../src/syntax/parser.js';
import type { Pragma, TopLevel } from '../../../src/syntax/ast.js';
import { dump, fails } from './helpers.js';

describe('clauses', () => {
  it('reads description lists, predicate and body', () => {
    const prog = parseProgram('syscall::read:entry,\nsyscall::write:entry\n/pid == 1/\n{ trace(arg0); }');
    const c = prog.items[0];
    assert.ok(c?.kind === 'Clause');
    assert.deepEqual(c.probes.map((p) => p.parts), [['syscall', '', 'read', 'entry'], ['syscall', '', 'write', 'entry']]);
    assert.equal(c.predicate?.kind, 'Binary');
    assert.equal(c.body?.length, 1);
    assert.deepEqual(c.pos, { line: 1, col: 1 });
  });

  it('accepts an empty body and a missing final semicolon', () => {
    assert.equal(dump('BEGIN {}\nEND { x = 1; y = 2 }'), [
      'Clause', '  Probe "BEGIN" ["BEGIN"]', '  Body',
      'Clause', '  Probe "END" ["END"]', '  Body',
      '    ExprStmt', '      Assign =', '        Ident x', '        Int 1',
      '    ExprStmt', '      Assign =', '        Ident y', '        Int 2', '',
    ].join('\n'));
  });

  it('keeps empty statements', () => {
    const c = parseProgram('BEGIN { ; x; ; }').items[0];
    assert.ok(c?.kind === 'Clause');
    assert.deepEqual(c.body?.map((s) => s.kind), ['EmptyStmt', 'ExprStmt', 'EmptyStmt']);
  });

  it('allows a bare description only in -n style text', () => {
    fails('BEGIN', '[D_SYNTAX] line 1: expected predicate and/or actions following probe description');
    const prog = parseProgram('BEGIN END', { source: 'string' });
    assert.deepEqual(prog.items.map((i) => (i.kind === 'Clause' ? i.body : 'x')), [undefined, undefined]);
  });

  it('needs a body after a predicate', () => {
    fails('BEGIN\n/x/\n;', '[D_SYNTAX] line 2: expected actions { } following probe description and predicate');
  });

  it('reports a probe description with too many fields', () => {
    fails('\na:b:c:d:e {}', '[D_PDESC_INVAL] line 2: invalid probe description "a:b:c:d:e": Overspecified probe description');
  });

  it('takes a number as a probe id, except under -P/-m/-f', () => {
    const c = parseProgram('42 {}').items[0];
    assert.ok(c?.kind === 'Clause');
    assert.equal(c.probes[0]?.id, 42n);
    fails('42', '[D_PDESC_INVAL] line 1: probe identifier 42 not permitted when specifying functions', {
      source: 'string', probeSpec: 'function',
    });
  });

  it('substitutes macro arguments inside descriptions', () => {
    const prog = parseProgram('syscall::$1:entry, pid$target:::entry {}', {
      macros: { args: ['x.d', 'read'], vars: { target: '42' } },
    });
    const c = prog.items[0];
    assert.ok(c?.kind === 'Clause');
    assert.deepEqual(c.probes.map((p) => p.parts), [['syscall', '', 'read', 'entry'], ['pid42', '', '', 'entry']]);
  });
});

describe('statements', () => {
  it('reads if and else with statements or blocks', () => {
    assert.equal(dump('BEGIN { if (x) y = 1; else { z = 2; w } }'), [
      'Clause', '  Probe "BEGIN" ["BEGIN"]', '  Body',
      '    If', '      Ident x',
      '      ExprStmt', '        Assign =', '          Ident y', '          Int 1',
      '      Else', '        Block',
      '          ExprStmt', '            Assign =', '              Ident z', '              Int 2',
      '          ExprStmt', '            Ident w', '',
    ].join('\n'));
  });

  it('binds else to the nearest if', () => {
    const c = parseProgram('BEGIN { if (a) if (b) x; else y; }').items[0];
    assert.ok(c?.kind === 'Clause');
    const outer = c.body?.[0];
    assert.ok(outer?.kind === 'IfStmt');
    assert.equal(outer.else, undefined);
    assert.ok(outer.then.kind === 'IfStmt' && outer.then.else !== undefined);
  });

  it('requires a semicolon in an if branch and refuses declarations in bodies', () => {
    fails('BEGIN { if (a) x }', '[D_SYNTAX] line 1: syntax error near "}"');
    fails('BEGIN {\n int x;\n}', '[D_SYNTAX] line 2: syntax error near "int"');
    fails('BEGIN { { x; } }', '[D_SYNTAX] line 1: syntax error near "{"');
  });
});

describe('pragmas', () => {
  it('passes D pragmas on as items and through onPragma', () => {
    const seen: Pragma[] = [];
    const prog = parseProgram('#pragma D option quiet\nBEGIN {\n#pragma D option bufsize=4k\n}\n', { onPragma: (p) => seen.push(p) });
    assert.deepEqual(seen.map((p) => p.words), [['D', 'option', 'quiet'], ['D', 'option', 'bufsize=4k']]);
    assert.deepEqual(prog.items.map((i: TopLevel) => i.kind), ['Pragma', 'Clause', 'Pragma']);
    assert.deepEqual(seen[1]?.pos, { line: 3, col: 1 });
  });

  it('ignores #ident and unknown non-D pragmas, refuses unknown directives', () => {
    assert.equal(parseProgram('#ident "x"\n#pragma weak foo\nBEGIN {}').items.length, 1);
    fails('#foo\nBEGIN {}', '[D_PRAGCTL_INVAL] line 1: invalid control directive: #foo');
    fails('#pragma D nonsense\nBEGIN {}', '[D_PRAGMA_INVAL] line 1: invalid D pragma: nonsense');
  });

  it('checks what D pragmas can be checked at once', () => {
    fails('\n#pragma D error "stop" here\n', '[D_PRAGERR] line 2: #error: stop here ');
    fails('#pragma D option a b\n', '[D_PRAGMA_MALFORM] line 1: superfluous arguments specified for #pragma option');
    fails('#pragma D option\n', '[D_PRAGMA_MALFORM] line 1: malformed #pragma option <option>=<val>');
    fails('#pragma D attributes Bogus/Stable/Common x\n', '[D_PRAGMA_INVAL] line 1: invalid attributes specified by #pragma attributes');
    fails('#pragma D binding "1.x" x\n', '[D_PRAGMA_INVAL] line 1: invalid version string specified by #pragma binding');
    fails('#pragma D binding 1 x\n', '[D_PRAGMA_MALFORM] line 1: malformed #pragma binding "version" <ident>');
    fails('#pragma D depends_on thing x\n', '[D_PRAGMA_INVAL] line 1: invalid class thing specified by #pragma depends_on');
  });

  it('lets a pragma switch pspec mode for the rest of the program', () => {
    fails('#pragma D option pspec\nint*x', '[D_SYNTAX] line 2: expected predicate and/or actions following probe description');
  });
});
