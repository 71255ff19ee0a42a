// Runtime, guest only: what this project's CI host forbids (kprobes,
// fentry/fexit, bpf_probe_write_user) works on a kernel that allows it. On
// such a host these tests are skipped with a reason; `npm run test:vm` runs
// them in a QEMU guest (test/vm/), where they never skip. fbt and copyout
// tests join them by calling needsSkip() (or a `needs:` line in a .d case).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  AttachType, attachFentry, attachKprobe, BpfMap, BpfProgram, detectFeatures, getpid, MapType, ProgType, ResourceScope, vmlinuxFuncId,
} from '../../../src/kernel/index.js';
import { Helper, I, program, R0, R1, R2, R10 } from '../../../src/kernel/insn.js';
import { IN_VM, needsSkip, openFdCount } from '../util.js';

/** Program body: *(u64 *)map[0] += 1. */
function counterInsns(mapFd: number): Uint8Array {
  return program(
    I.st('w', R10, -4, 0), I.ldMapFd(R1, mapFd), I.mov(R2, R10), I.addImm(R2, -4), I.call(Helper.map_lookup_elem),
    I.jeqImm(R0, 0, 2), I.movImm(R1, 1), I.atomicAdd64(R0, 0, R1), I.movImm(R0, 0), I.exit(),
  );
}

function counterMap(scope: ResourceScope, name: string): BpfMap {
  return scope.add(BpfMap.create({ name, type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 }));
}

const count = (m: BpfMap): bigint => m.lookup(Buffer.alloc(4))!.readBigUInt64LE(0);

/** The entry point of getpid(2) on x86-64, which every kernel since 4.17 names so. */
const GETPID = '__x64_sys_getpid';

test('feature probes report kprobes, fentry/fexit and bpf_probe_write_user', { skip: needsSkip('kprobe', 'fentry', 'probeWriteUser') }, () => {
  const f = detectFeatures();
  console.log(`${IN_VM ? 'guest' : 'host'}: ${Object.entries(f).map(([k, v]) => `${k}=${v.available ? 'yes' : 'no'}`).join(' ')}`);
  for (const name of ['kprobe', 'fentry', 'probeWriteUser', 'uprobe', 'ringbuf', 'bpfLoop'] as const) {
    assert.equal(f[name].available, true, `${name}: ${f[name].reason}`);
  }
});

for (const retprobe of [false, true]) {
  const kind = retprobe ? 'kretprobe' : 'kprobe';
  test(`${kind} on ${GETPID} counts getpid() calls`, { skip: needsSkip('kprobe') }, () => {
    const base = openFdCount();
    const scope = new ResourceScope();
    const m = counterMap(scope, `test_${kind}`);
    const prog = scope.add(BpfProgram.load({ name: kind, type: ProgType.KPROBE, insns: counterInsns(m.fd), license: 'GPL' }));
    const link = scope.add(attachKprobe(prog, GETPID, { retprobe }));
    for (let i = 0; i < 5; i++) getpid();
    assert.ok(count(m) >= 5n, `${kind} hits: ${count(m)}`);
    link.close();
    scope.closeAll();
    assert.equal(openFdCount(), base);
  });
}

// Syscall wrappers such as __x64_sys_getpid have no BTF on 6.1; vfs_read has on every kernel with BTF.
for (const [kind, at] of [['fentry', AttachType.TRACE_FENTRY], ['fexit', AttachType.TRACE_FEXIT]] as const) {
  test(`${kind} on vfs_read (attach id from vmlinux BTF) counts read() calls`, { skip: needsSkip('fentry') }, () => {
    const base = openFdCount();
    const id = vmlinuxFuncId('vfs_read');
    assert.ok(id !== undefined, 'vfs_read is in vmlinux BTF');
    const scope = new ResourceScope();
    const m = counterMap(scope, `test_${kind}`);
    const prog = scope.add(BpfProgram.load({
      name: kind, type: ProgType.TRACING, expectedAttachType: at, attachBtfId: id, insns: counterInsns(m.fd), license: 'GPL',
    }));
    const link = scope.add(attachFentry(prog));
    for (let i = 0; i < 5; i++) readFileSync('/proc/self/stat');
    assert.ok(count(m) >= 5n, `${kind} hits: ${count(m)}`);
    link.close();
    scope.closeAll();
    assert.equal(openFdCount(), base);
  });
}
