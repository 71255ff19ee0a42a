// The -C preprocessor: DTrace's predefined macros, user -D/-U, line markers
// the lexer honours, and the failure DTrace reports when cpp fails.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { cppArgv, preprocess } from '../../../src/cli/cpp.js';
import { parseProgram } from '../../../src/syntax/parser.js';
import { fails } from './helpers.js';

describe('cpp', { skip: !existsSync('/usr/bin/cpp') }, () => {
  it('passes DTrace predefined macros and the D version', () => {
    const argv = cppArgv({ args: [{ kind: 'define', name: 'X', value: '1' }, { kind: 'undef', name: 'Y' }] });
    for (const a of ['-D__linux', '-D__unix', '-D__SUNW_D=1', '-U__GNUC__', '-D__SUNW_D_64', '-DX=1', '-UY', '-std=c99', '/dev/stdin']) {
      assert.ok(argv.includes(a), a);
    }
    assert.ok(argv.includes('-D__SUNW_D_VERSION=0x02000004'));
  });

  it('expands macros and keeps line numbers through markers', () => {
    const r = preprocess('#define N 5\n\n#if defined(__SUNW_D) && defined(__linux)\nBEGIN { x = N; }\n#endif\nEND { y = ; }\n');
    assert.ok(r.ok);
    assert.match(r.text, /BEGIN \{ x = 5; \}/);
    fails(r.text, '[D_SYNTAX] line 6: syntax error near ";"');
  });

  it('skips a #! line without shifting lines', () => {
    const r = preprocess('#!/usr/sbin/dtrace -Cs\nBEGIN { }\nEND { x = ; }\n');
    assert.ok(r.ok);
    fails(r.text, '[D_SYNTAX] line 3: syntax error near ";"');
  });

  it('applies -D and -U', () => {
    const r = preprocess('#ifdef FOO\nBEGIN { x = VAL; }\n#endif\n', {
      args: [{ kind: 'define', name: 'FOO' }, { kind: 'define', name: 'VAL', value: '7' }],
    });
    assert.ok(r.ok);
    assert.equal(parseProgram(r.text).items.length, 1);
  });

  it('reports a cpp failure with cpp messages naming /dev/stdin', () => {
    const r = preprocess('\n#else\n');
    assert.ok(!r.ok);
    assert.equal(r.message, 'Preprocessor failed to process input program');
    assert.match(r.stderr, /^\/dev\/stdin:2: error: #else without #if$/m);
  });

  it('reports a missing preprocessor', () => {
    const r = preprocess('BEGIN {}', { path: '/nonexistent/cpp' });
    assert.ok(!r.ok);
    assert.equal(r.message, 'Preprocessor not found');
  });
});
