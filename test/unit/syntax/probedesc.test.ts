// Probe descriptions: filling fields from the right, -P/-m/-f specs, macro
// references, the printed form, and gmatch-style glob matching.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  gmatch, makeProbeDesc, matchProbe, normalizeProbeDesc, probeDescText, splitProbeDesc,
} from '../../../src/syntax/probedesc.js';
import { CompileError } from '../../../src/diag/diagnostic.js';

const at = { line: 1, col: 1 };

describe('probe descriptions', () => {
  it('fills fields from the right', () => {
    assert.equal(probeDescText(normalizeProbeDesc(makeProbeDesc('BEGIN', at, 1))), ':::BEGIN');
    assert.equal(probeDescText(normalizeProbeDesc(makeProbeDesc('BEGIN:tick-1', at, 1))), '::BEGIN:tick-1');
    assert.equal(probeDescText(normalizeProbeDesc(makeProbeDesc('syscall::read:', at, 1))), 'syscall::read:');
    assert.deepEqual(makeProbeDesc('a:b', at, 1).parts, ['a', 'b']);
  });

  it('starts from the field the spec names', () => {
    assert.deepEqual(splitProbeDesc('syscall', 'provider'), ['syscall', '', '', '']);
    assert.deepEqual(splitProbeDesc('vmlinux:read', 'function'), ['', 'vmlinux', 'read', '']);
    assert.equal(splitProbeDesc('a:b:c', 'module'), 'Overspecified probe description');
    assert.deepEqual(makeProbeDesc('read', at, 1, 'function').parts, ['', '', 'read', '']);
  });

  it('refuses five fields and undefined macros', () => {
    assert.equal(splitProbeDesc('a:b:c:d:e'), 'Overspecified probe description');
    assert.equal(splitProbeDesc('syscall::$1:entry'), 'Undefined macro variable in probe description');
    assert.throws(() => makeProbeDesc('a:b:c:d:e', at, 3), (e: unknown) =>
      e instanceof CompileError && e.diag.tag === 'D_PDESC_INVAL' && e.diag.pos?.line === 3 &&
      e.diag.message === 'invalid probe description "a:b:c:d:e": Overspecified probe description');
  });

  it('substitutes $N, $$N and $name inside a field', () => {
    const lookup = (r: string): string | undefined => ({ '1': 'read', target: '42' } as Record<string, string>)[r];
    assert.deepEqual(splitProbeDesc('syscall::$1:entry', 'name', lookup), ['syscall', '', 'read', 'entry']);
    assert.deepEqual(splitProbeDesc('syscall::$$1x:entry', 'name', lookup), ['syscall', '', 'readx', 'entry']);
    assert.deepEqual(splitProbeDesc('pid$target:::', 'name', lookup), ['pid42', '', '', '']);
  });
});

describe('gmatch', () => {
  it('matches *, ? and literal characters', () => {
    assert.ok(gmatch('read', 'read'));
    assert.ok(!gmatch('reads', 'read'));
    assert.ok(gmatch('sys_read', '*read'));
    assert.ok(gmatch('read', 'r??d'));
    assert.ok(!gmatch('rd', 'r?d'));
    assert.ok(gmatch('', '*'));
    assert.ok(gmatch('abc', 'a**c'));
  });

  it('matches bracket classes, ranges and negation', () => {
    assert.ok(gmatch('tick-5s', 'tick-[0-9]s'));
    assert.ok(!gmatch('tick-xs', 'tick-[0-9]s'));
    assert.ok(gmatch('b', '[abc]'));
    assert.ok(gmatch('x', '[!abc]'));
    assert.ok(!gmatch('a', '[!abc]'));
    assert.ok(!gmatch(']', '[]]')); // as gmatch(3GEN): a class cannot start with ]
    assert.ok(!gmatch('a', '[a'));
  });

  it('honours backslash escapes', () => {
    assert.ok(gmatch('a*b', 'a\\*b'));
    assert.ok(!gmatch('axb', 'a\\*b'));
  });

  it('matches descriptions field by field, empty fields matching anything', () => {
    const probe = { provider: 'syscall', module: 'vmlinux', function: 'read', name: 'entry' };
    assert.ok(matchProbe({ provider: 'syscall', module: '', function: 're*', name: 'entry' }, probe));
    assert.ok(!matchProbe({ provider: 'syscall', module: '', function: 'write', name: '' }, probe));
  });
});
