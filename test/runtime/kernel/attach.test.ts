// Runtime: attach real programs (tracepoint → ring buffer, profile perf event,
// raw tracepoint, uprobe) and observe their effects; kprobe/fentry must fail
// with NotSupportedError where the kernel lacks them.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  attachFentry, attachKprobe, attachPerfEvent, attachPerfEventPerCpu, attachRawTracepoint, attachTracepoint, attachUprobe, BpfMap, BpfProgram,
  getpid, hasFeature, MapType, NotSupportedError, PerfSwConfig, PerfType, ProgType, ResourceScope, RingBufReader,
  RingbufFlags, onlineCpus,
} from '../../../src/kernel/index.js';
import { Helper, I, program, R0, R1, R2, R3, R4, R6, R10 } from '../../../src/kernel/insn.js';
import { openFdCount, runtimeSkip } from '../util.js';

const skip = runtimeSkip();

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

test('tracepoint syscalls:sys_enter_getpid writes pid/tgid + timestamp into a ring buffer', { skip }, async () => {
  const base = openFdCount();
  const scope = new ResourceScope();
  const rb = scope.add(BpfMap.create({ name: 'test_rb', type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 1 << 16 }));
  const insns = program(
    I.call(Helper.get_current_pid_tgid),
    I.stx('dw', R10, -16, R0),
    I.call(Helper.ktime_get_ns),
    I.stx('dw', R10, -8, R0),
    I.ldMapFd(R1, rb.fd),
    I.mov(R2, R10),
    I.addImm(R2, -16),
    I.movImm(R3, 16),
    I.movImm(R4, 0), // wake the reader: this test also exercises wait()
    I.call(Helper.ringbuf_output),
    I.movImm(R0, 0),
    I.exit(),
  );
  const prog = scope.add(BpfProgram.load({ name: 'tp_getpid', type: ProgType.TRACEPOINT, insns, license: 'GPL' }));
  const reader = scope.add(new RingBufReader(rb));
  const link = scope.add(attachTracepoint(prog, 'syscalls', 'sys_enter_getpid'));

  const woke = reader.wait(5000);
  const before = process.hrtime.bigint();
  const fired = new Promise<void>((resolve) => setTimeout(() => (getpid(), resolve()), 20));
  assert.equal(await woke, true, 'epoll reports the ring readable');
  await fired; // another process's getpid may have woken us first
  for (let i = 0; i < 3; i++) getpid();

  const mine: Array<{ tid: number; ts: bigint }> = [];
  const n = reader.consume((dv, off, len) => {
    assert.equal(len, 16);
    const pidTgid = dv.getBigUint64(off, true);
    if (Number(pidTgid >> 32n) === process.pid) mine.push({ tid: Number(pidTgid & 0xffffffffn), ts: dv.getBigUint64(off + 8, true) });
  });
  assert.ok(n >= 4, `consumed ${n} records`);
  // At least one record per getpid() of ours (Node itself may call getpid too).
  assert.ok(mine.length >= 4, `one record per getpid() of ours, got ${mine.length}`);
  assert.ok(mine.every((r) => r.ts >= before - 1_000_000_000n), 'timestamps are monotonic-clock ns');
  assert.equal(reader.pending(), 0);
  assert.equal(reader.consume(() => assert.fail('no more records')), 0);

  link.close();
  getpid();
  assert.equal(reader.consume(() => {}), 0, 'detached: getpid no longer fires');
  scope.closeAll();
  assert.equal(openFdCount(), base);
});

