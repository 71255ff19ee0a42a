// Drop reports (src/output/drops.ts) as dtrace(1) words them, and the
// principal buffers kept for bufpolicy ring and fill (src/consume/retain.ts),
// the ring's size and bufresize, and the drop counters the session reports
// (src/session/buffers.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DROPS, formatDrop, type DropKind } from '../../../src/output/drops.js';
import { RetainedRecords } from '../../../src/consume/retain.js';
import { DTRACE_PROBE_IDS, Hdr, MS, principalSize } from '../../../src/layout/memory.js';
import { aggEntrySize, BufferAllocationError, bufsizeFits, DROP_COUNTERS, DropReporter, endReserve, loweredMessage, sizeRing } from '../../../src/session/buffers.js';

describe('drop messages', () => {
  it('per-CPU kinds name the CPU; one drop is singular', () => {
    assert.equal(formatDrop('PRINCIPAL', 1n, false, 0), 'dtrace: 1 drop on CPU 0\n');
    assert.equal(formatDrop('PRINCIPAL', 172n, false, 1), 'dtrace: 172 drops on CPU 1\n');
    assert.equal(formatDrop('AGGREGATION', 4n, false, 1), 'dtrace: 4 aggregation drops on CPU 1\n');
  });
  it('system-wide kinds, with their suffixes after the plural', () => {
    assert.equal(formatDrop('DYNAMIC', 1n, false), 'dtrace: 1 dynamic variable drop\n');
    assert.equal(formatDrop('DYNDIRTY', 3n, false), 'dtrace: 3 dynamic variable drops with non-empty dirty list\n');
    assert.equal(formatDrop('DYNRINSE', 1n, false), 'dtrace: 1 dynamic variable drop with non-empty rinsing list\n');
    assert.equal(formatDrop('SPEC', 2n, false), 'dtrace: 2 speculative drops\n');
    assert.equal(formatDrop('SPECBUSY', 1n, false), 'dtrace: 1 failed speculation (available buffer(s) still busy)\n');
    assert.equal(formatDrop('SPECUNAVAIL', 2n, false), 'dtrace: 2 failed speculations (no speculative buffer available)\n');
    assert.equal(formatDrop('STKSTROVERFLOW', 1n, false), 'dtrace: 1 jstack()/ustack() string table overflow\n');
    assert.equal(formatDrop('DBLERROR', 1n, false), 'dtrace: 1 error in ERROR probe enabling\n');
  });
  it('droptags puts the kind in brackets first', () => {
    assert.equal(formatDrop('DYNAMIC', 1n, true), 'dtrace: [DTRACEDROP_DYNAMIC] 1 dynamic variable drop\n');
    assert.equal(formatDrop('PRINCIPAL', 2n, true, 3), 'dtrace: [DTRACEDROP_PRINCIPAL] 2 drops on CPU 3\n');
  });
  it('every kind has wording', () => {
    for (const k of Object.keys(DROPS) as DropKind[]) assert.match(formatDrop(k, 5n, true, 0), /^dtrace: \[DTRACEDROP_[A-Z]+\] 5 \S/);
  });
});

/** rec makes a record of `len` bytes for probe `prid` on `cpu`, whose byte 16 is `tag`. */
function rec(prid: number, cpu: number, tag: number, len = 24): { v: DataView; u8: Uint8Array } {
  const u8 = new Uint8Array(len);
  const v = new DataView(u8.buffer);
  v.setUint32(Hdr.prid, prid, true);
  v.setUint32(Hdr.cpu, cpu, true);
  u8[16] = tag;
  return { v, u8 };
}

function tags(r: RetainedRecords): number[] {
  return r.inOrder().map((x) => x.u8[x.off + 16]);
}

describe('retained principal buffers', () => {
  it('a ring keeps the newest records that fit in bufsize, per CPU', () => {
    const each = principalSize(24);
    const r = new RetainedRecords(3 * each);
    for (let i = 0; i < 10; i++) {
      const a = rec(100, 0, i);
      r.add(a.v, a.u8, 0, 24);
    }
    const b = rec(100, 1, 50);
    r.add(b.v, b.u8, 0, 24);
    assert.deepEqual(tags(r), [7, 8, 9, 50]);
  });
  it('prints BEGIN first and END last, the rest by CPU', () => {
    const r = new RetainedRecords(Infinity);
    for (const [prid, cpu, tag] of [[100, 1, 1], [DTRACE_PROBE_IDS.END, 0, 2], [100, 0, 3], [DTRACE_PROBE_IDS.BEGIN, 1, 4]]) {
      const a = rec(prid, cpu, tag);
      r.add(a.v, a.u8, 0, 24);
    }
    assert.deepEqual(tags(r), [4, 3, 1, 2]);
  });
  it('copies the record: the ring may reuse its bytes', () => {
    const r = new RetainedRecords(Infinity);
    const a = rec(100, 0, 9);
    r.add(a.v, a.u8, 0, 24);
    a.u8[16] = 0;
    assert.deepEqual(tags(r), [9]);
  });
  it('a long run keeps only what fits', () => {
    const r = new RetainedRecords(10 * principalSize(24));
    for (let i = 0; i < 100_000; i++) {
      const a = rec(100, i % 2, i & 0xff);
      r.add(a.v, a.u8, 0, 24);
    }
    assert.equal(r.inOrder().length, 20);
  });
});

