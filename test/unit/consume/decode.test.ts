// The record decoder (src/consume/decode.ts) on hand-built ring-buffer
// bytes: a 16-byte header (prid, stid, cpu, kind as u32 LE, see
// layout/memory.ts Hdr) then values at the offsets of a StatementRecord;
// FAULT records carry pc, code and address; items whose presence flag byte
// is 0 (actions under an `if` that did not run) are skipped.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hdr, RecKind, FaultRec } from '../../../src/layout/memory.js';
import type { Slot, StatementRecord } from '../../../src/layout/records.js';
import { decodeRecord } from '../../../src/consume/decode.js';
import { parseFormat } from '../../../src/format/printf.js';

const i = (offset: number, size: number, signed = true): Slot => ({ offset, kind: 'int', size, signed });
const s = (offset: number, size: number): Slot => ({ offset, kind: 'string', size, signed: false });

/** RecordBytes builds one record in a buffer, optionally at an offset inside a larger "ring". */
class RecordBytes {
  readonly buf: Buffer;
  constructor(readonly size: number, readonly base = 0) {
    this.buf = Buffer.alloc(base + size + 8, 0xee); // garbage around the record
    this.buf.fill(0, base, base + size);
  }
  header(prid: number, stid: number, cpu: number, kind: number): this {
    this.buf.writeUInt32LE(prid, this.base + Hdr.prid);
    this.buf.writeUInt32LE(stid, this.base + Hdr.stid);
    this.buf.writeUInt32LE(cpu, this.base + Hdr.cpu);
    this.buf.writeUInt32LE(kind, this.base + Hdr.kind);
    return this;
  }
  int(off: number, size: number, v: bigint): this {
    const at = this.base + off;
    const u = BigInt.asUintN(size * 8, v);
    for (let k = 0; k < size; k++) this.buf[at + k] = Number((u >> BigInt(8 * k)) & 0xffn);
    return this;
  }
  str(off: number, text: string): this {
    this.buf.write(text, this.base + off, 'latin1');
    return this;
  }
  view(): DataView {
    return new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }
}

describe('decodeRecord: data records', () => {
  const layout: StatementRecord[] = [
    { stid: 0, size: 16, items: [] },
    {
      stid: 1, size: 56, items: [
        { kind: 'trace', value: i(16, 1) },
        { kind: 'trace', value: i(17, 1, false) },
        { kind: 'trace', value: i(18, 2) },
        { kind: 'trace', value: i(20, 4, false) },
        { kind: 'trace', value: i(24, 8) },
        { kind: 'trace', value: i(32, 8, false) },
        { kind: 'trace', value: s(40, 16) },
      ],
    },
  ];

  it('reads the header and integers of each size and sign', () => {
    const r = new RecordBytes(56).header(5, 1, 3, RecKind.DATA)
      .int(16, 1, -1n).int(17, 1, 255n).int(18, 2, -300n).int(20, 4, 0xfffffffen).int(24, 8, -(1n << 40n)).int(32, 8, (1n << 64n) - 1n)
      .str(40, 'hello');
    const d = decodeRecord(r.view(), 0, layout);
    assert.deepEqual(d, {
      kind: 'data', prid: 5, stid: 1, cpu: 3, items: [
        { kind: 'trace', value: { kind: 'int', value: -1n, size: 1, signed: true } },
        { kind: 'trace', value: { kind: 'int', value: 255n, size: 1, signed: false } },
        { kind: 'trace', value: { kind: 'int', value: -300n, size: 2, signed: true } },
        { kind: 'trace', value: { kind: 'int', value: 0xfffffffen, size: 4, signed: false } },
        { kind: 'trace', value: { kind: 'int', value: -(1n << 40n), size: 8, signed: true } },
        { kind: 'trace', value: { kind: 'int', value: (1n << 64n) - 1n, size: 8, signed: false } },
        { kind: 'trace', value: { kind: 'string', value: 'hello', size: 16 } },
      ],
    });
  });

  it('decodes a record at an offset inside a larger buffer', () => {
    const r = new RecordBytes(56, 104).header(9, 1, 0, RecKind.DATA).int(24, 8, 42n).str(40, 'x');
    const d = decodeRecord(r.view(), 104, layout);
    assert.equal(d.kind, 'data');
    assert.equal(d.prid, 9);
    if (d.kind !== 'data') return;
    assert.deepEqual(d.items[4], { kind: 'trace', value: { kind: 'int', value: 42n, size: 8, signed: true } });
    assert.deepEqual(d.items[6], { kind: 'trace', value: { kind: 'string', value: 'x', size: 16 } });
  });

  it('a string filling its whole slot (no NUL) stops at the slot end', () => {
    const r = new RecordBytes(56).header(1, 1, 0, RecKind.DATA).str(40, 'abcdefghijklmnop');
    const d = decodeRecord(r.view(), 0, layout);
    assert.equal(d.kind === 'data' && d.items[6].kind === 'trace' && d.items[6].value.kind === 'string' ? d.items[6].value.value : '', 'abcdefghijklmnop');
  });

  it('string bytes above 127 are read one character per byte (latin1)', () => {
    const r = new RecordBytes(56).header(1, 1, 0, RecKind.DATA);
    r.buf[40] = 0xe9;
    r.buf[41] = 0x41;
    const d = decodeRecord(r.view(), 0, layout);
    assert.equal(d.kind === 'data' && d.items[6].kind === 'trace' && d.items[6].value.kind === 'string' ? d.items[6].value.value : '', '\u00e9A');
  });

  it('a header-only record has no items', () => {
    const d = decodeRecord(new RecordBytes(16).header(1, 0, 2, RecKind.DATA).view(), 0, layout);
    assert.deepEqual(d, { kind: 'data', prid: 1, stid: 0, cpu: 2, items: [] });
  });

  it('printf arguments and exit status', () => {
    const fmt = parseFormat('%d %s\n');
    const l: StatementRecord[] = [{ stid: 0, size: 32, items: [{ kind: 'printf', format: fmt, args: [i(16, 4), s(20, 8)] }, { kind: 'exit', value: i(28, 4) }] }];
    const d = decodeRecord(new RecordBytes(32).header(1, 0, 0, RecKind.DATA).int(16, 4, -7n).str(20, 'ab').int(28, 4, 3n).view(), 0, l);
    assert.deepEqual(d, {
      kind: 'data', prid: 1, stid: 0, cpu: 0, items: [
        { kind: 'printf', format: fmt, args: [{ kind: 'int', value: -7n, size: 4, signed: true }, { kind: 'string', value: 'ab', size: 8 }] },
        { kind: 'exit', status: 3 },
      ],
    });
  });

  it('exit status is read as a signed int', () => {
    const l: StatementRecord[] = [{ stid: 0, size: 20, items: [{ kind: 'exit', value: i(16, 4) }] }];
    const d = decodeRecord(new RecordBytes(20).header(1, 0, 0, RecKind.DATA).int(16, 4, -1n).view(), 0, l);
    assert.deepEqual(d.kind === 'data' ? d.items : [], [{ kind: 'exit', status: -1 }]);
  });

  it('a record for an unknown statement is an internal error', () => {
    assert.throws(() => decodeRecord(new RecordBytes(16).header(1, 7, 0, RecKind.DATA).view(), 0, layout), /unknown statement 7/);
  });
});

