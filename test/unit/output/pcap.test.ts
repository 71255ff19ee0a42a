// pcap( ) from script to capture file: the checker (DTrace's prototype
// `void(void *, int)` and struct sk_buff's offsets from BTF), the record
// (time, captured length, link type, pcapsize bytes), the consumer (nothing
// for an empty packet, bytes as tracemem( ) prints them without a capture)
// and the libpcap file bytes, checked against test/golden/output/pcap-ip.pcap
// (a file whose layout was compared with what the reference DTrace's
// libpcap writes). The cli part writes a real capture file.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BtfWriter, parseBtf } from '../../../src/btf/index.js';
import { PcapOutput } from '../../../src/cli/pcapout.js';
import type { ActionDesc } from '../../../src/layout/printtype.js';
import type { RecordItem } from '../../../src/layout/records.js';
import { ACTION_OUTPUT, type ActionIO } from '../../../src/output/actions.js';
import { linktypeOf, pcapFileHeader, pcapPacket, pcapPacketBytes, type PcapPacket } from '../../../src/output/pcap.js';
import type { TraceValue } from '../../../src/output/trace.js';
import type { KernelInfo } from '../../../src/sema/env.js';
import { KernelTypes } from '../../../src/sema/ktypes.js';
import { Options } from '../../../src/sema/options.js';
import { compile, SourceError, type Compiled } from '../../../src/session/compile.js';
import { compileD, linkAll } from '../codegen/helpers.js';

const GOLDEN = fileURLToPath(new URL('../../../../test/golden/output/pcap-ip.pcap', import.meta.url));

/** The fixture's struct sk_buff: the three members pcap( ) reads, at offsets of its own. */
const SKB = { size: 64, len: 12, dataLen: 16, data: 40 } as const;

const LIBDIR = fileURLToPath(new URL('../../../../lib/dtrace', import.meta.url));

function kernel(withSkb = true): KernelInfo {
  const w = new BtfWriter();
  const uint = w.addInt('unsigned int', 4);
  if (!withSkb) {
    const btf = parseBtf(w.toBytes());
    return { types: () => new KernelTypes(btf), symbol: () => undefined };
  }
  const uchar = w.addInt('unsigned char', 1);
  const ucharPtr = w.addPtr(uchar);
  w.addStruct('sk_buff', SKB.size, [
    { name: 'len', typeId: uint, bitOffset: SKB.len * 8 },
    { name: 'data_len', typeId: uint, bitOffset: SKB.dataLen * 8 },
    { name: 'data', typeId: ucharPtr, bitOffset: SKB.data * 8 },
  ]);
  const btf = parseBtf(w.toBytes());
  return { types: () => new KernelTypes(btf), symbol: () => undefined };
}

function compileSkb(text: string, opts: readonly string[] = [], withSkb = true): Compiled {
  const options = new Options();
  for (const o of opts) {
    const [n, v] = o.split('=');
    assert.equal(options.set(n, v, false), undefined);
  }
  return compile([{ kind: 'script', name: 'test.d', text }], {
    options, parse: {}, kernel: kernel(withSkb), noProbes: true,
    library: { system: { dir: LIBDIR, read: (p) => readFileSync(p, 'utf8') } },
  });
}

const failure = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof SourceError) return `${e.error.diag.tag}: ${e.message}`;
    throw e;
  }
  return 'compiled';
};

