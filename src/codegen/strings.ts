// Run-time support functions for D's string subroutines that need no
// bpf_loop: strjoin, substr, strchr/strrchr, toupper/tolower, basename,
// dirname and lltostr (strloops.ts has the ones that do). Each is a BPF
// function taking pointers to NUL-terminated strings in BPF memory (the
// clause checked them for NULL) and the scratch buffers it writes, and
// returning its result: a pointer to the result string (or 0 for NULL) or
// an integer. Sources are only ever read with probe_read_kernel_str, so a
// function works on any string wherever it lives (string table, variables,
// temporaries); everything it reads directly is its own copy in scratch.
// Loops over a string go a word (8 bytes) at a time with a constant bound,
// so the verifier walks strsize/8 iterations at most. See docs/strings.md.

import { alu64, call, callLocal, exit, ja, jmp, label, ldFunc, ldImm64, ldx, mov64, neg64, reg, st, stx, type AsmItem, type Src } from '../bpf/build.js';
import { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, type Reg } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size, type CondJmpOp } from '../bpf/opcode.js';

/** Shorthands that keep the listings below readable. */
export const op = {
  mov: (d: Reg, s: Src): AsmItem => mov64(d, s),
  movr: (d: Reg, s: Reg): AsmItem => mov64(d, reg(s)),
  add: (d: Reg, s: Src): AsmItem => alu64(AluOp.ADD, d, s),
  addr: (d: Reg, s: Reg): AsmItem => alu64(AluOp.ADD, d, reg(s)),
  sub: (d: Reg, s: Src): AsmItem => alu64(AluOp.SUB, d, s),
  subr: (d: Reg, s: Reg): AsmItem => alu64(AluOp.SUB, d, reg(s)),
  and: (d: Reg, s: Src): AsmItem => alu64(AluOp.AND, d, s),
  andr: (d: Reg, s: Reg): AsmItem => alu64(AluOp.AND, d, reg(s)),
  or: (d: Reg, s: Src): AsmItem => alu64(AluOp.OR, d, s),
  orr: (d: Reg, s: Reg): AsmItem => alu64(AluOp.OR, d, reg(s)),
  xor: (d: Reg, s: Src): AsmItem => alu64(AluOp.XOR, d, s),
  xorr: (d: Reg, s: Reg): AsmItem => alu64(AluOp.XOR, d, reg(s)),
  lsh: (d: Reg, s: Src): AsmItem => alu64(AluOp.LSH, d, s),
  rsh: (d: Reg, s: Src): AsmItem => alu64(AluOp.RSH, d, s),
  arsh: (d: Reg, s: Src): AsmItem => alu64(AluOp.ARSH, d, s),
  mul: (d: Reg, s: Src): AsmItem => alu64(AluOp.MUL, d, s),
  neg: (d: Reg): AsmItem => neg64(d),
  j: (o: CondJmpOp, d: Reg, s: Src, to: string): AsmItem => jmp(o, d, s, to),
  ldb: (d: Reg, s: Reg, off = 0): AsmItem => ldx(Size.B, d, s, off),
  lddw: (d: Reg, s: Reg, off = 0): AsmItem => ldx(Size.DW, d, s, off),
  stb: (d: Reg, off: number, imm: number): AsmItem => st(Size.B, d, off, imm),
  stdw: (d: Reg, off: number, imm: number): AsmItem => st(Size.DW, d, off, imm),
  stxb: (d: Reg, off: number, s: Reg): AsmItem => stx(Size.B, d, off, s),
  stxdw: (d: Reg, off: number, s: Reg): AsmItem => stx(Size.DW, d, off, s),
};
const { mov, movr, add, addr, sub, subr, and, andr, orr, xor, xorr, lsh, rsh, mul, j, ldb, lddw, stb, stxb } = op;

export const ONES = 0x0101010101010101n;
export const HIGHS = 0x8080808080808080n;
const LOW7 = 0x7f7f7f7f7f7f7f7fn;

/** StrGeom is the geometry of strings for a given strsize. */
export interface StrGeom {
  /** Most characters in a string (the strsize option). */
  readonly S: number;
  /** Bytes of a string buffer, its NUL included. */
  readonly B: number;
  /** Bytes of a string temporary: B rounded up to whole words. */
  readonly BW: number;
}

