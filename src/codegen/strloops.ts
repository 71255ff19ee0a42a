// Run-time support functions for the string subroutines whose loops run
// once per character with data-dependent steps: index/rindex/strstr (a
// comparison at every position), strtok, cleanpath and strtoll. Their
// loops are bpf_loop callbacks, which the verifier checks once (or until
// their state settles) instead of walking every iteration, so they load
// whatever strsize is. The state a callback carries from one iteration to
// the next lives in scratch memory, never in registers or on the stack:
// the verifier does not track the contents of map memory, so the state
// does not differ between iterations and verification converges at once.
// Every value read back is bounded again before it is used as an offset.
// Callbacks receive a pointer to the caller's stack holding the pointers
// they need (work area, destination). See docs/strings.md.

import { call, callLocal, exit, ja, label, ldFunc, mov64, type AsmItem } from '../bpf/build.js';
import { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, type Reg } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { JmpOp, Size } from '../bpf/opcode.js';
import { MS } from '../layout/memory.js';
import { CB_EXITS, bpfLoop, op, type StrGeom } from './strings.js';
import { ldx, stx } from '../bpf/build.js';

const { mov, movr, add, addr, sub, subr, and, or, xorr, lsh, rsh, mul, j, ldb, lddw, stb, stdw, stxdw } = op;


// ---------------------------------------------------------------- index

/** Offsets in dt_index's work area: state words, then the copies of s and t. */
const IX = { first: 0, back: 8, tlen: 16, result: 24, s: 64 } as const;

/** Bytes of dt_index's work area. */
export function indexWork(g: StrGeom): number {
  return IX.s + 2 * g.BW + 8;
}

/** Index modes: index() (from start, or 0), rindex() with a start, rindex() without. */
export const IndexMode = { FORWARD: 0, BACKWARD: 1, BACKWARD_ALL: 2 } as const;

/**
 * dt_index(s, t, start, work, mode): the first (or last) position of t in
 * s, or -1, as dtrace-utils defines index() and rindex(): index() starts
 * at start (0 if negative) and fails past the last possible position;
 * rindex() starts at start, clamped to the last possible position, and
 * fails for a negative start. The empty t is found at the start position.
 */
function indexFn(g: StrGeom): AsmItem[] {
  const t = IX.s + g.BW;
  return [
    movr(R6, R4), movr(R7, R1), movr(R8, R3), movr(R9, R5),
    stdw(R6, IX.result, -1),
    movr(R3, R2), movr(R1, R6), add(R1, t), mov(R2, g.B), call(Helper.probe_read_kernel_str),
    j(JmpOp.JSLT, R0, 1, 'fail'), sub(R0, 1), stxdw(R6, IX.tlen, R0),
    movr(R3, R7), movr(R1, R6), add(R1, IX.s), mov(R2, g.B), call(Helper.probe_read_kernel_str),
    j(JmpOp.JSLT, R0, 1, 'fail'), sub(R0, 1),
    // r0 = the last position t could start at
    lddw(R1, R6, IX.tlen), subr(R0, R1),
    j(JmpOp.JSLT, R0, 0, 'fail'),
    j(JmpOp.JNE, R9, IndexMode.FORWARD, 'back'),
    j(JmpOp.JSGE, R8, 0, 'fwok'), mov(R8, 0), label('fwok'),
    j(JmpOp.JSGT, R8, reg0(), 'fail'),
    stxdw(R6, IX.first, R8), stdw(R6, IX.back, 0),
    movr(R1, R0), subr(R1, R8), add(R1, 1),
    ja('run'),
    label('back'),
    j(JmpOp.JEQ, R9, IndexMode.BACKWARD_ALL, 'all'),
    j(JmpOp.JSLT, R8, 0, 'fail'),
    j(JmpOp.JSLE, R8, reg0(), 'bset'),
    label('all'),
    movr(R8, R0),
    label('bset'),
    stxdw(R6, IX.first, R8), stdw(R6, IX.back, 1),
    movr(R1, R8), add(R1, 1),
    label('run'),
    stxdw(R10, -8, R6),
    movr(R9, R1),
    ...bpfLoop(R9, 'dt_index_cb', -8),
    lddw(R0, R6, IX.result), exit(),
    label('fail'),
    mov(R0, -1), exit(),
  ];
}

