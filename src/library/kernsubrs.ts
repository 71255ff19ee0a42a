// Subroutines about the kernel's own objects (their entries are in
// library/subrs.ts): rand(), progenyof(), getmajor()/getminor() and the
// lock queries. What each means on Linux follows dtrace-utils:
//   - every mutex is adaptive: mutex_type_adaptive() is 1, mutex_type_spin() 0;
//   - a struct mutex's owner word holds the owning task with flag bits
//     in its low 3 bits: mutex_owner() is that task, mutex_owned() whether
//     it is the current one;
//   - an rwlock_t is a queued rwlock: its count word holds the writer
//     byte (0xff when write-locked) and a waiting-writer bit under bit 9,
//     readers above: rw_write_held() is cnts & 0xff, rw_iswriter() cnts &
//     0x1ff, rw_read_held() the readers, cnts & ~0x1ff (values, not 0/1);
//   - a dev_t is the kernel's: 12 bits of major above 20 bits of minor.
// A NULL lock faults at 0; an unreadable one reads as 0, as in
// dtrace-utils. Structure offsets come from BTF at check time, as hidden
// arguments of the call.

import { alu64, jmp, ldx, mov64, reg } from '../bpf/build.js';
import { R10 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size, sizeForBytes } from '../bpf/opcode.js';
import { KernFn } from '../codegen/kernfns.js';
import { ptrArg } from '../codegen/alloca.js';
import { DPATH_OFFSETS, dPathArea, dPathName } from '../codegen/dpathfn.js';
import type { ExprGen } from '../codegen/expr.js';
import type { Val } from '../codegen/regs.js';
import { CompileError, type Pos } from '../diag/diagnostic.js';
import { Fault, Frame, MS } from '../layout/memory.js';
import type { ExprChecker } from '../sema/expr.js';
import type { TExpr } from '../sema/ir.js';
import { findMember, resolved, sizeOf, T, type Member, type Type } from '../sema/types.js';
import { st } from '../bpf/build.js';
import { R9 } from '../bpf/insn.js';

/** hidden is a constant argument the checker adds to a call. */
function hidden(value: number, pos: Pos): TExpr {
  return { k: 'int', type: T.long, pos, value: BigInt(value) };
}

/** kernelMember finds `path` (members, through nested structs) in a kernel type, or says what is missing. */
function kernelMember(fn: string, t: Type | undefined, what: string, path: readonly string[]): { off: number; m: Member } {
  let off = 0;
  let cur = t === undefined ? undefined : resolved(t);
  let m: Member | undefined;
  for (const name of path) {
    m = cur?.kind === 'sou' && cur.decl.complete ? findMember(cur.decl, name) : undefined;
    if (m === undefined) {
      throw new CompileError('', `${fn}( ) needs ${what} with member ${path.join('.')} from the kernel's BTF, and this kernel has none`);
    }
    off += Math.floor(m.bitOffset / 8);
    cur = resolved(m.type);
  }
  return { off, m: m! };
}

/** checkMutex adds the offset of struct mutex's owner word. */
export function checkMutex(fn: string): (c: ExprChecker, args: readonly TExpr[], pos: Pos) => TExpr[] {
  return (c, _args, pos) => [hidden(kernelMember(fn, c.scope.types.env.tag('struct', 'mutex'), 'struct mutex', ['owner']).off, pos)];
}

/** checkRwlock adds the offset and size of an rwlock_t's count word (raw_lock.cnts; kernels built for PREEMPT_RT have none). */
export function checkRwlock(fn: string): (c: ExprChecker, args: readonly TExpr[], pos: Pos) => TExpr[] {
  return (c, _args, pos) => {
    const { off, m } = kernelMember(fn, c.scope.types.env.typedef('rwlock_t'), 'rwlock_t', ['raw_lock', 'cnts']);
    return [hidden(off, pos), hidden(sizeOf(m.type, 0), pos)];
  };
}

/**
 * checkDPath adds the structure offsets d_path( ) walks (codegen/dpathfn.ts
 * DPATH_OFFSETS), four 16-bit offsets to an argument.
 */
export function checkDPath(c: ExprChecker, _args: readonly TExpr[], pos: Pos): TExpr[] {
  const words = [0n, 0n, 0n];
  DPATH_OFFSETS.forEach(([tag, ...path], i) => {
    const { off } = kernelMember('d_path', c.scope.types.env.tag('struct', tag), `struct ${tag}`, path);
    if (off > 0xffff) throw new CompileError('', `d_path( ) cannot use struct ${tag} of this kernel: member ${path.join('.')} is at offset ${off}`);
    words[i >> 2] |= BigInt(off) << BigInt(16 * (i & 3));
  });
  return words.map((value) => ({ k: 'int', type: T.ulong, pos, value }));
}

/** checkProgenyof adds the offsets of a task's tgid and real_parent. */
export function checkProgenyof(c: ExprChecker, _args: readonly TExpr[], pos: Pos): TExpr[] {
  const task = c.scope.types.env.tag('struct', 'task_struct');
  return [
    hidden(kernelMember('progenyof', task, 'struct task_struct', ['tgid']).off, pos),
    hidden(kernelMember('progenyof', task, 'struct task_struct', ['real_parent']).off, pos),
  ];
}

function constArg(e: TExpr): number {
  if (e.k !== 'int') throw new Error('BUG: hidden argument is not a constant');
  return Number(e.value);
}

