// D's actions in one table: each entry holds DTrace's prototype (which the
// checker checks calls against: D_PROTO_LEN, D_PROTO_ARG), whether it is
// destructive, and its code. Most actions are generic: their code runs in
// the probe and lays out the action's record through an ActionContext, and
// the consumer carries out the record (output/actions.ts, by the same
// name). trace, printf, exit and the aggregation actions have statements of
// their own (sema/calls.ts checks them, the clause generator writes them).
// An entry with neither is an action this compiler does not build yet.

import { Helper } from '../bpf/helpers.js';
import { call, jmp, label, ldx, mayGoto, alu64, reg, stx } from '../bpf/build.js';
import { R0, R1, R9 } from '../bpf/insn.js';
import { AluOp, JmpOp, Size } from '../bpf/opcode.js';
import { Fault } from '../layout/memory.js';
import type { ExprGen } from '../codegen/expr.js';
import type { ParsedFormat } from '../format/printf.js';
import type { RecordItem, Slot } from '../layout/records.js';
import type { Pos } from '../diag/diagnostic.js';
import type { TExpr } from '../sema/ir.js';
import { checkPrint, checkTracemem, genPrint, genTracemem } from './print.js';
import { checkStackArgs, genStackInto, type OptionValues } from './stacks.js';

/** ActionContext is what an action's code may do while its clause is generated. */
export interface ActionContext {
  readonly g: ExprGen;
  /** record evaluates e into a new slot of the clause's record. */
  record(e: TExpr): Slot;
  /** item adds one item to the clause's record, in execution order. */
  item(it: RecordItem): void;
  /** reserve adds `size` bytes (8-aligned) to the record: the slot, and its offset in scratch for code to write. */
  reserve(size: number): { readonly slot: Slot; readonly scratchOff: number };
}

/** ActionCheck validates an action's checked arguments beyond its prototype and may rewrite them. */
type ActionCheck = (name: string, args: readonly TExpr[], opts: OptionValues, pos: Pos) => TExpr[];

export type ActionGen = (cx: ActionContext, args: readonly TExpr[], fmt: ParsedFormat | undefined) => void;

export interface ActionDef {
  /** DTrace's prototype: "void(int)", "void(@, ...)", "[optional]" parameters. */
  readonly proto: string;
  /** Only with -w or the destructive option. */
  readonly destructive?: boolean;
  /** The action has a statement of its own (trace, printf, exit, printa, clear...). */
  readonly statement?: true;
  /** The first argument is a printf( ) format, checked as printf's is (system, freopen). */
  readonly format?: true;
  /** Checks beyond the prototype (constant arguments, options), run before the action is refused or built. */
  readonly check?: ActionCheck;
  /** Code of a generic action; absent when not built yet. */
  readonly gen?: ActionGen;
  /** The consumer carries the action out (output/actions.ts): its record wakes the consumer at once. */
  readonly consumer?: true;
  /** Why this implementation refuses the action for good (what the kernel cannot do), said at compile time. */
  readonly refused?: string;
}

/** recordArgs is the code of an action the consumer carries out: record its arguments. */
function recordArgs(name: string): ActionGen {
  return (cx, args, fmt) => cx.item({ kind: 'action', name, values: args.map((a) => cx.record(a)), format: fmt });
}

/** acted is an action the consumer carries out between records: its arguments are recorded and its record wakes the consumer. */
function acted(name: string): Pick<ActionDef, 'gen' | 'consumer'> {
  return { consumer: true, gen: recordArgs(name) };
}

/** signal sends a signal to the current process: raise(sig), and stop( ) with SIGSTOP. */
function signal(sig: TExpr | undefined): (g: ExprGen) => void {
  return (g) => {
    const v = sig === undefined ? { imm: SIGSTOP } : g.gen(sig);
    g.f.ra.release(g.f.call(Helper.send_signal, [v]));
  };
}

const SIGSTOP = 19;

/** DTrace's limit on one chill( ): half a second (dtrace_chill_max); more is an illegal operation. */
const CHILL_MAX_NS = 500_000_000;

/**
 * chill spins for `ns` nanoseconds, reading the clock. Its bounds live in
 * scratch so that no register is live across the loop, whose back edge
 * passes may_goto: the kernel then ends the spin on its own after about
 * eight million clock reads, whatever the clock says.
 */