describe('pcap( ) checks', () => {
  it('checks the arguments against DTrace\'s prototype void(void *, int)', () => {
    assert.match(failure(() => compileD('BEGIN { pcap(0); }')), /^D_PROTO_LEN: .*pcap\( \) prototype mismatch: 1 arg passed, 2 expected$/);
    assert.match(failure(() => compileD('BEGIN { pcap(0, 1, 2); }')), /^D_PROTO_LEN: .*pcap\( \) prototype mismatch: 3 args passed, 2 expected$/);
    assert.match(failure(() => compileD('struct { int a; } s; BEGIN { pcap(s, 0); }')), /^D_PROTO_ARG: .*pcap\( \) argument #1 is incompatible with prototype:\n\tprototype: void \*\n\t argument: struct $/);
    assert.match(failure(() => compileD('BEGIN { pcap(0, "a"); }')), /^D_PROTO_ARG: .*pcap\( \) argument #2 is incompatible with prototype:\n\tprototype: int\n\t argument: string$/);
  });

  it('says so when the kernel has no struct sk_buff', () => {
    assert.match(failure(() => compileSkb('BEGIN { pcap(0, 12); }', [], false)), /pcap\( \) needs struct sk_buff with member len from the kernel's BTF, and this kernel has none/);
  });

  it('finds the PCAP_* link types in the D library', () => {
    const c = compileSkb('BEGIN { pcap(0, PCAP_NULL + PCAP_ETHER + PCAP_PPP + PCAP_IP + PCAP_WIFI + PCAP_IPOIB); }');
    const s = c.checked.clauses[0].body[0];
    assert.ok(s.k === 'action' && s.args[1].k === 'int' && s.args[1].value === BigInt(0 + 1 + 9 + 12 + 105 + 242));
  });
});

describe('pcap( ) records', () => {
  const item = (c: Compiled): RecordItem & { kind: 'action' } => c.generated.records[0].items[0] as RecordItem & { kind: 'action' };

  it('hold the time, the captured length, the link type and pcapsize bytes', () => {
    const c = compileSkb('BEGIN { pcap((void *)arg0, 1); }');
    const it = item(c);
    assert.equal(it.name, 'pcap');
    assert.deepEqual(it.values.map((v) => [v.kind, v.size]), [['int', 8], ['int', 4], ['int', 4], ['bytes', 1514]]);
    assert.deepEqual(it.desc, { kind: 'pcap', maxlen: 1514 } satisfies ActionDesc);
    // struct sk_buff's offsets (from BTF) and pcapsize travel as hidden arguments.
    const s = c.checked.clauses[0].body[0];
    assert.ok(s.k === 'action');
    assert.deepEqual(s.args.slice(2).map((a) => (a.k === 'int' ? Number(a.value) : NaN)), [SKB.len, SKB.dataLen, SKB.data, 1514]);
    assert.ok(linkAll(c).insns.length > 0);
  });

  it('capture pcapsize bytes: rounded up to 8, the default outside 1..65535', () => {
    const size = (v: string): number => (item(compileSkb('BEGIN { pcap((void *)arg0, 1); }', [`pcapsize=${v}`])).desc as ActionDesc & { kind: 'pcap' }).maxlen;
    assert.deepEqual(['100', '1', '4000', '0', '65536', '1k'].map(size), [104, 8, 4000, 1520, 1520, 1024]);
    // DTrace's limit is 65535; a record here must fit in 32 KiB of scratch memory.
    assert.match(failure(() => compileSkb('BEGIN { pcap(0, 1); }', ['pcapsize=65535'])), /pcap\( \) cannot capture pcapsize=65536 bytes: a record holds at most 32256 here; lower pcapsize/);
  });

  it('are ten of them in a clause without trouble (no register leaks)', () => {
    assert.ok(linkAll(compileSkb(`BEGIN { ${'pcap(0, PCAP_IP); '.repeat(10)} }`)).insns.length > 0);
  });
});

const int = (value: bigint, size: 4 | 8 = 8): TraceValue => ({ kind: 'int', value, size, signed: false });
const bytes = (...b: number[]): TraceValue => ({ kind: 'bytes', data: Uint8Array.from(b) });
/** An IPv4 header (20 bytes) as a packet might start. */
const IPV4 = [0x45, 0, 0, 20, 0x12, 0x34, 0x40, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1];

describe('pcap( ) output', () => {
  const run = (values: TraceValue[], pcap?: ActionIO['pcap']): { text: string; errors: string[] } => {
    let text = '';
    const errors: string[] = [];
    const io: ActionIO = { print: (t) => { text += t; }, flush: () => {}, run: () => {}, stackIndent: 14, pcap, error: (m) => errors.push(m) };
    ACTION_OUTPUT.pcap({ name: 'pcap', values, desc: { kind: 'pcap', maxlen: 1520 } }, io);
    return { text, errors };
  };

  it('prints nothing for a NULL skb (a zero length)', () => {
    assert.deepEqual(run([int(5n), int(0n, 4), int(12n, 4), bytes(1, 2, 3)]), { text: '', errors: [] });
  });

  it('prints the captured bytes as tracemem( ) does when there is no capture file or tshark', () => {
    const { text } = run([int(5n), int(4n, 4), int(12n, 4), bytes(0x45, 0x41, 0, 0xff, 9, 9)]);
    assert.equal(text, [
      '',
      '             0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef',
      '         0: 45 41 00 ff                                      EA..',
      '',
    ].join('\n'));
  });

  it('sends the packet to the capture instead, and reports what it could not save', () => {
    const seen: PcapPacket[] = [];
    const r = run([int(3_500_000_123n), int(20n, 4), int(12n, 4), bytes(...IPV4, 7, 7)], { capture: (p) => { seen.push(p); return { sent: true, error: 'no' }; } });
    assert.deepEqual(r, { text: '', errors: ['no'] });
    assert.deepEqual(seen, [{ time: 3_500_000_123n, linktype: 12, data: Uint8Array.from(IPV4), maxlen: 1520 }]);
  });

  it('maps DTrace\'s link types to what capture files record (PCAP_IP is LINKTYPE_RAW)', () => {
    assert.deepEqual([0, 1, 9, 12, 105, 242, 13, 5000].map(linktypeOf), [0, 1, 9, 101, 105, 242, undefined, undefined]);
  });

  it('writes libpcap capture files: the golden file', () => {
    const p1 = pcapPacket([int(3_500_000_123n), int(20n, 4), int(12n, 4), bytes(...IPV4, 0, 0)], 1520)!;
    const p2 = pcapPacket([int(7_000_999_999n), int(4n, 4), int(12n, 4), bytes(0x60, 0, 0, 0)], 1520)!;
    const file = Buffer.concat([pcapFileHeader(linktypeOf(12)!, 1520), pcapPacketBytes(p1, 1_700_000_000), pcapPacketBytes(p2, 1_700_000_000)]);
    if (process.env.UPDATE_GOLDEN !== undefined) writeFileSync(GOLDEN, file);
    assert.deepEqual(file, readFileSync(GOLDEN));
    // The fields, to read the golden by: magic, version 2.4, snaplen, LINKTYPE_RAW; seconds, microseconds, lengths.
    assert.deepEqual([file.readUInt32LE(0), file.readUInt16LE(4), file.readUInt16LE(6), file.readUInt32LE(16), file.readUInt32LE(20)], [0xa1b2c3d4, 2, 4, 1520, 101]);
    assert.deepEqual([file.readUInt32LE(24), file.readUInt32LE(28), file.readUInt32LE(32), file.readUInt32LE(36)], [1_700_000_003, 500_000, 20, 20]);
    assert.deepEqual([file.readUInt32LE(60), file.readUInt32LE(64), file.readUInt32LE(68)], [1_700_000_007, 999, 4]);
  });
});

describe('pcap( ) capture files', () => {
  it('go to the file freopen( ) named, one header per file, and nowhere without one (no tshark here)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcap-'));
    try {
      let path: string | undefined = join(dir, 'a.pcap');
      const out = new PcapOutput(() => path, () => {});
      const p = pcapPacket([int(1_000_000n), int(20n, 4), int(12n, 4), bytes(...IPV4)], 64)!;
      assert.deepEqual(out.capture(p), { sent: true });
      assert.deepEqual(out.capture(p), { sent: true });
      assert.match(out.capture({ ...p, linktype: 1 }).error ?? '', /link type 1 differs/);
      const b = readFileSync(path);
      assert.equal(b.length, 24 + 2 * (16 + 20));
      assert.deepEqual(b.subarray(0, 24), Buffer.from(pcapFileHeader(101, 64)));
      assert.deepEqual(b.subarray(24 + 16, 24 + 36), Buffer.from(IPV4));
      path = undefined;
      if (!hasTshark()) assert.deepEqual(out.capture(p), { sent: false });
      void out.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function hasTshark(): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => { try { readFileSync(join(d, 'tshark')); return true; } catch { return false; } });
}
