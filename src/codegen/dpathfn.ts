// The run-time function of d_path(), linked into programs that call it.
// bpf_d_path() may only be called from a few fentry/LSM hooks, none of
// which this kernel lets us attach, so the path is built as the kernel's
// own d_path() builds it: from the dentry up through d_parent, crossing
// mount points (a mount's root dentry continues at its mountpoint in the
// parent mount), until the current task's root or the root mount. The
// names are collected first (leaf to root) as pointers, then written
// root to leaf with probe_read_kernel_str, each at most what is left of
// the string buffer: a path longer than strsize is cut, as strings are.
//
// Structure offsets come from BTF at check time (library/kernsubrs.ts),
// packed four 16-bit offsets to an argument, so the function is the same
// for every kernel and only the string size is built in.

import { alu64, call, exit, ja, jmp, label, ldx, mov64, reg, st, stx, type AsmItem } from '../bpf/build.js';
import { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, type Reg } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size } from '../bpf/opcode.js';

/** The function's name for a string buffer of `bufSize` bytes. */
export function dPathName(bufSize: number): string {
  return `dt_d_path_${bufSize}`;
}

/** Path components kept (deeper paths lose their top components). */
export const DPATH_DEPTH = 32;
/** Steps of the walk (components and mount crossings) before it gives up. */
const DPATH_STEPS = 40;

/**
 * DPathOff names the offsets d_path() needs, in the order they are packed
 * (four to an argument: r3, r4, r5).
 */
export const DPATH_OFFSETS = [
  ['task_struct', 'fs'], ['fs_struct', 'root'], ['path', 'mnt'], ['path', 'dentry'],
  ['mount', 'mnt'], ['mount', 'mnt_parent'], ['mount', 'mnt_mountpoint'], ['vfsmount', 'mnt_root'],
  ['dentry', 'd_parent'], ['dentry', 'd_name', 'name'],
] as const;

/** Bytes of scratch the caller passes: the string buffer, then the name pointers. */
export function dPathArea(bufSize: number): number {
  return names(bufSize) + 8 * DPATH_DEPTH;
}

function names(bufSize: number): number {
  return Math.ceil(bufSize / 8) * 8;
}

/** Stack slots of the function. */
const OFFS = [-8, -16, -24];
const TMP = -32;
const ROOT_MNT = -40;
const ROOT_DENTRY = -48;
const SAVED = -64;

/**
 * dPathFn is dt_d_path_N(area, path, offs0, offs1, offs2): writes the
 * path of `path` (a struct path *) as a string at the start of `area`.
 * A path that cannot be read gives the empty string.
 */