function chill(cx: ActionContext, ns: TExpr): void {
  const { g } = cx;
  const f = g.f;
  const v = g.gen(ns);
  const r = f.ra.use(v);
  // Unsigned: a negative time is too long too.
  f.emit(jmp(JmpOp.JGT, r, CHILL_MAX_NS, g.cx.faultLabel(Fault.ILLOP, f.pc)));
  const off = g.cx.tmp(16);
  f.emit(stx(Size.DW, R9, off, r));
  f.ra.unpin();
  f.ra.release(v);
  const t0 = f.call(Helper.ktime_get_ns, []);
  f.emit(stx(Size.DW, R9, off + 8, f.ra.use(t0)));
  f.ra.unpin();
  f.ra.release(t0);
  f.ra.spillCallerSaved();
  const loop = f.newLabel('chill');
  const done = f.newLabel('chilled');
  f.emit(label(loop));
  f.emit(mayGoto(done));
  f.emit(call(Helper.ktime_get_ns));
  f.emit(ldx(Size.DW, R1, R9, off + 8));
  f.emit(alu64(AluOp.SUB, R0, reg(R1)));
  f.emit(ldx(Size.DW, R1, R9, off));
  f.emit(jmp(JmpOp.JLT, R0, reg(R1), loop));
  f.emit(label(done));
}

/** stack records `frames` return addresses of the kernel stack (its one argument, set by checkStackArgs). */
const stack: ActionGen = (cx, args) => {
  const a = args[0];
  const frames = a !== undefined && a.k === 'int' ? Number(a.value) : 0;
  const { slot, scratchOff } = cx.reserve(frames * 8);
  genStackInto(cx.g, scratchOff, frames);
  cx.item({ kind: 'action', name: 'stack', values: [slot] });
};

const own: Pick<ActionDef, 'statement'> = { statement: true };

/** ACTIONS lists every D action. */
export const ACTIONS: Readonly<Record<string, ActionDef>> = {
  trace: { proto: 'void(@)', ...own },
  printf: { proto: 'void(string, ...)', ...own },
  exit: { proto: 'void(int)', ...own },
  printa: { proto: 'void(@, ...)', ...own },
  clear: { proto: 'void(@)', ...own },
  trunc: { proto: 'void(@, [int64_t])', ...own },
  normalize: { proto: 'void(@, uint64_t)', ...own },
  denormalize: { proto: 'void(@)', ...own },
  print: { proto: 'void(void *)', check: checkPrint, gen: genPrint },
  tracemem: { proto: 'void(@, size_t, [size_t])', check: checkTracemem, gen: genTracemem },
  stack: { proto: 'stack([uint32_t])', check: checkStackArgs, gen: stack },
  ustack: { proto: 'stack([uint32_t], [uint32_t])', check: checkStackArgs },
  jstack: { proto: 'stack([uint32_t], [uint32_t])', check: checkStackArgs },
  speculate: { proto: 'void(int)', ...own },
  commit: { proto: 'void(int)', ...own },
  discard: { proto: 'void(int)', ...own },
  // The consumer sets the option between records (output/actions.ts).
  setopt: { proto: 'void(const char *, [const char *])', ...acted('setopt') },
  raise: { proto: 'void(int)', destructive: true, gen: (cx, args) => signal(args[0])(cx.g) },
  stop: { proto: 'void()', destructive: true, gen: (cx) => signal(undefined)(cx.g) },
  system: { proto: 'void(@, ...)', destructive: true, format: true, ...acted('system') },
  breakpoint: { proto: 'void()', destructive: true, refused: 'BPF programs cannot stop the kernel in a debugger' },
  panic: { proto: 'void()', destructive: true, refused: 'BPF programs cannot panic the kernel' },
  chill: { proto: 'void(int)', destructive: true, gen: (cx, args) => chill(cx, args[0]) },
  // freopen( ) and ftruncate( ) act on the consumer's output file; freopen( ) is destructive as in dtrace-utils.
  freopen: { proto: 'void(@, ...)', destructive: true, format: true, ...acted('freopen') },
  ftruncate: { proto: 'void()', ...acted('ftruncate') },
  pcap: { proto: 'void(void *, int)' },
  printm: { proto: 'void(size_t, void *)' },
  sym: { proto: '_symaddr(uintptr_t)', gen: recordArgs('sym') },
  mod: { proto: '_symaddr(uintptr_t)', gen: recordArgs('mod') },
  func: { proto: '_symaddr(uintptr_t)', gen: recordArgs('sym') },
  usym: { proto: '_usymaddr(uintptr_t)' },
  umod: { proto: '_usymaddr(uintptr_t)' },
  ufunc: { proto: '_usymaddr(uintptr_t)' },
  uaddr: { proto: '_usymaddr(uintptr_t)' },
};
