// Expression code generation: a checked D expression becomes BPF
// instructions leaving its value in a Val. Integers are computed in 64-bit
// registers as DTrace does and narrowed only when stored or cast; strings
// are pointers to strsize-byte buffers in map memory.

import { alu64, jmp, ja, ldMapValue, ldx, loadImm, mov32, mov64, neg64, reg, st, stx } from '../bpf/build.js';
import { R10, R9, type Reg } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size, sizeForBytes, type CondJmpOp } from '../bpf/opcode.js';
import { isZero } from '../sema/expr.js';
import type { LValue, TExpr } from '../sema/ir.js';
import { enumStorage, isByRef, sizeOf, type IntType, type Type } from '../sema/types.js';
import { genBuiltin } from '../library/vars.js';
import type { FnBuilder } from './fn.js';
import { MapName, Fault, MS } from '../layout/memory.js';
import type { Val } from './regs.js';
import type { ClauseContext } from './context.js';
import { addrOf, loadLValue, scalarSize, spaceOf, storeLValue, type Space } from './lvalue.js';
import { genSubr } from '../library/subrs.js';
import { allocaOf, inAlloca } from '../sema/alloca.js';
import { allocaOffset, isAllocaOffset, ptrArg } from './alloca.js';
import { actionInExpression } from '../library/stacks.js';

const ARITH: Record<string, AluOp> = {
  '+': AluOp.ADD, '-': AluOp.SUB, '*': AluOp.MUL, '/': AluOp.DIV, '%': AluOp.MOD,
  '&': AluOp.AND, '|': AluOp.OR, '^': AluOp.XOR, '<<': AluOp.LSH, '>>': AluOp.RSH,
};

const CMP_UNSIGNED: Record<string, CondJmpOp> = {
  '<': JmpOp.JLT, '>': JmpOp.JGT, '<=': JmpOp.JLE, '>=': JmpOp.JGE, '==': JmpOp.JEQ, '!=': JmpOp.JNE,
};
/** NEGATE gives the comparison that is true exactly when op is false. */
const NEGATE: Record<string, string> = { '<': '>=', '>': '<=', '<=': '>', '>=': '<', '==': '!=', '!=': '==' };

const CMP_SIGNED: Record<string, CondJmpOp> = {
  '<': JmpOp.JSLT, '>': JmpOp.JSGT, '<=': JmpOp.JSLE, '>=': JmpOp.JSGE, '==': JmpOp.JEQ, '!=': JmpOp.JNE,
};

/** narrow makes a register hold exactly a value of integer type t (truncate, then sign- or zero-extend). */
export function narrow(f: FnBuilder, v: Val, t: Type): void {
  if (t.kind !== 'int' || t.size === 8) return;
  const r = f.ra.use(v);
  if (!t.signed) {
    if (t.size === 4) f.emit(mov32(r, reg(r)));
    else f.emit(alu64(AluOp.AND, r, t.size === 1 ? 0xff : 0xffff));
  } else {
    const shift = 64 - t.size * 8;
    f.emit(alu64(AluOp.LSH, r, shift));
    f.emit(alu64(AluOp.ARSH, r, shift));
  }
  f.ra.unpin();
}

/** bpfPointer tells whether an expression's value is a pointer into BPF memory (D's storage, scratch, curcpu's map). */
function bpfPointer(e: TExpr): boolean {
  switch (e.k) {
    case 'builtin': return e.name === 'curcpu';
    case 'addr': return spaceOf(e.e) === 'dstore';
    // alloca() and copyin() give scratch offsets, which are plain integers already.
    case 'call': return e.type.kind === 'pointer' && !allocaOf(e);
    case 'cast': return bpfPointer(e.e);
    case 'comma': return bpfPointer(e.exprs[e.exprs.length - 1]);
    case 'cond': return bpfPointer(e.t) || bpfPointer(e.f);
    default: return false;
  }
}

/** StrSource is where a string value is read from (see ExprGen.strSource). */
export interface StrSource {
  readonly v: Val;
  readonly space: 'kernel' | 'user';
  /** Most bytes worth reading, NUL included. */
  readonly max: number;
  /** A D string already (NUL-terminated in readable memory): no fault check needed. */
  readonly plain: boolean;
}

/** ExprGen generates code for the expressions of one clause. */
export class ExprGen {
  constructor(readonly f: FnBuilder, readonly cx: ClauseContext) {}