export function dPathFn(bufSize: number): AsmItem[] {
  const at = names(bufSize);
  const items: AsmItem[] = [];
  /** off puts offset `i` of DPATH_OFFSETS in R3. */
  const off = (i: number): void => {
    items.push(ldx(Size.DW, R3, R10, OFFS[i >> 2]));
    if ((i & 3) !== 0) items.push(alu64(AluOp.RSH, R3, 16 * (i & 3)));
    items.push(alu64(AluOp.AND, R3, 0xffff));
  };
  /** read loads the 8 bytes at base + offset `i` into dst, or goes to `fail`. */
  const read = (dst: Reg, base: Reg, i: number, fail: string): void => {
    off(i);
    items.push(alu64(AluOp.ADD, R3, reg(base)));
    items.push(mov64(R1, reg(R10)), alu64(AluOp.ADD, R1, TMP), mov64(R2, 8), call(Helper.probe_read_kernel));
    items.push(jmp(JmpOp.JNE, R0, 0, fail), ldx(Size.DW, dst, R10, TMP));
  };

  items.push(mov64(R6, reg(R1)), st(Size.B, R6, 0, 0), mov64(R7, reg(R2)));
  items.push(stx(Size.DW, R10, OFFS[0], R3), stx(Size.DW, R10, OFFS[1], R4), stx(Size.DW, R10, OFFS[2], R5));
  // The current task's root ends the walk, as the kernel's d_path() ends at it.
  items.push(st(Size.DW, R10, ROOT_MNT, 0), st(Size.DW, R10, ROOT_DENTRY, 0));
  items.push(call(Helper.get_current_task), mov64(R8, reg(R0)));
  read(R8, R8, 0, 'noroot');
  off(1);
  items.push(alu64(AluOp.ADD, R8, reg(R3)));
  read(R9, R8, 2, 'noroot');
  items.push(stx(Size.DW, R10, ROOT_MNT, R9));
  read(R9, R8, 3, 'noroot');
  items.push(stx(Size.DW, R10, ROOT_DENTRY, R9));
  items.push(label('noroot'));
  // R7: the dentry, R8: its vfsmount, R9: names collected.
  read(R8, R7, 2, 'out');
  read(R7, R7, 3, 'out');
  items.push(mov64(R9, 0));
  // The walk is unrolled: a loop's iterations would differ in the names
  // counted, and the verifier would follow every path through them.
  for (let i = 0; i < DPATH_STEPS; i++) {
    const next = i + 1 < DPATH_STEPS ? `walk${i + 1}` : 'emit';
    const mount = `mount${i}`;
    items.push(label(`walk${i}`));
    items.push(ldx(Size.DW, R1, R10, ROOT_DENTRY), jmp(JmpOp.JNE, R1, reg(R7), `notroot${i}`));
    items.push(ldx(Size.DW, R1, R10, ROOT_MNT), jmp(JmpOp.JEQ, R1, reg(R8), 'emit'));
    items.push(label(`notroot${i}`));
    read(R1, R8, 7, 'emit');
    items.push(jmp(JmpOp.JEQ, R1, reg(R7), mount));
    read(R1, R7, 8, 'emit');
    items.push(jmp(JmpOp.JEQ, R1, reg(R7), mount));
    items.push(stx(Size.DW, R10, SAVED, R1));
    items.push(jmp(JmpOp.JGE, R9, DPATH_DEPTH, 'emit'));
    read(R1, R7, 9, 'emit');
    items.push(mov64(R2, reg(R9)), alu64(AluOp.LSH, R2, 3), alu64(AluOp.ADD, R2, reg(R6)), stx(Size.DW, R2, at, R1));
    items.push(alu64(AluOp.ADD, R9, 1), ldx(Size.DW, R7, R10, SAVED), ja(next));
    // The root of a mount: go on at its mountpoint in the parent mount, unless it is the root mount.
    items.push(label(mount));
    off(4);
    items.push(alu64(AluOp.SUB, R8, reg(R3)));
    read(R1, R8, 5, 'emit');
    items.push(jmp(JmpOp.JEQ, R1, reg(R8), 'emit'), stx(Size.DW, R10, SAVED, R1));
    read(R7, R8, 6, 'emit');
    off(4);
    items.push(ldx(Size.DW, R8, R10, SAVED), alu64(AluOp.ADD, R8, reg(R3)), ja(next));
  }

  // Write "/name" from the last name collected (the top) to the first; no name is "/".
  items.push(label('emit'), mov64(R7, 0));
  items.push(jmp(JmpOp.JNE, R9, 0, 'comp'), st(Size.B, R6, 0, 47), st(Size.B, R6, 1, 0), ja('out'));
  items.push(label('comp'));
  items.push(jmp(JmpOp.JSLE, R9, 0, 'out'), jmp(JmpOp.JSGT, R7, bufSize - 2, 'full'), jmp(JmpOp.JSLT, R7, 0, 'full'));
  items.push(mov64(R1, reg(R6)), alu64(AluOp.ADD, R1, reg(R7)), st(Size.B, R1, 0, 47), alu64(AluOp.ADD, R7, 1));
  items.push(alu64(AluOp.SUB, R9, 1));
  items.push(mov64(R3, reg(R9)), alu64(AluOp.LSH, R3, 3), alu64(AluOp.ADD, R3, reg(R6)), ldx(Size.DW, R3, R3, at));
  items.push(mov64(R1, reg(R6)), alu64(AluOp.ADD, R1, reg(R7)), mov64(R2, bufSize), alu64(AluOp.SUB, R2, reg(R7)));
  items.push(call(Helper.probe_read_kernel_str));
  items.push(jmp(JmpOp.JSLE, R0, 0, 'bad'), alu64(AluOp.ADD, R7, reg(R0)), alu64(AluOp.SUB, R7, 1), ja('comp'));
  // A name that cannot be read is left empty.
  items.push(label('bad'), mov64(R1, reg(R6)), alu64(AluOp.ADD, R1, reg(R7)), st(Size.B, R1, 0, 0), ja('comp'));
  items.push(label('full'), st(Size.B, R6, bufSize - 1, 0));
  items.push(label('out'), mov64(R0, 0), exit());
  return items;
}
