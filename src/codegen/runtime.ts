// Run-time support functions linked into every program that calls them:
// string comparison, the per-firing timestamp, and dt_error, which records
// a fault and runs the ERROR clauses with DTrace's ERROR arguments.

import { alu64, callLocal, exit, ja, jmp, label, ldImm64, ldx, mov64, reg, st, stx, call, type AsmItem } from '../bpf/build.js';
import { R0, R1, R2, R3, R4, R5, R6, R9, R10 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size } from '../bpf/opcode.js';
import { clauseName, emitOutput, type BufPolicy } from './clause.js';
import { FnBuilder } from './fn.js';
import { DTRACE_PROBE_IDS, FaultRec, Hdr, MS, RecKind } from '../layout/memory.js';

const ONES = 0x0101010101010101n;
const HIGHS = 0x8080808080808080n;

/**
 * strcmpFn compares two NUL-terminated strings held in buffers of at least
 * strsize bytes rounded up to 8: r0 < 0, 0 or > 0 as C's strcmp. It walks
 * eight bytes at a time so that the verifier explores few loop iterations,
 * and finds the first differing byte only in the word where they differ.
 * A NULL pointer compares below any string and equal to NULL.
 */
export function strcmpFn(strsize: number): AsmItem[] {
  const bytes = Math.ceil(strsize / 8) * 8;
  const tail: AsmItem[] = [];
  for (let k = 0; k < 8; k++) {
    tail.push(
      mov64(R0, reg(R4)), alu64(AluOp.AND, R0, 0xff),
      mov64(R3, reg(R5)), alu64(AluOp.AND, R3, 0xff),
      jmp(JmpOp.JNE, R0, reg(R3), 'bytediff'),
      jmp(JmpOp.JEQ, R0, 0, 'eq'),
      alu64(AluOp.RSH, R4, 8), alu64(AluOp.RSH, R5, 8),
    );
  }
  return [
    // A NULL string sorts before every other string.
    jmp(JmpOp.JEQ, R1, 0, 'null'),
    jmp(JmpOp.JEQ, R2, 0, 'null'),
    mov64(R3, 0),
    label('loop'),
    jmp(JmpOp.JGE, R3, bytes, 'eq'),
    mov64(R4, reg(R1)), alu64(AluOp.ADD, R4, reg(R3)), ldx(Size.DW, R4, R4, 0),
    mov64(R5, reg(R2)), alu64(AluOp.ADD, R5, reg(R3)), ldx(Size.DW, R5, R5, 0),
    jmp(JmpOp.JNE, R4, reg(R5), 'diff'),
    // Equal words: stop if this one holds the terminating NUL.
    ldImm64(R0, ONES), mov64(R5, reg(R4)), alu64(AluOp.SUB, R5, reg(R0)),
    alu64(AluOp.XOR, R4, -1), alu64(AluOp.AND, R5, reg(R4)),
    ldImm64(R0, HIGHS), alu64(AluOp.AND, R5, reg(R0)),
    jmp(JmpOp.JNE, R5, 0, 'eq'),
    alu64(AluOp.ADD, R3, 8),
    ja('loop'),
    label('diff'),
    ...tail,
    label('eq'),
    mov64(R0, 0),
    exit(),
    label('bytediff'),
    alu64(AluOp.SUB, R0, reg(R3)),
    exit(),
    label('null'),
    mov64(R0, 0),
    jmp(JmpOp.JEQ, R1, reg(R2), 'nulldone'),
    mov64(R0, -1),
    jmp(JmpOp.JEQ, R1, 0, 'nulldone'),
    mov64(R0, 1),
    label('nulldone'),
    exit(),
  ];
}

/** timestampFn returns the probe firing's timestamp, reading the clock once per firing. */
export function timestampFn(): AsmItem[] {
  return [
    mov64(R6, reg(R1)),
    ldx(Size.DW, R0, R6, MS.timestamp),
    jmp(JmpOp.JNE, R0, 0, 'done'),
    call(Helper.ktime_get_ns),
    stx(Size.DW, R6, MS.timestamp, R0),
    label('done'),
    exit(),
  ];
}

/** ErrorClause is an ERROR clause with the enabled-probe id it runs under. */
export interface ErrorClause {
  readonly index: number;
  readonly epid: number;
  /** The function dt_error calls (a variant of the clause that does not call dt_error); default dt_clause_<index>. */
  readonly fn?: string;
}

