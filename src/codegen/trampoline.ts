// Trampolines: the main function of each probe's program. It checks the
// session state, sets up the machine state (probe id, CPU, arguments taken
// from the probe's context) and calls the probe's clause functions in
// script order. Generated per probe at load time; clause code is shared.

import { alu64, callLocal, jmp, ja, ldMapFd, ldMapValue, ldx, mov64, neg64, reg, st, stx, call, type AsmItem } from '../bpf/build.js';
import { R0, R1, R2, R6, R9, R10 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size, sizeForBytes } from '../bpf/opcode.js';
import { clauseName } from './clause.js';
import { FnBuilder } from './fn.js';
import { MapName, MS, StateOff } from '../layout/memory.js';

/** CtxField is one probe argument read from the program context. */
export interface CtxField {
  readonly offset: number;
  readonly size: 1 | 2 | 4 | 8;
  readonly signed: boolean;
}

/** ArgSource says how a probe's arg0..arg9 are found in its program context. */
export type ArgSource =
  | { readonly kind: 'none' }
  /**
   * Fields of a tracepoint record (ctx points at it): syscall arguments,
   * return values. With `errno`, arg0 is a system call's return value, and
   * a value from -4095 to -1 is an error whose number errno holds.
   */
  | { readonly kind: 'ctx'; readonly fields: readonly CtxField[]; readonly errno?: boolean }
  /** A perf event sample (profile, tick): arg0 = kernel pc, arg1 = user pc. */
  | { readonly kind: 'perf' };

/** TrampolineSpec describes one probe's program entry. */
export interface TrampolineSpec {
  readonly prid: number;
  /** The session state in which the probe may run (INACTIVE for BEGIN, DRAINING for END, else ACTIVE). */
  readonly state: number;
  readonly args: ArgSource;
  readonly clauses: readonly { readonly index: number; readonly epid: number }[];
  /** A clause calls strtok(): its state starts afresh at each firing (MS.strtok). */
  readonly resetStrtok?: boolean;
}

/** x86-64 struct pt_regs offsets of ip and cs (the first member of bpf_perf_event_data). */
const PT_REGS_IP = 128;
const PT_REGS_CS = 136;

/** A probe a dispatching program serves: the key that selects it, and what the probe's own trampoline would set up. */
export interface DispatchEntry {
  readonly key: number;
  readonly prid: number;
  readonly args: ArgSource;
  readonly clauses: readonly { readonly index: number; readonly epid: number }[];
}

/** DispatchSpec describes one program serving many probes of one tracepoint, chosen by a key in its record. */
export interface DispatchSpec {
  readonly state: number;
  /** A clause of some entry calls strtok(): its state starts afresh at each firing (MS.strtok). */
  readonly resetStrtok?: boolean;
  /** Offset of the 8-byte key in the program context. */
  readonly keyOffset: number;
  readonly entries: readonly DispatchEntry[];
}

/** trampoline generates the main function for a probe. */
export function trampoline(spec: TrampolineSpec): AsmItem[] {
  const f = new FnBuilder(8);
  emitPrologue(f, spec.state, spec.prid, spec.resetStrtok);
  emitArgsAndErrno(f, spec.args, '');
  emitClauses(f, spec.state, spec.clauses);
  emitEpilogue(f);
  return f.items;
}

/**
 * dispatchTrampoline generates the main function of a program serving many
 * probes: a binary search on the key finds the probe, whose arguments are
 * set up as its own trampoline would; probes with the same clauses share
 * one call sequence (their epids differ by a constant per clause), so the
 * verifier walks each clause once, not once per probe.
 */
export function dispatchTrampoline(spec: DispatchSpec): AsmItem[] {
  const f = new FnBuilder(8);
  emitPrologue(f, spec.state, undefined, spec.resetStrtok);
  const entries = [...spec.entries].sort((a, b) => a.key - b.key);
  const groups = new Map<string, { label: string; entry: DispatchEntry }>();
  const groupOf = entries.map((e) => {
    const first = e.clauses[0]?.epid ?? 0;
    const id = e.clauses.map((c) => `${c.index}+${c.epid - first}`).join(',');
    let g = groups.get(id);
    if (g === undefined) {
      g = { label: `group${groups.size}`, entry: e };
      groups.set(id, g);
    }
    return g.label;
  });
  f.emit(ldx(Size.DW, R1, R6, spec.keyOffset));
  emitSearch(f, entries.map((e) => e.key), 0, entries.length);
  entries.forEach((e, i) => {
    f.label(`probe${i}`);
    f.emit(st(Size.W, R9, MS.prid, e.prid));
    emitArgsAndErrno(f, e.args, `_${i}`);
    f.emit(st(Size.W, R9, MS.epid, e.clauses[0]?.epid ?? 0));
    f.emit(ja(groupOf[i]!));
  });
  for (const { label, entry } of groups.values()) {
    f.label(label);
    emitClauses(f, spec.state, entry.clauses, true);
    f.emit(ja('done'));
  }
  emitEpilogue(f);
  return f.items;
}

/** emitSearch jumps to `probe<i>` for the entry whose key equals r1, or to `done`: a binary search over sorted keys. */
function emitSearch(f: FnBuilder, keys: readonly number[], lo: number, hi: number): void {
  if (hi - lo <= 4) {
    for (let i = lo; i < hi; i++) f.emit(jmp(JmpOp.JEQ, R1, keys[i]!, `probe${i}`));
    f.emit(ja('done'));
    return;
  }
  const mid = (lo + hi) >> 1;
  const right = f.newLabel('keys_ge_');
  f.emit(jmp(JmpOp.JSGE, R1, keys[mid]!, right));
  emitSearch(f, keys, lo, mid);
  f.label(right);
  emitSearch(f, keys, mid, hi);
}

