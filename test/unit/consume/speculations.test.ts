// The consumer's side of speculations: decoding the speculation id of a
// record and SPEC records (src/consume/decode.ts), parking speculative
// records per id until commit( ) or discard( ) with DTrace's specsize
// accounting (src/consume/speculations.ts), and DTrace's drop messages
// (src/output/drops.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hdr, RecKind, SpecRec, SpecState } from '../../../src/layout/memory.js';
import type { StatementRecord } from '../../../src/layout/records.js';
import { decodeRecord } from '../../../src/consume/decode.js';
import { SpeculativeBuffers, type DataRecord } from '../../../src/consume/speculations.js';
import { formatDrop } from '../../../src/output/drops.js';

const layout: StatementRecord[] = [{ stid: 0, size: 24, items: [{ kind: 'trace', value: { offset: 16, kind: 'int', size: 8, signed: true } }] }];

function view(b: Buffer): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function dataRecord(spec: number, value: bigint): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(7, Hdr.prid);
  b.writeUInt16LE(RecKind.DATA, Hdr.kind);
  b.writeUInt16LE(spec, Hdr.spec);
  b.writeBigInt64LE(value, 16);
  return b;
}

describe('decodeRecord: speculations', () => {
  it('a record written while speculating carries its speculation id', () => {
    const d = decodeRecord(view(dataRecord(3, 42n)), 0, layout);
    assert.equal(d.kind, 'data');
    assert.equal(d.kind === 'data' ? d.spec : undefined, 3);
  });

  it('an ordinary record has none', () => {
    const d = decodeRecord(view(dataRecord(0, 42n)), 0, layout);
    assert.equal(d.kind === 'data' && d.spec, undefined);
  });

  for (const [state, op] of [[SpecState.COMMITTING, 'commit'], [SpecState.DISCARDING, 'discard']] as const) {
    it(`a SPEC record is a ${op}( ) of its id`, () => {
      const b = Buffer.alloc(SpecRec.size);
      b.writeUInt32LE(5, Hdr.prid);
      b.writeUInt32LE(2, Hdr.stid);
      b.writeUInt32LE(1, Hdr.cpu);
      b.writeUInt32LE(RecKind.SPEC, Hdr.kind);
      b.writeUInt32LE(4, SpecRec.id);
      b.writeUInt32LE(state, SpecRec.op);
      assert.deepEqual(decodeRecord(view(b), 0, layout), { kind: 'spec', prid: 5, stid: 2, cpu: 1, id: 4, op });
    });
  }
});

const rec = (spec: number, n: number): DataRecord & { spec: number } => ({ kind: 'data', prid: 1, stid: 0, cpu: 0, items: [{ kind: 'trace', value: { kind: 'int', value: BigInt(n), size: 8, signed: true } }], spec });

describe('SpeculativeBuffers', () => {
  it('commit releases the records of its speculation in the order they came', () => {
    const b = new SpeculativeBuffers(1 << 20);
    b.park(rec(1, 1), 24);
    b.park(rec(2, 2), 24);
    b.park(rec(1, 3), 24);
    assert.deepEqual(b.release(1, 'commit').map((r) => r.items[0]), [rec(1, 1).items[0], rec(1, 3).items[0]]);
    assert.equal(b.size(1), 0);
    assert.equal(b.size(2), 1);
  });

  it('discard drops them', () => {
    const b = new SpeculativeBuffers(1 << 20);
    b.park(rec(1, 1), 24);
    assert.deepEqual(b.release(1, 'discard'), []);
    assert.deepEqual(b.release(1, 'commit'), []);
  });

  it('an id used again starts empty', () => {
    const b = new SpeculativeBuffers(1 << 20);
    b.park(rec(1, 1), 24);
    b.release(1, 'discard');
    b.park(rec(1, 2), 24);
    assert.deepEqual(b.release(1, 'commit').map((r) => r.items[0]), [rec(1, 2).items[0]]);
  });

  it('a record that would take its speculation past specsize is a speculative drop', () => {
    const b = new SpeculativeBuffers(48);
    b.park(rec(1, 1), 24);
    b.park(rec(1, 2), 24);
    b.park(rec(1, 3), 24);
    b.park(rec(2, 4), 48);
    assert.equal(b.drops, 1n);
    assert.equal(b.size(1), 2);
    assert.equal(b.size(2), 1);
  });
});

describe('speculation drop messages', () => {
  it('are worded as DTrace words them', () => {
    assert.equal(formatDrop('SPEC', 1n, false), 'dtrace: 1 speculative drop\n');
    assert.equal(formatDrop('SPEC', 3n, false), 'dtrace: 3 speculative drops\n');
    assert.equal(formatDrop('SPECBUSY', 1n, false), 'dtrace: 1 failed speculation (available buffer(s) still busy)\n');
    assert.equal(formatDrop('SPECUNAVAIL', 2n, false), 'dtrace: 2 failed speculations (no speculative buffer available)\n');
  });

  it('carry the drop tag under droptags', () => {
    assert.equal(formatDrop('SPEC', 2n, true), 'dtrace: [DTRACEDROP_SPEC] 2 speculative drops\n');
    assert.equal(formatDrop('SPECBUSY', 1n, true), 'dtrace: [DTRACEDROP_SPECBUSY] 1 failed speculation (available buffer(s) still busy)\n');
    assert.equal(formatDrop('SPECUNAVAIL', 1n, true), 'dtrace: [DTRACEDROP_SPECUNAVAIL] 1 failed speculation (no speculative buffer available)\n');
  });
});
