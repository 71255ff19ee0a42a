// Unit: bpf_attr / perf_event_attr / epoll_event encodings at the kernel's offsets
// (offsets cross-checked with offsetof() against <linux/bpf.h>).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AttachType, encodeBtfLoad, encodeEpollEvent, encodeLinkCreate, encodeMapCreate, encodeMapElem, encodePerfEventAttr,
  encodeProgLoad, encodeRawTracepointOpen, encodeTestRun, decodeTestRun, isPerCpuMap, MapType, PerfAttrFlag,
  PerfIoctl, PerfType, ProgType, sanitizeObjName, TestRunFlags,
} from '../../../src/kernel/attrs.js';

test('MAP_CREATE layout', () => {
  const b = encodeMapCreate({ mapType: MapType.PERCPU_HASH, keySize: 12, valueSize: 24, maxEntries: 1024, mapFlags: 1, innerMapFd: 9, name: 'aggs', btfFd: 3 });
  assert.equal(b.length, 72);
  assert.equal(b.readUInt32LE(0), 5);
  assert.equal(b.readUInt32LE(4), 12);
  assert.equal(b.readUInt32LE(8), 24);
  assert.equal(b.readUInt32LE(12), 1024);
  assert.equal(b.readUInt32LE(16), 1);
  assert.equal(b.readUInt32LE(20), 9);
  assert.equal(b.toString('latin1', 28, 32), 'aggs');
  assert.equal(b[32], 0);
  assert.equal(b.readUInt32LE(48), 3);
});

test('object names: sanitized, at most 15 chars, NUL-terminated in the attr', () => {
  assert.equal(sanitizeObjName('dtrace:syscall::read:entry'), 'dtrace_syscall_');
  assert.equal(sanitizeObjName('ok_name.1'), 'ok_name.1');
  const b = encodeMapCreate({ mapType: 1, keySize: 4, valueSize: 4, maxEntries: 1, name: 'a-very-long-map-name-indeed' });
  assert.equal(b.toString('latin1', 28, 43), 'a_very_long_map');
  assert.equal(b[43], 0);
});

test('map element ops share one layout (value doubles as next_key)', () => {
  const b = Buffer.alloc(32, 0xff);
  encodeMapElem(b, 7, 0x1000n, 0x2000n, 2);
  assert.equal(b.readUInt32LE(0), 7);
  assert.equal(b.readUInt32LE(4), 0, 'padding cleared');
  assert.equal(b.readBigUInt64LE(8), 0x1000n);
  assert.equal(b.readBigUInt64LE(16), 0x2000n);
  assert.equal(b.readBigUInt64LE(24), 2n);
});

test('PROG_LOAD layout', () => {
  const b = encodeProgLoad({
    progType: ProgType.RAW_TRACEPOINT, insnCnt: 3, insns: 0xaaaan, license: 0xbbbbn, logLevel: 1, logSize: 4096, logBuf: 0xccccn,
    name: 'clause', expectedAttachType: AttachType.TRACE_FENTRY, progBtfFd: 5, funcInfoRecSize: 8, funcInfo: 0xddddn, funcInfoCnt: 2,
    attachBtfId: 777,
  });
  assert.equal(b.length, 144);
  assert.equal(b.readUInt32LE(0), 17);
  assert.equal(b.readUInt32LE(4), 3);
  assert.equal(b.readBigUInt64LE(8), 0xaaaan);
  assert.equal(b.readBigUInt64LE(16), 0xbbbbn);
  assert.equal(b.readUInt32LE(24), 1);
  assert.equal(b.readUInt32LE(28), 4096);
  assert.equal(b.readBigUInt64LE(32), 0xccccn);
  assert.equal(b.toString('latin1', 48, 54), 'clause');
  assert.equal(b.readUInt32LE(68), 24);
  assert.equal(b.readUInt32LE(72), 5);
  assert.equal(b.readUInt32LE(76), 8);
  assert.equal(b.readBigUInt64LE(80), 0xddddn);
  assert.equal(b.readUInt32LE(88), 2);
  assert.equal(b.readUInt32LE(108), 777);
});

