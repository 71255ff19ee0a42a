// Runtime: feature detection answers match what this kernel can do, and probing leaks nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectFeatures, FEATURES, NotSupportedError, requireFeature, vmlinuxFuncId, listEvents, syscallNames, eventFormat, eventId, tracefsRoot, possibleCpus, onlineCpus } from '../../../src/kernel/index.js';
import { openFdCount, runtimeSkip } from '../util.js';

const skip = runtimeSkip();

test('detectFeatures probes every feature without leaking fds', { skip }, () => {
  const base = openFdCount();
  const f = detectFeatures();
  assert.deepEqual(Object.keys(f).sort(), [...FEATURES].sort());
  for (const name of FEATURES) assert.equal(typeof f[name].reason, 'string');
  // What every supported kernel (and this VM) has.
  assert.equal(f.bpf.available, true);
  assert.equal(f.ringbuf.available, true);
  assert.equal(f.rawTracepointTestRun.available, true);
  assert.equal(f.uprobe.available, true);
  assert.equal(openFdCount(), base);
  for (const name of FEATURES) {
    if (f[name].available) requireFeature(name);
    else assert.throws(() => requireFeature(name), (e: unknown) => e instanceof NotSupportedError && e.reason === f[name].reason);
  }
  console.log(Object.entries(f).map(([k, v]) => `${k}: ${v.available ? 'yes' : 'no'} (${v.reason})`).join('\n'));
});

test('vmlinux BTF lookup finds kernel functions by name', { skip }, () => {
  const id = vmlinuxFuncId('vfs_read');
  assert.ok(id !== undefined && id > 0);
  assert.equal(vmlinuxFuncId('no_such_function_xyz'), undefined);
});

test('tracefs: ids, formats, event lists', { skip }, () => {
  const root = tracefsRoot();
  assert.match(root, /tracing$/);
  const id = eventId('syscalls', 'sys_enter_openat');
  assert.ok(id > 0);
  const fmt = eventFormat('syscalls', 'sys_enter_openat');
  assert.equal(fmt.id, id);
  assert.deepEqual(fmt.fields.filter((x) => !x.common).map((x) => x.name), ['__syscall_nr', 'dfd', 'filename', 'flags', 'mode']);
  assert.throws(() => eventId('syscalls', 'sys_enter_nonexistent'), /no such tracepoint/);
  const sched = listEvents('sched');
  assert.ok(sched.some((e) => e.event === 'sched_switch'));
  const names = syscallNames();
  assert.ok(names.includes('openat') && names.includes('getpid'));
  assert.ok(listEvents().length >= sched.length);
});

test('cpu sets', { skip }, () => {
  assert.ok(possibleCpus().length >= 1);
  assert.ok(onlineCpus().every((c) => possibleCpus().includes(c)));
});
