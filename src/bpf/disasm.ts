// The disassembler: a stable text listing of instructions in the syntax of the
// kernel verifier log and llvm-objdump ("r1 += 3", "*(u64 *)(r10 -8) = r1").
// `dtrace -S` prints it and golden tests compare it, so its output format is
// an interface: change it only deliberately.

import type { Relocation } from './assemble.js';
import { helperById } from './helpers.js';
import type { Insn } from './insn.js';
import {
  AluOp,
  AtomicOp,
  Class,
  Endian,
  JmpOp,
  LD_IMM64,
  Mode,
  PseudoCall,
  PseudoSrc,
  Size,
  Source,
  classOf,
  modeOf,
  opOf,
  sizeOf,
  sourceOf,
} from './opcode.js';

export interface DisasmOptions {
  /** Label names by instruction index (as in Assembled.labels); jump targets get `<name>`. */
  readonly labels?: ReadonlyMap<string, number>;
  /** Map relocations, so that ld_imm64 of a map shows the map's name. */
  readonly relocations?: readonly Relocation[];
  /** Print a `name:` line before each labelled instruction. */
  readonly labelLines?: boolean;
}

const ALU_SYM: ReadonlyMap<number, string> = new Map([
  [AluOp.ADD, '+='],
  [AluOp.SUB, '-='],
  [AluOp.MUL, '*='],
  [AluOp.DIV, '/='],
  [AluOp.OR, '|='],
  [AluOp.AND, '&='],
  [AluOp.LSH, '<<='],
  [AluOp.RSH, '>>='],
  [AluOp.MOD, '%='],
  [AluOp.XOR, '^='],
  [AluOp.MOV, '='],
  [AluOp.ARSH, 's>>='],
]);

const JMP_SYM: ReadonlyMap<number, string> = new Map([
  [JmpOp.JEQ, '=='],
  [JmpOp.JGT, '>'],
  [JmpOp.JGE, '>='],
  [JmpOp.JSET, '&'],
  [JmpOp.JNE, '!='],
  [JmpOp.JSGT, 's>'],
  [JmpOp.JSGE, 's>='],
  [JmpOp.JLT, '<'],
  [JmpOp.JLE, '<='],
  [JmpOp.JSLT, 's<'],
  [JmpOp.JSLE, 's<='],
]);

const ATOMIC_NAME: ReadonlyMap<number, string> = new Map([
  [AtomicOp.ADD, 'add'],
  [AtomicOp.OR, 'or'],
  [AtomicOp.AND, 'and'],
  [AtomicOp.XOR, 'xor'],
]);

const SIZE_NAME: ReadonlyMap<number, string> = new Map([
  [Size.B, '8'],
  [Size.H, '16'],
  [Size.W, '32'],
  [Size.DW, '64'],
]);

/** disassemble renders one line per instruction ("  3: exit"); ld_imm64 takes one line for its two slots. */
export function disassemble(insns: readonly Insn[], opts: DisasmOptions = {}): string {
  const names = new Map<number, string[]>();
  for (const [name, at] of opts.labels ?? []) {
    const list = names.get(at);
    if (list) list.push(name);
    else names.set(at, [name]);
  }
  const relocs = new Map<number, Relocation>();
  for (const r of opts.relocations ?? []) relocs.set(r.index, r);

  const widthOfIndex = Math.max(3, String(Math.max(0, insns.length - 1)).length);
  const ctx: Ctx = { insns, names, relocs };
  const lines: string[] = [];
  for (let pc = 0; pc < insns.length; pc++) {
    if (opts.labelLines) for (const n of names.get(pc) ?? []) lines.push(`${n}:`);
    const text = format(ctx, pc);
    lines.push(`${String(pc).padStart(widthOfIndex)}: ${text}`);
    if (insns[pc]!.code === LD_IMM64) pc++;
  }
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}

interface Ctx {
  readonly insns: readonly Insn[];
  readonly names: ReadonlyMap<number, string[]>;
  readonly relocs: ReadonlyMap<number, Relocation>;
}

/** formatInsn renders a single instruction on its own (no labels, no relocations). */
export function formatInsn(insns: readonly Insn[], pc: number): string {
  return format({ insns, names: new Map(), relocs: new Map() }, pc);
}

function format(ctx: Ctx, pc: number): string {
  const ins = ctx.insns[pc]!;
  switch (classOf(ins.code)) {
    case Class.ALU:
    case Class.ALU64:
      return formatAlu(ins);
    case Class.JMP:
    case Class.JMP32:
      return formatJmp(ctx, pc, ins);
    case Class.LDX:
    case Class.ST:
    case Class.STX:
      return formatMem(ins);
    case Class.LD:
      return formatLd(ctx, pc, ins);
  }
  return unknown(ins);
}

