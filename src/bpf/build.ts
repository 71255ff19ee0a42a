// Instruction builders: the vocabulary a code generator writes programs in.
// Each builder returns one AsmItem; symbolic parts (jump labels, subprogram
// calls, map references) stay symbolic until assemble() and the loader's
// applyRelocations() resolve them, so compiled output is host-independent.

import {
  AluOp,
  AtomicOp,
  Class,
  Endian,
  JCOND,
  JmpOp,
  Mode,
  Size,
  Source,
  type CondJmpOp,
} from './opcode.js';
import { R0, U32_MAX, insn, isS16, isS32, S32_MIN, type Imm, type Insn, type Reg } from './insn.js';

/**
 * AsmItem is one element of an assembler listing. Every kind except 'label'
 * becomes instructions: 'ld_imm64', 'ld_map' and 'ld_func' take two slots,
 * the rest one.
 */
export type AsmItem =
  /** A fully formed instruction. */
  | { readonly kind: 'insn'; readonly insn: Insn }
  /** A jump whose off is filled in from the label `target`. */
  | { readonly kind: 'jump'; readonly insn: Insn; readonly target: string }
  /** A BPF-to-BPF call; imm is filled in from the label `target`. */
  | { readonly kind: 'call_local'; readonly target: string }
  /** dst = a 64-bit constant. */
  | { readonly kind: 'ld_imm64'; readonly dst: Reg; readonly value: bigint }
  /** dst = a map pointer (map_fd) or a pointer into its value (map_value); the loader patches the fd. */
  | {
      readonly kind: 'ld_map';
      readonly dst: Reg;
      readonly map: string;
      readonly pseudo: 'map_fd' | 'map_value';
      readonly offset: number;
    }
  /** dst = a subprogram address, for helpers taking callbacks (bpf_loop). */
  | { readonly kind: 'ld_func'; readonly dst: Reg; readonly target: string }
  /** A position that jumps and calls can name; emits nothing. */
  | { readonly kind: 'label'; readonly name: string };

/** RegSrc marks a register used as the second operand; see reg(). */
export interface RegSrc {
  readonly reg: Reg;
}

/** Src is the second operand of ALU and jump builders: an immediate or reg(r). */
export type Src = Imm | RegSrc;

/**
 * reg wraps a register as a source operand: `alu64(AluOp.ADD, R1, reg(R2))`
 * is r1 += r2, while `alu64(AluOp.ADD, R1, 2)` is r1 += 2. Registers are
 * numbers at run time, so the wrapper is what tells the two apart.
 */
export function reg(r: Reg): RegSrc {
  return { reg: r };
}

export class AsmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AsmError';
  }
}

function item(i: Insn): AsmItem {
  return { kind: 'insn', insn: i };
}

function isRegSrc(s: Src): s is RegSrc {
  return typeof s === 'object';
}

// 64-bit operations sign-extend imm, so a u32 such as 0xffffffff would silently
// mean -1; only 32-bit operations may take the unsigned spelling.
function checkImm(imm: number, wide: boolean, what: string): number {
  if (isS32(imm)) return imm;
  if (!wide && Number.isInteger(imm) && imm >= 0 && imm <= U32_MAX) return imm;
  throw new AsmError(`${what}: immediate ${imm} does not fit in ${wide ? 's32 (use ldImm64)' : '32 bits'}`);
}

function checkOff(off: number, what: string): number {
  if (!isS16(off)) throw new AsmError(`${what}: offset ${off} does not fit in s16`);
  return off;
}

function aluInsn(cls: number, op: AluOp, dst: Reg, src: Src, off: number, what: string): Insn {
  if (isRegSrc(src)) return insn(cls | op | Source.X, { dst, src: src.reg, off });
  return insn(cls | op | Source.K, { dst, off, imm: checkImm(src, cls === Class.ALU64, what) });
}

export interface AluOptions {
  /** Signed DIV/MOD (cpu v4, kernel 6.6+). */
  readonly signed?: boolean;
}

function aluOff(op: AluOp, opts: AluOptions | undefined, what: string): number {
  if (!opts?.signed) return 0;
  if (op !== AluOp.DIV && op !== AluOp.MOD) throw new AsmError(`${what}: only DIV and MOD have signed forms`);
  return 1;
}

/** alu64: dst = dst op src, on all 64 bits. NEG and END have their own builders. */
export function alu64(op: AluOp, dst: Reg, src: Src, opts?: AluOptions): AsmItem {
  return item(aluInsn(Class.ALU64, op, dst, src, aluOff(op, opts, 'alu64'), 'alu64'));
}

/** alu32: dst = dst op src on the low 32 bits; the upper 32 bits of dst become zero. */
export function alu32(op: AluOp, dst: Reg, src: Src, opts?: AluOptions): AsmItem {
  return item(aluInsn(Class.ALU, op, dst, src, aluOff(op, opts, 'alu32'), 'alu32'));
}

/** mov64: dst = src; an immediate is sign-extended from 32 bits. */
export function mov64(dst: Reg, src: Src): AsmItem {
  return alu64(AluOp.MOV, dst, src);
}