  gen(e: TExpr): Val {
    const f = this.f;
    // stack( ), sym( ) and the like have a value only as an aggregation key.
    if (e.k === 'call' && e.type.kind === 'int' && e.type.symbolic !== undefined) throw actionInExpression(e.fn, e.pos);
    switch (e.k) {
      case 'int':
        if (e.type.kind === 'void') throw new Error('BUG: void value reached code generation');
        return f.constant(BigInt.asIntN(64, e.value));
      case 'str': {
        const d = f.ra.alloc();
        f.emit(ldMapValue(d.reg!, MapName.strtab, this.cx.strtab.offsetOf(e.value)));
        return d;
      }
      case 'var': case 'assoc': case 'deref': case 'member': case 'index': case 'sym':
        return loadLValue(this, e);
      case 'builtin': return genBuiltin(this, e.name);
      case 'args': return this.args(e);
      case 'unop': return this.unop(e);
      case 'binop': return this.binop(e);
      case 'ptradd': return this.ptradd(e);
      case 'ptrdiff': {
        const l = this.gen(e.l);
        const r = this.gen(e.r);
        f.emit(alu64(AluOp.SUB, f.ra.use(l), reg(f.ra.use(r))));
        if (e.scale > 1) {
          // A signed division by the element size, without BPF's signed division (Linux 6.6).
          const rl = f.ra.use(l);
          const pos = f.newLabel('pd');
          const done = f.newLabel('pd');
          f.emit(jmp(JmpOp.JSGE, rl, 0, pos));
          f.emit(neg64(rl));
          f.emit(alu64(AluOp.DIV, rl, e.scale));
          f.emit(neg64(rl));
          f.emit(ja(done));
          f.label(pos);
          f.emit(alu64(AluOp.DIV, rl, e.scale));
          f.label(done);
        }
        f.ra.unpin();
        f.ra.release(r);
        return l;
      }
      case 'cmp': return e.strcmp ? this.strcmp(e.op, e.l, e.r) : this.cmp(e.op, e.l, e.r, e.signed);
      case 'logic': return this.logic(e);
      case 'cond': return this.cond(e);
      case 'cast': {
        const v = this.gen(e.e);
        if (e.type.kind !== 'pointer' && bpfPointer(e.e)) this.launder(v);
        narrow(f, v, e.type);
        return v;
      }
      // The address of something in alloca memory is an alloca pointer: its offset.
      case 'addr': return inAlloca(e.e) ? allocaOffset(this, e.e) : addrOf(this, e.e, false);
      case 'tostr': return this.toStr(e.e);
      case 'assign': return this.assign(e.target, e.op, e.value);
      case 'incdec': return this.incdec(e.target, e.op, e.prefix, e.step);
      case 'call': return genSubr(this, e);
      case 'xlate': return this.xlate(e);
      case 'xlated':
        // A pointer to translated data is its input pointer (printed with %p, tested for NULL).
        if (!e.ptr) throw new Error('BUG: translated struct reached code generation unmaterialized');
        return this.gen(e.input);
      case 'comma': {
        let last: Val | undefined;
        for (const x of e.exprs) {
          if (last !== undefined) f.ra.release(last);
          last = this.gen(x);
        }
        return last!;
      }
    }
  }

  /**
   * launder turns a pointer into BPF memory (a map value) into the plain
   * address it holds, by a store to and a load from scratch: the verifier
   * forbids arithmetic on such pointers, and D reads through any address
   * with probe_read anyway.
   */
  launder(v: Val): void {
    const r = this.f.ra.use(v);
    this.f.emit(stx(Size.DW, R9, MS.launder, r));
    this.f.emit(ldx(Size.DW, r, R9, MS.launder));
    this.f.ra.unpin();
  }

  /** extend makes a value just loaded from memory (zero-extended) a 64-bit value of its type; enums stay unsigned. */
  extend(v: Val, t: Type): void {
    if (t.kind === 'int' && t.signed && t.size < 8) narrow(this.f, v, t);
  }

  /** narrowTo truncates a value to an integer type's width and extends it back. */
  narrowTo(v: Val, t: Type): void {
    narrow(this.f, v, t.kind === 'enum' ? enumStorage(t) : t);
  }