export function strGeom(strsize: number): StrGeom {
  return { S: strsize, B: strsize + 1, BW: Math.ceil((strsize + 1) / 8) * 8 };
}

/** readStr: r0 = probe_read_kernel_str(dst, size, src) with dst and src in registers (r1-r3 clobbered). */
export function readStr(dst: Reg, size: Src, src: Reg): AsmItem[] {
  const out: AsmItem[] = [];
  // Load r3 first: src may be r1 or r2.
  if (src !== R3) out.push(movr(R3, src));
  if (dst !== R1) out.push(movr(R1, dst));
  out.push(typeof size === 'number' ? mov(R2, size) : movr(R2, size.reg));
  out.push(call(Helper.probe_read_kernel_str));
  return out;
}

/**
 * dt_strjoin(dst, a, b): a followed by b in dst, cut at strsize characters.
 * The second copy starts at a's NUL with the room left, so the verifier
 * sees dst + n with a size of B - n (the scratch value has slack past its
 * last temporary for the sum of their maxima).
 */
function strjoinFn(g: StrGeom): AsmItem[] {
  return [
    movr(R6, R1), movr(R7, R3),
    ...readStr(R6, g.B, R2),
    j(JmpOp.JSLT, R0, 1, 'empty'),
    j(JmpOp.JGE, R0, g.B, 'out'),
    sub(R0, 1),
    movr(R1, R6), addr(R1, R0),
    mov(R2, g.B), subr(R2, R0),
    movr(R3, R7),
    call(Helper.probe_read_kernel_str),
    label('out'),
    movr(R0, R6), exit(),
    label('empty'),
    stb(R6, 0, 0), ja('out'),
  ];
}

/**
 * dt_substr(dst, s, idx, cnt, argc): DTrace's substr(). idx and cnt are
 * ints (sign-extended from 32 bits); without cnt (argc 2) it is strsize. A
 * negative idx counts from the end; when that is still before the start,
 * the part of [idx, idx + cnt) inside the string remains. A negative cnt
 * leaves that many characters off the end.
 */
function substrFn(g: StrGeom): AsmItem[] {
  return [
    movr(R6, R1), movr(R7, R2),
    lsh(R3, 32), op.arsh(R3, 32), movr(R8, R3),
    j(JmpOp.JGT, R5, 2, 'cnt'),
    mov(R9, g.S), ja('cntset'),
    label('cnt'),
    lsh(R4, 32), op.arsh(R4, 32), movr(R9, R4),
    label('cntset'),
    ...readStr(R6, g.B, R7),
    j(JmpOp.JSLE, R0, 1, 'empty'),
    sub(R0, 1),
    // r0 = len, r8 = idx, r9 = cnt
    j(JmpOp.JSGE, R8, 0, 'check'),
    addr(R8, R0),
    j(JmpOp.JSGE, R8, 0, 'check'),
    mov(R1, 0), subr(R1, R8),
    j(JmpOp.JSLE, R9, reg(R1), 'empty'),
    addr(R9, R8),
    mov(R8, 0),
    label('check'),
    j(JmpOp.JSGE, R8, reg(R0), 'empty'),
    j(JmpOp.JSGE, R9, 0, 'copy'),
    movr(R1, R0), subr(R1, R8), addr(R9, R1),
    j(JmpOp.JSLE, R9, 0, 'empty'),
    label('copy'),
    j(JmpOp.JLE, R9, g.S, 'sized'),
    mov(R9, g.S),
    label('sized'),
    j(JmpOp.JGT, R8, g.S, 'empty'),
    movr(R1, R6), movr(R2, R9), add(R2, 1), movr(R3, R7), addr(R3, R8),
    call(Helper.probe_read_kernel_str),
    movr(R0, R6), exit(),
    label('empty'),
    stb(R6, 0, 0),
    movr(R0, R6), exit(),
  ];
}


/** Flags of dt_scan. */
export const Scan = { FIRST: 0, LAST: 1, EQUAL: 0, OTHER: 2 } as const;

