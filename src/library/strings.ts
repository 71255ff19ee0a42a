// The clause side of D's string subroutines (their entries are in
// subrs.ts): evaluating the arguments as DTrace does (a NULL string faults
// at address 0, a char pointer or array is read into a temporary), taking
// the scratch temporaries the result and the work need, and calling the
// run-time functions of codegen/strings.ts and codegen/strloops.ts, which
// return the result string (a temporary, or 0 for NULL) or the integer.

import { alu64, jmp, ldx, mov64, reg, st } from '../bpf/build.js';
import { R9 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size } from '../bpf/opcode.js';
import { mayBeNull } from '../codegen/clause.js';
import type { ExprGen } from '../codegen/expr.js';
import type { Arg } from '../codegen/fn.js';
import type { Val } from '../codegen/regs.js';
import { LLTOSTR_TMP, strGeom, type StrGeom } from '../codegen/strings.js';
import { IndexMode, cleanpathWork, indexWork, strtollWork } from '../codegen/strloops.js';
import { Fault, MS } from '../layout/memory.js';
import type { TExpr } from '../sema/ir.js';

function geom(g: ExprGen): StrGeom {
  return strGeom(g.cx.strsize - 1);
}

/**
 * strArg evaluates a string argument to a pointer to a NUL-terminated
 * string in BPF memory. A string that can be NULL, or a char pointer that
 * is NULL, faults at address 0, as DTrace's subroutines do; a char pointer
 * or array is then read into a temporary.
 */
function strArg(g: ExprGen, e: TExpr): Val {
  const f = g.f;
  const nullCheck = (v: Val): void => {
    f.emit(st(Size.DW, R9, MS.faultAddr, 0));
    f.emit(jmp(JmpOp.JEQ, f.ra.use(v), 0, g.cx.faultLabel(Fault.BADADDR, f.pc, true)));
    f.ra.unpin();
  };
  if (e.k === 'tostr' || e.type.kind !== 'string') {
    const s = g.strSource(e);
    if (e.k !== 'tostr' || e.e.type.kind !== 'array') nullCheck(s.v);
    const off = g.cx.tmpString();
    f.emit(st(Size.B, R9, off, 0));
    g.strInto(s, off, g.cx.strsize);
    return f.scratchPtr(off);
  }
  const v = g.gen(e);
  if (mayBeNull(e)) nullCheck(v);
  return v;
}

/** run calls a run-time string function; their accesses need the scratch slack. */
function run(g: ExprGen, fn: string, args: readonly Arg[]): Val {
  g.cx.usesStrings = true;
  return g.f.call(fn, args);
}

/** dst takes the string temporary a function writes its result into. */
function dst(g: ExprGen): Arg {
  return { scratch: g.cx.tmpString() };
}

/**
 * baseArg evaluates the base of lltostr() and strtoll(): 10 when absent; a
 * base outside 2..36 is an illegal operation, as in illumos DTrace.
 */
function baseArg(g: ExprGen, e: TExpr | undefined): Arg {
  if (e === undefined) return { imm: 10 };
  if (e.k === 'int' && e.value >= 2n && e.value <= 36n) return { imm: Number(e.value) };
  const f = g.f;
  const v = g.gen(e);
  const t = f.ra.alloc();
  const rt = f.ra.use(t);
  f.emit(mov64(rt, reg(f.ra.use(v))));
  f.emit(alu64(AluOp.SUB, rt, 2));
  f.emit(jmp(JmpOp.JGT, rt, 34, g.cx.faultLabel(Fault.ILLOP, f.pc)));
  f.ra.unpin();
  f.ra.release(t);
  return v;
}

/** strlen(s): the length probe_read_kernel_str finds copying s (at most strsize). */
export function strlen(g: ExprGen, args: readonly TExpr[]): Val {
  const f = g.f;
  const s = strArg(g, args[0]);
  const n = f.call(Helper.probe_read_kernel_str, [dst(g), { imm: g.cx.strsize }, s]);
  const r = f.ra.use(n);
  const ok = f.newLabel('len');
  f.emit(alu64(AluOp.SUB, r, 1));
  f.emit(jmp(JmpOp.JSGE, r, 0, ok));
  f.emit(mov64(r, 0));
  f.label(ok);
  f.ra.unpin();
  return n;
}

export function strjoin(g: ExprGen, args: readonly TExpr[]): Val {
  const a = strArg(g, args[0]);
  const b = strArg(g, args[1]);
  return run(g, 'dt_strjoin', [dst(g), a, b]);
}