/** mov32: w(dst) = src, zero-extending into the upper half. */
export function mov32(dst: Reg, src: Src): AsmItem {
  return alu32(AluOp.MOV, dst, src);
}

/** movsx64: dst = (s8|s16|s32) src, sign-extended to 64 bits (cpu v4, kernel 6.6+). */
export function movsx64(dst: Reg, src: Reg, bits: 8 | 16 | 32): AsmItem {
  return item(insn(Class.ALU64 | AluOp.MOV | Source.X, { dst, src, off: bits }));
}

/** movsx32: w(dst) = (s8|s16) w(src) (cpu v4, kernel 6.6+). */
export function movsx32(dst: Reg, src: Reg, bits: 8 | 16): AsmItem {
  return item(insn(Class.ALU | AluOp.MOV | Source.X, { dst, src, off: bits }));
}

export function neg64(dst: Reg): AsmItem {
  return item(insn(Class.ALU64 | AluOp.NEG | Source.K, { dst }));
}

export function neg32(dst: Reg): AsmItem {
  return item(insn(Class.ALU | AluOp.NEG | Source.K, { dst }));
}

/**
 * endian converts dst in place: 'le'/'be' convert from host order to that
 * order (a no-op or a swap, zero-extending), 'swap' swaps unconditionally
 * (cpu v4, kernel 6.6+).
 */
export function endian(order: 'le' | 'be' | 'swap', dst: Reg, bits: 16 | 32 | 64): AsmItem {
  if (order === 'swap') return item(insn(Class.ALU64 | AluOp.END | Endian.TO_LE, { dst, imm: bits }));
  const src = order === 'be' ? Endian.TO_BE : Endian.TO_LE;
  return item(insn(Class.ALU | AluOp.END | src, { dst, imm: bits }));
}

/** loadImm puts any 64-bit constant in dst using the shortest encoding. */
export function loadImm(dst: Reg, value: bigint | number): AsmItem {
  const v = typeof value === 'bigint' ? value : BigInt(value);
  if (v >= BigInt(S32_MIN) && v <= 0x7fffffffn) return mov64(dst, Number(v));
  // mov32 zero-extends, so it covers the rest of the u32 range in one slot.
  if (v >= 0n && v <= 0xffffffffn) return mov32(dst, Number(v));
  return ldImm64(dst, v);
}

/** ldImm64: dst = value, as the two-slot ld_imm64. Negative values are stored as two's complement. */
export function ldImm64(dst: Reg, value: bigint): AsmItem {
  if (value < -(1n << 63n) || value >= 1n << 64n) throw new AsmError(`ldImm64: ${value} does not fit in 64 bits`);
  return { kind: 'ld_imm64', dst, value: BigInt.asUintN(64, value) };
}

/** ldMapFd: dst = pointer to the map named `map` (resolved by the loader). */
export function ldMapFd(dst: Reg, map: string): AsmItem {
  return { kind: 'ld_map', dst, map, pseudo: 'map_fd', offset: 0 };
}

/**
 * ldMapValue: dst = pointer to byte `offset` of the value of a single-element
 * array map (direct value access, no lookup call needed).
 */
export function ldMapValue(dst: Reg, map: string, offset: number): AsmItem {
  if (!Number.isInteger(offset) || offset < 0 || offset > U32_MAX) {
    throw new AsmError(`ldMapValue: bad offset ${offset} into map ${map}`);
  }
  return { kind: 'ld_map', dst, map, pseudo: 'map_value', offset };
}

/** ldFunc: dst = address of the subprogram at label `target`, e.g. bpf_loop's callback. */
export function ldFunc(dst: Reg, target: string): AsmItem {
  return { kind: 'ld_func', dst, target };
}

/** ldx: dst = *(size *)(src + off), zero-extended. */
export function ldx(size: Size, dst: Reg, src: Reg, off: number): AsmItem {
  return item(insn(Class.LDX | Mode.MEM | size, { dst, src, off: checkOff(off, 'ldx') }));
}

/** ldxs: dst = *(s8|s16|s32 *)(src + off), sign-extended (cpu v4, kernel 6.6+). */
export function ldxs(size: Size, dst: Reg, src: Reg, off: number): AsmItem {
  if (size === Size.DW) throw new AsmError('ldxs: a 64-bit load has nothing to sign-extend');
  return item(insn(Class.LDX | Mode.MEMSX | size, { dst, src, off: checkOff(off, 'ldxs') }));
}

/** stx: *(size *)(dst + off) = src. */
export function stx(size: Size, dst: Reg, off: number, src: Reg): AsmItem {
  return item(insn(Class.STX | Mode.MEM | size, { dst, src, off: checkOff(off, 'stx') }));
}

/** st: *(size *)(dst + off) = imm; for DW the imm is sign-extended. */
export function st(size: Size, dst: Reg, off: number, imm: Imm): AsmItem {
  return item(insn(Class.ST | Mode.MEM | size, { dst, off: checkOff(off, 'st'), imm: checkImm(imm, size === Size.DW, 'st') }));
}

