// alloca() scratch memory at run time, as dtrace-utils lays it out: each
// CPU's scratch value holds an area of twice `scratchsize` bytes (the
// option rounded up to 8, plus 8) whose first 8 bytes stand for NULL; the
// machine state's scratchTop word is the end of what the clause has
// allocated, reset to 8 when a clause starts. An alloca pointer is an
// offset into the area (so `trace(alloca(1))` prints 8, as DTrace does),
// and every access through one is checked against scratchTop and turned
// into an address there: below 8, at or past the top is DTrace's
// "invalid address", a range running past the top its "invalid size".
// The area is twice as large as the offsets can reach so that a copy of
// up to scratchsize bytes from any valid offset stays inside it, which is
// what the verifier checks.

import { alu64, jmp, ldx, mov64, reg, st, stx } from '../bpf/build.js';
import { R9 } from '../bpf/insn.js';
import { AluOp, JmpOp, Size } from '../bpf/opcode.js';
import { allocaOf, inAlloca } from '../sema/alloca.js';
import type { TExpr } from '../sema/ir.js';
import { isByRef, sizeOf } from '../sema/types.js';
import { Fault, MS } from '../layout/memory.js';
import type { ExprGen } from './expr.js';
import type { Options } from '../sema/options.js';
import { addIndex } from './lvalue.js';
import type { Val } from './regs.js';

/**
 * scratchArea is the effective scratch size dtrace-utils derives from the
 * scratchsize option (the 8 NULL bytes included): a value set with -x or
 * a pragma is stored rounded already (sema/options.ts), the default is not.
 */
export function scratchArea(options: Pick<Options, 'has' | 'num'>): number {
  const n = options.num('scratchsize');
  if (options.has('scratchsize')) return n;
  return n > 0 ? Math.ceil((n + 8) / 8) * 8 : 0;
}

/** isAllocaOffset tells whether an expression's value, in a register, is an alloca offset (not an address). */
export function isAllocaOffset(e: TExpr): boolean {
  return allocaOf(e) && !isByRef(e.type);
}

/** allocaStart resets the clause's allocations (every clause starts with an empty area). */
export function allocaStart(g: ExprGen): void {
  g.f.emit(st(Size.W, R9, MS.scratchTop, 8));
}

/**
 * allocaTake allocates `size` bytes (consumed) and returns the offset of
 * the first: the top moves up by size rounded to 8 bytes. More than the
 * area holds is DTrace's "out of scratch space". The result is bounded
 * explicitly so that the verifier can add it to the area's address.
 */
export function allocaTake(g: ExprGen, size: Val): Val {
  const f = g.f;
  const area = g.cx.scratchsize;
  g.cx.usesAlloca = true;
  const full = g.cx.faultLabel(Fault.NOSCRATCH, f.pc);
  const rs = f.ra.use(size);
  // A size larger than the area also keeps top + size from wrapping around.
  f.emit(jmp(JmpOp.JGT, rs, area - 8, full));
  const top = f.ra.alloc();
  const rt = f.ra.use(top);
  f.emit(ldx(Size.W, rt, R9, MS.scratchTop));
  f.emit(alu64(AluOp.ADD, rs, reg(rt)));
  f.emit(alu64(AluOp.ADD, rs, 7));
  f.emit(alu64(AluOp.AND, rs, -8));
  f.emit(jmp(JmpOp.JGT, rs, area, full));
  f.emit(jmp(JmpOp.JGT, rt, area - 8, full));
  f.emit(stx(Size.W, R9, MS.scratchTop, rs));
  f.ra.unpin();
  f.ra.release(size);
  return top;
}

/**
 * checkAlloca checks that `size` bytes (a constant, or a value the caller
 * has bounded to [0, scratchsize - 8]) at offset `off` were allocated by
 * this clause, as dt_cg_alloca_access_check does, and turns `off` into
 * their address in place.
 */