test('PROG_TEST_RUN layout and result decoding', () => {
  const b = encodeTestRun({ progFd: 4, ctxIn: 0x1234n, ctxSizeIn: 16, flags: TestRunFlags.RUN_ON_CPU, cpu: 3, repeat: 0 });
  assert.equal(b.length, 80);
  assert.equal(b.readUInt32LE(0), 4);
  assert.equal(b.readUInt32LE(40), 16);
  assert.equal(b.readBigUInt64LE(48), 0x1234n);
  assert.equal(b.readUInt32LE(64), 1);
  assert.equal(b.readUInt32LE(68), 3);
  b.writeUInt32LE(42, 4);
  b.writeUInt32LE(99, 36);
  assert.deepEqual(decodeTestRun(b), { retval: 42, durationNs: 99 });
});

test('LINK_CREATE layout: perf-event cookie vs tracing target/cookie', () => {
  const p = encodeLinkCreate({ progFd: 3, targetFd: 8, attachType: AttachType.PERF_EVENT, cookie: 0x55n });
  assert.deepEqual([p.readUInt32LE(0), p.readUInt32LE(4), p.readUInt32LE(8)], [3, 8, 41]);
  assert.equal(p.readBigUInt64LE(16), 0x55n);
  const t = encodeLinkCreate({ progFd: 3, targetFd: 0, attachType: AttachType.TRACE_FENTRY, targetBtfId: 12, cookie: 0x66n });
  assert.equal(t.readUInt32LE(16), 12);
  assert.equal(t.readBigUInt64LE(24), 0x66n);
});

test('RAW_TRACEPOINT_OPEN and BTF_LOAD layouts', () => {
  const r = encodeRawTracepointOpen(0xabcn, 6);
  assert.equal(r.readBigUInt64LE(0), 0xabcn);
  assert.equal(r.readUInt32LE(8), 6);
  const b = encodeBtfLoad(0x10n, 100, 0x20n, 4096, 1);
  assert.deepEqual([b.readBigUInt64LE(0), b.readBigUInt64LE(8), b.readUInt32LE(16), b.readUInt32LE(20), b.readUInt32LE(24)], [0x10n, 0x20n, 100, 4096, 1]);
});

test('perf_event_attr: size 128, period vs freq, flags word, config1/2', () => {
  const a = encodePerfEventAttr({ type: PerfType.TRACEPOINT, config: 782n, samplePeriod: 1n, wakeupEvents: 1, flags: PerfAttrFlag.disabled });
  assert.equal(a.length, 128);
  assert.equal(a.readUInt32LE(0), 2);
  assert.equal(a.readUInt32LE(4), 128);
  assert.equal(a.readBigUInt64LE(8), 782n);
  assert.equal(a.readBigUInt64LE(16), 1n);
  assert.equal(a.readBigUInt64LE(40), 1n);
  assert.equal(a.readUInt32LE(48), 1);
  const f = encodePerfEventAttr({ type: PerfType.SOFTWARE, config: 0n, sampleFreq: 997 });
  assert.equal(f.readBigUInt64LE(16), 997n);
  assert.equal(f.readBigUInt64LE(40), 1n << 10n, 'freq bit set');
  const u = encodePerfEventAttr({ type: 8, config: 1n, config1: 0x7000n, config2: 0x1234n });
  assert.equal(u.readBigUInt64LE(56), 0x7000n);
  assert.equal(u.readBigUInt64LE(64), 0x1234n);
});

test('ioctl numbers and epoll_event packing', () => {
  assert.equal(PerfIoctl.ENABLE, 0x2400);
  assert.equal(PerfIoctl.DISABLE, 0x2401);
  assert.equal(PerfIoctl.SET_BPF, 0x40042408);
  const e = encodeEpollEvent(1, 0x0102030405060708n);
  assert.equal(e.length, 12);
  assert.equal(e.readUInt32LE(0), 1);
  assert.equal(e.readBigUInt64LE(4), 0x0102030405060708n);
});

test('per-CPU map types', () => {
  assert.equal(isPerCpuMap(MapType.PERCPU_ARRAY), true);
  assert.equal(isPerCpuMap(MapType.PERCPU_HASH), true);
  assert.equal(isPerCpuMap(MapType.LRU_PERCPU_HASH), true);
  assert.equal(isPerCpuMap(MapType.HASH), false);
});
