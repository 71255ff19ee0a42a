// Speculations in the generated code (docs/speculations.md): the run-time
// functions behind speculation( ), speculate( ), commit( ) and discard( ),
// and what a clause emits for them. A speculation's state lives in the
// dt_specs map (one value: the counts, then a state per id). A speculative
// clause writes its ordinary record with the id in the header; commit( )
// and discard( ) write a SPEC record and free the id at once: the ring
// buffer is one ordered stream for every CPU, so whatever the id's next
// use writes comes after that record, and the consumer never confuses two
// uses of an id. DTrace documents a speculation as free at once when only
// the committing CPU used it, and busy for at most the cleaning interval
// otherwise; here it is never held longer than the commit itself.

import { alu64, atomicAdd, atomicCmpXchg, callLocal, exit, ja, jmp, label, ldMapFd, ldx, mov32, mov64, reg, st, stx, call, type AsmItem } from '../bpf/build.js';
import { R0, R1, R2, R3, R4, R6, R7, R8, R9, R10, type Reg } from '../bpf/insn.js';
import { BPF_RB_NO_WAKEUP, Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size } from '../bpf/opcode.js';
import { Fault, Hdr, MapName, MS, RecKind, SpecCount, SpecRec, SpecState } from '../layout/memory.js';
import type { SpecOp, TStmt } from '../sema/ir.js';
import type { ExprGen } from './expr.js';
import type { Val } from './regs.js';

/**
 * How many ids the speculation( ) calls of a program may scan in all
 * (nspec times the number of calls): the verifier follows every step of
 * every call's scan and gives up on programs much longer than this.
 */
export const SPEC_SCAN_MAX = 32768;

/** Names of the run-time functions; a program that calls none needs no speculation maps. */
export const SpecFn = {
  speculation: 'dt_speculation',
  speculate: 'dt_speculate',
  op: 'dt_specop',
  drop: 'dt_specdrop',
} as const;

/** counters looks up the dt_specs value (SpecCount, then the states) into r0, keying through the stack slot at `key`; jumps to `none` if absent. */
function counters(key: number, none: string): AsmItem[] {
  return [
    st(Size.W, R10, key, 0),
    ldMapFd(R1, MapName.specs),
    mov64(R2, reg(R10)), alu64(AluOp.ADD, R2, key),
    call(Helper.map_lookup_elem),
    jmp(JmpOp.JEQ, R0, 0, none),
  ];
}

/** statePtr sets `dst` to the address of the state of the speculation whose id (1..nspec, checked) is in `id`, in the value at `base`. */
function statePtr(dst: Reg, base: Reg, id: Reg): AsmItem[] {
  return [
    mov64(dst, reg(id)),
    alu64(AluOp.LSH, dst, 2),
    alu64(AluOp.ADD, dst, reg(base)),
    alu64(AluOp.ADD, dst, SpecCount.states),
  ];
}

/**
 * speculationFn is dt_speculation(): the lowest INACTIVE id, made ACTIVE,
 * or 0 when there is none, counted as DTrace counts it: "busy" while some
 * speculation is being committed or discarded, "unavailable" otherwise.
 * The scan is a loop bounded by nspec, one compare-and-exchange per id.
 */
export function speculationFn(nspec: number): AsmItem[] {
  return [
    ...counters(-8, 'zero'),
    mov64(R7, reg(R0)),
    mov64(R6, 1),
    mov64(R8, reg(R7)),
    alu64(AluOp.ADD, R8, SpecCount.states + 4),
    label('scan'),
    jmp(JmpOp.JGT, R6, nspec, 'fail'),
    mov64(R1, SpecState.ACTIVE),
    mov64(R0, SpecState.INACTIVE),
    atomicCmpXchg(Size.W, R8, 0, R1),
    // The verifier follows the fall-through first: taking the id ends its walk of this iteration at once.
    jmp(JmpOp.JNE, R0, SpecState.INACTIVE, 'next'),
    mov64(R0, reg(R6)),
    exit(),
    label('next'),
    alu64(AluOp.ADD, R6, 1),
    alu64(AluOp.ADD, R8, 4),
    ja('scan'),
    label('fail'),
    ldx(Size.DW, R1, R7, SpecCount.draining),
    mov64(R2, 1),
    jmp(JmpOp.JEQ, R1, 0, 'unavail'),
    atomicAdd(Size.DW, R7, SpecCount.busy, R2),
    ja('zero'),
    label('unavail'),
    atomicAdd(Size.DW, R7, SpecCount.unavail, R2),
    label('zero'),
    mov64(R0, 0),
    exit(),
  ];
}