/** shifted applies shifts to v in place: the bit-field extractions below. */
function shifted(g: ExprGen, v: Val, shifts: readonly (readonly [AluOp, number])[]): Val {
  const r = g.f.ra.use(v);
  for (const [op, n] of shifts) g.f.emit(alu64(op, r, n));
  g.f.ra.unpin();
  return v;
}

/** rand(): a pseudo-random int (bpf_get_prandom_u32, sign-extended as DTrace does). */
export function rand(g: ExprGen): Val {
  return shifted(g, g.f.call(Helper.get_prandom_u32, []), [[AluOp.LSH, 32], [AluOp.ARSH, 32]]);
}

/** getmajor(dev): the major number of a kernel dev_t (MAJOR() of include/linux/kdev_t.h). */
export function getmajor(g: ExprGen, args: readonly TExpr[]): Val {
  return shifted(g, g.gen(args[0]), [[AluOp.LSH, 32], [AluOp.RSH, 52]]);
}

/** getminor(dev): the minor number of a kernel dev_t (MINOR()). */
export function getminor(g: ExprGen, args: readonly TExpr[]): Val {
  const v = g.gen(args[0]);
  g.f.emit(alu64(AluOp.AND, g.f.ra.use(v), 0xfffff));
  g.f.ra.unpin();
  return v;
}

/**
 * lockWord reads `size` bytes at lock + off: a NULL lock faults at 0, an
 * unreadable one reads as 0 (the helper zeroes what it cannot read).
 */
function lockWord(g: ExprGen, lock: TExpr, off: number, size: number): Val {
  const f = g.f;
  const p = g.gen(lock);
  const rp = f.ra.use(p);
  f.emit(st(Size.DW, R9, MS.faultAddr, 0));
  f.emit(jmp(JmpOp.JEQ, rp, 0, g.cx.faultLabel(Fault.BADADDR, f.pc, true)));
  if (off !== 0) f.emit(alu64(AluOp.ADD, rp, off));
  f.ra.unpin();
  const r = f.call(Helper.probe_read_kernel, [{ stack: Frame.load }, { imm: size }, p]);
  f.emit(ldx(sizeForBytes(size), f.ra.use(r), R10, Frame.load));
  f.ra.unpin();
  return r;
}

/** mutexOwner is the owner word without its flag bits: the owning task, or NULL. */
function mutexOwnerWord(g: ExprGen, args: readonly TExpr[]): Val {
  const v = lockWord(g, args[0], constArg(args[1]), 8);
  g.f.emit(alu64(AluOp.AND, g.f.ra.use(v), -8));
  g.f.ra.unpin();
  return v;
}

/** mutex_owner(m): the task holding the mutex, or NULL. */
export function mutexOwner(g: ExprGen, args: readonly TExpr[]): Val {
  return mutexOwnerWord(g, args);
}

/** mutex_owned(m): 1 when the current task holds the mutex. */
export function mutexOwned(g: ExprGen, args: readonly TExpr[]): Val {
  const f = g.f;
  const owner = mutexOwnerWord(g, args);
  const cur = f.call(Helper.get_current_task, []);
  const d = f.ra.alloc();
  const rd = f.ra.use(d);
  const yes = f.newLabel('own');
  f.emit(mov64(rd, 1));
  f.emit(jmp(JmpOp.JEQ, f.ra.use(owner), reg(f.ra.use(cur)), yes));
  f.emit(mov64(rd, 0));
  f.label(yes);
  f.ra.unpin();
  f.ra.release(owner);
  f.ra.release(cur);
  return d;
}

/** mutexType is mutex_type_adaptive() (1) and mutex_type_spin() (0): the argument is evaluated for its effects only. */
export function mutexType(value: number): (g: ExprGen, args: readonly TExpr[]) => Val {
  return (g, args) => {
    g.f.ra.release(g.gen(args[0]));
    return g.f.constant(value);
  };
}

/** rwlockBits is rw_read_held(), rw_write_held() and rw_iswriter(): bits of the lock's count word. */
export function rwlockBits(mask: number): (g: ExprGen, args: readonly TExpr[]) => Val {
  return (g, args) => {
    const v = lockWord(g, args[0], constArg(args[1]), constArg(args[2]));
    g.f.emit(alu64(AluOp.AND, g.f.ra.use(v), mask));
    g.f.ra.unpin();
    return v;
  };
}

/**
 * d_path(path): the path name of a struct path, as the kernel's d_path()
 * gives it (relative to the current task's root).
 */
export function dPath(g: ExprGen, args: readonly TExpr[]): Val {
  const f = g.f;
  // As DTrace checks it (dt_cg_check_ptr_arg): NULL faults, an alloca pointer must be allocated.
  const p = ptrArg(g, args[0]);
  const area = g.cx.tmp(dPathArea(g.cx.strsize));
  const words = args.slice(1).map((a) => ({ imm: a.k === 'int' ? a.value : 0n }));
  f.ra.release(f.call(dPathName(g.cx.strsize), [{ scratch: area }, p, ...words]));
  return f.scratchPtr(area);
}

/** progenyof(pid): whether the current process is pid or descends from it. */
export function progenyof(g: ExprGen, args: readonly TExpr[]): Val {
  const pid = g.gen(args[0]);
  return g.f.call(KernFn.progenyof, [pid, { imm: constArg(args[1]) }, { imm: constArg(args[2]) }]);
}
