// The memory subroutines' checks and code (their entries are in
// library/subrs.ts): alloca(), bcopy(), copyin() and copyinto(), which
// allocate or fill alloca scratch memory (codegen/alloca.ts), and the
// destructive copyout() and copyoutstr(), which write a process's memory
// with bpf_probe_write_user. Each faults as dtrace-utils does: sizes past
// the scratch area are "invalid size", bad source addresses "invalid
// address", allocations past it "out of scratch space".

import { jmp, mov64, st, stx } from '../bpf/build.js';
import { R9 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { JmpOp, Size } from '../bpf/opcode.js';
import { allocaAddress, allocaTake, checkAlloca, ptrArg } from '../codegen/alloca.js';
import type { ExprGen } from '../codegen/expr.js';
import type { Val } from '../codegen/regs.js';
import { CompileError, type Pos } from '../diag/diagnostic.js';
import { Fault, MS } from '../layout/memory.js';
import { allocaOf } from '../sema/alloca.js';
import type { ExprChecker } from '../sema/expr.js';
import type { TExpr } from '../sema/ir.js';
import { scratchArea } from '../codegen/alloca.js';

/** generatorError is an error DTrace's code generator raises: after the clause is checked, naming no part of it. */
export function generatorError(tag: string, message: string, pos: Pos): CompileError {
  return new CompileError(tag, message, pos).inRegion('');
}

/**
 * checkAllocaSize refuses a constant allocation larger than the scratch
 * area (D_ALLOCA_SIZE, as dt_cg_subr_alloca_impl): such code could never
 * run, and the verifier would find its allocation path unreachable.
 */
export function checkAllocaSize(c: ExprChecker, size: TExpr, pos: Pos): void {
  const max = Math.max(0, scratchArea(c.scope.options) - 8);
  if (size.k === 'int' && BigInt.asUintN(64, size.value) > BigInt(max)) {
    throw generatorError('D_ALLOCA_SIZE', `alloca(${BigInt.asUintN(64, size.value)}) size larger than scratchsize ${max}`, pos);
  }
}

/** checkAllocaDest refuses a bcopy() or copyinto() destination that is not alloca memory (D_PROTO_ARG). */
function checkAllocaDest(fn: string, n: number, dst: TExpr, pos: Pos): void {
  if (!allocaOf(dst)) {
    throw generatorError('D_PROTO_ARG', `${fn}( ) argument #${n} is incompatible with prototype:\n\tprototype: alloca pointer\n\t argument: non-alloca pointer`, pos);
  }
}

export function checkAlloca0(c: ExprChecker, args: readonly TExpr[], pos: Pos): void {
  checkAllocaSize(c, args[0], pos);
}

export function checkBcopy(_c: ExprChecker, args: readonly TExpr[], pos: Pos): void {
  checkAllocaDest('bcopy', 2, args[1], pos);
}

export function checkCopyin(c: ExprChecker, args: readonly TExpr[], pos: Pos): void {
  checkAllocaSize(c, args[1], pos);
}

/** checkDestructive marks copyout( ) and copyoutstr( ) as destructive: tracing needs -w. */
export function checkDestructive(fn: string): (c: ExprChecker) => void {
  return (c) => {
    c.scope.destructive.add(fn);
  };
}

export function checkCopyinto(_c: ExprChecker, args: readonly TExpr[], pos: Pos): void {
  checkAllocaDest('copyinto', 3, args[2], pos);
}

/** none is the value of a void subroutine (never used: the checker refuses void values). */
function none(g: ExprGen): Val {
  return g.f.constant(0);
}

/**
 * checkSize faults with "invalid size" unless 0 <= size <= the area's
 * usable bytes, which also bounds it for the verifier.
 */
function checkSize(g: ExprGen, size: Val): void {
  const f = g.f;
  const r = f.ra.use(size);
  f.emit(stx(Size.DW, R9, MS.faultAddr, r));
  const bad = g.cx.faultLabel(Fault.BADSIZE, f.pc, true);
  f.emit(jmp(JmpOp.JSLT, r, 0, bad));
  f.emit(jmp(JmpOp.JGT, r, g.cx.scratchsize - 8, bad));
  f.ra.unpin();
}

/** copyOf duplicates a value into a new register (the original stays live). */
function copyOf(g: ExprGen, v: Val): Val {
  const d = g.f.ra.alloc();
  g.f.emit(mov64(d.reg!, { reg: g.f.ra.use(v) }));
  g.f.ra.unpin();
  return d;
}

/** alloca(size): `size` bytes of scratch memory for the rest of the clause; the value is their offset. */
export function alloca(g: ExprGen, args: readonly TExpr[]): Val {
  return allocaTake(g, g.gen(args[0]));
}

/**
 * readInto calls a probe_read helper (dst, size, src) and faults at the
 * source address when it fails: dst and size are checked already.
 */
function readInto(g: ExprGen, helper: number, dst: Val, size: Val, src: Val): void {
  const f = g.f;
  f.emit(stx(Size.DW, R9, MS.faultAddr, f.ra.use(src)));
  f.ra.unpin();
  const r = f.call(helper, [dst, size, src]);
  f.emit(jmp(JmpOp.JNE, f.ra.use(r), 0, g.cx.faultLabel(Fault.BADADDR, f.pc, true)));
  f.ra.unpin();
  f.ra.release(r);
}

/**
 * copyTo is bcopy() and copyinto(): `size` bytes from src (kernel or
 * alloca memory for bcopy, user memory for copyinto) into alloca memory,
 * the arguments evaluated in the order DTrace evaluates them.
 */
function copyTo(g: ExprGen, src: TExpr, dst: TExpr, sizeE: TExpr, user: boolean): Val {
  let s: Val;
  let d: Val;
  let size: Val;
  if (user) {
    s = g.gen(src);
    size = g.gen(sizeE);
    d = g.gen(dst);
  } else {
    s = g.gen(src);
    d = g.gen(dst);
    size = g.gen(sizeE);
  }
  checkSize(g, size);
  if (!user && allocaOf(src)) checkAlloca(g, s, size);
  else nonNull(g, s);
  checkAlloca(g, d, size);
  readInto(g, user ? Helper.probe_read_user : Helper.probe_read_kernel, d, size, s);
  return none(g);
}

/** nonNull faults at address 0 when a pointer argument is NULL (dt_cg_check_notnull). */
function nonNull(g: ExprGen, v: Val): void {
  const f = g.f;
  f.emit(st(Size.DW, R9, MS.faultAddr, 0));
  f.emit(jmp(JmpOp.JEQ, f.ra.use(v), 0, g.cx.faultLabel(Fault.BADADDR, f.pc, true)));
  f.ra.unpin();
}

/** bcopy(src, dst, size): kernel (or alloca) memory into alloca memory. */
export function bcopy(g: ExprGen, args: readonly TExpr[]): Val {
  return copyTo(g, args[0], args[1], args[2], false);
}

/** copyinto(addr, size, dst): user memory into alloca memory. */
export function copyinto(g: ExprGen, args: readonly TExpr[]): Val {
  return copyTo(g, args[0], args[2], args[1], true);
}

/**
 * copyin(addr, size): `size` bytes of user memory in newly allocated
 * scratch memory; the value is an alloca pointer to them (as in DTrace,
 * where copyin allocates as alloca does). The size is evaluated first.
 */
export function copyin(g: ExprGen, args: readonly TExpr[]): Val {
  const size = g.gen(args[1]);
  checkSize(g, size);
  const off = allocaTake(g, copyOf(g, size));
  const dst = allocaAddress(g, off);
  const addr = g.gen(args[0]);
  readInto(g, Helper.probe_read_user, dst, size, addr);
  return off;
}

/**
 * userWrite calls bpf_probe_write_user(dst, src, n), faulting at the
 * destination when it fails. `n` must be bounded to [1, max] already.
 */
function userWrite(g: ExprGen, dst: Val, src: Val, n: Val): void {
  const f = g.f;
  f.emit(stx(Size.DW, R9, MS.faultAddr, f.ra.use(dst)));
  f.ra.unpin();
  const r = f.call(Helper.probe_write_user, [dst, src, n]);
  f.emit(jmp(JmpOp.JNE, f.ra.use(r), 0, g.cx.faultLabel(Fault.BADADDR, f.pc, true)));
  f.ra.unpin();
  f.ra.release(r);
}

/**
 * userDest checks copyout's destination: a NULL one faults at 0 (DTrace
 * checks it before writing). It returns false when the destination is
 * the constant 0, which always faults: no write is generated then, so
 * the program needs no bpf_probe_write_user.
 */
function userDest(g: ExprGen, dst: TExpr, d: Val): boolean {
  const f = g.f;
  if (dst.k === 'int' && dst.value === 0n) {
    const zero = f.constant(0);
    f.emit(st(Size.DW, R9, MS.faultAddr, 0));
    f.jumpIf(JmpOp.JEQ, zero, 0, g.cx.faultLabel(Fault.BADADDR, f.pc, true));
    return false;
  }
  nonNull(g, d);
  return true;
}

/**
 * copyout(src, addr, size): `size` bytes of kernel or alloca memory into
 * the current process at addr. bpf_probe_write_user reads only memory
 * the verifier knows, so a kernel source is first copied into a scratch
 * temporary; sizes are bounded by the scratch area as bcopy's are.
 */
export function copyout(g: ExprGen, args: readonly TExpr[]): Val {
  const f = g.f;
  let src = g.gen(args[0]);
  const d = g.gen(args[1]);
  const size = g.gen(args[2]);
  checkSize(g, size);
  const inScratch = allocaOf(args[0]);
  if (inScratch) checkAlloca(g, src, size);
  else nonNull(g, src);
  if (!userDest(g, args[1], d)) {
    for (const v of [src, d, size]) f.ra.release(v);
    return none(g);
  }
  if (!inScratch) {
    const tmp = g.cx.tmp(g.cx.scratchsize);
    readInto(g, Helper.probe_read_kernel, f.scratchPtr(tmp), copyOf(g, size), src);
    src = f.scratchPtr(tmp);
  }
  // A zero-sized write writes nothing (the helper wants at least one byte).
  const done = f.newLabel('cpo');
  const leave = f.ra.enterBranch();
  f.emit(jmp(JmpOp.JEQ, f.ra.use(size), 0, done));
  f.ra.unpin();
  userWrite(g, d, src, size);
  f.label(done);
  leave();
  return none(g);
}

/**
 * copyoutstr(str, addr, maxlen): the string and its NUL, at most maxlen
 * bytes (and at most strsize), into the current process at addr. The
 * string is measured by copying it into a temporary first; a string that
 * cannot be read faults at its address.
 */
export function copyoutstr(g: ExprGen, args: readonly TExpr[]): Val {
  const f = g.f;
  const s = g.gen(args[0]);
  const d = g.gen(args[1]);
  const size = g.gen(args[2]);
  const rs = f.ra.use(size);
  const fits = f.newLabel('cps');
  f.emit(jmp(JmpOp.JLE, rs, g.cx.strsize, fits));
  f.emit(mov64(rs, g.cx.strsize));
  f.label(fits);
  f.ra.unpin();
  if (allocaOf(args[0])) checkAlloca(g, s, size);
  else nonNull(g, s);
  if (!userDest(g, args[1], d)) {
    for (const v of [s, d, size]) f.ra.release(v);
    return none(g);
  }
  const tmp = g.cx.tmpString();
  f.emit(stx(Size.DW, R9, MS.faultAddr, f.ra.use(s)));
  f.ra.unpin();
  const n = f.call(Helper.probe_read_kernel_str, [{ scratch: tmp }, size, s]);
  const rn = f.ra.use(n);
  const bad = g.cx.faultLabel(Fault.BADADDR, f.pc, true);
  f.emit(jmp(JmpOp.JSLE, rn, 0, bad));
  f.emit(jmp(JmpOp.JGT, rn, g.cx.strsize, bad));
  f.ra.unpin();
  userWrite(g, d, f.scratchPtr(tmp), n);
  return none(g);
}