/** emitPrologue checks the session state, finds the machine state (r9) and claims it for this CPU; r6 keeps the context. */
function emitPrologue(f: FnBuilder, state: number, prid?: number, resetStrtok = false): void {
  f.emit(mov64(R6, reg(R1)));
  f.emit(ldMapValue(R1, MapName.state, StateOff.state));
  f.emit(ldx(Size.W, R1, R1, 0));
  f.emit(jmp(JmpOp.JNE, R1, state, 'out'));
  f.emit(st(Size.W, R10, -4, 0));
  f.emit(ldMapFd(R1, MapName.scratch));
  f.emit(mov64(R2, reg(R10)));
  f.emit(alu64(AluOp.ADD, R2, -4));
  f.emit(call(Helper.map_lookup_elem));
  f.emit(jmp(JmpOp.JEQ, R0, 0, 'out'));
  f.emit(mov64(R9, reg(R0)));
  f.emit(ldx(Size.W, R1, R9, MS.busy));
  f.emit(jmp(JmpOp.JNE, R1, 0, 'out'));
  f.emit(st(Size.W, R9, MS.busy, 1));
  if (prid !== undefined) f.emit(st(Size.W, R9, MS.prid, prid));
  f.emit(call(Helper.get_smp_processor_id));
  f.emit(stx(Size.W, R9, MS.cpu, R0));
  f.emit(st(Size.DW, R9, MS.timestamp, 0));
  f.emit(st(Size.W, R9, MS.inError, 0));
  f.emit(st(Size.W, R9, MS.errno, 0));
  if (resetStrtok) f.emit(st(Size.DW, R9, MS.strtok, -1));
}

/** emitArgsAndErrno sets a probe's arguments (and errno) in the machine state; `suffix` keeps labels apart when many probes share a function. */
function emitArgsAndErrno(f: FnBuilder, args: ArgSource, suffix: string): void {
  emitArgs(f, args, suffix);
  if (args.kind === 'ctx' && args.errno === true) emitErrno(f, suffix);
}

/**
 * emitClauses calls the clauses in order, with MS.epid set for each. With
 * `relative`, MS.epid holds the first clause's epid on entry and later
 * clauses add their distance to it (probes sharing the sequence differ in
 * their epids by a constant).
 */
function emitClauses(f: FnBuilder, state: number, clauses: TrampolineSpec['clauses'], relative = false): void {
  clauses.forEach((c, i) => {
    if (i > 0) {
      // exit() in an earlier clause ends the firing: later clauses do not run.
      f.emit(ldMapValue(R1, MapName.state, StateOff.state));
      f.emit(ldx(Size.W, R1, R1, 0));
      f.emit(jmp(JmpOp.JNE, R1, state, 'done'));
    }
    if (!relative) {
      f.emit(st(Size.W, R9, MS.epid, c.epid));
    } else if (i > 0) {
      f.emit(ldx(Size.W, R1, R9, MS.epid));
      f.emit(alu64(AluOp.ADD, R1, c.epid - clauses[i - 1]!.epid));
      f.emit(stx(Size.W, R9, MS.epid, R1));
    }
    f.emit(mov64(R1, reg(R9)));
    f.emit(mov64(R2, reg(R6)));
    f.emit(callLocal(clauseName(c.index)));
  });
}

/** emitEpilogue releases the machine state (`done`) and returns (`out`). */
function emitEpilogue(f: FnBuilder): void {
  f.label('done');
  f.emit(st(Size.W, R9, MS.busy, 0));
  f.label('out');
  f.ret();
}

/** emitErrno sets errno from a system call's return value in arg0, as dtrace-utils' syscall provider does. */
function emitErrno(f: FnBuilder, suffix: string): void {
  f.emit(ldx(Size.DW, R1, R9, MS.argv));
  f.emit(jmp(JmpOp.JSGE, R1, 0, `errno_done${suffix}`));
  f.emit(jmp(JmpOp.JSLE, R1, -4096, `errno_done${suffix}`));
  f.emit(neg64(R1));
  f.emit(stx(Size.W, R9, MS.errno, R1));
  f.label(`errno_done${suffix}`);
}

function emitArgs(f: FnBuilder, src: ArgSource, suffix: string): void {
  let set = 0;
  if (src.kind === 'ctx') {
    for (const fld of src.fields.slice(0, 10)) {
      f.emit(ldx(sizeForBytes(fld.size), R1, R6, fld.offset));
      if (fld.signed && fld.size < 8) {
        const shift = 64 - fld.size * 8;
        f.emit(alu64(AluOp.LSH, R1, shift));
        f.emit(alu64(AluOp.ARSH, R1, shift));
      }
      f.emit(stx(Size.DW, R9, MS.argv + 8 * set++, R1));
    }
  } else if (src.kind === 'perf') {
    f.emit(ldx(Size.DW, R1, R6, PT_REGS_IP));
    f.emit(ldx(Size.DW, R2, R6, PT_REGS_CS));
    f.emit(alu64(AluOp.AND, R2, 3));
    f.emit(jmp(JmpOp.JNE, R2, 0, `user${suffix}`));
    f.emit(stx(Size.DW, R9, MS.argv, R1));
    f.emit(st(Size.DW, R9, MS.argv + 8, 0));
    f.emit(ja(`pc_done${suffix}`));
    f.label(`user${suffix}`);
    f.emit(st(Size.DW, R9, MS.argv, 0));
    f.emit(stx(Size.DW, R9, MS.argv + 8, R1));
    f.label(`pc_done${suffix}`);
    set = 2;
  }
  for (let i = set; i < 10; i++) f.emit(st(Size.DW, R9, MS.argv + 8 * i, 0));
}