  /**
   * copy copies `size` bytes from src (consumed) to dst (consumed; D's
   * storage or scratch) with probe_read, so the source may be anywhere; a
   * string copy stops at its NUL. A bad source address faults.
   */
  copy(dst: Val, src: Val, size: number, space: Space, string = false): void {
    const f = this.f;
    f.emit(stx(Size.DW, R9, MS.faultAddr, f.ra.use(src)));
    f.ra.unpin();
    const helper = string
      ? (space === 'user' ? Helper.probe_read_user_str : Helper.probe_read_kernel_str)
      : (space === 'user' ? Helper.probe_read_user : Helper.probe_read_kernel);
    const r = f.call(helper, [dst, { imm: size }, src]);
    f.emit(jmp(JmpOp.JSLT, f.ra.use(r), 0, this.cx.faultLabel(Fault.BADADDR, f.pc, true)));
    f.ra.unpin();
    f.ra.release(r);
  }

  /** args reads args[i]: the probe's arguments from the machine state (typed by the provider). */
  private args(e: TExpr & { k: 'args' }): Val {
    const f = this.f;
    const d = f.ra.alloc();
    if (e.idx.k === 'int') {
      f.emit(ldx(Size.DW, d.reg!, R9, MS.argv + 8 * Number(e.idx.value)));
    } else {
      const i = this.gen(e.idx);
      const ri = f.ra.use(i);
      f.emit(stx(Size.DW, R9, MS.faultAddr, ri));
      f.emit(jmp(JmpOp.JGE, ri, 10, this.cx.faultLabel(Fault.BADINDEX, f.pc, true)));
      f.emit(alu64(AluOp.LSH, ri, 3));
      f.emit(mov64(d.reg!, reg(R9)));
      f.emit(alu64(AluOp.ADD, d.reg!, reg(ri)));
      f.emit(ldx(Size.DW, d.reg!, d.reg!, MS.argv));
      f.ra.unpin();
      f.ra.release(i);
    }
    this.narrowTo(d, e.type);
    return d;
  }

  /** ptradd is pointer ± integer, the integer scaled by the pointee's size. */
  private ptradd(e: TExpr & { k: 'ptradd' }): Val {
    const f = this.f;
    const p = this.gen(e.ptr);
    if (bpfPointer(e.ptr)) this.launder(p);
    const n = this.gen(e.off);
    const rn = f.ra.use(n);
    if (e.ptr.type.kind === 'string') {
      // A string lives in BPF memory the verifier bounds: keep the offset within
      // the string's buffer (moving back before a string is not supported).
      const lo = f.newLabel('slo');
      const hi = f.newLabel('shi');
      f.emit(jmp(JmpOp.JSGE, rn, 0, lo));
      f.emit(mov64(rn, 0));
      f.label(lo);
      if (e.op === '-') f.emit(mov64(rn, 0));
      f.emit(jmp(JmpOp.JLE, rn, this.cx.strsize - 1, hi));
      f.emit(mov64(rn, this.cx.strsize - 1));
      f.label(hi);
    }
    if (e.scale > 1) f.emit(alu64(AluOp.MUL, rn, e.scale));
    f.emit(alu64(e.op === '+' ? AluOp.ADD : AluOp.SUB, f.ra.use(p), reg(rn)));
    f.ra.unpin();
    f.ra.release(n);
    return p;
  }

  /**
   * toStr reads a char pointer's or char array's characters (or an integer
   * used as an address) into a string temporary, at most strsize of them.
   */
  toStr(src: TExpr): Val {
    const f = this.f;
    const s = this.strSource(src);
    const off = this.cx.tmpString();
    f.emit(st(Size.B, R9, off, 0));
    this.strInto(s, off, this.cx.strsize);
    return f.scratchPtr(off);
  }

  /**
   * strSource evaluates what a string is read from: the address of a
   * string, or of the characters a `tostr` conversion reads (a char
   * array reads at most its length).
   */
  strSource(e: TExpr): StrSource {
    // An alloca pointer is read from scratch, at least its first byte allocated (as DTrace checks it).
    if (e.k !== 'tostr') return { v: isAllocaOffset(e) ? ptrArg(this, e, 1) : this.gen(e), space: 'kernel', max: this.cx.strsize, plain: true };
    const src = e.e;
    const space = src.type.kind === 'pointer' ? (src.type.user ? 'user' : 'kernel') : spaceOf(src);
    const max = src.type.kind === 'array' ? Math.min(src.type.count + 1, this.cx.strsize) : this.cx.strsize;
    // An alloca pointer is read from scratch, at least its first byte allocated (as DTrace checks it).
    const v = isAllocaOffset(src) ? ptrArg(this, src, 1) : this.gen(src);
    return { v, space: space === 'user' ? 'user' : 'kernel', max, plain: false };
  }