/** bpfLoop: bpf_loop(count, callback, fp + ctx, 0). */
export function bpfLoop(count: Reg, callback: string, ctx: number): AsmItem[] {
  return [movr(R1, count), ldFunc(R2, callback), movr(R3, R10), add(R3, ctx), mov(R4, 0), call(Helper.loop)];
}

/** A callback's two exits: go on (0) and stop (1). */
export const CB_EXITS: AsmItem[] = [label('cont'), mov(R0, 0), exit(), label('stop'), mov(R0, 1), exit()];

/** dt_scan's frame: what its callback reads (through the ctx pointer, fp - 48) and the result it writes. */
const SC = { result: 0, notmask: 8, last: 16, flags: 24, c: 32, buf: 40, ctx: -48 } as const;

/**
 * dt_scan(buf, k, c, flags): the first (Scan.FIRST) or last (Scan.LAST)
 * index below k of a byte equal to c (Scan.EQUAL) or different from c
 * (Scan.OTHER), or -1. buf is a string temporary. A word at a time, one
 * bpf_loop iteration per word (dt_scan_cb), so the verifier checks the
 * word once whatever strsize is.
 */
function scanFn(g: StrGeom): AsmItem[] {
  const at = (o: number): number => SC.ctx + o;
  return [
    j(JmpOp.JLE, R2, g.S, 'kok'), mov(R2, g.S), label('kok'),
    j(JmpOp.JEQ, R2, 0, 'none'),
    and(R3, 0xff), ldImm64(R0, ONES), mul(R3, reg(R0)),
    op.stxdw(R10, at(SC.buf), R1), op.stxdw(R10, at(SC.c), R3), op.stxdw(R10, at(SC.flags), R4),
    // the last word holding a byte below k, and ~(the mask of its bytes below k)
    movr(R6, R2), sub(R6, 1), rsh(R6, 3), op.stxdw(R10, at(SC.last), R6),
    movr(R0, R6), lsh(R0, 3), movr(R7, R2), subr(R7, R0),
    mov(R0, 0),
    j(JmpOp.JGE, R7, 8, 'full'),
    lsh(R7, 3), mov(R0, 1), lsh(R0, reg(R7)), sub(R0, 1), xor(R0, -1),
    label('full'),
    op.stxdw(R10, at(SC.notmask), R0),
    op.stdw(R10, at(SC.result), -1),
    add(R6, 1), movr(R8, R1),
    ...bpfLoop(R6, 'dt_scan_cb', SC.ctx),
    // The result leaves through buf's first word (restored after): read back
    // from map memory it is one unknown value to the verifier, not one state
    // per way the callback can end, which the callers would multiply.
    lddw(R0, R10, at(SC.result)),
    lddw(R1, R8), op.stxdw(R8, 0, R0), lddw(R0, R8), op.stxdw(R8, 0, R1),
    exit(),
    label('none'),
    mov(R0, -1), exit(),
  ];
}

/**
 * dt_scan_cb(n, ctx): the n-th word (from the first, or back from the
 * last): x ^ C has a zero byte where the byte equals c, found exactly (no
 * borrow false positives) with ~(((x & 0x7f..) + 0x7f..) | x | 0x7f..).
 */