function reg0(): { reg: Reg } {
  return { reg: R0 };
}

/**
 * dt_index_cb(k, ctx): compares t with s at the k-th candidate position,
 * a word at a time on the copies (unaligned loads; the last word masked to
 * t's length); on a match stores the position and stops.
 */
function indexCb(g: StrGeom): AsmItem[] {
  const t = IX.s + g.BW;
  return [
    lddw(R6, R2),
    lddw(R3, R6, IX.first), lddw(R4, R6, IX.back), lddw(R5, R6, IX.tlen),
    movr(R7, R3),
    j(JmpOp.JNE, R4, 0, 'down'),
    addr(R7, R1), ja('pos'),
    label('down'),
    subr(R7, R1),
    label('pos'),
    j(JmpOp.JGT, R7, g.S, 'stop'),
    j(JmpOp.JGT, R5, g.S, 'stop'),
    mov(R8, 0),
    label('word'),
    j(JmpOp.JGE, R8, { reg: R5 }, 'match'),
    // A constant bound too: older verifiers learn nothing from comparing two unknowns.
    j(JmpOp.JGE, R8, g.BW, 'match'),
    movr(R0, R6), add(R0, IX.s), addr(R0, R7), addr(R0, R8), lddw(R0, R0),
    movr(R9, R6), add(R9, t), addr(R9, R8), lddw(R9, R9),
    xorr(R0, R9),
    movr(R9, R5), subr(R9, R8),
    j(JmpOp.JGE, R9, 8, 'whole'),
    lsh(R9, 3), mov(R4, 1), lsh(R4, { reg: R9 }), sub(R4, 1), op.andr(R0, R4),
    label('whole'),
    j(JmpOp.JNE, R0, 0, 'cont'),
    add(R8, 8), ja('word'),
    label('match'),
    stxdw(R6, IX.result, R7),
    ja('stop'),
    ...CB_EXITS,
  ];
}

/** dt_strstr(dst, s, t, work): the rest of s from the first t, or NULL. */
function strstrFn(): AsmItem[] {
  return [
    movr(R6, R1), movr(R7, R2),
    movr(R1, R2), movr(R2, R3), mov(R3, 0), mov(R5, IndexMode.FORWARD), callLocal('dt_index'),
    j(JmpOp.JSLT, R0, 0, 'null'),
    movr(R1, R6), movr(R2, R7), movr(R3, R0), mov(R4, 0), mov(R5, 2), callLocal('dt_substr'),
    exit(),
    label('null'),
    mov(R0, 0), exit(),
  ];
}

// ---------------------------------------------------------------- strtok

/**
 * The strtok() state in scratch (at the layout's strtokOff): the delimiter
 * bit table, the token bounds one call finds, and the copy of the string
 * being split, which persists across the clauses of one probe firing. The
 * position in that copy is MS.strtok (-1 before any strtok(s, d)).
 */
export const TOK = { table: 0, start: 32, end: 40, buf: 64 } as const;

/** Bytes of the strtok state. */
export function strtokSize(g: StrGeom): number {
  return TOK.buf + g.BW + 8;
}

/**
 * dt_strtok(dst, s, d, ms): with s, starts splitting a copy of s; then the
 * next token of the copy: delimiters (bytes of d) are skipped, the token
 * runs to the next delimiter or the end, and the position moves past it.
 * No token left is NULL, with the position at the end for good.
 */