  /**
   * strInto copies a string from its source (consumed) into scratch at
   * `off`, at most `width` bytes with its NUL: one read straight from a
   * char array or pointer, faulting on a bad address as DTrace does.
   */
  strInto(s: StrSource, off: number, width: number): void {
    const f = this.f;
    const n = Math.min(width, s.max);
    if (s.plain) {
      // A plain pointer may be an integer cast to one ((void *)arg1): like
      // DTrace, read it from whichever address space holds it (x86-64's do
      // not overlap; BPF memory and kernel strings read as before).
      f.ra.release(f.call(Helper.probe_read_str, [{ scratch: off }, { imm: n }, s.v]));
      return;
    }
    this.copy(f.scratchPtr(off), s.v, n, s.space, true);
  }

  /** xlate computes a translated struct whole, into a zeroed temporary. */
  private xlate(e: TExpr & { k: 'xlate' }): Val {
    const f = this.f;
    const size = sizeOf(e.type, this.cx.strsize);
    const off = this.cx.tmp(size);
    for (let o = 0; o < size; o += 8) f.emit(st(size - o >= 8 ? Size.DW : Size.B, R9, off + o, 0));
    for (const { m, value } of e.members) {
      const at = off + Math.floor(m.bitOffset / 8);
      const t = m.type;
      if (t.kind === 'string' || t.kind === 'array') {
        const v = this.gen(value);
        const n = sizeOf(t, this.cx.strsize);
        f.ra.release(f.call(value.type.kind === 'string' || t.kind === 'string' ? Helper.probe_read_kernel_str : Helper.probe_read_kernel, [{ scratch: at }, { imm: n }, v]));
      } else if (isByRef(t)) {
        this.copy(f.scratchPtr(at), this.gen(value), sizeOf(t, this.cx.strsize), spaceOf(value));
      } else {
        const v = this.gen(value);
        this.narrowTo(v, t);
        f.emit(stx(sizeForBytes(scalarSize(t)), R9, at, f.ra.use(v)));
        f.ra.unpin();
        f.ra.release(v);
      }
    }
    return f.scratchPtr(off);
  }

  private unop(e: TExpr & { k: 'unop' }): Val {
    const f = this.f;
    const v = this.gen(e.e);
    const r = f.ra.use(v);
    if (e.op === '-') f.emit(neg64(r));
    else if (e.op === '~') f.emit(alu64(AluOp.XOR, r, -1));
    else {
      const t = f.newLabel('not');
      const one = f.newLabel('one');
      f.emit(jmp(JmpOp.JEQ, r, 0, one));
      f.emit(mov64(r, 0));
      f.emit(ja(t));
      f.label(one);
      f.emit(mov64(r, 1));
      f.label(t);
    }
    f.ra.unpin();
    return v;
  }

  /** arith applies a binary arithmetic operator to l (in place) and r, with divide-by-zero checks. */
  arith(op: string, l: Val, r: Val, type: Type): Val {
    const f = this.f;
    const signed = type.kind === 'int' && type.signed;
    const rl = f.ra.use(l);
    const rr = f.ra.use(r);
    if (op === '/' || op === '%') f.emit(jmp(JmpOp.JEQ, rr, 0, this.cx.faultLabel(Fault.DIVZERO, f.pc)));
    if (signed && (op === '/' || op === '%')) {
      this.signedDivMod(op === '/' ? AluOp.DIV : AluOp.MOD, rl, rr);
    } else {
      f.emit(alu64(op === '>>' && signed ? AluOp.ARSH : ARITH[op], rl, reg(rr)));
    }
    f.ra.unpin();
    f.ra.release(r);
    return l;
  }