test('ring buffer reader skips discarded records and sees submitted ones', { skip }, () => {
  const base = openFdCount();
  const scope = new ResourceScope();
  const rb = scope.add(BpfMap.create({ name: 'test_rb2', type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 4096 }));
  const insns = program(
    I.ldx('dw', R6, R1, 0), // 0: arg0
    I.ldMapFd(R1, rb.fd), // 1-2
    I.movImm(R2, 16), // 3
    I.movImm(R3, 0), // 4
    I.call(Helper.ringbuf_reserve), // 5
    I.jeqImm(R0, 0, 9), // 6 → 16
    I.stx('dw', R0, 0, R6), // 7
    I.stx('dw', R0, 8, R6), // 8
    I.mov(R1, R0), // 9
    I.movImm(R2, RingbufFlags.NO_WAKEUP), // 10
    I.andImm(R6, 1), // 11
    I.jeqImm(R6, 0, 2), // 12 → 15
    I.call(Helper.ringbuf_discard), // 13
    I.ja(1), // 14 → 16
    I.call(Helper.ringbuf_submit), // 15
    I.movImm(R0, 0), // 16
    I.exit(), // 17
  );
  const prog = scope.add(BpfProgram.load({ name: 'rb_discard', type: ProgType.RAW_TRACEPOINT, insns, license: 'GPL' }));
  const reader = scope.add(new RingBufReader(rb));
  const seen: bigint[] = [];
  // Several rounds so positions wrap around the 4 KiB ring (records are 24 bytes).
  for (let round = 0; round < 50; round++) {
    for (let v = 1n; v <= 8n; v++) {
      const ctx = Buffer.alloc(8);
      ctx.writeBigUInt64LE(BigInt(round) * 100n + v);
      prog.testRun(ctx, { cpu: 0 });
    }
    reader.consume((dv, off, len) => {
      assert.equal(len, 16);
      assert.equal(dv.getBigUint64(off, true), dv.getBigUint64(off + 8, true));
      seen.push(dv.getBigUint64(off, true));
    });
  }
  assert.equal(seen.length, 200);
  assert.deepEqual(seen.slice(0, 4), [2n, 4n, 6n, 8n]);
  assert.deepEqual(seen.slice(-4), [4902n, 4904n, 4906n, 4908n]);
  scope.closeAll();
  assert.equal(openFdCount(), base);
});

test('profile-style perf event on CPU 0 counts samples into an array map', { skip }, async () => {
  const base = openFdCount();
  const scope = new ResourceScope();
  const m = counterMap(scope, 'test_prof');
  const prog = scope.add(BpfProgram.load({ name: 'profile_cpu0', type: ProgType.PERF_EVENT, insns: counterInsns(m.fd), license: 'GPL' }));
  scope.add(attachPerfEvent(prog, { type: PerfType.SOFTWARE, config: PerfSwConfig.CPU_CLOCK, samplePeriod: 1_000_000n, cpu: 0 }));
  await sleep(300);
  const c = count(m);
  assert.ok(c > 10n, `expected samples at ~1 kHz for 300 ms, got ${c}`);
  scope.closeAll();
  assert.equal(openFdCount(), base);
});

test('frequency-based perf events on every online CPU, as one Link', { skip }, async () => {
  const base = openFdCount();
  const scope = new ResourceScope();
  const m = counterMap(scope, 'test_freq');
  const prog = scope.add(BpfProgram.load({ name: 'profile_hz', type: ProgType.PERF_EVENT, insns: counterInsns(m.fd), license: 'GPL' }));
  const link = scope.add(attachPerfEventPerCpu(prog, { type: PerfType.SOFTWARE, config: PerfSwConfig.CPU_CLOCK, sampleFreq: 997 }));
  assert.equal(openFdCount(), base + 2 + 2 * onlineCpus().length, 'a perf event + link fd per CPU');
  await sleep(200);
  assert.ok(count(m) > 0n);
  link.close();
  assert.equal(link.closed, true);
  scope.closeAll();
  assert.equal(openFdCount(), base);
});

test('raw tracepoint sys_enter fires on our system calls', { skip }, () => {
  const base = openFdCount();
  const scope = new ResourceScope();
  const m = counterMap(scope, 'test_rawtp');
  const prog = scope.add(BpfProgram.load({ name: 'rawtp_enter', type: ProgType.RAW_TRACEPOINT, insns: counterInsns(m.fd), license: 'GPL' }));
  const link = scope.add(attachRawTracepoint(prog, 'sys_enter'));
  for (let i = 0; i < 10; i++) getpid();
  assert.ok(count(m) >= 10n);
  link.close();
  scope.closeAll();
  assert.equal(openFdCount(), base);
});

/** File offset of a dynamic symbol in an ELF64 shared object (enough ELF for this test). */
function elfSymbolOffset(path: string, name: string): bigint {
  const b = readFileSync(path);
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const sh = (i: number) => shoff + i * shentsize;
  for (let i = 0; i < shnum; i++) {
    if (b.readUInt32LE(sh(i) + 4) !== 11) continue; // SHT_DYNSYM
    const off = Number(b.readBigUInt64LE(sh(i) + 24));
    const size = Number(b.readBigUInt64LE(sh(i) + 32));
    const strOff = Number(b.readBigUInt64LE(sh(b.readUInt32LE(sh(i) + 40)) + 24));
    for (let s = off; s < off + size; s += 24) {
      const nm = strOff + b.readUInt32LE(s);
      if (b.toString('latin1', nm, b.indexOf(0, nm)) !== name) continue;
      const vaddr = b.readBigUInt64LE(s + 8);
      const phoff = Number(b.readBigUInt64LE(0x20));
      for (let p = 0; p < b.readUInt16LE(0x38); p++) {
        const ph = phoff + p * b.readUInt16LE(0x36);
        if (b.readUInt32LE(ph) !== 1) continue; // PT_LOAD
        const pOff = b.readBigUInt64LE(ph + 8);
        const pVaddr = b.readBigUInt64LE(ph + 16);
        const pFilesz = b.readBigUInt64LE(ph + 32);
        if (vaddr >= pVaddr && vaddr < pVaddr + pFilesz) return vaddr - pVaddr + pOff;
      }
    }
  }
  throw new Error(`${name} not found in ${path}`);
}

