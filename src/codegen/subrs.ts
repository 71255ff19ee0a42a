// Code for D subroutines, one entry per subroutine the checker's table
// (sema/subrs.ts) marks as built: each takes the checked arguments and
// leaves the call's value in a register.

import { alu64, jmp, mov64, st, stx } from '../bpf/build.js';
import { R9 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size } from '../bpf/opcode.js';
import type { TExpr } from '../sema/ir.js';
import type { ExprGen } from './expr.js';
import { Fault, MS } from '../layout/memory.js';
import type { Val } from './regs.js';

type SubrGen = (g: ExprGen, args: readonly TExpr[]) => Val;

/**
 * boundedSize evaluates a size argument and clamps it to [0, max] so the
 * verifier can see the bound; a size above `max` faults when `fault` is set.
 */
function boundedSize(g: ExprGen, e: TExpr, max: number, fault: number | undefined): Val {
  const f = g.f;
  const v = g.gen(e);
  const r = f.ra.use(v);
  const ok = f.newLabel('sz');
  if (fault !== undefined) {
    f.emit(stx(Size.DW, R9, MS.faultAddr, r));
    f.emit(jmp(JmpOp.JGT, r, max, g.cx.faultLabel(fault, f.pc, true)));
  } else {
    f.emit(jmp(JmpOp.JLE, r, max, ok));
    f.emit(mov64(r, max));
    f.label(ok);
  }
  f.ra.unpin();
  return v;
}

/** copyinstr(addr [, maxlen]): a user string, at most strsize characters (maxlen bytes with its NUL). */
function copyinstr(g: ExprGen, args: readonly TExpr[]): Val {
  const f = g.f;
  const max = g.cx.strsize - 1;
  const addr = g.gen(args[0]);
  let size: Val | { imm: number };
  // The length counts the terminating NUL, as DTrace's does.
  if (args[1] === undefined) size = { imm: max + 1 };
  else if (args[1].k === 'int') size = { imm: Math.min(Number(BigInt.asUintN(32, args[1].value)), max + 1) };
  else size = boundedSize(g, args[1], max + 1, undefined);
  const off = g.cx.tmpString();
  f.emit(st(Size.B, R9, off, 0));
  readUser(g, Helper.probe_read_user_str, off, size, addr);
  return f.scratchPtr(off);
}

/** readUser reads user memory at addr into scratch at off with `helper`, faulting on a bad address. */
function readUser(g: ExprGen, helper: number, off: number, size: Val | { imm: number }, addr: Val): void {
  const f = g.f;
  f.emit(stx(Size.DW, R9, MS.faultAddr, f.ra.use(addr)));
  f.ra.unpin();
  const r = f.call(helper, [{ scratch: off }, size, addr]);
  f.emit(jmp(JmpOp.JSLT, f.ra.use(r), 0, g.cx.faultLabel(Fault.BADADDR, f.pc, true)));
  f.ra.unpin();
  f.ra.release(r);
}

/** copyin(addr, size): `size` bytes of user memory in a scratch buffer; the value is its address. */
function copyin(g: ExprGen, args: readonly TExpr[]): Val {
  const f = g.f;
  g.cx.usesCopyin = true;
  const max = g.cx.scratch.copySize;
  const addr = g.gen(args[0]);
  const size: Val | { imm: number } = args[1].k === 'int' && args[1].value <= BigInt(max)
    ? { imm: Number(args[1].value) }
    : boundedSize(g, args[1], max, Fault.NOSCRATCH);
  const off = g.cx.scratch.copyOff;
  readUser(g, Helper.probe_read_user, off, size, addr);
  return f.scratchPtr(off);
}

/** SUBR_CODE maps each built subroutine to its code. */
const SUBR_CODE: Readonly<Record<string, SubrGen>> = {
  copyinstr,
  copyin,
};

/** genSubr generates a subroutine call. */
export function genSubr(g: ExprGen, e: TExpr & { k: 'call' }): Val {
  const gen = SUBR_CODE[e.fn];
  if (gen === undefined) throw new Error(`BUG: no code for subroutine ${e.fn}`);
  return gen(g, e.args);
}