function unknown(ins: Insn): string {
  return `<invalid opcode 0x${hex2(ins.code)}>`;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Jump and ld_imm64 immediates read best in hex, as the kernel prints them. */
function hexImm(n: number): string {
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

function signed(n: number): string {
  return n < 0 ? `${n}` : `+${n}`;
}

function formatAlu(ins: Insn): string {
  const wide = classOf(ins.code) === Class.ALU64;
  const r = wide ? 'r' : 'w';
  const dst = `${r}${ins.dst}`;
  const op = opOf(ins.code);
  const byReg = sourceOf(ins.code) === Source.X;
  if (op === AluOp.NEG) return `${dst} = -${dst}`;
  if (op === AluOp.END) {
    // END lives in class ALU but its result is the whole register (truncated
    // to the width), so it is shown on r, as the kernel does.
    const kind = wide ? 'bswap' : sourceOf(ins.code) === Endian.TO_BE ? 'be' : 'le';
    return `r${ins.dst} = ${kind}${ins.imm} r${ins.dst}`;
  }
  const sym = ALU_SYM.get(op);
  if (sym === undefined) return unknown(ins);
  const src = byReg ? `${r}${ins.src}` : `${ins.imm}`;
  if (op === AluOp.MOV && byReg && ins.off !== 0) return `${dst} = (s${ins.off})${src}`;
  const sgn = (op === AluOp.DIV || op === AluOp.MOD) && ins.off === 1 ? 's' : '';
  return `${dst} ${sgn}${sym} ${src}`;
}

function target(ctx: Ctx, pc: number, rel: number): string {
  const at = pc + 1 + rel;
  const name = ctx.names.get(at)?.[0];
  return name === undefined ? signed(rel) : `${signed(rel)} <${name}>`;
}

function formatJmp(ctx: Ctx, pc: number, ins: Insn): string {
  const wide = classOf(ins.code) === Class.JMP;
  const op = opOf(ins.code);
  switch (op) {
    case JmpOp.JA:
      // The JMP32 form (gotol) carries its offset in imm.
      return wide ? `goto ${target(ctx, pc, ins.off)}` : `gotol ${target(ctx, pc, ins.imm)}`;
    case JmpOp.EXIT:
      return 'exit';
    case JmpOp.CALL:
      if (ins.src === PseudoCall.CALL) return `call ${target(ctx, pc, ins.imm)}`;
      if (ins.src === PseudoCall.KFUNC_CALL) return `call kfunc#${ins.imm}`;
      return `call ${helperById(ins.imm) ? `bpf_${helperById(ins.imm)!.name}` : 'unknown'}#${ins.imm}`;
  }
  const sym = JMP_SYM.get(op);
  if (sym === undefined) return unknown(ins);
  const r = wide ? 'r' : 'w';
  const src = sourceOf(ins.code) === Source.X ? `${r}${ins.src}` : hexImm(ins.imm);
  return `if ${r}${ins.dst} ${sym} ${src} goto ${target(ctx, pc, ins.off)}`;
}

function memRef(ins: Insn, base: number, signedLoad = false): string {
  return `*(${signedLoad ? 's' : 'u'}${SIZE_NAME.get(sizeOf(ins.code))} *)(r${base} ${signed(ins.off)})`;
}

function formatMem(ins: Insn): string {
  const cls = classOf(ins.code);
  const mode = modeOf(ins.code);
  if (cls === Class.LDX && (mode === Mode.MEM || mode === Mode.MEMSX)) {
    return `r${ins.dst} = ${memRef(ins, ins.src, mode === Mode.MEMSX)}`;
  }
  if (cls === Class.STX && mode === Mode.MEM) return `${memRef(ins, ins.dst)} = r${ins.src}`;
  if (cls === Class.ST && mode === Mode.MEM) return `${memRef(ins, ins.dst)} = ${ins.imm}`;
  if (cls === Class.STX && mode === Mode.ATOMIC) return formatAtomic(ins);
  return unknown(ins);
}

function formatAtomic(ins: Insn): string {
  const size = sizeOf(ins.code);
  if (size !== Size.W && size !== Size.DW) return unknown(ins);
  const r = size === Size.DW ? 'r' : 'w';
  const bits = size === Size.DW ? '64' : '';
  const ptr = `(u${SIZE_NAME.get(size)} *)(r${ins.dst} ${signed(ins.off)})`;
  const src = `${r}${ins.src}`;
  if (ins.imm === AtomicOp.XCHG) return `${src} = atomic${bits}_xchg(${ptr}, ${src})`;
  if (ins.imm === AtomicOp.CMPXCHG) return `${r}0 = atomic${bits}_cmpxchg(${ptr}, ${r}0, ${src})`;
  const name = ATOMIC_NAME.get(ins.imm & ~AtomicOp.FETCH);
  if (name === undefined) return unknown(ins);
  if (ins.imm & AtomicOp.FETCH) return `${src} = atomic${bits}_fetch_${name}(${ptr}, ${src})`;
  return `lock *${ptr} ${ALU_SYM.get(ins.imm)} ${src}`;
}

function formatLd(ctx: Ctx, pc: number, ins: Insn): string {
  const mode = modeOf(ins.code);
  const sz = SIZE_NAME.get(sizeOf(ins.code));
  if (mode === Mode.ABS) return `r0 = *(u${sz} *)skb[${ins.imm}]`;
  if (mode === Mode.IND) return `r0 = *(u${sz} *)skb[r${ins.src} ${signed(ins.imm)}]`;
  if (ins.code !== LD_IMM64) return unknown(ins);
  const next = ctx.insns[pc + 1];
  if (next === undefined) return `r${ins.dst} = <truncated ld_imm64>`;
  const dst = `r${ins.dst}`;
  const reloc = ctx.relocs.get(pc);
  switch (ins.src) {
    case 0: {
      const v = (BigInt(next.imm >>> 0) << 32n) | BigInt(ins.imm >>> 0);
      return `${dst} = 0x${v.toString(16)} ll`;
    }
    case PseudoSrc.MAP_FD:
      return `${dst} = map[${reloc ? reloc.map : `fd=${ins.imm}`}] ll`;
    case PseudoSrc.MAP_VALUE: {
      const off = next.imm >>> 0;
      const name = reloc ? reloc.map : `fd=${ins.imm}`;
      return `${dst} = map_value[${name}]${off === 0 ? '' : ` + ${off}`} ll`;
    }
    case PseudoSrc.FUNC:
      return `${dst} = func ${target(ctx, pc, ins.imm)} ll`;
  }
  return `${dst} = pseudo${ins.src}(${hexImm(ins.imm)}, ${hexImm(next.imm)}) ll`;
}