test('uprobe on libc getpid() in this process', { skip }, () => {
  const base = openFdCount();
  const require = createRequire(import.meta.url);
  const koffi = require('koffi') as { load(p: string): { func(d: string): () => number } };
  const libcGetpid = koffi.load('libc.so.6').func('int getpid(void)');
  libcGetpid(); // ensure libc is mapped (it is: koffi links it)
  const libcPath = readFileSync('/proc/self/maps', 'latin1').split('\n').map((l) => l.split(/\s+/)[5] ?? '').find((p) => /\/libc\.so\.6$|\/libc-[\d.]+\.so$/.test(p));
  assert.ok(libcPath, 'libc mapped');
  const off = elfSymbolOffset(libcPath, 'getpid');
  const scope = new ResourceScope();
  const m = counterMap(scope, 'test_uprobe');
  const prog = scope.add(BpfProgram.load({ name: 'uprobe_getpid', type: ProgType.KPROBE, insns: counterInsns(m.fd), license: 'GPL' }));
  const link = scope.add(attachUprobe(prog, libcPath, off, false, process.pid));
  const before = count(m);
  for (let i = 0; i < 5; i++) libcGetpid();
  assert.ok(count(m) - before >= 5n, `uprobe hits: ${count(m) - before}`);
  link.close();
  const after = count(m);
  libcGetpid();
  assert.equal(count(m), after, 'detached');
  scope.closeAll();
  assert.equal(openFdCount(), base);
});

test('kprobe attach: works, or NotSupportedError when the kernel lacks kprobes', { skip }, () => {
  const base = openFdCount();
  const scope = new ResourceScope();
  const m = counterMap(scope, 'test_kprobe');
  if (!hasFeature('kprobe')) {
    const prog = scope.add(BpfProgram.load({ name: 'kp', type: ProgType.SOCKET_FILTER, insns: program(I.movImm(R0, 0), I.exit()), license: 'GPL' }));
    assert.throws(() => attachKprobe(prog, 'do_nanosleep'), (e: unknown) => e instanceof NotSupportedError && e.feature === 'kprobe');
  } else {
    const prog = scope.add(BpfProgram.load({ name: 'kp', type: ProgType.KPROBE, insns: counterInsns(m.fd), license: 'GPL' }));
    scope.add(attachKprobe(prog, '__x64_sys_getpid'));
    getpid();
    assert.ok(count(m) >= 1n);
  }
  scope.closeAll();
  assert.equal(openFdCount(), base);
});

test('fentry: NotSupportedError where tracing programs cannot load', { skip: skip || hasFeature('fentry') }, () => {
  assert.throws(
    () => BpfProgram.load({ name: 'fe', type: ProgType.TRACING, expectedAttachType: 24, attachBtfId: 1, insns: program(I.movImm(R0, 0), I.exit()), license: 'GPL' }),
    (e: unknown) => e instanceof NotSupportedError,
  );
  const p = BpfProgram.load({ name: 'notracing', type: ProgType.RAW_TRACEPOINT, insns: program(I.movImm(R0, 0), I.exit()), license: 'GPL' });
  assert.throws(() => attachFentry(p), TypeError);
  p.close();
});

test('ring buffer wait(): times out on an empty ring, and close() during a wait is safe', { skip }, async () => {
  const base = openFdCount();
  const rb = BpfMap.create({ name: 'test_rb3', type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 4096 });
  const reader = new RingBufReader(rb);
  const t0 = Date.now();
  assert.equal(await reader.wait(100), false);
  assert.ok(Date.now() - t0 >= 90, 'waited for the timeout');
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const pending = reader.wait(200);
  await sleep(60);
  clearInterval(timer);
  assert.ok(ticks >= 3, 'the event loop keeps running during wait()');
  reader.close();
  assert.equal(reader.consume(() => assert.fail()), 0);
  assert.equal(await pending, false);
  assert.equal(await reader.wait(10), false);
  rb.close();
  assert.equal(openFdCount(), base, 'epoll fd closed once the in-flight wait returned');
});
