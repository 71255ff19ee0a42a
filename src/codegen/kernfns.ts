// Run-time functions that walk kernel structures, linked into programs
// that call progenyof(). Structure offsets are arguments (the checker
// reads them from BTF), so the function is the same for every kernel.

import { alu64, call, exit, ja, jmp, label, ldx, mov32, mov64, reg, stx, type AsmItem } from '../bpf/build.js';
import { R0, R1, R2, R3, R6, R7, R8, R9, R10 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size } from '../bpf/opcode.js';

export const KernFn = { progenyof: 'dt_progenyof' } as const;

/** How many ancestors progenyof() looks at before giving up (dtrace-utils' bound too). */
const PROGENY_DEPTH = 256;

/**
 * progenyofFn is dt_progenyof(pid, offTgid, offParent): 1 when the
 * current task or one of its ancestors (following real_parent) belongs to
 * process `pid`, else 0. An unreadable task ends the walk with 0; the
 * walk stops at the task that is its own parent (init_task).
 */
export function progenyofFn(): AsmItem[] {
  return [
    mov32(R6, reg(R1)),
    stx(Size.DW, R10, -16, R2),
    stx(Size.DW, R10, -24, R3),
    mov64(R7, PROGENY_DEPTH),
    call(Helper.get_current_task),
    mov64(R8, reg(R0)),
    label('loop'),
    jmp(JmpOp.JEQ, R8, 0, 'no'),
    jmp(JmpOp.JSLE, R7, 0, 'no'),
    mov64(R1, reg(R10)), alu64(AluOp.ADD, R1, -8), mov64(R2, 4),
    ldx(Size.DW, R3, R10, -16), alu64(AluOp.ADD, R3, reg(R8)),
    call(Helper.probe_read_kernel),
    jmp(JmpOp.JNE, R0, 0, 'no'),
    ldx(Size.W, R9, R10, -8),
    jmp(JmpOp.JEQ, R9, reg(R6), 'yes'),
    mov64(R1, reg(R10)), alu64(AluOp.ADD, R1, -8), mov64(R2, 8),
    ldx(Size.DW, R3, R10, -24), alu64(AluOp.ADD, R3, reg(R8)),
    call(Helper.probe_read_kernel),
    jmp(JmpOp.JNE, R0, 0, 'no'),
    ldx(Size.DW, R9, R10, -8),
    jmp(JmpOp.JEQ, R9, reg(R8), 'no'),
    mov64(R8, reg(R9)),
    alu64(AluOp.SUB, R7, 1),
    ja('loop'),
    label('no'),
    mov64(R0, 0),
    exit(),
    label('yes'),
    mov64(R0, 1),
    exit(),
  ];
}