  /**
   * signedDivMod divides rl by rr (a register, clobbered) as signed
   * numbers with unsigned instructions on their magnitudes: BPF's signed
   * division and modulo need Linux 6.6. The quotient truncates toward zero
   * as in C; the remainder takes the sign of dividend times divisor, as
   * DTrace's does (19 % -5 is -4, unlike C).
   */
  private signedDivMod(aop: typeof AluOp.DIV | typeof AluOp.MOD, rl: Reg, rr: Reg): void {
    const f = this.f;
    const neg = f.ra.alloc();
    const rn = f.ra.use(neg);
    const [a, b, c] = [f.newLabel('sd'), f.newLabel('sd'), f.newLabel('sd')];
    f.emit(mov64(rn, 0));
    f.emit(jmp(JmpOp.JSGE, rl, 0, a));
    f.emit(neg64(rl));
    f.emit(alu64(AluOp.XOR, rn, 1));
    f.label(a);
    f.emit(jmp(JmpOp.JSGE, rr, 0, b));
    f.emit(neg64(rr));
    f.emit(alu64(AluOp.XOR, rn, 1));
    f.label(b);
    f.emit(alu64(aop, rl, reg(rr)));
    f.emit(jmp(JmpOp.JEQ, rn, 0, c));
    f.emit(neg64(rl));
    f.label(c);
    f.ra.release(neg);
  }

  private binop(e: TExpr & { k: 'binop' }): Val {
    const l = this.gen(e.l);
    const r = this.gen(e.r);
    // Operands of mixed signedness are converted as C converts them.
    if (e.l.type.kind === 'int' && (e.l.type as IntType).signed !== (e.type as IntType).signed) narrow(this.f, l, e.type);
    if (e.r.type.kind === 'int' && (e.r.type as IntType).signed !== (e.type as IntType).signed && e.op !== '<<' && e.op !== '>>') narrow(this.f, r, e.type);
    return this.arith(e.op, l, r, e.type);
  }

  /** boolOf turns a taken/not-taken jump into 0/1 in a fresh register. */
  private boolOf(emitJump: (trueLabel: string) => void): Val {
    const f = this.f;
    const d = f.ra.alloc();
    const rd = f.ra.use(d);
    const yes = f.newLabel('t');
    f.emit(mov64(rd, 1));
    emitJump(yes);
    f.emit(mov64(rd, 0));
    f.label(yes);
    f.ra.unpin();
    return d;
  }

  private cmp(op: string, le: TExpr, re: TExpr, signed: boolean): Val {
    const f = this.f;
    const l = this.gen(le);
    const r = this.gen(re);
    const rl = f.ra.use(l);
    const rr = f.ra.use(r);
    const d = f.ra.alloc();
    const rd = f.ra.use(d);
    const yes = f.newLabel('t');
    f.emit(mov64(rd, 1));
    f.emit(jmp((signed ? CMP_SIGNED : CMP_UNSIGNED)[op], rl, reg(rr), yes));
    f.emit(mov64(rd, 0));
    f.label(yes);
    f.ra.unpin();
    f.ra.release(l);
    f.ra.release(r);
    return d;
  }

  private strcmp(op: string, le: TExpr, re: TExpr): Val {
    const f = this.f;
    const l = this.gen(le);
    const r = this.gen(re);
    const res = f.call('dt_strcmp', [l, r]);
    const rr = f.ra.use(res);
    const yes = f.newLabel('t');
    const d = f.ra.alloc();
    const rd = f.ra.use(d);
    f.emit(mov64(rd, 1));
    f.emit(jmp(CMP_SIGNED[op], rr, 0, yes));
    f.emit(mov64(rd, 0));
    f.label(yes);
    f.ra.unpin();
    f.ra.release(res);
    return d;
  }

  /**
   * test evaluates a scalar condition and jumps to `ifFalse` when it is
   * zero. Comparisons, `!` and `&&` become conditional jumps directly
   * instead of materialising 0 or 1 first: predicates are the hot path.
   */
  test(e: TExpr, ifFalse: string): void {
    const f = this.f;
    if (e.k === 'cmp' && !e.strcmp) {
      const l = this.gen(e.l);
      const r = this.gen(e.r);
      const inverse = NEGATE[e.op];
      f.emit(jmp((e.signed ? CMP_SIGNED : CMP_UNSIGNED)[inverse], f.ra.use(l), reg(f.ra.use(r)), ifFalse));
      f.ra.unpin();
      f.ra.release(l);
      f.ra.release(r);
      return;
    }
    if (e.k === 'cmp' && e.strcmp) {
      const res = f.call('dt_strcmp', [this.gen(e.l), this.gen(e.r)]);
      f.emit(jmp(CMP_SIGNED[NEGATE[e.op]], f.ra.use(res), 0, ifFalse));
      f.ra.unpin();
      f.ra.release(res);
      return;
    }
    // Two jumps reach ifFalse here; that is only safe when no value is live
    // (the allocator state must be the same on every path to a label).
    if (e.k === 'logic' && e.op === '&&' && f.ra.liveCount() === 0) {
      this.test(e.l, ifFalse);
      this.test(e.r, ifFalse);
      return;
    }
    const v = this.gen(e);
    f.jumpIf(JmpOp.JEQ, v, 0, ifFalse);
  }

