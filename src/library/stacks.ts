// Kernel stacks and symbols: stack( ), sym( ), func( ), mod( ) and the
// built-in variables caller and stackdepth. Each is checked here (frame
// counts, DTrace's D_STACK_SIZE) and its probe-side code is here: a stack is
// the return addresses bpf_get_stack( ) writes straight into the record or
// the aggregation key (docs/stacks.md says why no stack map), and a symbol
// is just the address; the consumer turns addresses into `module`function
// text (output/stacks.ts). The user-space forms (ustack, usym, ...) are
// checked as DTrace checks them and refused by the code generator.

import { alu64, ja, jmp, ldx, st, stx } from '../bpf/build.js';
import { R10, R9 } from '../bpf/insn.js';
import { BPF_F_SKIP_FIELD_MASK, Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size } from '../bpf/opcode.js';
import type { ExprGen } from '../codegen/expr.js';
import type { Val } from '../codegen/regs.js';
import { CompileError, type Pos } from '../diag/diagnostic.js';
import { DTRACE_PROBE_IDS, Fault, Frame, MS } from '../layout/memory.js';
import type { TExpr } from '../sema/ir.js';
import type { IntType } from '../sema/types.js';

/** OptionValues is what checking a stack needs of the options: stackframes, ustackframes, maxframes. */
export interface OptionValues {
  num(name: string): number;
}

/** stackType is the type of stack(frames) (ustack when user): DTrace calls it "stack". */
export function stackType(frames: number, user = false): IntType {
  return { kind: 'int', name: 'stack', size: 8, signed: false, symbolic: user ? 'ustack' : 'stack', frames };
}

/** The types of sym( )/func( ) and mod( ) keys: addresses printed as a symbol or a module. */
export const SYMADDR: IntType = { kind: 'int', name: '_symaddr', size: 8, signed: false, symbolic: 'sym' };
export const MODADDR: IntType = { kind: 'int', name: '_symaddr', size: 8, signed: false, symbolic: 'mod' };
export const USYMADDR: IntType = { kind: 'int', name: '_usymaddr', size: 8, signed: false, symbolic: 'usym' };

/** SYMBOLIC_FUNCS gives the key type of each action that may be an aggregation key, by name. */
export const SYMBOLIC_FUNCS: Readonly<Record<string, 'stack' | 'ustack' | IntType>> = {
  stack: 'stack',
  ustack: 'ustack',
  jstack: 'ustack',
  sym: SYMADDR,
  func: SYMADDR,
  mod: MODADDR,
  usym: USYMADDR,
  ufunc: USYMADDR,
  umod: USYMADDR,
  uaddr: USYMADDR,
};

/** actionInExpression is DTrace's D_CG_EXPR for stack( ), sym( )... used where no value can be. */
export function actionInExpression(name: string, pos: Pos): CompileError {
  return new CompileError('D_CG_EXPR', `tracing function ${name}( ) may not be called from a D expression (D program context required)`, pos);
}

/** isPositiveConst tells whether e is an integer constant above zero. */
function isPositiveConst(e: TExpr | undefined): e is TExpr & { k: 'int' } {
  return e !== undefined && e.k === 'int' && e.type.kind === 'int' && (e.type.signed ? BigInt.asIntN(64, e.value) > 0n : e.value > 0n);
}

/**
 * stackFrames is the frame count of stack(n) or ustack(n, strsize): n, which
 * must be a positive integer constant, else the stackframes (ustackframes)
 * option; silently at most maxframes, as DTrace does.
 */
export function stackFrames(name: string, args: readonly TExpr[], opts: OptionValues, pos: Pos): number {
  const user = name !== 'stack';
  let frames = opts.num(user ? 'ustackframes' : 'stackframes');
  const n = args[0];
  if (n !== undefined) {
    if (!isPositiveConst(n)) {
      throw new CompileError(user ? 'D_USTACK_FRAMES' : 'D_STACK_SIZE', `${name}( ) argument #1 must be a non-zero positive integer constant`, pos).inRegion('');
    }
    frames = Number(n.value > 0xffffn ? 0xffffn : n.value);
  }
  const strsize = args[1];
  if (user && strsize !== undefined && !(strsize.k === 'int' && (!(strsize.type.kind === 'int' && strsize.type.signed) || BigInt.asIntN(64, strsize.value) >= 0n))) {
    throw new CompileError('D_USTACK_STRSIZE', `${name}( ) argument #2 must be a positive integer constant`, pos).inRegion('');
  }
  return Math.min(frames, opts.num('maxframes'));
}

