// D's subroutines in one table: each entry holds its prototype as DTrace
// writes it ("string(uintptr_t, [size_t])": return type, parameter types,
// [optional] ones, "..." and "@" for any type), which the checker
// (sema/subrs.ts) checks calls against, and its code, which takes the
// checked arguments and leaves the call's value in a register. An entry
// without code is a subroutine this compiler does not build yet.

import { jmp, mov64, st, stx } from '../bpf/build.js';
import { R9 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { JmpOp, Size } from '../bpf/opcode.js';
import type { ExprGen } from '../codegen/expr.js';
import type { Val } from '../codegen/regs.js';
import { Fault, MS } from '../layout/memory.js';
import type { TExpr } from '../sema/ir.js';
import { genSpeculation } from '../codegen/spec.js';

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

/** SubrDef is a subroutine's prototype (for the checker) and its code (none: not built yet). */
export interface SubrDef {
  readonly proto: string;
  readonly gen?: SubrGen;
}

function s(proto: string, gen?: SubrGen): SubrDef {
  return { proto, gen };
}

/** SUBRS lists every D subroutine. */
export const SUBRS: Readonly<Record<string, SubrDef>> = {
  alloca: s('void *(size_t)'),
  basename: s('string(const char *)'),
  bcopy: s('void(void *, void *, size_t)'),
  cleanpath: s('string(const char *)'),
  copyin: s('void *(uintptr_t, size_t)', copyin),
  copyinstr: s('string(uintptr_t, [size_t])', copyinstr),
  copyinto: s('void(uintptr_t, size_t, void *)'),
  copyout: s('void(void *, uintptr_t, size_t)'),
  copyoutstr: s('void(char *, uintptr_t, size_t)'),
  d_path: s('string(struct path *)'),
  dirname: s('string(const char *)'),
  getmajor: s('dev_t(dev_t)'),
  getminor: s('dev_t(dev_t)'),
  htonl: s('uint32_t(uint32_t)'),
  htonll: s('uint64_t(uint64_t)'),
  htons: s('uint16_t(uint16_t)'),
  index: s('int(const char *, const char *, [int])'),
  inet_ntoa: s('string(ipaddr_t *)'),
  inet_ntoa6: s('string(struct in6_addr *, [int])'),
  inet_ntop: s('string(int, void *)'),
  link_ntop: s('string(int, void *)'),
  lltostr: s('string(int64_t, [int])'),
  mutex_owned: s('int(struct mutex *)'),
  mutex_owner: s('struct task_struct *(struct mutex *)'),
  mutex_type_adaptive: s('int(struct mutex *)'),
  mutex_type_spin: s('int(struct mutex *)'),
  ntohl: s('uint32_t(uint32_t)'),
  ntohll: s('uint64_t(uint64_t)'),
  ntohs: s('uint16_t(uint16_t)'),
  progenyof: s('int(pid_t)'),
  rand: s('int()'),
  rindex: s('int(const char *, const char *, [int])'),
  rw_iswriter: s('int(rwlock_t *)'),
  rw_read_held: s('int(rwlock_t *)'),
  rw_write_held: s('int(rwlock_t *)'),
  speculation: s('int()', genSpeculation),
  strchr: s('string(const char *, char)'),
  strjoin: s('string(const char *, const char *)'),
  strlen: s('size_t(const char *)'),
  strrchr: s('string(const char *, char)'),
  strstr: s('string(const char *, const char *)'),
  strtok: s('string(const char *, const char *)'),
  strtoll: s('int64_t(const char *, [int])'),
  substr: s('string(const char *, int, [int])'),
  tolower: s('string(const char *)'),
  toupper: s('string(const char *)'),
  getpid: s('pid_t()'),
};

/** genSubr generates a subroutine call. */
export function genSubr(g: ExprGen, e: TExpr & { k: 'call' }): Val {
  const gen = SUBRS[e.fn]?.gen;
  if (gen === undefined) throw new Error(`BUG: no code for subroutine ${e.fn}`);
  return gen(g, e.args);
}
