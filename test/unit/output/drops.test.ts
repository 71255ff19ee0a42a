// Drop reports (src/output/drops.ts) as dtrace(1) words them, and the
// principal buffers kept for bufpolicy ring and fill (src/consume/retain.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DROPS, formatDrop, type DropKind } from '../../../src/output/drops.js';
import { RetainedRecords } from '../../../src/consume/retain.js';
import { DTRACE_PROBE_IDS, Hdr, ringFootprint } from '../../../src/layout/memory.js';

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
    const each = ringFootprint(24);
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
    const r = new RetainedRecords(10 * ringFootprint(24));
    for (let i = 0; i < 100_000; i++) {
      const a = rec(100, i % 2, i & 0xff);
      r.add(a.v, a.u8, 0, 24);
    }
    assert.equal(r.inOrder().length, 20);
  });
});