describe('decodeRecord: conditional items', () => {
  // if (c) { trace(2l); exit(2); } else { trace("no"); } trace(1): flags at 16, 32, 40.
  const layout: StatementRecord[] = [{
    stid: 0, size: 64, items: [
      { kind: 'trace', value: i(24, 8), flag: 16 },
      { kind: 'exit', value: i(36, 4), flag: 32 },
      { kind: 'trace', value: s(41, 16), flag: 40 },
      { kind: 'trace', value: i(60, 4) },
    ],
  }];
  const bytes = (then: boolean): RecordBytes => {
    const r = new RecordBytes(64).header(1, 0, 0, RecKind.DATA).int(24, 8, 2n).int(36, 4, 2n).str(41, 'no').int(60, 4, 1n);
    r.buf[16] = then ? 1 : 0;
    r.buf[32] = then ? 1 : 0;
    r.buf[40] = then ? 0 : 1;
    return r;
  };

  it('the then-branch ran: its items are decoded, the else item is skipped', () => {
    const d = decodeRecord(bytes(true).view(), 0, layout);
    assert.deepEqual(d.kind === 'data' ? d.items : [], [
      { kind: 'trace', value: { kind: 'int', value: 2n, size: 8, signed: true } },
      { kind: 'exit', status: 2 },
      { kind: 'trace', value: { kind: 'int', value: 1n, size: 4, signed: true } },
    ]);
  });

  it('the else-branch ran: only its item and the unconditional one', () => {
    const d = decodeRecord(bytes(false).view(), 0, layout);
    assert.deepEqual(d.kind === 'data' ? d.items : [], [
      { kind: 'trace', value: { kind: 'string', value: 'no', size: 16 } },
      { kind: 'trace', value: { kind: 'int', value: 1n, size: 4, signed: true } },
    ]);
  });

  it('any non-zero flag byte means present', () => {
    const r = bytes(false);
    r.buf[16] = 0x80;
    const d = decodeRecord(r.view(), 0, layout);
    assert.equal(d.kind === 'data' ? d.items.length : 0, 3);
  });
});

describe('decodeRecord: fault records', () => {
  it('reads pc, fault code and address; no layout needed', () => {
    const r = new RecordBytes(FaultRec.size).header(4, 2, 1, RecKind.FAULT).int(FaultRec.pc, 8, 24n).int(FaultRec.code, 8, 4n).int(FaultRec.addr, 8, 0n);
    assert.deepEqual(decodeRecord(r.view(), 0, []), { kind: 'fault', prid: 4, stid: 2, cpu: 1, pc: 24n, code: 4, addr: 0n });
  });
  it('an address fault keeps the 64-bit address', () => {
    const r = new RecordBytes(FaultRec.size, 8).header(4, 0, 0, RecKind.FAULT).int(FaultRec.pc, 8, 7n).int(FaultRec.code, 8, 1n).int(FaultRec.addr, 8, 0xffff888000001000n);
    const d = decodeRecord(r.view(), 8, []);
    assert.equal(d.kind, 'fault');
    assert.equal(d.kind === 'fault' ? d.addr : 0n, 0xffff888000001000n);
    assert.equal(FaultRec.size, 40);
  });
});