  private logic(e: TExpr & { k: 'logic' }): Val {
    const f = this.f;
    const slot = f.ra.slot();
    if (e.op === '^^') {
      const l = this.bool(e.l);
      const r = this.bool(e.r);
      return this.arith('^', l, r, e.type);
    }
    const done = f.newLabel('lg');
    const shortVal = e.op === '&&' ? 0 : 1;
    f.emit(st(Size.DW, R10, slot, shortVal));
    // Spill live values before the first jump so both paths agree at `done`.
    const leave = f.ra.enterBranch();
    const l = this.gen(e.l);
    f.jumpIf(e.op === '&&' ? JmpOp.JEQ : JmpOp.JNE, l, 0, done);
    const r = this.bool(e.r);
    f.emit(stx(Size.DW, R10, slot, f.ra.use(r)));
    f.ra.unpin();
    f.ra.release(r);
    f.label(done);
    leave();
    return this.fromSlot(slot);
  }

  private bool(e: TExpr): Val {
    const v = this.gen(e);
    return this.boolOf((yes) => {
      this.f.emit(jmp(JmpOp.JNE, this.f.ra.use(v), 0, yes));
      this.f.ra.release(v);
    });
  }

  private fromSlot(slot: number): Val {
    const f = this.f;
    const d = f.ra.alloc();
    f.emit(ldx(Size.DW, d.reg!, R10, slot));
    f.ra.freeSlot(slot);
    return d;
  }

  private cond(e: TExpr & { k: 'cond' }): Val {
    const f = this.f;
    const slot = f.ra.slot();
    const other = f.newLabel('else');
    const done = f.newLabel('fi');
    const leave = f.ra.enterBranch();
    this.test(e.c, other);
    const t = this.gen(e.t);
    f.emit(stx(Size.DW, R10, slot, f.ra.use(t)));
    f.ra.unpin();
    f.ra.release(t);
    f.emit(ja(done));
    f.label(other);
    const x = this.gen(e.f);
    f.emit(stx(Size.DW, R10, slot, f.ra.use(x)));
    f.ra.unpin();
    f.ra.release(x);
    f.label(done);
    leave();
    return this.fromSlot(slot);
  }

  private assign(target: LValue, op: string, valueE: TExpr): Val {
    const t = target.type;
    if (op === '=') {
      const zero = isZero(valueE);
      const value = this.gen(valueE);
      if (!isByRef(t)) this.narrowTo(value, t);
      return storeLValue(this, target, value, zero);
    }
    // A compound assignment reads the target before evaluating the right side.
    const old = loadLValue(this, target);
    const value = this.arith(op, old, this.gen(valueE), t);
    this.narrowTo(value, t);
    return storeLValue(this, target, value, false);
  }

  private incdec(target: LValue, op: '++' | '--', prefix: boolean, step: number): Val {
    const f = this.f;
    const old = loadLValue(this, target);
    const next = f.ra.alloc();
    f.emit(mov64(next.reg!, reg(f.ra.use(old))));
    f.emit(alu64(op === '++' ? AluOp.ADD : AluOp.SUB, next.reg!, step));
    f.ra.unpin();
    this.narrowTo(next, target.type);
    const stored = storeLValue(this, target, next, false);
    if (prefix) {
      f.ra.release(old);
      return stored;
    }
    f.ra.release(stored);
    return old;
  }

  /** constantPtr loads a pointer into a map value. */
  mapPtr(map: string, off: number): Val {
    const d = this.f.ra.alloc();
    this.f.emit(ldMapValue(d.reg!, map, off));
    return d;
  }

  /** imm loads an immediate into a fresh value. */
  imm(v: number | bigint): Val {
    const d = this.f.ra.alloc();
    this.f.emit(loadImm(d.reg!, v));
    return d;
  }
}