/**
 * speculateFn is dt_speculate(id): id (as a 32-bit unsigned value, as
 * DTrace takes it) if it is an ACTIVE speculation, else 0. An id that is
 * not one is no fault: the clause just records nothing.
 */
export function speculateFn(nspec: number): AsmItem[] {
  return [
    mov32(R6, reg(R1)),
    jmp(JmpOp.JEQ, R6, 0, 'no'),
    jmp(JmpOp.JGT, R6, nspec, 'no'),
    ...counters(-8, 'no'),
    ...statePtr(R1, R0, R6),
    ldx(Size.W, R1, R1, 0),
    jmp(JmpOp.JNE, R1, SpecState.ACTIVE, 'no'),
    mov64(R0, reg(R6)),
    exit(),
    label('no'),
    mov64(R0, 0),
    exit(),
  ];
}

/** Where dt_specop builds its SPEC record, and its key slot. */
const REC = -8 - SpecRec.size;
const KEY = REC - 8;

/**
 * specOpFn is dt_specop(mstate, id, state, stid) for commit( ) (state
 * COMMITTING) and discard( ) (DISCARDING): an ACTIVE speculation is taken,
 * a SPEC record tells the consumer, and the id is freed. It returns -1 for
 * an id above nspec (an illegal operation, as in DTrace), else 0; an id
 * that is not ACTIVE is left alone. If the ring buffer refuses the record,
 * the speculation stays ACTIVE and a drop is counted.
 */
export function specOpFn(nspec: number): AsmItem[] {
  const draining = (delta: number): AsmItem[] => [
    mov64(R1, delta),
    atomicAdd(Size.DW, R8, SpecCount.draining, R1),
  ];
  return [
    mov64(R6, reg(R1)),
    mov32(R7, reg(R2)),
    stx(Size.W, R10, REC + SpecRec.op, R3),
    stx(Size.W, R10, REC + Hdr.stid, R4),
    jmp(JmpOp.JGT, R7, nspec, 'illop'),
    jmp(JmpOp.JEQ, R7, 0, 'done'),
    ...counters(KEY, 'done'),
    mov64(R8, reg(R0)),
    ...statePtr(R9, R8, R7),
    ldx(Size.W, R1, R10, REC + SpecRec.op),
    mov64(R0, SpecState.ACTIVE),
    atomicCmpXchg(Size.W, R9, 0, R1),
    jmp(JmpOp.JNE, R0, SpecState.ACTIVE, 'done'),
    ...draining(1),
    ldx(Size.W, R1, R6, MS.prid),
    stx(Size.W, R10, REC + Hdr.prid, R1),
    ldx(Size.W, R1, R6, MS.cpu),
    stx(Size.W, R10, REC + Hdr.cpu, R1),
    st(Size.W, R10, REC + Hdr.kind, RecKind.SPEC),
    stx(Size.W, R10, REC + SpecRec.id, R7),
    ldMapFd(R1, MapName.events),
    mov64(R2, reg(R10)), alu64(AluOp.ADD, R2, REC),
    mov64(R3, SpecRec.size),
    mov64(R4, BPF_RB_NO_WAKEUP),
    call(Helper.ringbuf_output),
    jmp(JmpOp.JEQ, R0, 0, 'sent'),
    ldx(Size.DW, R1, R6, MS.drops),
    alu64(AluOp.ADD, R1, 1),
    stx(Size.DW, R6, MS.drops, R1),
    st(Size.W, R9, 0, SpecState.ACTIVE),
    ja('release'),
    label('sent'),
    // The record is in the ring before the id can be taken again, so whatever the id's next use writes comes after it.
    st(Size.W, R9, 0, SpecState.INACTIVE),
    label('release'),
    ...draining(-1),
    label('done'),
    mov64(R0, 0),
    exit(),
    label('illop'),
    mov64(R0, -1),
    exit(),
  ];
}

