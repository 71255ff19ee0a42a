// The options table (src/sema/options.ts) and `#pragma D option`: sizes
// (4m), rates (10hz, 100ms, 1s), counts, enums and booleans parsed into
// DTrace's units; invalid names and values refused with DTrace's words, in
// pragmas as D_PRAGMA_OPTSET "failed to set option 'x' to 'v': <why>".

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Options } from '../../../src/sema/options.js';
import { check, rejects } from './helpers.js';

const BAD_VALUE = 'Invalid value for specified option';
const BAD_NAME = 'Invalid option name';

function setNum(name: string, value: string | undefined): number {
  const o = new Options();
  assert.equal(o.set(name, value, false), undefined, `${name}=${value}`);
  return o.num(name);
}

describe('Options defaults', () => {
  it('unset options read as DTrace defaults', () => {
    const o = new Options();
    assert.equal(o.num('strsize'), 256);
    assert.equal(o.num('bufsize'), 4 << 20);
    assert.equal(o.num('switchrate'), 1_000_000_000);
    assert.equal(o.bool('quiet'), false);
    assert.equal(o.str('bufpolicy'), 'switch');
    assert.equal(o.has('quiet'), false);
    assert.equal(o.has('strsize'), false);
  });
});

describe('size options', () => {
  const cases: [string, number][] = [
    ['12', 12], ['4k', 4096], ['4K', 4096], ['4m', 4 << 20], ['4M', 4 << 20], ['1g', 1 << 30], ['2t', 2 * 2 ** 40],
  ];
  for (const [v, n] of cases) it(`bufsize=${v} is ${n} bytes`, () => assert.equal(setNum('bufsize', v), n));
  // dtrace-utils reads an empty size, or a lone suffix, as 0 (its checks come later, at enabling).
  it('bufsize="" and bufsize=m are 0', () => { assert.equal(setNum('bufsize', ''), 0); assert.equal(setNum('bufsize', 'm'), 0); });
  for (const v of ['4x', 'abc', '-1', '1.5m']) {
    it(`bufsize=${JSON.stringify(v)} is refused`, () => assert.equal(new Options().set('bufsize', v, false), BAD_VALUE));
  }
  it('a size option needs a value', () => assert.equal(new Options().set('strsize', undefined, false), BAD_VALUE));
  it('a refused value leaves the old one', () => {
    const o = new Options();
    o.set('strsize', '64', false);
    o.set('strsize', 'lots', false);
    assert.equal(o.num('strsize'), 64);
  });
});

describe('rate options (nanoseconds between events)', () => {
  const cases: [string, number][] = [
    ['10hz', 100_000_000], ['10', 10], ['1', 1], ['0', 0], ['0hz', 0], ['0ms', 0], ['', 0], ['100ms', 100_000_000], ['1s', 1_000_000_000],
    ['2sec', 2_000_000_000], ['250us', 250_000], ['3ns', 3], ['1min', 60_000_000_000], ['1m', 60_000_000_000],
  ];
  for (const [v, n] of cases) it(`switchrate=${v} is ${n} ns`, () => assert.equal(setNum('switchrate', v), n));
  for (const v of ['10parsecs', 'fast', '-1', '-1s', '1.5s']) {
    it(`switchrate=${JSON.stringify(v)} is refused`, () => assert.equal(new Options().set('switchrate', v, false), BAD_VALUE));
  }
});

