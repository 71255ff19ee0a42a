// Principal buffers the consumer keeps for bufpolicy=ring and fill. The
// BPF ring all CPUs share is drained as usual (it is only the transport),
// but records are copied into one store per CPU and printed only once
// tracing has stopped, as DTrace prints ring and fill buffers. A ring
// store keeps the newest records that fit in bufsize bytes, dropping the
// oldest; a fill store keeps all it is given (the generated code stops
// recording on a CPU once bufsize is used, see codegen/clause.ts).

import { DTRACE_PROBE_IDS, Hdr, principalSize } from '../layout/memory.js';

/** A retained record: bytes [off, off + len) of `u8`, viewed by `v` too. */
export interface RetainedRecord {
  readonly v: DataView;
  readonly u8: Uint8Array;
  readonly off: number;
  readonly len: number;
}

/** Bytes of each block records are copied into. */
const CHUNK = 1 << 16;

interface Chunk {
  readonly u8: Uint8Array;
  readonly v: DataView;
  used: number;
}

class CpuStore {
  readonly records: RetainedRecord[] = [];
  /** Index of the oldest record still kept. */
  head = 0;
  bytes = 0;
  chunk: Chunk | undefined;
}

export class RetainedRecords {
  private readonly cpus = new Map<number, CpuStore>();

  /** limit: bytes kept per CPU (each record counted as DTrace's principal buffers hold it); Infinity keeps everything. */
  constructor(private readonly limit: number) {}

  /** add copies the record at src[off, off + len), evicting the oldest records of its CPU past the limit. */
  add(v: DataView, src: Uint8Array, off: number, len: number): void {
    const cpu = v.getUint32(off + Hdr.cpu, true);
    let s = this.cpus.get(cpu);
    if (s === undefined) {
      s = new CpuStore();
      this.cpus.set(cpu, s);
    }
    let c = s.chunk;
    if (c === undefined || c.used + len > c.u8.length) {
      const buf = new ArrayBuffer(Math.max(CHUNK, len));
      c = { u8: new Uint8Array(buf), v: new DataView(buf), used: 0 };
      s.chunk = c;
    }
    c.u8.set(src.subarray(off, off + len), c.used);
    s.records.push({ v: c.v, u8: c.u8, off: c.used, len });
    // Keep the next copy 8-byte aligned, as records are in the ring.
    c.used += (len + 7) & ~7;
    s.bytes += principalSize(len);
    while (s.bytes > this.limit && s.head < s.records.length) {
      s.bytes -= principalSize(s.records[s.head].len);
      s.head++;
    }
    if (s.head > 4096 && s.head * 2 > s.records.length) {
      s.records.splice(0, s.head);
      s.head = 0;
    }
  }

  /**
   * inOrder lists the records as dtrace(1) prints stopped buffers: BEGIN's
   * records first, then each CPU's in CPU order, END's records last.
   */
  inOrder(): RetainedRecord[] {
    const begin: RetainedRecord[] = [];
    const middle: RetainedRecord[] = [];
    const end: RetainedRecord[] = [];
    for (const cpu of [...this.cpus.keys()].sort((a, b) => a - b)) {
      const s = this.cpus.get(cpu)!;
      for (let i = s.head; i < s.records.length; i++) {
        const r = s.records[i];
        const prid = r.v.getUint32(r.off + Hdr.prid, true);
        (prid === DTRACE_PROBE_IDS.BEGIN ? begin : prid === DTRACE_PROBE_IDS.END ? end : middle).push(r);
      }
    }
    return [...begin, ...middle, ...end];
  }

  clear(): void {
    this.cpus.clear();
  }
}