/**
 * atomic: read-modify-write *(size *)(dst + off) with src. Only W and DW exist.
 * With FETCH the old value lands in src (CMPXCHG: compares with and returns in r0).
 */
export function atomic(op: number, size: Size, dst: Reg, off: number, src: Reg): AsmItem {
  if (size !== Size.W && size !== Size.DW) throw new AsmError('atomic: only 32- and 64-bit atomics exist');
  return item(insn(Class.STX | Mode.ATOMIC | size, { dst, src, off: checkOff(off, 'atomic'), imm: op }));
}

export function atomicAdd(size: Size, dst: Reg, off: number, src: Reg): AsmItem {
  return atomic(AtomicOp.ADD, size, dst, off, src);
}
export function atomicFetchAdd(size: Size, dst: Reg, off: number, src: Reg): AsmItem {
  return atomic(AtomicOp.ADD | AtomicOp.FETCH, size, dst, off, src);
}
export function atomicOr(size: Size, dst: Reg, off: number, src: Reg): AsmItem {
  return atomic(AtomicOp.OR, size, dst, off, src);
}
export function atomicFetchOr(size: Size, dst: Reg, off: number, src: Reg): AsmItem {
  return atomic(AtomicOp.OR | AtomicOp.FETCH, size, dst, off, src);
}
export function atomicAnd(size: Size, dst: Reg, off: number, src: Reg): AsmItem {
  return atomic(AtomicOp.AND, size, dst, off, src);
}
export function atomicFetchAnd(size: Size, dst: Reg, off: number, src: Reg): AsmItem {
  return atomic(AtomicOp.AND | AtomicOp.FETCH, size, dst, off, src);
}
export function atomicXor(size: Size, dst: Reg, off: number, src: Reg): AsmItem {
  return atomic(AtomicOp.XOR, size, dst, off, src);
}
export function atomicFetchXor(size: Size, dst: Reg, off: number, src: Reg): AsmItem {
  return atomic(AtomicOp.XOR | AtomicOp.FETCH, size, dst, off, src);
}
/** atomicXchg: src = xchg(*(dst + off), src). */
export function atomicXchg(size: Size, dst: Reg, off: number, src: Reg): AsmItem {
  return atomic(AtomicOp.XCHG, size, dst, off, src);
}
/** atomicCmpXchg: r0 = cmpxchg(*(dst + off), r0, src). */
export function atomicCmpXchg(size: Size, dst: Reg, off: number, src: Reg): AsmItem {
  return atomic(AtomicOp.CMPXCHG, size, dst, off, src);
}

/** call: call helper `helperId` (see helpers.ts); args in r1..r5, result in r0. */
export function call(helperId: number): AsmItem {
  if (!Number.isInteger(helperId) || helperId <= 0 || helperId > 0x7fffffff) {
    throw new AsmError(`call: bad helper id ${helperId}`);
  }
  return item(insn(Class.JMP | JmpOp.CALL, { src: R0, imm: helperId }));
}

/** callLocal: BPF-to-BPF call to the subprogram whose entry label is `target`. */
export function callLocal(target: string): AsmItem {
  return { kind: 'call_local', target };
}

export function exit(): AsmItem {
  return item(insn(Class.JMP | JmpOp.EXIT));
}

/** ja: unconditional jump to `target`. */
export function ja(target: string): AsmItem {
  return { kind: 'jump', insn: insn(Class.JMP | JmpOp.JA), target };
}

/**
 * mayGoto: goto target once the kernel's budget of loop iterations (about
 * eight million per program run) is spent, else fall through. The verifier
 * accepts a loop it cannot bound when its back edge passes one.
 */
export function mayGoto(target: string): AsmItem {
  return { kind: 'jump', insn: insn(Class.JMP | JCOND), target };
}

function condJump(cls: number, op: CondJmpOp, dst: Reg, src: Src, target: string, what: string): AsmItem {
  const ins = isRegSrc(src)
    ? insn(cls | op | Source.X, { dst, src: src.reg })
    : insn(cls | op | Source.K, { dst, imm: checkImm(src, cls === Class.JMP, what) });
  return { kind: 'jump', insn: ins, target };
}

/** jmp: if (dst op src) goto target, comparing 64 bits (imm sign-extended). */
export function jmp(op: CondJmpOp, dst: Reg, src: Src, target: string): AsmItem {
  return condJump(Class.JMP, op, dst, src, target, 'jmp');
}

/** jmp32: if (w(dst) op w(src)) goto target, comparing the low 32 bits. */
export function jmp32(op: CondJmpOp, dst: Reg, src: Src, target: string): AsmItem {
  return condJump(Class.JMP32, op, dst, src, target, 'jmp32');
}

export function label(name: string): AsmItem {
  return { kind: 'label', name };
}

/** raw: an escape hatch for an instruction no builder covers. */
export function raw(i: Insn): AsmItem {
  return item(i);
}
