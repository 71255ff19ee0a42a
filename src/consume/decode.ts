// Record decoding: turns the bytes of one ring-buffer record into typed
// values using the statement record layouts the compiler produced. Reads
// straight from the mapped ring (a DataView over kernel memory), copying
// only the strings it returns.

import { printfValue, type PrintfValue } from '../output/printf.js';
import type { TraceValue } from '../output/trace.js';
import type { ParsedFormat } from '../format/printf.js';
import { FaultRec, Hdr, RecKind, SpecRec, SpecState } from '../layout/memory.js';
import type { Slot, StatementRecord } from '../layout/records.js';
import type { ActionDesc } from '../layout/printtype.js';

export type DecodedItem =
  | { readonly kind: 'trace'; readonly value: TraceValue }
  | { readonly kind: 'printf'; readonly format: ParsedFormat; readonly args: PrintfValue[] }
  | { readonly kind: 'exit'; readonly status: number }
  | { readonly kind: 'printa'; readonly aggs: readonly number[]; readonly format?: ParsedFormat }
  | { readonly kind: 'aggop'; readonly op: 'clear' | 'trunc' | 'normalize' | 'denormalize'; readonly agg: number; readonly value?: bigint }
  | { readonly kind: 'action'; readonly name: string; readonly values: TraceValue[]; readonly format?: ParsedFormat; readonly desc?: ActionDesc };

export type Decoded =
  /** `spec`, when set, is the speculation the record belongs to. */
  | { readonly kind: 'data'; readonly prid: number; readonly stid: number; readonly cpu: number; readonly items: DecodedItem[]; readonly spec?: number }
  /** commit( ) or discard( ) took speculation `id`. */
  | { readonly kind: 'spec'; readonly prid: number; readonly stid: number; readonly cpu: number; readonly id: number; readonly op: 'commit' | 'discard' }
  | { readonly kind: 'fault'; readonly prid: number; readonly stid: number; readonly cpu: number; readonly pc: bigint; readonly code: number; readonly addr: bigint };

/** readString reads a NUL-terminated string of at most `max` bytes as latin1 (one char per byte). */
function readString(v: DataView, off: number, max: number): string {
  const bytes = new Uint8Array(v.buffer, v.byteOffset + off, max);
  let end = bytes.indexOf(0);
  if (end < 0) end = max;
  return Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('latin1');
}

function readInt(v: DataView, off: number, s: Slot): bigint {
  switch (s.size) {
    case 1: return BigInt(s.signed ? v.getInt8(off) : v.getUint8(off));
    case 2: return BigInt(s.signed ? v.getInt16(off, true) : v.getUint16(off, true));
    case 4: return BigInt(s.signed ? v.getInt32(off, true) : v.getUint32(off, true));
    default: return s.signed ? v.getBigInt64(off, true) : v.getBigUint64(off, true);
  }
}

function slotValue(v: DataView, base: number, s: Slot): TraceValue {
  if (s.kind === 'string') return { kind: 'string', value: readString(v, base + s.offset, s.size), size: s.size };
  if (s.kind === 'bytes') return { kind: 'bytes', data: new Uint8Array(v.buffer.slice(v.byteOffset + base + s.offset, v.byteOffset + base + s.offset + s.size)) };
  return { kind: 'int', value: readInt(v, base + s.offset, s), size: s.size as 1 | 2 | 4 | 8, signed: s.signed };
}

/** decodeRecord decodes the record at `off` (header included) using the layouts in `records`. */
export function decodeRecord(v: DataView, off: number, records: readonly StatementRecord[]): Decoded {
  const prid = v.getUint32(off + Hdr.prid, true);
  const stid = v.getUint32(off + Hdr.stid, true);
  const cpu = v.getUint32(off + Hdr.cpu, true);
  const kind = v.getUint16(off + Hdr.kind, true);
  if (kind === RecKind.SPEC) {
    const op = v.getUint32(off + SpecRec.op, true) === SpecState.COMMITTING ? 'commit' : 'discard';
    return { kind: 'spec', prid, stid, cpu, id: v.getUint32(off + SpecRec.id, true), op };
  }
  if (kind === RecKind.FAULT) {
    return {
      kind: 'fault', prid, stid, cpu,
      pc: v.getBigUint64(off + FaultRec.pc, true),
      code: Number(v.getBigUint64(off + FaultRec.code, true)),
      addr: v.getBigUint64(off + FaultRec.addr, true),
    };
  }
  const layout = records[stid];
  if (layout === undefined) throw new Error(`BUG: record for unknown statement ${stid}`);
  const items: DecodedItem[] = [];
  for (const it of layout.items) {
    if (it.flag !== undefined && v.getUint8(off + it.flag) === 0) continue;
    switch (it.kind) {
      case 'trace': items.push({ kind: 'trace', value: slotValue(v, off, it.value) }); break;
      case 'printf': items.push({ kind: 'printf', format: it.format, args: it.args.map((s) => printfValue(slotValue(v, off, s))) }); break;
      case 'exit': items.push({ kind: 'exit', status: Number(readInt(v, off + it.value.offset, it.value)) }); break;
      case 'printa': items.push({ kind: 'printa', aggs: it.aggs, format: it.format }); break;
      case 'action': items.push({ kind: 'action', name: it.name, values: it.values.map((s) => slotValue(v, off, s)), format: it.format, desc: it.desc }); break;
      case 'aggop': items.push({ kind: 'aggop', op: it.op, agg: it.agg, value: it.value === undefined ? undefined : readInt(v, off + it.value.offset, it.value) }); break;
    }
  }
  const spec = v.getUint16(off + Hdr.spec, true);
  return spec === 0 ? { kind: 'data', prid, stid, cpu, items } : { kind: 'data', prid, stid, cpu, items, spec };
}
