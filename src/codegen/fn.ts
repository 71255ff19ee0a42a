// FnBuilder accumulates the instructions of one generated BPF function and
// owns its register allocator, labels and helper-call sequence (arguments
// into r1-r5, live caller-saved values spilled first).

import { call, callLocal, exit, jmp, label, ldMapFd, ldMapValue, loadImm, mov64, reg, ldx, type AsmItem } from '../bpf/build.js';
import { width } from '../bpf/assemble.js';
import { R0, R10, R9, asReg, type Reg } from '../bpf/insn.js';
import { JmpOp, Size, AluOp } from '../bpf/opcode.js';
import { alu64 } from '../bpf/build.js';
import { RegAlloc, Val } from './regs.js';

/** Arg is one argument of a helper or subprogram call. */
export type Arg =
  | Val
  | { readonly imm: bigint | number }
  | { readonly mapFd: string }
  | { readonly mapValue: string; readonly offset: number }
  /** A pointer to scratch memory: r9 (machine state) plus an offset. */
  | { readonly scratch: number }
  /** A pointer into this function's stack frame. */
  | { readonly stack: number };

export class FnBuilder {
  readonly items: AsmItem[] = [];
  readonly ra: RegAlloc;
  private labels = 0;
  /** Instructions emitted so far: the "BPF pc" fault messages report. */
  pc = 0;

  constructor(reservedStack: number) {
    this.ra = new RegAlloc((i) => this.emit(i), reservedStack);
  }

  emit(i: AsmItem): void {
    this.items.push(i);
    this.pc += width(i);
  }

  newLabel(hint: string): string {
    return `${hint}${this.labels++}`;
  }

  label(name: string): void {
    this.emit(label(name));
  }

  /** value materialises a constant into a fresh register. */
  constant(v: bigint | number): Val {
    const d = this.ra.alloc();
    this.emit(loadImm(d.reg!, v));
    return d;
  }

  /** scratchPtr returns a value holding r9 + off (a pointer into per-CPU scratch). */
  scratchPtr(off: number): Val {
    const d = this.ra.alloc();
    this.emit(mov64(d.reg!, reg(R9)));
    if (off !== 0) this.emit(alu64(AluOp.ADD, d.reg!, off));
    return d;
  }

  /**
   * callHelper calls a BPF helper (number) or a subprogram (name) with the
   * given arguments and returns its result (r0) as a new value. Argument
   * values are released.
   */
  call(target: number | string, args: readonly Arg[]): Val {
    this.ra.spillCallerSaved();
    args.forEach((a, i) => this.loadArg(asReg(i + 1), a));
    this.ra.unpin();
    for (const a of args) if (a instanceof Val) this.ra.release(a);
    this.emit(typeof target === 'number' ? call(target) : callLocal(target));
    return this.ra.allocIn(R0);
  }

  private loadArg(r: Reg, a: Arg): void {
    if (a instanceof Val) {
      if (a.reg !== undefined) this.emit(mov64(r, reg(this.ra.use(a))));
      else this.emit(ldx(Size.DW, r, R10, a.slot!));
    } else if ('imm' in a) {
      this.emit(loadImm(r, a.imm));
    } else if ('mapFd' in a) {
      this.emit(ldMapFd(r, a.mapFd));
    } else if ('mapValue' in a) {
      this.emit(ldMapValue(r, a.mapValue, a.offset));
    } else if ('scratch' in a) {
      this.emit(mov64(r, reg(R9)));
      if (a.scratch !== 0) this.emit(alu64(AluOp.ADD, r, a.scratch));
    } else {
      this.emit(mov64(r, reg(R10)));
      this.emit(alu64(AluOp.ADD, r, a.stack));
    }
  }

  /** jumpIfZero branches to `target` when v is zero, consuming v. */
  jumpIf(op: (typeof JmpOp)[keyof typeof JmpOp], v: Val, imm: number, target: string): void {
    const r = this.ra.use(v);
    this.emit(jmp(op as never, r, imm, target));
    this.ra.unpin();
    this.ra.release(v);
  }

  /** ret ends the function returning 0. */
  ret(): void {
    this.emit(mov64(R0, 0));
    this.emit(exit());
  }
}