describe('other kinds', () => {
  it('counts are decimal integers', () => {
    assert.equal(setNum('nspec', '3'), 3);
    assert.equal(new Options().set('nspec', '1.5', false), BAD_VALUE);
    assert.equal(new Options().set('nspec', 'x', false), BAD_VALUE);
  });
  it('enums take one of their words', () => {
    const o = new Options();
    assert.equal(o.set('bufpolicy', 'fill', false), undefined);
    assert.equal(o.str('bufpolicy'), 'fill');
    assert.equal(o.set('bufpolicy', 'bogus', false), BAD_VALUE);
    assert.equal(o.str('bufpolicy'), 'fill');
  });
  it('booleans are set by their name alone', () => {
    const o = new Options();
    assert.equal(o.set('quiet', undefined, false), undefined);
    assert.equal(o.bool('quiet'), true);
    assert.equal(o.has('quiet'), true);
  });
  it('booleans accept yes/no, on/off, true/false, enable(d)/disable(d), set/unset in any case', () => {
    // dtrace-utils' dt_opt_runtime accepts these words; anything else is refused.
    for (const [v, want] of [['yes', true], ['ON', true], ['true', true], ['enabled', true], ['set', true],
      ['no', false], ['off', false], ['False', false], ['disable', false], ['unset', false]] as const) {
      const o = new Options();
      o.set('quiet', undefined, false);
      assert.equal(o.set('quiet', v, false), undefined, `quiet=${v}`);
      assert.equal(o.bool('quiet'), want, `quiet=${v}`);
    }
    assert.equal(new Options().set('quiet', 'please', false), BAD_VALUE);
  });
  it('versions: supported, unsupported and malformed', () => {
    const o = new Options();
    assert.equal(o.set('version', '2.0', false), undefined);
    assert.equal(o.str('version'), '2.0');
    assert.equal(o.set('version', '9.9', false), 'Requested version is not supported by compiler');
  });
  it('unknown names', () => {
    assert.equal(new Options().set('nosuchoption', undefined, false), BAD_NAME);
    assert.equal(new Options().set('nosuchoption', '1', true), BAD_NAME);
    assert.equal(new Options().set('', '1', false), BAD_NAME);
  });
  it('options DTrace refuses inside a program', () => {
    assert.equal(new Options().set('incdir', '/tmp', true), 'Option cannot be used from within a D program');
    assert.equal(new Options().set('incdir', '/tmp', false), undefined);
  });
  it('flags take no value', () => {
    assert.equal(new Options().set('zdefs', undefined, false), undefined);
    assert.equal(new Options().set('zdefs', 'yes', false), BAD_VALUE);
  });
  it('strsize must hold the NULL-string marker', () => {
    assert.equal(new Options().set('strsize', '1', false), BAD_VALUE);
    assert.equal(setNum('strsize', '2'), 2);
  });
  it('only run-time dynamic options may change while tracing', () => {
    assert.equal(new Options().set('quiet', undefined, 'tracing'), undefined);
    assert.equal(new Options().set('strsize', '10', 'tracing'), 'Operation illegal when tracing is active');
  });
});

describe('#pragma D option', () => {
  it('quiet, strsize, bufsize and switchrate are applied to the options', () => {
    const o = new Options();
    check('#pragma D option quiet\n#pragma D option strsize=32\n#pragma D option bufsize=2m\n#pragma D option switchrate=10hz\nBEGIN { }', o);
    assert.equal(o.bool('quiet'), true);
    assert.equal(o.num('strsize'), 32);
    assert.equal(o.num('bufsize'), 2 << 20);
    assert.equal(o.num('switchrate'), 100_000_000);
  });
  it('a pragma after the clauses applies to the whole program', () => {
    const o = new Options();
    check('BEGIN { }\n#pragma D option quiet\n', o);
    assert.equal(o.bool('quiet'), true);
  });
  it('a bad value is D_PRAGMA_OPTSET with DTrace\'s wording and line', () => {
    rejects('\n#pragma D option strsize=abc\nBEGIN { }', 'D_PRAGMA_OPTSET', `failed to set option 'strsize' to 'abc': ${BAD_VALUE}`, 2);
    rejects('#pragma D option switchrate=0parsecs\nBEGIN { }', 'D_PRAGMA_OPTSET', `failed to set option 'switchrate' to '0parsecs': ${BAD_VALUE}`, 1);
    rejects('#pragma D option quiet=please\nBEGIN { }', 'D_PRAGMA_OPTSET', `failed to set option 'quiet' to 'please': ${BAD_VALUE}`, 1);
  });
  it('an unknown option is D_PRAGMA_OPTSET "Invalid option name"', () => {
    rejects('\n\n#pragma D option nosuchopt\nBEGIN { }', 'D_PRAGMA_OPTSET', `failed to set option 'nosuchopt': ${BAD_NAME}`, 3);
  });
  it('a command-line-only option is refused in a program', () => {
    rejects('#pragma D option incdir=/tmp\nBEGIN { }', 'D_PRAGMA_OPTSET', "failed to set option 'incdir' to '/tmp': Option cannot be used from within a D program");
  });
  it('quiet=on in a pragma sets quiet', () => {
    const o = new Options();
    check('#pragma D option quiet=on\nBEGIN { }', o);
    assert.equal(o.bool('quiet'), true);
  });
  it('malformed and unknown D pragmas', () => {
    rejects('#pragma D option\nBEGIN { }', 'D_PRAGMA_MALFORM');
    rejects('#pragma D option quiet flowindent\nBEGIN { }', 'D_PRAGMA_MALFORM', 'superfluous arguments specified for #pragma option');
    rejects('#pragma D nosuchverb\nBEGIN { }', 'D_PRAGMA_INVAL');
  });
  it('#pragma D error stops compilation with D_PRAGERR', () => {
    rejects('#pragma D error "stop here"\nBEGIN { }', 'D_PRAGERR');
  });
  it('pragmas outside the D namespace are ignored', () => {
    const o = new Options();
    check('#pragma once\n#pragma GCC poison x\nBEGIN { }', o);
    assert.equal(o.has('quiet'), false);
  });
});
