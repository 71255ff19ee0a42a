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

/** trampoline generates the main function for a probe. */
export function trampoline(spec: TrampolineSpec): AsmItem[] {
  const f = new FnBuilder(8);
  f.emit(mov64(R6, reg(R1)));
  f.emit(ldMapValue(R1, MapName.state, StateOff.state));
  f.emit(ldx(Size.W, R1, R1, 0));
  f.emit(jmp(JmpOp.JNE, R1, spec.state, 'out'));
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
  f.emit(st(Size.W, R9, MS.prid, spec.prid));
  f.emit(call(Helper.get_smp_processor_id));
  f.emit(stx(Size.W, R9, MS.cpu, R0));
  f.emit(st(Size.DW, R9, MS.timestamp, 0));
  f.emit(st(Size.W, R9, MS.inError, 0));
  f.emit(st(Size.W, R9, MS.errno, 0));
  if (spec.resetStrtok === true) f.emit(st(Size.DW, R9, MS.strtok, -1));
  emitArgs(f, spec.args);
  if (spec.args.kind === 'ctx' && spec.args.errno === true) emitErrno(f);
  spec.clauses.forEach((c, i) => {
    if (i > 0) {
      // exit() in an earlier clause ends the firing: later clauses do not run.
      f.emit(ldMapValue(R1, MapName.state, StateOff.state));
      f.emit(ldx(Size.W, R1, R1, 0));
      f.emit(jmp(JmpOp.JNE, R1, spec.state, 'done'));
    }
    f.emit(st(Size.W, R9, MS.epid, c.epid));
    f.emit(mov64(R1, reg(R9)));
    f.emit(mov64(R2, reg(R6)));
    f.emit(callLocal(clauseName(c.index)));
  });
  f.label('done');
  f.emit(st(Size.W, R9, MS.busy, 0));
  f.label('out');
  f.ret();
  return f.items;
}

/** emitErrno sets errno from a system call's return value in arg0, as dtrace-utils' syscall provider does. */
function emitErrno(f: FnBuilder): void {
  f.emit(ldx(Size.DW, R1, R9, MS.argv));
  f.emit(jmp(JmpOp.JSGE, R1, 0, 'errno_done'));
  f.emit(jmp(JmpOp.JSLE, R1, -4096, 'errno_done'));
  f.emit(neg64(R1));
  f.emit(stx(Size.W, R9, MS.errno, R1));
  f.label('errno_done');
}

function emitArgs(f: FnBuilder, src: ArgSource): void {
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
    f.emit(jmp(JmpOp.JNE, R2, 0, 'user'));
    f.emit(stx(Size.DW, R9, MS.argv, R1));
    f.emit(st(Size.DW, R9, MS.argv + 8, 0));
    f.emit(ja('pc_done'));
    f.label('user');
    f.emit(st(Size.DW, R9, MS.argv, 0));
    f.emit(stx(Size.DW, R9, MS.argv + 8, R1));
    f.label('pc_done');
    set = 2;
  }
  for (let i = set; i < 10; i++) f.emit(st(Size.DW, R9, MS.argv + 8 * i, 0));
}