function strtokFn(g: StrGeom, base: number): AsmItem[] {
  const tab = base + TOK.table;
  const buf = base + TOK.buf;
  return [
    movr(R6, R1), movr(R7, R3), movr(R8, R4),
    j(JmpOp.JEQ, R2, 0, 'again'),
    movr(R3, R2), movr(R1, R8), add(R1, buf), mov(R2, g.B), call(Helper.probe_read_kernel_str),
    stdw(R8, MS.strtok, 0),
    label('again'),
    stdw(R8, tab, 0), stdw(R8, tab + 8, 0), stdw(R8, tab + 16, 0), stdw(R8, tab + 24, 0),
    // The delimiters go to dst for the table callback to read.
    movr(R3, R7), movr(R1, R6), mov(R2, g.B), call(Helper.probe_read_kernel_str),
    stxdw(R10, -16, R8), stxdw(R10, -8, R6),
    j(JmpOp.JSLT, R0, 1, 'tabled'),
    sub(R0, 1), movr(R9, R0),
    ...bpfLoop(R9, 'dt_strtok_tab', -16),
    label('tabled'),
    lddw(R9, R8, MS.strtok),
    j(JmpOp.JGT, R9, g.S, 'null'),
    movr(R3, R8), add(R3, buf), addr(R3, R9), movr(R1, R6), mov(R2, g.B), call(Helper.probe_read_kernel_str),
    j(JmpOp.JSLT, R0, 1, 'null'),
    sub(R0, 1), movr(R7, R0),
    stdw(R8, base + TOK.start, -1), stdw(R8, base + TOK.end, -1),
    ...bpfLoop(R7, 'dt_strtok_scan', -16),
    lddw(R1, R8, base + TOK.start),
    j(JmpOp.JSLT, R1, 0, 'exhausted'),
    lddw(R2, R8, base + TOK.end),
    j(JmpOp.JSGE, R2, 0, 'ended'),
    movr(R2, R9), addr(R2, R7),
    label('ended'),
    stxdw(R8, MS.strtok, R2),
    j(JmpOp.JGT, R1, g.S, 'null'),
    subr(R2, R1), add(R2, 1),
    j(JmpOp.JSLT, R2, 2, 'null'),
    j(JmpOp.JGT, R2, g.B, 'null'),
    movr(R3, R8), add(R3, buf), addr(R3, R1), movr(R1, R6), call(Helper.probe_read_kernel_str),
    movr(R0, R6), exit(),
    label('exhausted'),
    movr(R2, R9), addr(R2, R7), stxdw(R8, MS.strtok, R2),
    label('null'),
    mov(R0, 0), exit(),
  ];
}

/** isDelim: in `d`, 1 when byte `c` (clobbered) is in the delimiter table at ms (r6) + tab, else 0. */
function isDelim(d: Reg, c: Reg, tab: number): AsmItem[] {
  return [movr(d, c), rsh(d, 6), lsh(d, 3), addr(d, R6), lddw(d, d, tab), and(c, 63), rsh(d, { reg: c }), and(d, 1)];
}

/** dt_strtok_tab(k, ctx): sets the table bit of the k-th delimiter (ctx: ms, dst holding the delimiters). */
function strtokTabCb(g: StrGeom, base: number): AsmItem[] {
  const tab = base + TOK.table;
  return [
    lddw(R6, R2, 0), lddw(R7, R2, 8),
    j(JmpOp.JGT, R1, g.S, 'stop'),
    movr(R3, R7), addr(R3, R1), ldb(R3, R3),
    movr(R4, R3), rsh(R4, 6), lsh(R4, 3), addr(R4, R6),
    lddw(R5, R4, tab), and(R3, 63), mov(R0, 1), lsh(R0, { reg: R3 }), op.orr(R5, R0), stxdw(R4, tab, R5),
    ...CB_EXITS,
  ];
}