function scanCb(g: StrGeom): AsmItem[] {
  const words = g.BW / 8;
  return [
    movr(R6, R2),
    lddw(R4, R6, SC.flags), lddw(R7, R6, SC.last),
    movr(R5, R1),
    movr(R0, R4), and(R0, 1), j(JmpOp.JEQ, R0, 0, 'fw'),
    movr(R5, R7), subr(R5, R1),
    label('fw'),
    j(JmpOp.JGT, R5, reg(R7), 'stop'),
    j(JmpOp.JGT, R5, words - 1, 'stop'),
    // r2 = w == last ? mask : -1, without a branch
    movr(R2, R5), xorr(R2, R7), sub(R2, 1), rsh(R2, 63), lddw(R0, R6, SC.notmask), mul(R2, reg(R0)), xor(R2, -1),
    lddw(R0, R6, SC.buf), movr(R1, R5), lsh(R1, 3), addr(R0, R1), lddw(R0, R0),
    lddw(R1, R6, SC.c), xorr(R0, R1),
    ldImm64(R3, LOW7), movr(R1, R0), andr(R1, R3), addr(R1, R3), orr(R1, R0), orr(R1, R3), xor(R1, -1),
    // Scan.OTHER: the bytes that are not c
    movr(R0, R4), rsh(R0, 1), and(R0, 1), op.neg(R0), ldImm64(R3, HIGHS), andr(R0, R3), xorr(R1, R0),
    andr(R1, R2),
    j(JmpOp.JEQ, R1, 0, 'cont'),
    movr(R2, R5), lsh(R2, 3),
    movr(R0, R4), and(R0, 1),
    j(JmpOp.JEQ, R0, 0, 'lowest'),
    // the highest 0x80 bit of r1
    movr(R0, R1), rsh(R0, 32), j(JmpOp.JEQ, R0, 0, 'h16'), add(R2, 4), movr(R1, R0),
    label('h16'), movr(R0, R1), rsh(R0, 16), j(JmpOp.JEQ, R0, 0, 'h8'), add(R2, 2), movr(R1, R0),
    label('h8'), movr(R0, R1), rsh(R0, 8), j(JmpOp.JEQ, R0, 0, 'found'), add(R2, 1),
    ja('found'),
    // the lowest 0x80 bit of r1
    label('lowest'),
    movr(R0, R1), lsh(R0, 32), j(JmpOp.JNE, R0, 0, 'l16'), add(R2, 4), rsh(R1, 32),
    label('l16'), movr(R0, R1), lsh(R0, 48), j(JmpOp.JNE, R0, 0, 'l8'), add(R2, 2), rsh(R1, 16),
    label('l8'), movr(R0, R1), lsh(R0, 56), j(JmpOp.JNE, R0, 0, 'found'), add(R2, 1),
    label('found'),
    op.stxdw(R6, SC.result, R2),
    ja('stop'),
    ...CB_EXITS,
  ];
}

/**
 * dt_strchr(dst, s, c, last): the rest of s from the first (or last) c, or
 * NULL when c is not in s; c is taken as a byte, and the NUL is never
 * found (DTrace returns NULL for it).
 */
function strchrFn(g: StrGeom): AsmItem[] {
  return [
    movr(R6, R1), movr(R7, R2), movr(R8, R3), movr(R9, R4),
    ...readStr(R6, g.B, R7),
    j(JmpOp.JSLE, R0, 1, 'null'),
    sub(R0, 1),
    and(R8, 0xff),
    j(JmpOp.JEQ, R8, 0, 'null'),
    op.stxdw(R10, -8, R0),
    movr(R1, R6), movr(R2, R0), movr(R3, R8), movr(R4, R9), callLocal('dt_scan'),
    j(JmpOp.JSLT, R0, 0, 'null'),
    j(JmpOp.JGT, R0, g.S, 'null'),
    lddw(R2, R10, -8), subr(R2, R0), add(R2, 1),
    j(JmpOp.JSLT, R2, 1, 'null'),
    j(JmpOp.JGT, R2, g.B, 'null'),
    movr(R1, R6), movr(R3, R7), addr(R3, R0),
    call(Helper.probe_read_kernel_str),
    movr(R0, R6), exit(),
    label('null'),
    mov(R0, 0), exit(),
  ];
}

/**
 * dt_toupper / dt_tolower(dst, s): s with ASCII letters of one case turned
 * into the other, a word per bpf_loop iteration (dt_toupper_cb /
 * dt_tolower_cb, which read dst from fp - 8).
 */
function caseFn(g: StrGeom, upper: boolean): AsmItem[] {
  return [
    movr(R6, R1),
    ...readStr(R6, g.B, R2),
    j(JmpOp.JSGT, R0, 0, 'copied'),
    stb(R6, 0, 0),
    label('copied'),
    op.stxdw(R10, -8, R6),
    mov(R7, g.BW / 8),
    ...bpfLoop(R7, upper ? 'dt_toupper_cb' : 'dt_tolower_cb', -8),
    movr(R0, R6), exit(),
  ];
}