/** checkStackArgs validates stack( )/ustack( ) arguments and gives the frame count as their one argument. */
export function checkStackArgs(name: string, args: readonly TExpr[], opts: OptionValues, pos: Pos): TExpr[] {
  const frames = stackFrames(name, args, opts, pos);
  return [{ k: 'int', type: { kind: 'int', name: 'uint32_t', size: 4, signed: false }, pos, value: BigInt(frames) }];
}

/** ctxValue loads the probe's context pointer, which bpf_get_stack( ) walks from. */
function ctxValue(g: ExprGen): Val {
  const d = g.f.ra.alloc();
  g.f.emit(ldx(Size.DW, d.reg!, R10, Frame.ctx));
  return d;
}

/**
 * genStackInto writes the kernel stack of the probe, `frames` return
 * addresses, at scratch offset `off`. bpf_get_stack( ) zeroes what the stack
 * does not fill, so equal stacks are equal keys; a failure is DTrace's
 * "bad stack" fault.
 */
export function genStackInto(g: ExprGen, off: number, frames: number): void {
  const f = g.f;
  const none = f.newLabel('nostack');
  const done = f.newLabel('stack');
  jumpIfNoKernelStack(g, none);
  const r = f.call(Helper.get_stack, [ctxValue(g), { scratch: off }, { imm: frames * 8 }, { imm: STACK_SKIP & BPF_F_SKIP_FIELD_MASK }]);
  f.emit(jmp(JmpOp.JSLT, f.ra.use(r), 0, g.cx.faultLabel(Fault.BADSTACK, f.pc)));
  f.ra.unpin();
  f.ra.release(r);
  f.emit(ja(done));
  f.label(none);
  for (let i = 0; i < frames; i++) f.emit(st(Size.DW, R9, off + 8 * i, 0));
  f.label(done);
}

/**
 * jumpIfNoKernelStack jumps when the probe is BEGIN or END: they fire in
 * the consumer's process, where DTrace shows no kernel stack (ours would be
 * the BPF test run that fires them). Nothing may be live in r0-r5 here:
 * callers spill before the branch.
 */
function jumpIfNoKernelStack(g: ExprGen, target: string): void {
  const f = g.f;
  f.ra.spillCallerSaved();
  const t = f.ra.alloc();
  const r = f.ra.use(t);
  f.emit(ldx(Size.W, r, R9, MS.prid));
  f.emit(jmp(JmpOp.JLE, r, DTRACE_PROBE_IDS.END, target));
  f.ra.unpin();
  f.ra.release(t);
}

/**
 * STACK_SKIP is how many frames the walk leaves out. Tracepoint, perf-event
 * and raw-tracepoint programs are handed the registers of the traced code,
 * so no frame of ours is on the stack (dtrace-utils skips frames only for
 * fbt's trampolines).
 */
const STACK_SKIP = 0;

/** STACKDEPTH_FRAMES is how many frames stackdepth can count: DTrace's maxframes default. */
const STACKDEPTH_FRAMES = 127;

/** caller is the return address of the probe's frame: the second address of its stack (0 if none). */
export function genCaller(g: ExprGen): Val {
  const f = g.f;
  const off = g.cx.tmp(16);
  const skip = f.newLabel('nocaller');
  f.emit(st(Size.DW, R9, off + 8, 0));
  jumpIfNoKernelStack(g, skip);
  // A failed walk zeroes the buffer: caller is then 0, as in DTrace.
  f.ra.release(f.call(Helper.get_stack, [ctxValue(g), { scratch: off }, { imm: 16 }, { imm: STACK_SKIP }]));
  f.label(skip);
  const d = f.ra.alloc();
  f.emit(ldx(Size.DW, d.reg!, R9, off + 8));
  return d;
}

/** stackdepth is the number of frames of the kernel stack (0 in BEGIN and END). */
export function genStackDepth(g: ExprGen): Val {
  const f = g.f;
  const off = g.cx.tmp(STACKDEPTH_FRAMES * 8);
  const skip = f.newLabel('nodepth');
  f.emit(st(Size.DW, R9, off, 0));
  jumpIfNoKernelStack(g, skip);
  const r = f.call(Helper.get_stack, [ctxValue(g), { scratch: off }, { imm: STACKDEPTH_FRAMES * 8 }, { imm: STACK_SKIP }]);
  const rr = f.ra.use(r);
  f.emit(jmp(JmpOp.JSLT, rr, 0, g.cx.faultLabel(Fault.BADSTACK, f.pc)));
  f.emit(alu64(AluOp.RSH, rr, 3));
  f.emit(stx(Size.DW, R9, off, rr));
  f.ra.unpin();
  f.ra.release(r);
  f.label(skip);
  const d = f.ra.alloc();
  f.emit(ldx(Size.DW, d.reg!, R9, off));
  return d;
}