export function checkAlloca(g: ExprGen, off: Val, size: number | Val): Val {
  const f = g.f;
  const area = g.cx.scratchsize;
  g.cx.usesAlloca = true;
  const r = f.ra.use(off);
  f.emit(stx(Size.DW, R9, MS.faultAddr, r));
  const bad = g.cx.faultLabel(Fault.BADADDR, f.pc, true);
  f.emit(jmp(JmpOp.JSLT, r, 8, bad));
  f.emit(jmp(JmpOp.JSGE, r, area, bad));
  const top = f.ra.alloc();
  const rt = f.ra.use(top);
  f.emit(ldx(Size.W, rt, R9, MS.scratchTop));
  f.emit(jmp(JmpOp.JGE, r, reg(rt), bad));
  if (typeof size === 'number') {
    f.emit(st(Size.DW, R9, MS.faultAddr, size));
    const big = g.cx.faultLabel(Fault.BADSIZE, f.pc, true);
    f.emit(alu64(AluOp.SUB, rt, size));
    f.emit(jmp(JmpOp.JSGT, r, reg(rt), big));
    // The top is at most the area's size: this bounds the access for the verifier.
    f.emit(jmp(JmpOp.JSGT, r, area - size, big));
  } else {
    const rs = f.ra.use(size);
    f.emit(stx(Size.DW, R9, MS.faultAddr, rs));
    f.emit(alu64(AluOp.SUB, rt, reg(rs)));
    f.emit(jmp(JmpOp.JSGT, r, reg(rt), g.cx.faultLabel(Fault.BADSIZE, f.pc, true)));
  }
  f.emit(mov64(rt, reg(R9)));
  f.emit(alu64(AluOp.ADD, rt, g.cx.scratch.allocaOff));
  f.emit(alu64(AluOp.ADD, rt, reg(r)));
  f.emit(mov64(r, reg(rt)));
  f.ra.unpin();
  f.ra.release(top);
  return off;
}

/**
 * allocaAddress turns an offset just returned by allocaTake (so known to
 * be valid) into its address, bounding it for the verifier.
 */
export function allocaAddress(g: ExprGen, off: Val): Val {
  const f = g.f;
  const p = f.scratchPtr(g.cx.scratch.allocaOff);
  const rp = f.ra.use(p);
  const r = f.ra.use(off);
  f.emit(alu64(AluOp.ADD, rp, reg(r)));
  f.ra.unpin();
  return p;
}

/**
 * allocaOffset computes the offset of an lvalue that lives in alloca
 * memory (`*p`, `p->m`, `p->a[i]` with p an alloca pointer), without
 * checking it: a NULL pointer faults at 0 first, as in DTrace.
 */
export function allocaOffset(g: ExprGen, e: TExpr): Val {
  const f = g.f;
  switch (e.k) {
    case 'deref': {
      const p = g.gen(e.ptr);
      f.emit(jmp(JmpOp.JEQ, f.ra.use(p), 0, g.cx.faultLabel(Fault.BADADDR, f.pc)));
      f.ra.unpin();
      return p;
    }
    case 'member': {
      const p = allocaOffset(g, e.obj);
      const off = Math.floor(e.m.bitOffset / 8);
      if (off !== 0) {
        f.emit(alu64(AluOp.ADD, f.ra.use(p), off));
        f.ra.unpin();
      }
      return p;
    }
    case 'index': return addIndex(g, allocaOffset(g, e.arr), e);
    default:
      throw new Error(`BUG: ${e.k} does not live in alloca memory`);
  }
}

/**
 * ptrArg evaluates a pointer a subroutine reads through, as
 * dt_cg_check_ptr_arg: an alloca pointer is checked for `size` bytes
 * (the pointer's own size when not given, as DTrace checks it) and turned
 * into an address; any other pointer only may not be NULL.
 */
export function ptrArg(g: ExprGen, e: TExpr, size?: number | Val): Val {
  const f = g.f;
  const v = g.gen(e);
  if (isAllocaOffset(e)) return checkAlloca(g, v, size ?? 8);
  if (inAlloca(e)) return v;
  f.emit(st(Size.DW, R9, MS.faultAddr, 0));
  f.emit(jmp(JmpOp.JEQ, f.ra.use(v), 0, g.cx.faultLabel(Fault.BADADDR, f.pc, true)));
  f.ra.unpin();
  return v;
}
