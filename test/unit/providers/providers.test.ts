// Providers on a fixture list of tracepoints: probe names as dtrace-utils
// gives them on Linux (sdt:GROUP::EVENT, rawtp:GROUP::EVENT,
// syscall:vmlinux:NAME:entry|return), ids in provider order and
// available_events order, description matching, -P/-m/-f descriptions, and
// the `dtrace -l` / `-lv` text against golden files.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ProbeRegistry, providerAttrs, type Probe } from '../../../src/providers/index.js';
import { isSkippedGroup } from '../../../src/providers/tracepoint.js';
import { parseAvailableEvents } from '../../../src/kernel/tracefs.js';
import { descAttr, formatListing, minAttr } from '../../../src/output/listing.js';
import { attr } from '../../../src/providers/probe.js';
import { specDescription } from '../../../src/cli/list.js';
import type { ProbeDesc } from '../../../src/syntax/ast.js';

const EVENTS = parseAvailableEvents([
  'dt_4345_dtrace:END', 'initcall:initcall_finish', 'sched:sched_switch', 'sched:sched_process_exec',
  'kprobes:p_vfs_read_0', 'uprobes:p_bash_0x1', 'dt_pid:pid1', 'syscalls:sys_exit_read', 'syscalls:sys_enter_read',
  'syscalls:sys_exit_openat', 'syscalls:sys_enter_openat', 'raw_syscalls:sys_enter',
].join('\n'));

function registry(): ProbeRegistry {
  return new ProbeRegistry(() => EVENTS);
}

function desc(text: string): ProbeDesc {
  const parts = text.split(':');
  return { kind: 'ProbeDesc', text, parts, pos: { line: 1, col: 1 } };
}

const SRC = dirname(fileURLToPath(import.meta.url)).replace(/\/dist\/test\//, '/test/');

function golden(name: string, actual: string): void {
  const file = join(SRC, name);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'latin1'));
}

const names = (ps: readonly Probe[]): string[] => ps.map((p) => `${p.id} ${p.provider}:${p.module}:${p.func}:${p.name}`);

describe('probe naming and ids', () => {
  it('lists every provider in order, tracepoints in available_events order', () => {
    golden('listing.golden', formatListing(registry().match(desc(':::')), false, () => undefined));
  });
  it('skips the groups other providers or DTrace itself own', () => {
    for (const g of ['kprobes', 'uprobes', 'syscalls', 'dt_pid', 'dt_4345_dtrace']) assert.ok(isSkippedGroup(g), g);
    for (const g of ['sched', 'raw_syscalls', 'dt', 'dt_x']) assert.ok(!isSkippedGroup(g), g);
  });
  it('sdt and rawtp name a tracepoint GROUP::EVENT', () => {
    assert.deepEqual(names(registry().match(desc('sdt:sched::sched_switch'))), ['22 sdt:sched::sched_switch']);
    assert.deepEqual(names(registry().match(desc('sched_switch'))), ['18 rawtp:sched::sched_switch', '22 sdt:sched::sched_switch']);
    assert.deepEqual(names(registry().match(desc('rawtp:::'))).length, 4);
  });
  it('a glob or an empty field matches any', () => {
    assert.deepEqual(names(registry().match(desc('sdt:sched::sched_*'))), ['22 sdt:sched::sched_switch', '23 sdt:sched::sched_process_exec']);
    assert.deepEqual(names(registry().match(desc('syscall::read:'))), ['25 syscall:vmlinux:read:return', '26 syscall:vmlinux:read:entry']);
    assert.deepEqual(names(registry().match(desc(':vmlinux::entry'))), ['26 syscall:vmlinux:read:entry', '28 syscall:vmlinux:openat:entry']);
  });
  it('a number names the probe of that id', () => {
    const r = registry();
    assert.deepEqual(names(r.match({ ...desc('22'), id: 22n })), ['22 sdt:sched::sched_switch']);
    assert.deepEqual(r.match({ ...desc('999'), id: 999n }), []);
  });
  it('profile rates not predefined are made on demand, after every listed probe', () => {
    const r = registry();
    assert.deepEqual(names(r.match(desc('profile:::tick-3s'))), ['29 profile:::tick-3s']);
    assert.deepEqual(names(r.match(desc('profile:::tick-3s'))), ['29 profile:::tick-3s']);
  });
});

describe('-P, -m, -f descriptions', () => {
  it('fill the description from their field leftwards', () => {
    assert.equal(specDescription('P', 'sdt'), 'sdt:::');
    assert.equal(specDescription('m', 'sched'), ':sched::');
    assert.equal(specDescription('m', 'sdt:sched'), 'sdt:sched::');
    assert.equal(specDescription('f', 'read'), '::read:');
    assert.equal(specDescription('f', 'syscall:vmlinux:read'), 'syscall:vmlinux:read:');
  });
  it('refuse more fields than the option allows', () => {
    assert.throws(() => specDescription('P', 'a:b'), /invalid probe specifier a:b/);
  });
});

describe('-lv attributes', () => {
  it('take the lower of each part', () => {
    assert.deepEqual(minAttr(attr('Stable', 'Evolving', 'ISA'), attr('Private', 'Stable', 'Common')), attr('Private', 'Evolving', 'ISA'));
  });
  it('a probe description counts its provider and name, and its module and function where it has them', () => {
    const r = registry();
    const [sdt] = r.match(desc('sdt:sched::sched_switch'));
    assert.deepEqual(descAttr(sdt!, providerAttrs('sdt')!), attr('Private', 'Private', 'Unknown'));
    const [begin] = r.match(desc('dtrace:::BEGIN'));
    assert.deepEqual(descAttr(begin!, providerAttrs('dtrace')!), attr('Stable', 'Stable', 'Common'));
    const [tick] = r.match(desc('profile:::tick-1'));
    assert.deepEqual(descAttr(tick!, providerAttrs('profile')!), attr('Evolving', 'Evolving', 'Common'));
  });
  it('print attributes and argument types as dtrace -lv', () => {
    const r = registry();
    const typed: Probe = { ...r.match(desc('sdt:sched::sched_process_exec'))[0]!, args: { kind: 'none' }, argTypes: [{ native: 'u32' }, { native: 'pid_t' }, { native: 'pid_t' }] };
    const probes = [...r.match(desc('dtrace:::BEGIN')), typed];
    golden('listing-verbose.golden', formatListing(probes, true, (p) => providerAttrs(p.provider)));
  });
});