/** specDropFn is dt_specdrop(): counts one speculative drop (a record larger than specsize). */
export function specDropFn(): AsmItem[] {
  return [
    ...counters(-8, 'done'),
    mov64(R1, 1),
    atomicAdd(Size.DW, R0, SpecCount.drops, R1),
    label('done'),
    mov64(R0, 0),
    exit(),
  ];
}

/** specFunctions are the run-time functions by name, for the linker. */
export function specFunctions(nspec: number): Map<string, AsmItem[]> {
  return new Map([
    [SpecFn.speculation, speculationFn(nspec)],
    [SpecFn.speculate, speculateFn(nspec)],
    [SpecFn.op, specOpFn(nspec)],
    [SpecFn.drop, specDropFn()],
  ]);
}

/** genSpeculation is the code of the speculation( ) subroutine. */
export function genSpeculation(g: ExprGen): Val {
  return g.f.call(SpecFn.speculation, []);
}

const OP_STATE: Readonly<Record<Exclude<SpecOp, 'speculate'>, number>> = {
  commit: SpecState.COMMITTING,
  discard: SpecState.DISCARDING,
};

/**
 * genSpecStmt generates speculate( ), commit( ) or discard( ) in a clause
 * whose record is built at `recOff`. speculate( ) of an id that is not an
 * active speculation leaves the clause without recording anything.
 */
export function genSpecStmt(g: ExprGen, s: TStmt & { k: 'spec' }, recOff: number): void {
  const f = g.f;
  const id = g.gen(s.id);
  if (s.op === 'speculate') {
    const r = f.call(SpecFn.speculate, [id]);
    const rr = f.ra.use(r);
    f.emit(jmp(JmpOp.JEQ, rr, 0, g.cx.outLabel));
    f.emit(stx(Size.H, R9, recOff + Hdr.spec, rr));
    f.ra.unpin();
    f.ra.release(r);
    return;
  }
  const r = f.call(SpecFn.op, [{ scratch: 0 }, id, { imm: OP_STATE[s.op] }, { imm: g.cx.index }]);
  f.jumpIf(JmpOp.JSLT, r, 0, g.cx.faultLabel(Fault.ILLOP, f.pc));
}

/**
 * genSpecsizeCheck guards a value about to be stored at `end` bytes into a
 * speculative clause's record, beyond specsize: if the clause is
 * speculating, the record can never fit, so the drop is counted and the
 * clause ends there, as in DTrace.
 */
export function genSpecsizeCheck(g: ExprGen, recOff: number): void {
  const f = g.f;
  const t = f.ra.alloc();
  const ok = f.newLabel('fits');
  f.emit(ldx(Size.H, t.reg!, R9, recOff + Hdr.spec));
  f.emit(jmp(JmpOp.JEQ, t.reg!, 0, ok));
  // The clause ends here, so the call may clobber any register.
  f.emit(callLocal(SpecFn.drop));
  f.emit(ja(g.cx.outLabel));
  f.label(ok);
  f.ra.release(t);
}

/** speculates tells whether a clause body calls speculate( ) (anywhere, including under if). */
export function speculates(body: readonly TStmt[]): boolean {
  return body.some((s) => s.k === 'spec' && s.op === 'speculate' || s.k === 'if' && (speculates(s.then) || speculates(s.else)));
}