export function substr(g: ExprGen, args: readonly TExpr[]): Val {
  const s = strArg(g, args[0]);
  const idx = g.gen(args[1]);
  const cnt = args[2] === undefined ? { imm: 0 } : g.gen(args[2]);
  return run(g, 'dt_substr', [dst(g), s, idx, cnt, { imm: args.length }]);
}

function indexOf(g: ExprGen, args: readonly TExpr[], reverse: boolean): Val {
  const s = strArg(g, args[0]);
  const t = strArg(g, args[1]);
  const start = args[2] === undefined ? { imm: 0 } : g.gen(args[2]);
  const mode = !reverse ? IndexMode.FORWARD : args[2] === undefined ? IndexMode.BACKWARD_ALL : IndexMode.BACKWARD;
  return run(g, 'dt_index', [s, t, start, { scratch: g.cx.tmp(indexWork(geom(g))) }, { imm: mode }]);
}

export function index(g: ExprGen, args: readonly TExpr[]): Val {
  return indexOf(g, args, false);
}

export function rindex(g: ExprGen, args: readonly TExpr[]): Val {
  return indexOf(g, args, true);
}

export function strstr(g: ExprGen, args: readonly TExpr[]): Val {
  const s = strArg(g, args[0]);
  const t = strArg(g, args[1]);
  return run(g, 'dt_strstr', [dst(g), s, t, { scratch: g.cx.tmp(indexWork(geom(g))) }]);
}

function strchrOf(g: ExprGen, args: readonly TExpr[], last: boolean): Val {
  const s = strArg(g, args[0]);
  const c = g.gen(args[1]);
  return run(g, 'dt_strchr', [dst(g), s, c, { imm: last ? 1 : 0 }]);
}

export function strchr(g: ExprGen, args: readonly TExpr[]): Val {
  return strchrOf(g, args, false);
}

export function strrchr(g: ExprGen, args: readonly TExpr[]): Val {
  return strchrOf(g, args, true);
}

/** oneString calls a run-time function taking (dst, s). */
function oneString(g: ExprGen, fn: string, args: readonly TExpr[]): Val {
  const s = strArg(g, args[0]);
  return run(g, fn, [dst(g), s]);
}

// Function declarations, not constants: subrs.ts reads them while the
// modules of this import cycle (codegen/clause.ts) are still loading.
export function toupper(g: ExprGen, args: readonly TExpr[]): Val {
  return oneString(g, 'dt_toupper', args);
}

export function tolower(g: ExprGen, args: readonly TExpr[]): Val {
  return oneString(g, 'dt_tolower', args);
}

export function basename(g: ExprGen, args: readonly TExpr[]): Val {
  return oneString(g, 'dt_basename', args);
}

export function dirname(g: ExprGen, args: readonly TExpr[]): Val {
  return oneString(g, 'dt_dirname', args);
}

export function cleanpath(g: ExprGen, args: readonly TExpr[]): Val {
  const s = strArg(g, args[0]);
  return run(g, 'dt_cleanpath', [dst(g), s, { scratch: g.cx.tmp(cleanpathWork(geom(g))) }]);
}

export function lltostr(g: ExprGen, args: readonly TExpr[]): Val {
  const v = g.gen(args[0]);
  const base = baseArg(g, args[1]);
  return run(g, 'dt_lltostr', [dst(g), v, base, { scratch: g.cx.tmp(LLTOSTR_TMP) }]);
}

export function strtoll(g: ExprGen, args: readonly TExpr[]): Val {
  const s = strArg(g, args[0]);
  const base = baseArg(g, args[1]);
  return run(g, 'dt_strtoll', [s, base, { scratch: g.cx.tmp(strtollWork(geom(g))) }]);
}

/**
 * strtok(s, d): a literal NULL s continues the string a strtok(s, d) of
 * this probe firing started, and faults (at address 0) when there is none,
 * as in dtrace-utils; any other s starts a new one (and faults if NULL).
 */
export function strtok(g: ExprGen, args: readonly TExpr[]): Val {
  const f = g.f;
  g.cx.usesStrtok = true;
  const cont = args[0].k === 'int' && args[0].value === 0n;
  let s: Arg;
  if (cont) {
    const p = f.ra.alloc();
    const rp = f.ra.use(p);
    f.emit(ldx(Size.DW, rp, R9, MS.strtok));
    f.emit(alu64(AluOp.ADD, rp, 1));
    f.emit(jmp(JmpOp.JEQ, rp, 0, g.cx.faultLabel(Fault.BADADDR, f.pc)));
    f.ra.unpin();
    f.ra.release(p);
    s = { imm: 0 };
  } else {
    s = strArg(g, args[0]);
  }
  const d = strArg(g, args[1]);
  return run(g, 'dt_strtok', [dst(g), s, d, { scratch: 0 }]);
}
