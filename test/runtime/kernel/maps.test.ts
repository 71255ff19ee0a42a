// Runtime: create real maps (array, hash, per-CPU, map-in-map) and round-trip values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BpfMap, MapType, possibleCpuCount, ResourceScope, UpdateFlags, KernelError } from '../../../src/kernel/index.js';
import { openFdCount, runtimeSkip } from '../util.js';

const skip = runtimeSkip();

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
function u64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
}

test('array map round-trips values and iterates all indexes', { skip }, () => {
  const base = openFdCount();
  const m = BpfMap.create({ name: 'test_array', type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 4 });
  assert.ok(m.fd > 2);
  assert.deepEqual(m.lookup(u32(2)), u64(0n), 'array slots start zeroed');
  m.update(u32(2), u64(0x1122334455667788n));
  assert.equal(m.lookup(u32(2))!.readBigUInt64LE(0), 0x1122334455667788n);
  assert.equal(m.lookup(u32(9)), undefined, 'out of range index is absent');
  assert.deepEqual([...m.keys()].map((k) => k.readUInt32LE(0)), [0, 1, 2, 3]);
  assert.throws(() => m.update(u32(7), u64(1n)), (e: unknown) => e instanceof KernelError && e.code === 'E2BIG');
  assert.throws(() => m.update(u32(0), Buffer.alloc(4)), RangeError);
  m.close();
  m.close(); // idempotent
  assert.equal(openFdCount(), base);
});

test('hash map: insert, lookup, flags, delete, iterate', { skip }, () => {
  const base = openFdCount();
  const m = BpfMap.create({ name: 'test-hash with junk name!', type: MapType.HASH, keySize: 8, valueSize: 16, maxEntries: 64 });
  for (let i = 1n; i <= 10n; i++) m.update(u64(i), Buffer.concat([u64(i * 10n), u64(i * 100n)]));
  assert.equal(m.lookup(u64(7n))!.readBigUInt64LE(8), 700n);
  assert.equal(m.lookup(u64(11n)), undefined);
  assert.throws(() => m.update(u64(1n), Buffer.alloc(16), UpdateFlags.NOEXIST), (e: unknown) => e instanceof KernelError && e.code === 'EEXIST');
  assert.equal(m.delete(u64(3n)), true);
  assert.equal(m.delete(u64(3n)), false);
  const keys = [...m.keys()].map((k) => k.readBigUInt64LE(0)).sort((a, b) => Number(a - b));
  assert.deepEqual(keys, [1n, 2n, 4n, 5n, 6n, 7n, 8n, 9n, 10n]);
  // Lookups while iterating must not disturb the iteration cursor.
  let n = 0;
  for (const k of m.keys()) {
    assert.ok(m.lookup(u64(99n)) === undefined);
    assert.ok(m.lookup(k));
    n++;
  }
  assert.equal(n, 9);
  assert.equal(m.entries().length, 9);
  m.close();
  assert.equal(openFdCount(), base);
});

test('per-CPU array and hash: one slot per possible CPU', { skip }, () => {
  const base = openFdCount();
  const ncpu = possibleCpuCount();
  const scope = new ResourceScope();
  const pa = scope.add(BpfMap.create({ name: 'test_pcpu_arr', type: MapType.PERCPU_ARRAY, keySize: 4, valueSize: 4, maxEntries: 2 }));
  assert.equal(pa.ncpus, ncpu);
  assert.equal(pa.valueBytes, 8 * ncpu, 'values are rounded up to 8 bytes per CPU');
  pa.updatePerCpu(u32(1), Array.from({ length: ncpu }, (_, c) => u32(100 + c)));
  const slots = pa.lookupPerCpu(u32(1));
  assert.equal(slots.length, ncpu);
  slots.forEach((s, c) => assert.equal(s.readUInt32LE(0), 100 + c));

  const ph = scope.add(BpfMap.create({ name: 'test_pcpu_hash', type: MapType.PERCPU_HASH, keySize: 4, valueSize: 8, maxEntries: 8 }));
  assert.deepEqual(ph.lookupPerCpu(u32(5)), []);
  const all = Buffer.alloc(ph.valueBytes);
  for (let c = 0; c < ncpu; c++) all.writeBigUInt64LE(BigInt(c + 1), c * 8);
  ph.update(u32(5), all);
  assert.deepEqual(ph.lookup(u32(5)), all);
  assert.deepEqual(ph.lookupPerCpu(u32(5)).map((b) => b.readBigUInt64LE(0)), Array.from({ length: ncpu }, (_, c) => BigInt(c + 1)));
  scope.closeAll();
  assert.equal(openFdCount(), base);
});

