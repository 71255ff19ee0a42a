// dtrace(1) argument parsing (src/cli/args.ts): flags, -x name[=value],
// -n/-s programs kept in command-line order, options after operands (as
// dtrace's repeated getopt passes allow), -D/-U/-I in order for cpp, and
// usage errors worded as getopt words them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs, REFUSED_FLAGS, UsageError, USAGE } from '../../../src/cli/args.js';

describe('flags', () => {
  it('single and grouped flags', () => {
    assert.deepEqual([...parseArgs(['-q']).flags], ['q']);
    assert.deepEqual([...parseArgs(['-qZ', '-e']).flags].sort(), ['Z', 'e', 'q']);
  });
  it('no arguments gives an empty result', () => {
    const a = parseArgs([]);
    assert.deepEqual(a.programs, []);
    assert.deepEqual(a.xopts, []);
    assert.deepEqual(a.cpp, []);
    assert.deepEqual(a.operands, []);
    assert.equal(a.flags.size, 0);
    assert.equal(a.output, undefined);
    assert.equal(a.bufsize, undefined);
  });
  it('a flag group may end with a letter that takes an argument: -qs file, -qsfile', () => {
    const a = parseArgs(['-qs', 'x.d']);
    assert.deepEqual([...a.flags], ['q']);
    assert.deepEqual(a.programs, [{ kind: 's', value: 'x.d' }]);
    assert.deepEqual(parseArgs(['-qsx.d']).programs, [{ kind: 's', value: 'x.d' }]);
  });
});

describe('-x options', () => {
  it('name, name=value, attached and separate forms, in order', () => {
    const a = parseArgs(['-x', 'quiet', '-xstrsize=32', '-x', 'bufsize=4m', '-x', 'define=a=b']);
    assert.deepEqual(a.xopts, [
      { name: 'quiet' }, { name: 'strsize', value: '32' }, { name: 'bufsize', value: '4m' }, { name: 'define', value: 'a=b' },
    ]);
  });
  it('an empty value is kept as empty', () => {
    assert.deepEqual(parseArgs(['-x', 'quiet=']).xopts, [{ name: 'quiet', value: '' }]);
  });
  it('-b and -o', () => {
    const a = parseArgs(['-b', '8m', '-o', '/tmp/out']);
    assert.equal(a.bufsize, '8m');
    assert.equal(a.output, '/tmp/out');
  });
});

describe('programs and operands', () => {
  it('-n and -s keep their command-line order', () => {
    const a = parseArgs(['-n', 'BEGIN { exit(0); }', '-s', 'a.d', '-n', 'END', '-s', 'b.d']);
    assert.deepEqual(a.programs, [
      { kind: 'n', value: 'BEGIN { exit(0); }' }, { kind: 's', value: 'a.d' }, { kind: 'n', value: 'END' }, { kind: 's', value: 'b.d' },
    ]);
  });
  it('-P, -m, -f and -i are programs too', () => {
    const a = parseArgs(['-P', 'syscall', '-m', 'vmlinux', '-f', 'read', '-i', '3']);
    assert.deepEqual(a.programs.map((p) => p.kind), ['P', 'm', 'f', 'i']);
  });
  it('operands are macro arguments; options may follow them', () => {
    const a = parseArgs(['-s', 'x.d', 'one', '-q', 'two', '-x', 'strsize=8', '3']);
    assert.deepEqual(a.operands, ['one', 'two', '3']);
    assert.ok(a.flags.has('q'));
    assert.deepEqual(a.xopts, [{ name: 'strsize', value: '8' }]);
    assert.deepEqual(a.programs, [{ kind: 's', value: 'x.d' }]);
  });
  it('"--" ends the options: everything after is an operand', () => {
    const a = parseArgs(['-s', 'x.d', '--', '-q', '-n', 'BEGIN']);
    assert.deepEqual(a.operands, ['-q', '-n', 'BEGIN']);
    assert.ok(!a.flags.has('q'));
    assert.equal(a.programs.length, 1);
  });
  it('a lone "-" is an operand', () => {
    assert.deepEqual(parseArgs(['-s', 'x.d', '-']).operands, ['-']);
  });
  it('an option argument that looks like an option is still the argument', () => {
    assert.deepEqual(parseArgs(['-n', '-q']).programs, [{ kind: 'n', value: '-q' }]);
  });
});

describe('preprocessor options', () => {
  it('-D, -U and -I keep their order', () => {
    const a = parseArgs(['-D', 'A', '-I', '/inc', '-DB=2', '-U', 'A', '-I/other', '-D', 'C=x=y']);
    assert.deepEqual(a.cpp, [
      { kind: 'define', name: 'A' },
      { kind: 'include', dir: '/inc' },
      { kind: 'define', name: 'B', value: '2' },
      { kind: 'undef', name: 'A' },
      { kind: 'include', dir: '/other' },
      { kind: 'define', name: 'C', value: 'x=y' },
    ]);
  });
  it('-C is a flag; -X takes a mode', () => {
    const a = parseArgs(['-C', '-X', 'a']);
    assert.ok(a.flags.has('C'));
    assert.ok(a.flags.has('X'));
  });
});

describe('usage errors', () => {
  it('an unknown letter: "illegal option -- k"', () => {
    assert.throws(() => parseArgs(['-k']), (e: unknown) => e instanceof UsageError && e.message === 'illegal option -- k');
    assert.throws(() => parseArgs(['-qk']), (e: unknown) => e instanceof UsageError && e.message === 'illegal option -- k');
  });
  it('a missing argument: "option requires an argument -- s"', () => {
    assert.throws(() => parseArgs(['-s']), (e: unknown) => e instanceof UsageError && e.message === 'option requires an argument -- s');
    assert.throws(() => parseArgs(['-q', '-x']), (e: unknown) => e instanceof UsageError && e.message === 'option requires an argument -- x');
  });
  it('the usage text starts as dtrace -h prints it', () => {
    assert.ok(USAGE.startsWith('Usage: dtrace [-32|-64] [-CeFGhHlqSvVwZ] [-b bufsz] [-c cmd] [-D name[=def]]\n'));
    assert.match(USAGE, /\n\t-x {2}enable or modify compiler and tracing options\n/);
  });
});

describe('flags not built', () => {
  it('are refused with a reason, never accepted and ignored', () => {
    for (const f of ['a', 'A', 'B', 'G', 'h', 'v']) assert.match(REFUSED_FLAGS[f], new RegExp(`^-${f} is not supported`));
    assert.equal(REFUSED_FLAGS.c, undefined);
    assert.equal(REFUSED_FLAGS.p, undefined);
  });
  it('-64 is the data model built; -32 is recorded to be refused; other -3/-6 values are usage errors', () => {
    assert.equal(parseArgs(['-64', '-n', 'BEGIN']).flags.has('32'), false);
    assert.equal(parseArgs(['-32', '-n', 'BEGIN']).flags.has('32'), true);
    assert.throws(() => parseArgs(['-33']), UsageError);
  });
});
