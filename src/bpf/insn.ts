// The raw instruction: registers, the 8-byte wire format, and the two
// functions that cross between them. This is the one place that knows the
// byte layout; builders, the assembler and the disassembler work on Insn.
//
// Wire layout (little-endian, 8 bytes):
//
//   byte 0      byte 1             bytes 2..3   bytes 4..7
//   +--------+----------+---------+------------+----------------+
//   |  code  | src (hi) | dst(lo) |  off (s16) |   imm (s32)    |
//   +--------+----------+---------+------------+----------------+
//
// ld_imm64 occupies two slots: the second has code 0 and carries the upper
// 32 bits of the constant in its imm.

declare const regBrand: unique symbol;

/**
 * Reg is a register number 0..10. It is branded so that a register can never
 * be passed where a builder expects an immediate (see build.ts `reg()`);
 * obtain one from the R0..R10 constants or asReg().
 */
export type Reg = (0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10) & { readonly [regBrand]: true };

/**
 * Imm is any plain number that is not a Reg: builder parameters typed Imm
 * reject R0..R10 at compile time, because at run time they are the same numbers.
 */
export type Imm = number & { readonly [regBrand]?: never };

/** Return value of helpers, subprograms and the program. */
export const R0 = 0 as Reg;
/** Arguments 1..5 (clobbered by calls); r1 holds the context on entry. */
export const R1 = 1 as Reg;
export const R2 = 2 as Reg;
export const R3 = 3 as Reg;
export const R4 = 4 as Reg;
export const R5 = 5 as Reg;
/** Callee-saved r6..r9. */
export const R6 = 6 as Reg;
export const R7 = 7 as Reg;
export const R8 = 8 as Reg;
export const R9 = 9 as Reg;
/** Read-only frame pointer; the stack is the 512 bytes below it. */
export const R10 = 10 as Reg;
export const FP = R10;

export const REGS: readonly Reg[] = [R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10];

/** asReg checks a plain number is a register number, e.g. from an allocator. */
export function asReg(n: number): Reg {
  const r = REGS[n];
  if (!Number.isInteger(n) || r === undefined) throw new RangeError(`not a BPF register: ${n}`);
  return r;
}

/** Insn is one 8-byte instruction slot. ld_imm64 is two Insns. */
export interface Insn {
  readonly code: number;
  readonly dst: Reg;
  readonly src: Reg;
  readonly off: number;
  readonly imm: number;
}

export const INSN_SIZE = 8;

/** insn builds an Insn, defaulting the fields most instructions leave zero. */
export function insn(code: number, fields: { dst?: Reg; src?: Reg; off?: number; imm?: number } = {}): Insn {
  return { code, dst: fields.dst ?? R0, src: fields.src ?? R0, off: fields.off ?? 0, imm: fields.imm ?? 0 };
}

export const S16_MIN = -0x8000;
export const S16_MAX = 0x7fff;
export const S32_MIN = -0x80000000;
export const S32_MAX = 0x7fffffff;
export const U32_MAX = 0xffffffff;

export function isS16(n: number): boolean {
  return Number.isInteger(n) && n >= S16_MIN && n <= S16_MAX;
}
export function isS32(n: number): boolean {
  return Number.isInteger(n) && n >= S32_MIN && n <= S32_MAX;
}

/**
 * encode serialises instructions. imm may be given as s32 or u32 (the same 32
 * bits either way); anything else, or a malformed field, is a bug upstream.
 */
export function encode(insns: readonly Insn[]): Uint8Array {
  const out = new Uint8Array(insns.length * INSN_SIZE);
  const view = new DataView(out.buffer);
  insns.forEach((ins, i) => {
    const at = i * INSN_SIZE;
    if (!Number.isInteger(ins.code) || ins.code < 0 || ins.code > 0xff) {
      throw new RangeError(`insn ${i}: opcode ${ins.code} does not fit in a byte`);
    }
    if (!isRegNumber(ins.dst) || !isRegNumber(ins.src)) {
      throw new RangeError(`insn ${i}: bad register (dst=${ins.dst}, src=${ins.src})`);
    }
    if (!isS16(ins.off)) throw new RangeError(`insn ${i}: offset ${ins.off} does not fit in s16`);
    if (!Number.isInteger(ins.imm) || ins.imm < S32_MIN || ins.imm > U32_MAX) {
      throw new RangeError(`insn ${i}: immediate ${ins.imm} does not fit in 32 bits`);
    }
    view.setUint8(at, ins.code);
    view.setUint8(at + 1, (ins.src << 4) | ins.dst);
    view.setInt16(at + 2, ins.off, true);
    view.setInt32(at + 4, ins.imm | 0, true);
  });
  return out;
}

/** decode parses whole 8-byte slots; imm and off come back signed. */
export function decode(bytes: Uint8Array): Insn[] {
  if (bytes.length % INSN_SIZE !== 0) {
    throw new RangeError(`BPF program length ${bytes.length} is not a multiple of ${INSN_SIZE}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Insn[] = [];
  for (let at = 0; at < bytes.length; at += INSN_SIZE) {
    const regs = view.getUint8(at + 1);
    // Nibbles 11..15 are not registers, but decode stays total so that the
    // disassembler can show a bad program instead of throwing on it.
    out.push({
      code: view.getUint8(at),
      dst: (regs & 0x0f) as Reg,
      src: (regs >> 4) as Reg,
      off: view.getInt16(at + 2, true),
      imm: view.getInt32(at + 4, true),
    });
  }
  return out;
}

function isRegNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 10;
}
