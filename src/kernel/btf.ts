// BTF plumbing the kernel layer needs: BTF_LOAD of a program's BTF blob
// (func_info for bpf_loop callbacks), reading the vmlinux BTF bytes (the
// compiler parses them; it must not touch /sys itself), and a fast scan for
// a function's type id (fentry attach and feature probes).

import { readFileSync } from 'node:fs';
import { BpfCmd, encodeBtfLoad } from './attrs.js';
import { KernelError } from './errors.js';
import { OwnedFd } from './fd.js';
import { addressOf, bpfRaw, errorFor } from './sys.js';

const VMLINUX_BTF = '/sys/kernel/btf/vmlinux';

let vmlinux: Buffer | undefined;

/** Raw bytes of /sys/kernel/btf/vmlinux (read once, ~5 MB). */
export function vmlinuxBtf(): Buffer {
  vmlinux ??= readFileSync(VMLINUX_BTF);
  return vmlinux;
}

/** BTF_LOAD; on failure retries with a log and puts its tail in the error. */
export function loadBtf(blob: Uint8Array): OwnedFd {
  const attr = encodeBtfLoad(addressOf(blob), blob.length, 0n, 0, 0);
  const r = bpfRaw(BpfCmd.BTF_LOAD, addressOf(attr), attr.length);
  if (r >= 0) return new OwnedFd(r, 'btf');
  const log = Buffer.alloc(1 << 16);
  const a2 = encodeBtfLoad(addressOf(blob), blob.length, addressOf(log), log.length, 1);
  const r2 = bpfRaw(BpfCmd.BTF_LOAD, addressOf(a2), a2.length);
  if (r2 >= 0) return new OwnedFd(r2, 'btf');
  const z = log.indexOf(0);
  const text = log.toString('utf8', 0, z < 0 ? log.length : z).trim().split('\n').slice(-3).join('; ');
  if (text) throw new KernelError('bpf(BTF_LOAD)', -r, text);
  throw errorFor('bpf(BTF_LOAD)', -r);
}

export const BtfKind = {
  INT: 1, PTR: 2, ARRAY: 3, STRUCT: 4, UNION: 5, ENUM: 6, FWD: 7, TYPEDEF: 8, VOLATILE: 9, CONST: 10,
  RESTRICT: 11, FUNC: 12, FUNC_PROTO: 13, VAR: 14, DATASEC: 15, FLOAT: 16, DECL_TAG: 17, TYPE_TAG: 18,
  ENUM64: 19,
} as const;

/** Bytes following the 12-byte common header of a BTF type, by kind. */
function trailing(kind: number, vlen: number): number {
  switch (kind) {
    case BtfKind.INT: case BtfKind.VAR: case BtfKind.DECL_TAG: return 4;
    case BtfKind.ARRAY: return 12;
    case BtfKind.STRUCT: case BtfKind.UNION: case BtfKind.DATASEC: case BtfKind.ENUM64: return 12 * vlen;
    case BtfKind.ENUM: case BtfKind.FUNC_PROTO: return 8 * vlen;
    default: return 0;
  }
}

/**
 * Type ids of FUNC types with the given names in a BTF blob (no string
 * allocation per type: names are compared as bytes). Missing names are absent.
 */
export function findBtfFuncIds(btf: Uint8Array, names: readonly string[]): Map<string, number> {
  const dv = new DataView(btf.buffer, btf.byteOffset, btf.byteLength);
  if (dv.getUint16(0, true) !== 0xeb9f) throw new Error('not a BTF blob (bad magic)');
  const hdrLen = dv.getUint32(4, true);
  const typeOff = hdrLen + dv.getUint32(8, true);
  const typeEnd = typeOff + dv.getUint32(12, true);
  const strOff = hdrLen + dv.getUint32(16, true);
  const wanted = names.map((n) => Buffer.from(n + '\0', 'latin1'));
  const found = new Map<string, number>();
  let id = 1;
  for (let p = typeOff; p < typeEnd; id++) {
    const info = dv.getUint32(p + 4, true);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    if (kind === BtfKind.FUNC) {
      const nameAt = strOff + dv.getUint32(p, true);
      for (let i = 0; i < wanted.length; i++) {
        const w = wanted[i]!;
        let j = 0;
        while (j < w.length && btf[nameAt + j] === w[j]) j++;
        if (j === w.length && !found.has(names[i]!)) found.set(names[i]!, id);
      }
      if (found.size === names.length) break;
    }
    p += 12 + trailing(kind, vlen);
  }
  return found;
}

/** vmlinux BTF id of kernel function `name`, or undefined. */
export function vmlinuxFuncId(name: string): number | undefined {
  return findBtfFuncIds(vmlinuxBtf(), [name]).get(name);
}

/** Encode a small BTF blob from raw type records and a string table (used by probes and tests). */
export function encodeBtf(types: readonly number[][], strings: string): Uint8Array {
  const typeBytes = types.reduce((n, t) => n + 4 * t.length, 0);
  const str = Buffer.from(strings, 'latin1');
  const b = Buffer.alloc(24 + typeBytes + str.length);
  b.writeUInt16LE(0xeb9f, 0);
  b.writeUInt8(1, 2);
  b.writeUInt8(0, 3);
  b.writeUInt32LE(24, 4);
  b.writeUInt32LE(0, 8);
  b.writeUInt32LE(typeBytes, 12);
  b.writeUInt32LE(typeBytes, 16);
  b.writeUInt32LE(str.length, 20);
  let o = 24;
  for (const t of types) for (const w of t) (b.writeUInt32LE(w >>> 0, o), (o += 4));
  str.copy(b, o);
  return b;
}

/** BTF `info` word: kind, vlen, kind_flag. */
export function btfInfo(kind: number, vlen = 0, kindFlag = false): number {
  return ((kindFlag ? 1 : 0) << 31) | (kind << 24) | vlen;
}
