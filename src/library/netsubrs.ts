// The network subroutines (their entries are in library/subrs.ts): byte
// order conversions and the address formatters, whose run-time functions
// are in codegen/netfns.ts. The formatters check their pointer argument
// as DTrace does (NULL faults at 0, an alloca pointer must be allocated)
// and return a string temporary.

import { endian, jmp, stx } from '../bpf/build.js';
import { R9 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { JmpOp, Size } from '../bpf/opcode.js';
import { ptrArg } from '../codegen/alloca.js';
import type { ExprGen } from '../codegen/expr.js';
import type { Arg } from '../codegen/fn.js';
import { NET_BUF, NetFn } from '../codegen/netfns.js';
import type { Val } from '../codegen/regs.js';
import type { Pos } from '../diag/diagnostic.js';
import { Fault, MS } from '../layout/memory.js';
import type { ExprChecker } from '../sema/expr.js';
import type { TExpr } from '../sema/ir.js';
import { generatorError } from './memsubrs.js';

/** ARP hardware types link_ntop() formats (<linux/if_arp.h>). */
const ARPHRD_ETHER = 1;
const ARPHRD_INFINIBAND = 32;

/** byteOrder is htons/htonl/htonll and ntohs/ntohl/ntohll: to (or from) big-endian, which on this host is a swap. */
export function byteOrder(bits: 16 | 32 | 64): (g: ExprGen, args: readonly TExpr[]) => Val {
  return (g, args) => {
    const v = g.gen(args[0]);
    g.f.emit(endian('be', g.f.ra.use(v), bits));
    g.f.ra.unpin();
    return v;
  };
}

/** checkNtoa6 refuses a `strict` argument that is not an integer constant, as dt_cg_subr_inet_ntoa6 does. */
export function checkNtoa6(_c: ExprChecker, args: readonly TExpr[], pos: Pos): void {
  if (args[1] !== undefined && args[1].k !== 'int') {
    throw generatorError('D_PROTO_ARG', 'inet_ntoa6( ) argument #2 must be an integer constant', pos);
  }
}

/**
 * formatted calls a formatter with a buffer and `args`, and returns the
 * string: the buffer is the string temporary itself when strings are long
 * enough, else it is copied into one (cut at strsize, as DTrace cuts it).
 */
function formatted(g: ExprGen, fn: string, args: readonly Arg[]): Val {
  const f = g.f;
  const direct = g.cx.strsize >= NET_BUF;
  const buf = direct ? g.cx.tmpString() : g.cx.tmp(NET_BUF);
  f.ra.release(f.call(fn, [{ scratch: buf }, ...args]));
  if (direct) return f.scratchPtr(buf);
  const out = g.cx.tmpString();
  f.ra.release(f.call(Helper.probe_read_kernel_str, [{ scratch: out }, { imm: g.cx.strsize }, { scratch: buf }]));
  return f.scratchPtr(out);
}

/** inet_ntoa(addr): the IPv4 address at addr, dotted. */
export function inetNtoa(g: ExprGen, args: readonly TExpr[]): Val {
  return formatted(g, NetFn.ntoa, [ptrArg(g, args[0])]);
}

/** inet_ntoa6(addr [, strict]): the IPv6 address at addr. */
export function inetNtoa6(g: ExprGen, args: readonly TExpr[]): Val {
  const strict = args[1]?.k === 'int' && args[1].value !== 0n ? 1 : 0;
  return formatted(g, NetFn.ntoa6, [ptrArg(g, args[0]), { imm: strict }]);
}

/** inet_ntop(af, addr): AF_INET6 addresses as inet_ntoa6(addr, 1), others as inet_ntoa(addr), as dtrace-utils decides. */
export function inetNtop(g: ExprGen, args: readonly TExpr[]): Val {
  const af = g.gen(args[0]);
  const p = ptrArg(g, args[1]);
  return formatted(g, NetFn.ntop, [p, af]);
}

/** link_ntop(type, addr): a hardware address; a type other than Ethernet or InfiniBand is an illegal operation. */
export function linkNtop(g: ExprGen, args: readonly TExpr[]): Val {
  const f = g.f;
  const t = g.gen(args[0]);
  const rt = f.ra.use(t);
  const ok = f.newLabel('hw');
  f.emit(jmp(JmpOp.JEQ, rt, ARPHRD_ETHER, ok));
  f.emit(jmp(JmpOp.JEQ, rt, ARPHRD_INFINIBAND, ok));
  f.emit(stx(Size.DW, R9, MS.faultAddr, rt));
  f.emit(jmp(JmpOp.JNE, rt, ARPHRD_ETHER, g.cx.faultLabel(Fault.ILLOP, f.pc, true)));
  f.label(ok);
  f.ra.unpin();
  const p = ptrArg(g, args[1]);
  return formatted(g, NetFn.link, [p, t]);
}