/**
 * The n-th word of dst changes case: a byte b below 0x80 is in [lo, hi]
 * when (b & 0x7f) + (0x80 - lo) has its top bit set and (b & 0x7f) +
 * (0x7f - hi) does not; such bytes get 0x20 flipped.
 */
function caseCb(g: StrGeom, upper: boolean): AsmItem[] {
  const lo = upper ? 0x61 : 0x41;
  const hi = upper ? 0x7a : 0x5a;
  return [
    lddw(R6, R2),
    j(JmpOp.JGE, R1, g.BW / 8, 'stop'),
    lsh(R1, 3), addr(R1, R6), lddw(R2, R1),
    ldImm64(R0, LOW7), movr(R3, R2), andr(R3, R0),
    movr(R4, R3), ldImm64(R0, BigInt(0x80 - lo) * ONES), addr(R4, R0),
    ldImm64(R0, BigInt(0x7f - hi) * ONES), addr(R3, R0), xor(R3, -1), andr(R4, R3),
    movr(R3, R2), xor(R3, -1), andr(R4, R3),
    ldImm64(R0, HIGHS), andr(R4, R0),
    rsh(R4, 2), xorr(R2, R4),
    op.stxdw(R1, 0, R2),
    ...CB_EXITS,
  ];
}

/** scanCall: r0 = dt_scan(r6, k, '/', flags). */
function scanSlash(k: Reg, flags: number): AsmItem[] {
  return [movr(R2, k), movr(R1, R6), mov(R3, 0x2f), mov(R4, flags), callLocal('dt_scan')];
}

/** Ending a path subroutine with a one-character result. */
function oneChar(name: string, c: number): AsmItem[] {
  return [label(name), stb(R6, 0, c), stb(R6, 1, 0), movr(R0, R6), exit()];
}

/**
 * lastElement starts dt_basename and dt_dirname (dst, s): copies s to dst
 * (r6; r7 = s), goes to 'dot' for "" and to 'slash' for slashes only; else
 * r8 = the index of the last character that is not a slash and r0 = that
 * of the last slash before it (-1 when none).
 */
function lastElement(g: StrGeom): AsmItem[] {
  return [
    movr(R6, R1), movr(R7, R2),
    ...readStr(R6, g.B, R7),
    j(JmpOp.JSLE, R0, 1, 'dot'),
    sub(R0, 1),
    ...scanSlash(R0, Scan.LAST | Scan.OTHER),
    j(JmpOp.JSLT, R0, 0, 'slash'),
    movr(R8, R0),
    ...scanSlash(R8, Scan.LAST | Scan.EQUAL),
  ];
}

/**
 * dt_basename(dst, s): the last element of a path: trailing slashes are
 * dropped; "" is ".", and a path of slashes is "/".
 */
function basenameFn(g: StrGeom): AsmItem[] {
  return [
    ...lastElement(g),
    movr(R9, R0), add(R9, 1),
    j(JmpOp.JGT, R9, g.S, 'dot'),
    movr(R2, R8), subr(R2, R9), add(R2, 2),
    j(JmpOp.JSLT, R2, 1, 'dot'),
    j(JmpOp.JGT, R2, g.B, 'dot'),
    movr(R1, R6), movr(R3, R7), addr(R3, R9),
    call(Helper.probe_read_kernel_str),
    movr(R0, R6), exit(),
    ...oneChar('dot', 0x2e),
    ...oneChar('slash', 0x2f),
  ];
}

/**
 * dt_dirname(dst, s): a path without its last element and the slashes
 * before it; "" and a path without a slash are ".", "/x" and slashes
 * alone are "/".
 */
function dirnameFn(g: StrGeom): AsmItem[] {
  return [
    ...lastElement(g),
    j(JmpOp.JSLT, R0, 0, 'dot'),
    movr(R8, R0),
    ...scanSlash(R8, Scan.LAST | Scan.OTHER),
    j(JmpOp.JSLT, R0, 0, 'slash'),
    add(R0, 1),
    j(JmpOp.JGT, R0, g.S, 'slash'),
    movr(R1, R6), addr(R1, R0), stb(R1, 0, 0),
    movr(R0, R6), exit(),
    ...oneChar('dot', 0x2e),
    ...oneChar('slash', 0x2f),
  ];
}