/** dt_strtok_scan(k, ctx): at the k-th byte after the position, notes where the token starts and ends. */
function strtokScanCb(g: StrGeom, base: number): AsmItem[] {
  return [
    lddw(R6, R2, 0),
    lddw(R3, R6, MS.strtok), addr(R3, R1),
    j(JmpOp.JGT, R3, g.S, 'stop'),
    movr(R4, R6), addr(R4, R3), ldb(R4, R4, base + TOK.buf),
    ...isDelim(R5, R4, base + TOK.table),
    lddw(R0, R6, base + TOK.start),
    j(JmpOp.JSGE, R0, 0, 'intoken'),
    j(JmpOp.JNE, R5, 0, 'cont'),
    stxdw(R6, base + TOK.start, R3), ja('cont'),
    label('intoken'),
    j(JmpOp.JEQ, R5, 0, 'cont'),
    stxdw(R6, base + TOK.end, R3), ja('stop'),
    ...CB_EXITS,
  ];
}

// ---------------------------------------------------------------- strtoll

/** Offsets in dt_strtoll's work area. */
const TL = { base: 0, state: 8, neg: 16, val: 24, skip: 32, s: 64 } as const;

export function strtollWork(g: StrGeom): number {
  return TL.s + g.BW + 8;
}

/**
 * dt_strtoll(s, base, work): s as an integer in base 2..36 (checked by the
 * caller), as illumos DTrace reads it: blanks and tabs, a sign, "0x" or
 * "0X" before a hex digit in base 16, then digits while they are below the
 * base; overflow wraps.
 */
function strtollFn(g: StrGeom): AsmItem[] {
  return [
    movr(R6, R3), movr(R7, R2),
    movr(R3, R1), movr(R1, R6), add(R1, TL.s), mov(R2, g.B), call(Helper.probe_read_kernel_str),
    j(JmpOp.JSLT, R0, 1, 'zero'), sub(R0, 1), movr(R9, R0),
    stxdw(R6, TL.base, R7), stdw(R6, TL.state, 0), stdw(R6, TL.neg, 0), stdw(R6, TL.val, 0), stdw(R6, TL.skip, 0),
    stxdw(R10, -8, R6),
    ...bpfLoop(R9, 'dt_strtoll_cb', -8),
    lddw(R0, R6, TL.val), lddw(R1, R6, TL.neg),
    j(JmpOp.JEQ, R1, 0, 'out'),
    op.neg(R0),
    label('out'),
    exit(),
    label('zero'),
    mov(R0, 0), exit(),
  ];
}

/** dt_strtoll_cb(i, ctx): one character; states 0 (leading blanks, sign), 1 (after the sign), 2 (digits). */
function strtollCb(g: StrGeom): AsmItem[] {
  return [
    lddw(R6, R2),
    j(JmpOp.JGT, R1, g.S, 'stop'),
    lddw(R3, R6, TL.skip), j(JmpOp.JLT, R1, { reg: R3 }, 'cont'),
    movr(R7, R6), addr(R7, R1), ldb(R8, R7, TL.s),
    lddw(R9, R6, TL.state),
    j(JmpOp.JEQ, R9, 1, 'prefix'),
    j(JmpOp.JNE, R9, 0, 'digit'),
    j(JmpOp.JEQ, R8, 0x20, 'cont'), j(JmpOp.JEQ, R8, 0x09, 'cont'),
    stdw(R6, TL.state, 1),
    j(JmpOp.JNE, R8, 0x2d, 'plus'),
    stdw(R6, TL.neg, 1), ja('cont'),
    label('plus'),
    j(JmpOp.JEQ, R8, 0x2b, 'cont'),
    label('prefix'),
    stdw(R6, TL.state, 2),
    lddw(R4, R6, TL.base), j(JmpOp.JNE, R4, 16, 'digit'),
    j(JmpOp.JNE, R8, 0x30, 'digit'),
    ldb(R4, R7, TL.s + 1), or(R4, 0x20), j(JmpOp.JNE, R4, 0x78, 'digit'),
    ldb(R4, R7, TL.s + 2), movr(R5, R4), sub(R5, 0x30), j(JmpOp.JLT, R5, 10, 'hex'),
    or(R4, 0x20), sub(R4, 0x61), j(JmpOp.JGE, R4, 6, 'digit'),
    label('hex'),
    // Skip the "0x": the digits start two bytes on.
    movr(R4, R1), add(R4, 2), stxdw(R6, TL.skip, R4), ja('cont'),
    label('digit'),
    movr(R4, R8), sub(R4, 0x30), j(JmpOp.JLT, R4, 10, 'value'),
    movr(R4, R8), or(R4, 0x20), sub(R4, 0x61), j(JmpOp.JGE, R4, 26, 'stop'), add(R4, 10),
    label('value'),
    lddw(R5, R6, TL.base), j(JmpOp.JGE, R4, { reg: R5 }, 'stop'),
    lddw(R0, R6, TL.val), mul(R0, { reg: R5 }), addr(R0, R4), stxdw(R6, TL.val, R0),
    ...CB_EXITS,
  ];
}

