// eBPF opcode vocabulary: the named bit fields that make up an instruction's
// 8-bit `code`, as typed constants. Everything else in src/bpf composes these;
// nothing here knows about labels, maps or the kernel.
//
// The opcode byte is laid out by instruction class:
//
//   ALU / ALU64 / JMP / JMP32      LD / LDX / ST / STX
//   +--------+----+-------+        +-------+------+-------+
//   | op (4) | s  | class |        | mode  | size | class |
//   +--------+----+-------+        +-------+------+-------+
//    7      4  3   2     0          7     5 4    3 2     0
//
// where `s` is the source bit (K = immediate, X = register).

/** Class is bits 0..2 of the opcode. */
export const Class = {
  LD: 0x00,
  LDX: 0x01,
  ST: 0x02,
  STX: 0x03,
  ALU: 0x04,
  JMP: 0x05,
  JMP32: 0x06,
  ALU64: 0x07,
} as const;
export type Class = (typeof Class)[keyof typeof Class];
export const CLASS_MASK = 0x07;

/** Size is bits 3..4 of a load/store opcode: the memory access width. */
export const Size = {
  W: 0x00, // 4 bytes
  H: 0x08, // 2 bytes
  B: 0x10, // 1 byte
  DW: 0x18, // 8 bytes
} as const;
export type Size = (typeof Size)[keyof typeof Size];
export const SIZE_MASK = 0x18;

/** Mode is bits 5..7 of a load/store opcode. */
export const Mode = {
  IMM: 0x00, // only with LD|DW: the 16-byte ld_imm64
  ABS: 0x20, // legacy packet access, unused by tracing programs
  IND: 0x40, // legacy packet access, unused by tracing programs
  MEM: 0x60,
  MEMSX: 0x80, // sign-extending load (cpu v4, kernel 6.6+)
  ATOMIC: 0xc0, // read-modify-write; the operation lives in imm
} as const;
export type Mode = (typeof Mode)[keyof typeof Mode];
export const MODE_MASK = 0xe0;

/** Source is bit 3 of an ALU/JMP opcode: where the second operand comes from. */
export const Source = {
  K: 0x00, // the 32-bit immediate
  X: 0x08, // the src register
} as const;
export type Source = (typeof Source)[keyof typeof Source];
export const SOURCE_MASK = 0x08;

/** AluOp is bits 4..7 of an ALU/ALU64 opcode. */
export const AluOp = {
  ADD: 0x00,
  SUB: 0x10,
  MUL: 0x20,
  DIV: 0x30, // off=1 makes it signed (cpu v4)
  OR: 0x40,
  AND: 0x50,
  LSH: 0x60,
  RSH: 0x70,
  NEG: 0x80,
  MOD: 0x90, // off=1 makes it signed (cpu v4)
  XOR: 0xa0,
  MOV: 0xb0, // off=8/16/32 makes it a sign-extending move (cpu v4)
  ARSH: 0xc0,
  END: 0xd0, // byte swap; Source picks LE (K) or BE (X), imm is the width
} as const;
export type AluOp = (typeof AluOp)[keyof typeof AluOp];
export const OP_MASK = 0xf0;

/** JmpOp is bits 4..7 of a JMP/JMP32 opcode. */
export const JmpOp = {
  JA: 0x00,
  JEQ: 0x10,
  JGT: 0x20,
  JGE: 0x30,
  JSET: 0x40,
  JNE: 0x50,
  JSGT: 0x60,
  JSGE: 0x70,
  CALL: 0x80,
  EXIT: 0x90,
  JLT: 0xa0,
  JLE: 0xb0,
  JSLT: 0xc0,
  JSLE: 0xd0,
} as const;
export type JmpOp = (typeof JmpOp)[keyof typeof JmpOp];

/** BPF_JCOND: with src 0, may_goto (jump when the kernel's loop budget is spent; Linux 6.9+). */
export const JCOND = 0xe0;

/** The conditional jump operations, i.e. JmpOp without JA, CALL and EXIT. */
export type CondJmpOp = Exclude<JmpOp, 0x00 | 0x80 | 0x90>;

/** Endianness conversions: the Source bit of an END instruction. */
export const Endian = {
  TO_LE: 0x00,
  TO_BE: 0x08,
} as const;

/**
 * AtomicOp goes in the imm of a STX|ATOMIC instruction. The arithmetic ones
 * reuse AluOp values; FETCH (bit 0) makes the old value land in src.
 */
export const AtomicOp = {
  ADD: 0x00,
  OR: 0x40,
  AND: 0x50,
  XOR: 0xa0,
  FETCH: 0x01,
  XCHG: 0xe0 | 0x01, // always fetches
  CMPXCHG: 0xf0 | 0x01, // compares with r0, old value lands in r0
} as const;
export type AtomicOp = (typeof AtomicOp)[keyof typeof AtomicOp];

/** PseudoSrc values in the src field of an ld_imm64 say what its imm means. */
export const PseudoSrc = {
  /** imm is a map fd; the loader patches it. */
  MAP_FD: 1,
  /** first imm is a map fd, second imm is an offset into its (single) value. */
  MAP_VALUE: 2,
  BTF_ID: 3,
  /** imm is a pc-relative offset to a subprogram (callbacks, e.g. bpf_loop). */
  FUNC: 4,
  MAP_IDX: 5,
  MAP_IDX_VALUE: 6,
} as const;

/** PseudoCall values in the src field of a CALL say what its imm names. */
export const PseudoCall = {
  /** imm is a helper id. */
  HELPER: 0,
  /** imm is a pc-relative offset to a BPF-to-BPF subprogram. */
  CALL: 1,
  KFUNC_CALL: 2,
} as const;

export const BPF_PSEUDO_MAP_FD = PseudoSrc.MAP_FD;
export const BPF_PSEUDO_MAP_VALUE = PseudoSrc.MAP_VALUE;
export const BPF_PSEUDO_FUNC = PseudoSrc.FUNC;
export const BPF_PSEUDO_CALL = PseudoCall.CALL;

/** The first half of ld_imm64: LD | IMM | DW. */
export const LD_IMM64 = Class.LD | Mode.IMM | Size.DW; // 0x18

export function classOf(code: number): Class {
  return (code & CLASS_MASK) as Class;
}
export function sizeOf(code: number): Size {
  return (code & SIZE_MASK) as Size;
}
export function modeOf(code: number): Mode {
  return (code & MODE_MASK) as Mode;
}
export function sourceOf(code: number): Source {
  return (code & SOURCE_MASK) as Source;
}
export function opOf(code: number): number {
  return code & OP_MASK;
}

/** sizeBytes is the access width in bytes of a Size. */
export function sizeBytes(size: Size): 1 | 2 | 4 | 8 {
  switch (size) {
    case Size.B:
      return 1;
    case Size.H:
      return 2;
    case Size.W:
      return 4;
    case Size.DW:
      return 8;
  }
}

/** sizeForBytes maps 1/2/4/8 to a Size, for code generators working in bytes. */
export function sizeForBytes(n: number): Size {
  switch (n) {
    case 1:
      return Size.B;
    case 2:
      return Size.H;
    case 4:
      return Size.W;
    case 8:
      return Size.DW;
    default:
      throw new RangeError(`no BPF access size of ${n} bytes`);
  }
}
