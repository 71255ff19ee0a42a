// A minimal hand encoder for the few eBPF instructions the kernel layer's
// own probe programs (feature detection, runtime tests) need. The compiler
// has its own full assembler; this exists so the kernel layer depends on
// nothing above it.

import { Pseudo } from './attrs.js';

/** One 8-byte instruction, or two for ld_imm64. */
export type Insn = Uint8Array;

function raw(code: number, dst: number, src: number, off: number, imm: number): Insn {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint8(0, code);
  v.setUint8(1, ((src & 0xf) << 4) | (dst & 0xf));
  v.setInt16(2, off, true);
  v.setInt32(4, imm | 0, true);
  return b;
}

export const R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9, R10 = 10;

const SIZE = { w: 0x00, h: 0x08, b: 0x10, dw: 0x18 } as const;
export type Size = keyof typeof SIZE;

export const I = {
  /** dst = imm (64-bit) */
  movImm: (dst: number, imm: number): Insn => raw(0xb7, dst, 0, 0, imm),
  /** dst = src (64-bit) */
  mov: (dst: number, src: number): Insn => raw(0xbf, dst, src, 0, 0),
  /** dst += imm (64-bit) */
  addImm: (dst: number, imm: number): Insn => raw(0x07, dst, 0, 0, imm),
  /** dst &= imm (64-bit) */
  andImm: (dst: number, imm: number): Insn => raw(0x57, dst, 0, 0, imm),
  /** dst = *(size *)(src + off) */
  ldx: (size: Size, dst: number, src: number, off: number): Insn => raw(0x61 | SIZE[size], dst, src, off, 0),
  /** *(size *)(dst + off) = src */
  stx: (size: Size, dst: number, off: number, src: number): Insn => raw(0x63 | SIZE[size], dst, src, off, 0),
  /** *(size *)(dst + off) = imm */
  st: (size: Size, dst: number, off: number, imm: number): Insn => raw(0x62 | SIZE[size], dst, 0, off, imm),
  /** lock *(u64 *)(dst + off) += src */
  atomicAdd64: (dst: number, off: number, src: number): Insn => raw(0xdb, dst, src, off, 0),
  /** if dst == imm goto +off */
  jeqImm: (dst: number, imm: number, off: number): Insn => raw(0x15, dst, 0, off, imm),
  /** if dst != imm goto +off */
  jneImm: (dst: number, imm: number, off: number): Insn => raw(0x55, dst, 0, off, imm),
  ja: (off: number): Insn => raw(0x05, 0, 0, off, 0),
  call: (helper: number): Insn => raw(0x85, 0, 0, 0, helper),
  /** call to a BPF subprogram `off` instructions after the next one */
  callLocal: (off: number): Insn => raw(0x85, 0, Pseudo.CALL, 0, off),
  exit: (): Insn => raw(0x95, 0, 0, 0, 0),
  /** dst = 64-bit immediate (two slots) */
  ldImm64: (dst: number, value: bigint, src = 0): Insn => {
    const lo = Number(BigInt.asIntN(32, value));
    const hi = Number(BigInt.asIntN(32, value >> 32n));
    return concat([raw(0x18, dst, src, 0, lo), raw(0, 0, 0, 0, hi)]);
  },
  /** dst = map pointer for map fd */
  ldMapFd: (dst: number, fd: number): Insn => I.ldImm64(dst, BigInt(fd), Pseudo.MAP_FD),
  /** dst = address of the subprogram starting `off` instructions after this (2-slot) instruction */
  ldFunc: (dst: number, off: number): Insn => {
    return concat([raw(0x18, dst, Pseudo.FUNC, 0, off), raw(0, 0, 0, 0, 0)]);
  },
};

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Assemble a program from instructions. */
export function program(...insns: Insn[]): Uint8Array {
  return concat(insns);
}

/** Helper ids used by the kernel layer's probe programs. */
export const Helper = {
  map_lookup_elem: 1,
  map_update_elem: 2,
  ktime_get_ns: 5,
  get_current_pid_tgid: 14,
  probe_write_user: 36,
  ringbuf_output: 130,
  ringbuf_reserve: 131,
  ringbuf_submit: 132,
  ringbuf_discard: 133,
  loop: 181,
} as const;