// ---------------------------------------------------------------- cleanpath

/** Offsets in dt_cleanpath's work area: state words, the copy of the path, the stack of element starts. */
const CP = { rooted: 8, w: 16, depth: 24, inElem: 32, src: 64 } as const;

function cpStack(g: StrGeom): number {
  return CP.src + g.BW + 8;
}

export function cleanpathWork(g: StrGeom): number {
  return cpStack(g) + 2 * g.BW + 8;
}

/**
 * dt_cleanpath(dst, s, work): s with "//", "/./" and "dir/.." removed and
 * no trailing slash, as dtrace-utils cleans paths: ".." at the root
 * stays at the root, leading ".." of a relative path remain, an empty
 * result is "." (or "/" when rooted) and "" stays "". One pass over the
 * bytes; the start of each element written is kept on a stack, so ".."
 * goes back to it without scanning the output.
 */
function cleanpathFn(g: StrGeom): AsmItem[] {
  return [
    movr(R6, R1), movr(R7, R3),
    stb(R6, 0, 0),
    movr(R3, R2), movr(R1, R7), add(R1, CP.src), mov(R2, g.B), call(Helper.probe_read_kernel_str),
    j(JmpOp.JSLE, R0, 1, 'out'),
    sub(R0, 1), movr(R9, R0),
    ldb(R1, R7, CP.src), mov(R2, 0),
    j(JmpOp.JNE, R1, 0x2f, 'relative'),
    mov(R2, 1), stb(R6, 0, 0x2f),
    label('relative'),
    stxdw(R7, CP.rooted, R2), stxdw(R7, CP.w, R2), stdw(R7, CP.depth, 0), stdw(R7, CP.inElem, 0),
    stxdw(R10, -16, R7), stxdw(R10, -8, R6),
    ...bpfLoop(R9, 'dt_cleanpath_cb', -16),
    lddw(R1, R7, CP.w),
    j(JmpOp.JGT, R1, g.S, 'out'),
    j(JmpOp.JNE, R1, 0, 'end'),
    stb(R6, 0, 0x2e), stb(R6, 1, 0), ja('out'),
    label('end'),
    addr(R1, R6), stb(R1, 0, 0),
    label('out'),
    movr(R0, R6), exit(),
  ];
}

