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
import * as str from './strings.js';
import type { ExprChecker } from '../sema/expr.js';
import type { Pos } from '../diag/diagnostic.js';
import { alloca, bcopy, checkAlloca0, checkBcopy, checkCopyin, checkCopyinto, checkDestructive, copyin, copyinto, copyout, copyoutstr } from './memsubrs.js';
import { checkDPath, dPath, checkMutex, checkProgenyof, checkRwlock, getmajor, getminor, mutexOwned, mutexOwner, mutexType, progenyof, rand, rwlockBits } from './kernsubrs.js';
import { byteOrder, checkNtoa6, inetNtoa, inetNtoa6, inetNtop, linkNtop } from './netsubrs.js';
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

/**
 * copyinstr(addr [, maxlen]): a user string read into at most strsize
 * bytes, or maxlen, its NUL included (strsize - 1 characters at most, as
 * DTrace reads it; cx.strsize has room for one more).
 */
function copyinstr(g: ExprGen, args: readonly TExpr[]): Val {
  const f = g.f;
  const max = g.cx.strsize - 2;
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

/**
 * SubrCheck checks what DTrace checks of a call beyond its prototype
 * (mostly its code generator's errors) and may return hidden arguments
 * appended to the call: constants only the checker can know, such as
 * kernel structure offsets from BTF.
 */
export type SubrCheck = (c: ExprChecker, args: readonly TExpr[], pos: Pos) => readonly TExpr[] | void;

/** SubrDef is a subroutine's prototype (for the checker), its extra checks and its code (none: not built yet). */
export interface SubrDef {
  readonly proto: string;
  readonly gen?: SubrGen;
  readonly check?: SubrCheck;
  /** The string it returns may be NULL (recording it then faults). */
  readonly nullable?: boolean;
}

function s(proto: string, gen?: SubrGen, check?: SubrCheck): SubrDef {
  return { proto, gen, check };
}

/** ns is a string subroutine whose result may be NULL. */
function ns(proto: string, gen: SubrGen): SubrDef {
  return { proto, gen, nullable: true };
}

/** SUBRS lists every D subroutine. */
export const SUBRS: Readonly<Record<string, SubrDef>> = {
  alloca: s('void *(size_t)', alloca, checkAlloca0),
  basename: s('string(const char *)', str.basename),
  bcopy: s('void(void *, void *, size_t)', bcopy, checkBcopy),
  cleanpath: s('string(const char *)', str.cleanpath),
  copyin: s('void *(uintptr_t, size_t)', copyin, checkCopyin),
  copyinstr: s('string(uintptr_t, [size_t])', copyinstr),
  copyinto: s('void(uintptr_t, size_t, void *)', copyinto, checkCopyinto),
  copyout: s('void(void *, uintptr_t, size_t)', copyout, checkDestructive('copyout')),
  copyoutstr: s('void(char *, uintptr_t, size_t)', copyoutstr, checkDestructive('copyoutstr')),
  d_path: s('string(struct path *)', dPath, checkDPath),
  dirname: s('string(const char *)', str.dirname),
  getmajor: s('dev_t(dev_t)', getmajor),
  getminor: s('dev_t(dev_t)', getminor),
  htonl: s('uint32_t(uint32_t)', byteOrder(32)),
  htonll: s('uint64_t(uint64_t)', byteOrder(64)),
  htons: s('uint16_t(uint16_t)', byteOrder(16)),
  index: s('int(const char *, const char *, [int])', str.index),
  inet_ntoa: s('string(unsigned int *)', inetNtoa),
  inet_ntoa6: s('string(struct in6_addr *, [int])', inetNtoa6, checkNtoa6),
  inet_ntop: s('string(int, void *)', inetNtop),
  link_ntop: s('string(int, void *)', linkNtop),
  lltostr: s('string(int64_t, [int])', str.lltostr),
  mutex_owned: s('int(struct mutex *)', mutexOwned, checkMutex('mutex_owned')),
  mutex_owner: s('struct task_struct *(struct mutex *)', mutexOwner, checkMutex('mutex_owner')),
  mutex_type_adaptive: s('int(struct mutex *)', mutexType(1)),
  mutex_type_spin: s('int(struct mutex *)', mutexType(0)),
  ntohl: s('uint32_t(uint32_t)', byteOrder(32)),
  ntohll: s('uint64_t(uint64_t)', byteOrder(64)),
  ntohs: s('uint16_t(uint16_t)', byteOrder(16)),
  progenyof: s('int(pid_t)', progenyof, checkProgenyof),
  rand: s('int()', rand),
  rindex: s('int(const char *, const char *, [int])', str.rindex),
  rw_iswriter: s('int(rwlock_t *)', rwlockBits(0x1ff), checkRwlock('rw_iswriter')),
  rw_read_held: s('int(rwlock_t *)', rwlockBits(~0x1ff), checkRwlock('rw_read_held')),
  rw_write_held: s('int(rwlock_t *)', rwlockBits(0xff), checkRwlock('rw_write_held')),
  speculation: s('int()', genSpeculation),
  strchr: ns('string(const char *, char)', str.strchr),
  strjoin: s('string(const char *, const char *)', str.strjoin),
  strlen: s('size_t(const char *)', str.strlen),
  strrchr: ns('string(const char *, char)', str.strrchr),
  strstr: ns('string(const char *, const char *)', str.strstr),
  strtok: ns('string(const char *, const char *)', str.strtok),
  strtoll: s('int64_t(const char *, [int])', str.strtoll),
  substr: s('string(const char *, int, [int])', str.substr),
  tolower: s('string(const char *)', str.tolower),
  toupper: s('string(const char *)', str.toupper),
  getpid: s('pid_t()'),
};

/** genSubr generates a subroutine call. */
export function genSubr(g: ExprGen, e: TExpr & { k: 'call' }): Val {
  const gen = SUBRS[e.fn]?.gen;
  if (gen === undefined) throw new Error(`BUG: no code for subroutine ${e.fn}`);
  return gen(g, e.args);
}