test('array of maps from an inner map template', { skip }, () => {
  const base = openFdCount();
  const outer = BpfMap.create({
    name: 'test_outer', type: MapType.ARRAY_OF_MAPS, keySize: 4, valueSize: 4, maxEntries: 2,
    innerMap: { name: 'test_inner', type: MapType.HASH, keySize: 4, valueSize: 8, maxEntries: 4 },
  });
  const inner = BpfMap.create({ name: 'test_inner2', type: MapType.HASH, keySize: 4, valueSize: 8, maxEntries: 4 });
  outer.update(u32(0), u32(inner.fd));
  // Reading an outer slot returns the inner map's id (non-zero), not an fd.
  assert.ok(outer.lookup(u32(0))!.readUInt32LE(0) > 0);
  inner.close();
  outer.close();
  assert.equal(openFdCount(), base);
});

test('ring buffer map can be created', { skip }, () => {
  const m = BpfMap.create({ name: 'test_rb', type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: 1 << 16 });
  assert.equal(m.maxEntries, 65536);
  m.close();
});

test('entries(): batch snapshot matches one-by-one iteration (hash, per-CPU hash, array)', { skip }, () => {
  const base = openFdCount();
  const scope = new ResourceScope();
  const h = scope.add(BpfMap.create({ name: 'test_snap', type: MapType.HASH, keySize: 12, valueSize: 8, maxEntries: 5000 }));
  for (let i = 0; i < 3000; i++) {
    const k = Buffer.alloc(12);
    k.writeUInt32LE(i, 4);
    h.update(k, u64(BigInt(i) * 3n));
  }
  const snap = h.entries();
  assert.equal(snap.length, 3000);
  const byKey = new Map(snap.map(([k, v]) => [k.readUInt32LE(4), v.readBigUInt64LE(0)]));
  assert.equal(byKey.size, 3000);
  for (let i = 0; i < 3000; i += 97) assert.equal(byKey.get(i), BigInt(i) * 3n);

  const ph = scope.add(BpfMap.create({ name: 'test_snap_pc', type: MapType.PERCPU_HASH, keySize: 4, valueSize: 8, maxEntries: 100 }));
  for (let i = 0; i < 50; i++) ph.updatePerCpu(u32(i), Array.from({ length: ph.ncpus }, (_, c) => u64(BigInt(i * 10 + c))));
  const ps = ph.entries();
  assert.equal(ps.length, 50);
  for (const [k, v] of ps) {
    assert.equal(v.length, ph.valueBytes);
    assert.equal(v.readBigUInt64LE(8 * (ph.ncpus - 1)), BigInt(k.readUInt32LE(0) * 10 + ph.ncpus - 1));
  }

  const a = scope.add(BpfMap.create({ name: 'test_snap_arr', type: MapType.ARRAY, keySize: 4, valueSize: 4, maxEntries: 10 }));
  a.update(u32(3), u32(33));
  const as = a.entries();
  assert.equal(as.length, 10);
  assert.equal(as[3]![1].readUInt32LE(0), 33);
  scope.closeAll();
  assert.equal(openFdCount(), base);
});