/** countDoubleError replaces a fault stub's call of dt_error in an ERROR clause: it counts DTrace's "error in ERROR probe enabling". */
export function countDoubleError(): AsmItem[] {
  return [
    ldx(Size.DW, R1, R9, MS.dblErrors),
    alu64(AluOp.ADD, R1, 1),
    stx(Size.DW, R9, MS.dblErrors, R1),
  ];
}

const SAVED = ['prid', 'epid', ...Array.from({ length: 6 }, (_, i) => `arg${i}`)] as const;

/**
 * errorFn builds dt_error(mstate, ctx): it writes a FAULT record for the
 * consumer's message, then runs the ERROR clauses with arg1 = probe id,
 * arg2 = clause index, arg3 = pc, arg4 = fault code, arg5 = address,
 * saving and restoring the faulting probe's state around them.
 */
export function errorFn(clauses: readonly ErrorClause[], recOff: number, policy: BufPolicy): AsmItem[] {
  const f = new FnBuilder(8 * SAVED.length);
  f.emit(mov64(R9, reg(R1)));
  f.emit(mov64(R6, reg(R2)));
  f.emit(ldx(Size.W, R1, R9, MS.inError));
  f.emit(jmp(JmpOp.JNE, R1, 0, 'out'));
  f.emit(ldx(Size.W, R1, R9, MS.prid));
  f.emit(stx(Size.W, R9, recOff + Hdr.prid, R1));
  f.emit(ldx(Size.DW, R1, R9, MS.faultClause));
  f.emit(stx(Size.W, R9, recOff + Hdr.stid, R1));
  f.emit(ldx(Size.W, R1, R9, MS.cpu));
  f.emit(stx(Size.W, R9, recOff + Hdr.cpu, R1));
  f.emit(st(Size.W, R9, recOff + Hdr.kind, RecKind.FAULT));
  for (const [from, to] of [[MS.faultPc, FaultRec.pc], [MS.faultCode, FaultRec.code], [MS.faultAddr, FaultRec.addr]]) {
    f.emit(ldx(Size.DW, R1, R9, from));
    f.emit(stx(Size.DW, R9, recOff + to, R1));
  }
  emitOutput(f, recOff, FaultRec.size, false, policy);
  if (clauses.length > 0) {
    // Save the faulting probe's state: later clauses of that probe still run.
    const slot = (i: number): number => -8 * (i + 1);
    f.emit(ldx(Size.W, R1, R9, MS.prid));
    f.emit(stx(Size.DW, R10, slot(0), R1));
    f.emit(ldx(Size.W, R1, R9, MS.epid));
    f.emit(stx(Size.DW, R10, slot(1), R1));
    for (let i = 0; i < 6; i++) {
      f.emit(ldx(Size.DW, R1, R9, MS.argv + 8 * i));
      f.emit(stx(Size.DW, R10, slot(2 + i), R1));
    }
    f.emit(st(Size.DW, R9, MS.argv, 0));
    f.emit(ldx(Size.W, R1, R9, MS.prid));
    f.emit(stx(Size.DW, R9, MS.argv + 8, R1));
    f.emit(ldx(Size.DW, R1, R9, MS.faultClause));
    f.emit(stx(Size.DW, R9, MS.argv + 16, R1));
    for (const [i, from] of [[3, MS.faultPc], [4, MS.faultCode], [5, MS.faultAddr]]) {
      f.emit(ldx(Size.DW, R1, R9, from));
      f.emit(stx(Size.DW, R9, MS.argv + 8 * i, R1));
    }
    f.emit(st(Size.W, R9, MS.prid, DTRACE_PROBE_IDS.ERROR));
    f.emit(st(Size.W, R9, MS.inError, 1));
    for (const c of clauses) {
      f.emit(st(Size.W, R9, MS.epid, c.epid));
      f.emit(mov64(R1, reg(R9)));
      f.emit(mov64(R2, reg(R6)));
      f.emit(callLocal(c.fn ?? clauseName(c.index)));
    }
    f.emit(st(Size.W, R9, MS.inError, 0));
    f.emit(ldx(Size.DW, R1, R10, slot(0)));
    f.emit(stx(Size.W, R9, MS.prid, R1));
    f.emit(ldx(Size.DW, R1, R10, slot(1)));
    f.emit(stx(Size.W, R9, MS.epid, R1));
    for (let i = 0; i < 6; i++) {
      f.emit(ldx(Size.DW, R1, R10, slot(2 + i)));
      f.emit(stx(Size.DW, R9, MS.argv + 8 * i, R1));
    }
  }
  f.label('out');
  f.ret();
  return f.items;
}