/** dt_cleanpath_cb(r, ctx): the r-th byte of the path (ctx: work, dst). */
function cleanpathCb(g: StrGeom): AsmItem[] {
  const stk = cpStack(g);
  return [
    lddw(R6, R2, 0), lddw(R7, R2, 8),
    j(JmpOp.JGT, R1, g.S, 'stop'),
    movr(R8, R6), addr(R8, R1), ldb(R3, R8, CP.src),
    lddw(R9, R6, CP.w), j(JmpOp.JGT, R9, g.S, 'stop'),
    lddw(R4, R6, CP.inElem),
    j(JmpOp.JEQ, R4, 0, 'start'),
    // Inside an element: copy up to the slash that ends it.
    j(JmpOp.JNE, R3, 0x2f, 'putc'),
    stdw(R6, CP.inElem, 0), ja('cont'),
    label('putc'),
    movr(R4, R7), addr(R4, R9), op.stxb(R4, 0, R3), add(R9, 1), stxdw(R6, CP.w, R9), ja('cont'),
    // At the start of an element: "", "." and ".." are not copied.
    label('start'),
    j(JmpOp.JEQ, R3, 0x2f, 'cont'),
    j(JmpOp.JNE, R3, 0x2e, 'elem'),
    ldb(R4, R8, CP.src + 1),
    j(JmpOp.JEQ, R4, 0, 'cont'), j(JmpOp.JEQ, R4, 0x2f, 'cont'),
    j(JmpOp.JNE, R4, 0x2e, 'elem'),
    ldb(R5, R8, CP.src + 2),
    j(JmpOp.JEQ, R5, 0, 'dotdot'), j(JmpOp.JNE, R5, 0x2f, 'elem'),
    label('dotdot'),
    lddw(R4, R6, CP.depth),
    j(JmpOp.JEQ, R4, 0, 'up'),
    sub(R4, 1), stxdw(R6, CP.depth, R4),
    j(JmpOp.JGT, R4, g.S, 'stop'),
    lsh(R4, 1), addr(R4, R6), ldx(Size.H, R5, R4, stk), stxdw(R6, CP.w, R5), ja('cont'),
    // ".." with nothing to remove: dropped at the root, kept in a relative path.
    label('up'),
    lddw(R4, R6, CP.rooted), j(JmpOp.JNE, R4, 0, 'cont'),
    movr(R4, R7), addr(R4, R9),
    j(JmpOp.JEQ, R9, 0, 'dots'),
    stb(R4, 0, 0x2f), add(R4, 1), add(R9, 1),
    label('dots'),
    stb(R4, 0, 0x2e), stb(R4, 1, 0x2e), add(R9, 2), stxdw(R6, CP.w, R9), ja('cont'),
    // A real element: note where it starts, then a slash unless first.
    label('elem'),
    lddw(R4, R6, CP.depth), j(JmpOp.JGT, R4, g.S, 'stop'),
    movr(R5, R4), lsh(R5, 1), addr(R5, R6), stx(Size.H, R5, stk, R9),
    add(R4, 1), stxdw(R6, CP.depth, R4),
    lddw(R4, R6, CP.rooted),
    movr(R5, R7), addr(R5, R9),
    j(JmpOp.JEQ, R9, { reg: R4 }, 'first'),
    stb(R5, 0, 0x2f), add(R5, 1), add(R9, 1),
    label('first'),
    op.stxb(R5, 0, R3), add(R9, 1), stxdw(R6, CP.w, R9),
    stdw(R6, CP.inElem, 1),
    ...CB_EXITS,
  ];
}

/** LOOP_FNS builds the bpf_loop-based string functions and their callbacks; strtok's need the strtok state's offset in scratch. */
export function loopFns(g: StrGeom, strtokOff: number): Map<string, AsmItem[]> {
  return new Map([
    ['dt_index', indexFn(g)],
    ['dt_index_cb', indexCb(g)],
    ['dt_strstr', strstrFn()],
    ['dt_strtok', strtokFn(g, strtokOff)],
    ['dt_strtok_tab', strtokTabCb(g, strtokOff)],
    ['dt_strtok_scan', strtokScanCb(g, strtokOff)],
    ['dt_strtoll', strtollFn(g)],
    ['dt_strtoll_cb', strtollCb(g)],
    ['dt_cleanpath', cleanpathFn(g)],
    ['dt_cleanpath_cb', cleanpathCb(g)],
  ]);
}
