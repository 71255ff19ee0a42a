// Expression code generation: a checked D expression becomes BPF
// instructions leaving its value in a Val. Integers are computed in 64-bit
// registers as DTrace does and narrowed only when stored or cast; strings
// are pointers to strsize-byte buffers in map memory.

import { alu64, jmp, ja, ldMapValue, ldx, loadImm, mov32, mov64, neg64, reg, st, stx } from '../bpf/build.js';
import { R10, R9 } from '../bpf/insn.js';
import { AluOp, JmpOp, Size, sizeForBytes, type CondJmpOp } from '../bpf/opcode.js';
import type { TExpr, Variable } from '../sema/ir.js';
import type { IntType, Type } from '../sema/types.js';
import { genBuiltin } from './builtins.js';
import type { FnBuilder } from './fn.js';
import { MapName, Fault } from '../layout/memory.js';
import type { Val } from './regs.js';
import type { ClauseContext } from './context.js';
import { loadVar, storeVar } from './vars.js';

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

/** ExprGen generates code for the expressions of one clause. */
export class ExprGen {
  constructor(readonly f: FnBuilder, readonly cx: ClauseContext) {}

  gen(e: TExpr): Val {
    const f = this.f;
    switch (e.k) {
      case 'int':
        if (e.type.kind === 'void') throw new Error('BUG: void value reached code generation');
        return f.constant(BigInt.asIntN(64, e.value));
      case 'str': {
        const d = f.ra.alloc();
        f.emit(ldMapValue(d.reg!, MapName.strtab, this.cx.strtab.offsetOf(e.value)));
        return d;
      }
      case 'var': return loadVar(this, e.v);
      case 'builtin': return genBuiltin(this, e.name);
      case 'unop': return this.unop(e);
      case 'binop': return this.binop(e);
      case 'cmp': return e.strcmp ? this.strcmp(e.op, e.l, e.r) : this.cmp(e.op, e.l, e.r, e.signed);
      case 'logic': return this.logic(e);
      case 'cond': return this.cond(e);
      case 'cast': {
        const v = this.gen(e.e);
        narrow(f, v, e.type);
        return v;
      }
      case 'assign': return this.assign(e.v, e.op, e.value);
      case 'incdec': return this.incdec(e.v, e.op, e.prefix);
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
    const aop = op === '>>' && signed ? AluOp.ARSH : ARITH[op];
    f.emit(alu64(aop, rl, reg(rr), { signed: signed && (op === '/' || op === '%') }));
    if (op === '%' && signed) {
      // DTrace's signed remainder takes the sign of dividend times divisor
      // (19 % -5 is -4), unlike C's; BPF's smod follows C.
      const keep = f.newLabel('mod');
      f.emit(jmp(JmpOp.JSGE, rr, 0, keep));
      f.emit(neg64(rl));
      f.label(keep);
    }
    f.ra.unpin();
    f.ra.release(r);
    return l;
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

  private assign(v: Variable, op: string, valueE: TExpr): Val {
    const f = this.f;
    // A compound assignment reads the variable before evaluating the right side.
    const old = op === '=' ? undefined : loadVar(this, v);
    let value = this.gen(valueE);
    if (old !== undefined) value = this.arith(op, old, value, v.type);
    if (v.type.kind === 'int') narrow(f, value, v.type);
    return storeVar(this, v, value);
  }

  private incdec(v: Variable, op: '++' | '--', prefix: boolean): Val {
    const f = this.f;
    const old = loadVar(this, v);
    const next = f.ra.alloc();
    f.emit(mov64(next.reg!, reg(f.ra.use(old))));
    f.emit(alu64(op === '++' ? AluOp.ADD : AluOp.SUB, next.reg!, 1));
    f.ra.unpin();
    narrow(f, next, v.type);
    const stored = storeVar(this, v, next);
    if (prefix) {
      f.ra.release(old);
      return stored;
    }
    f.ra.release(stored);
    return old;
  }

  /** loadInt reads an integer of type t from base+off, extending it to 64 bits. */
  loadInt(base: number, off: number, t: Type, fromScratch: boolean): Val {
    const f = this.f;
    const size = t.kind === 'int' ? t.size : 8;
    const d = f.ra.alloc();
    const rd = d.reg!;
    if (fromScratch) f.emit(ldx(sizeForBytes(size), rd, R9, base + off));
    else throw new Error('BUG: loadInt from non-scratch base');
    if (t.kind === 'int' && t.signed && size < 8) narrow(f, d, t);
    return d;
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