describe('ring sizing and bufresize (session/buffers.ts)', () => {
  it('rounds all CPUs\' buffers to a power of two of at least a page', () => {
    const made: number[] = [];
    assert.deepEqual(sizeRing(1024, 2, 'auto', (n) => made.push(n)), { ring: 4096, bufsize: 1024 });
    assert.deepEqual(sizeRing(3 << 20, 2, 'auto', (n) => made.push(n)), { ring: 8 << 20, bufsize: 3 << 20 });
    assert.deepEqual(made, [4096, 8 << 20]);
  });
  it('auto halves a buffer the kernel refuses, or one larger than RING_MAX; manual refuses', () => {
    const made: number[] = [];
    const r = sizeRing(2 ** 40, 2, 'auto', (n) => { if (n > 1 << 28) throw new Error('ENOMEM'); made.push(n); });
    assert.deepEqual(r, { ring: 1 << 28, bufsize: 1 << 27 });
    assert.throws(() => sizeRing(2 ** 40, 2, 'manual', () => {}), BufferAllocationError);
    assert.throws(() => sizeRing(1 << 20, 2, 'manual', () => { throw new Error('ENOMEM'); }), /ENOMEM/);
  });
  it('says what was lowered as dtrace(1) does', () => {
    assert.equal(loweredMessage('buffer size', 2 ** 40, 1 << 27), 'dtrace: buffer size lowered to 128m\n');
    assert.equal(loweredMessage('buffer size', 2 ** 40, 3 << 10), 'dtrace: buffer size lowered to 3k\n');
    assert.equal(loweredMessage('buffer size', 5000, 1500), 'dtrace: buffer size lowered to 1500 bytes\n');
    // Below 1k the unit is a byte and its letter a blank, as in dtrace(1).
    assert.equal(loweredMessage('buffer size', 5000, 1000), 'dtrace: buffer size lowered to 1000 \n');
    assert.equal(loweredMessage('buffer size', 4 << 20, 4 << 20), undefined);
  });
  it('a principal buffer must hold every record, and DTrace\'s ERROR record', () => {
    const rec = (stid: number, size: number) => ({ stid, size, items: [] });
    assert.equal(bufsizeFits(0, []), false);
    assert.equal(bufsizeFits(59, [rec(0, 20)]), false);
    assert.equal(bufsizeFits(64, [rec(0, 20)]), true);
    assert.equal(bufsizeFits(64, [rec(0, 16 + 65)]), false);
    assert.equal(bufsizeFits(72, [rec(0, 16 + 65)]), true);
  });
  it('aggsize must hold one aggregation entry as DTrace lays it out', () => {
    assert.equal(aggEntrySize(['int'], 1, 256), 40);
    assert.equal(aggEntrySize(['string'], 1, 256), 288);
    assert.equal(aggEntrySize([], 1, 256), 32);
    assert.equal(aggEntrySize(['string', 'int'], 2, 1024), 1024 + 8 + 8 + 16 + 16);
  });
  it('the END reserve of bufpolicy=fill is the room END\'s records take in the ring', () => {
    const rec = (stid: number, size: number) => ({ stid, size, items: [] });
    assert.equal(endReserve([rec(0, 24), rec(1, 81), rec(2, 16)], [1, 2]), principalSize(81) + principalSize(16));
    assert.equal(endReserve([rec(0, 24)], []), 0);
  });
});

describe('drop reports from the kernel counters', () => {
  const state = (counts: Partial<Record<string, number>>): Buffer => {
    const b = Buffer.alloc(MS.size);
    for (const c of DROP_COUNTERS) b.writeBigUInt64LE(BigInt(counts[c.kind] ?? 0), c.off);
    return b;
  };
  it('reports growth since the last report: per-CPU kinds by CPU, the others summed', () => {
    const r = new DropReporter(false);
    assert.deepEqual(r.report([state({}), state({})]), []);
    assert.deepEqual(r.report([state({ PRINCIPAL: 2, DYNAMIC: 1 }), state({ AGGREGATION: 1, DYNAMIC: 2 })]), [
      'dtrace: 2 drops on CPU 0\n', 'dtrace: 1 aggregation drop on CPU 1\n', 'dtrace: 3 dynamic variable drops\n',
    ]);
    assert.deepEqual(r.report([state({ PRINCIPAL: 2, DYNAMIC: 1 }), state({ AGGREGATION: 1, DYNAMIC: 2 })]), []);
    assert.deepEqual(r.report([state({ PRINCIPAL: 3, DYNAMIC: 1, DBLERROR: 1 }), state({ AGGREGATION: 1, DYNAMIC: 2 })]), [
      'dtrace: 1 drop on CPU 0\n', 'dtrace: 1 error in ERROR probe enabling\n',
    ]);
  });
  it('counters kept elsewhere join the system-wide reports in DTrace\'s order', () => {
    const r = new DropReporter(false);
    assert.deepEqual(r.report([state({ DBLERROR: 1, DYNAMIC: 1 })], new Map([['SPEC', 2n]])), [
      'dtrace: 1 dynamic variable drop\n', 'dtrace: 2 speculative drops\n', 'dtrace: 1 error in ERROR probe enabling\n',
    ]);
    assert.deepEqual(r.report([state({ DBLERROR: 1, DYNAMIC: 1 })], new Map([['SPEC', 3n]])), ['dtrace: 1 speculative drop\n']);
  });
  it('droptags tags each message', () => {
    assert.deepEqual(new DropReporter(true).report([state({ DYNAMIC: 1 })]), ['dtrace: [DTRACEDROP_DYNAMIC] 1 dynamic variable drop\n']);
  });
});