/** Bytes of the scratch area dt_lltostr writes digits into (64 binary digits, prefixes, NUL) and a spare word. */
export const LLTOSTR_TMP = 80;

/**
 * dt_lltostr(dst, v, base, tmp): v in base 2..36 (checked by the caller),
 * as illumos DTrace writes it: negative only in base 10, "0" before octal,
 * "0x" before hexadecimal; cut at strsize characters. The digits go
 * backwards into tmp, then the string is copied to dst.
 */
function lltostrFn(g: StrGeom): AsmItem[] {
  const end = 71;
  const spare = 72;
  const put = (c: number): AsmItem[] => [sub(R4, 1), movr(R2, R9), addr(R2, R4), stb(R2, 0, c)];
  return [
    movr(R6, R1), movr(R7, R2), movr(R8, R3), movr(R9, R4),
    // r5 = the magnitude printed
    movr(R5, R7),
    j(JmpOp.JNE, R8, 10, 'pos'),
    j(JmpOp.JSGE, R7, 0, 'pos'),
    op.neg(R5),
    label('pos'),
    stb(R9, end, 0),
    mov(R4, end),
    mov(R3, 0),
    label('loop'),
    j(JmpOp.JGE, R3, 64, 'digits'),
    j(JmpOp.JEQ, R5, 0, 'digits'),
    movr(R0, R5), alu64(AluOp.MOD, R0, reg(R8)), alu64(AluOp.DIV, R5, reg(R8)),
    // '0' + d, or 'a' + d - 10 above 9, without a branch
    mov(R1, 9), subr(R1, R0), rsh(R1, 63), mul(R1, 0x27), addr(R1, R0), add(R1, 0x30),
    sub(R4, 1), movr(R2, R9), addr(R2, R4), stxb(R2, 0, R1),
    add(R3, 1), ja('loop'),
    label('digits'),
    // Through memory, the position is one unknown value to the verifier, not
    // one state per number of digits.
    op.stxdw(R9, spare, R4), lddw(R4, R9, spare),
    j(JmpOp.JGT, R4, end, 'fix'),
    j(JmpOp.JGE, R4, 4, 'ranged'),
    label('fix'),
    mov(R4, end),
    label('ranged'),
    j(JmpOp.JNE, R7, 0, 'x'),
    j(JmpOp.JNE, R8, 16, 'x'),
    ...put(0x30),
    label('x'),
    j(JmpOp.JNE, R8, 16, 'zero'),
    ...put(0x78),
    label('zero'),
    j(JmpOp.JEQ, R7, 0, 'put0'),
    j(JmpOp.JEQ, R8, 8, 'put0'),
    j(JmpOp.JEQ, R8, 16, 'put0'),
    ja('sign'),
    label('put0'),
    ...put(0x30),
    label('sign'),
    j(JmpOp.JNE, R8, 10, 'copy'),
    j(JmpOp.JSGE, R7, 0, 'copy'),
    ...put(0x2d),
    label('copy'),
    mov(R2, end), subr(R2, R4),
    j(JmpOp.JLE, R2, g.S, 'fits'),
    mov(R2, g.S),
    label('fits'),
    add(R2, 1),
    movr(R1, R6), movr(R3, R9), addr(R3, R4),
    call(Helper.probe_read_kernel_str),
    movr(R0, R6), exit(),
  ];
}

/** STRING_FNS builds each run-time string function by name for a strsize (the linker keeps those a program calls). */
export const STRING_FNS: Readonly<Record<string, (g: StrGeom) => AsmItem[]>> = {
  dt_strjoin: strjoinFn,
  dt_substr: substrFn,
  dt_scan: scanFn,
  dt_scan_cb: scanCb,
  dt_strchr: strchrFn,
  dt_toupper: (g) => caseFn(g, true),
  dt_toupper_cb: (g) => caseCb(g, true),
  dt_tolower: (g) => caseFn(g, false),
  dt_tolower_cb: (g) => caseCb(g, false),
  dt_basename: basenameFn,
  dt_dirname: dirnameFn,
  dt_lltostr: lltostrFn,
};
