// Clause code generation: each D clause becomes one BPF function
// dt_clause_N(mstate, ctx) that evaluates the predicate, runs the body
// (building its record in per-CPU scratch) and submits the record to the
// ring buffer at the end. A false predicate or a fault writes nothing.

import { alu64, call, callLocal, exit, ja, jmp, ldMapFd, ldMapValue, ldx, mov64, st, stx, reg, type AsmItem } from '../bpf/build.js';
import { R0, R1, R2, R3, R4, R10, R9 } from '../bpf/insn.js';
import { Helper, BPF_RB_FORCE_WAKEUP, BPF_RB_NO_WAKEUP, BPF_RB_AVAIL_DATA } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size, sizeForBytes } from '../bpf/opcode.js';
import type { CheckedClause, TExpr, TStmt } from '../sema/ir.js';
import { ExprGen, narrow } from './expr.js';
import { genAggUpdate } from './aggs.js';
import { FnBuilder } from './fn.js';
import type { ClauseContext } from './context.js';
import { DTRACE_PROBE_IDS, Fault, Frame, Hdr, MapName, MS, RecKind, principalSize, State, StateOff } from '../layout/memory.js';
import type { RecordItem, Slot, StatementRecord } from '../layout/records.js';
import { alignOf, isByRef, sizeOf } from '../sema/types.js';
import { scalarSize, spaceOf } from './lvalue.js';
import { SUBRS } from '../library/subrs.js';
import { ACTIONS, type ActionContext } from '../library/actions.js';
import { allocaStart } from './alloca.js';
import { genSpecStmt, genSpecsizeCheck, speculates } from './spec.js';

/** BufPolicy is the bufpolicy option: what happens when a CPU's principal buffer is full (docs/buffers.md). */
export type BufPolicy = 'switch' | 'fill' | 'ring';

/** ClauseOptions are the compile-time options clause code depends on. */
export interface ClauseOptions {
  readonly quiet: boolean;
  /** fill: records count against each CPU's bufsize and stop when it is full. Default switch. */
  readonly bufpolicy?: BufPolicy;
  /** The specsize option: a speculative record larger than this is a speculative drop (default: no limit). */
  readonly specsize?: number;
}

export interface CompiledClause {
  readonly name: string;
  readonly items: AsmItem[];
  readonly record: StatementRecord;
  /** Bytes of temporaries the clause used at once (scratch layout is sized from the maximum). */
  readonly tmpBytes: number;
  /** True when the clause allocates or reaches alloca memory. */
  readonly usesAlloca: boolean;
  readonly usesStrings: boolean;
  readonly usesStrtok: boolean;
  /** True when the clause can fault and so calls dt_error. */
  readonly canFault: boolean;
}

/** clauseName is the BPF function name of clause i, as DTrace's messages call it. */
export function clauseName(i: number): string {
  return `dt_clause_${i}`;
}

/**
 * Temps hands out scratch temporaries (strings, translated structs). No
 * temporary outlives the statement that made it (stores copy their
 * values), so each statement starts from the first one again.
 */
class Temps {
  private used = 0;
  max = 0;

  take(size: number): number {
    const off = this.used;
    this.used += Math.ceil(size / 8) * 8;
    this.max = Math.max(this.max, this.used);
    return off;
  }

  reset(): void {
    this.used = 0;
  }
}

/** RecordBuilder assigns offsets to the data a clause records. */
class RecordBuilder {
  size: number = Hdr.size;
  readonly items: RecordItem[] = [];

  alloc(bytes: number, align: number): number {
    this.size = Math.ceil(this.size / align) * align;
    const off = this.size;
    this.size += bytes;
    return off;
  }
}

/** compileClause generates the function for one checked clause. */
export function compileClause(c: CheckedClause, cx: Omit<ClauseContext, 'faultLabel' | 'tmpString' | 'tmp' | 'outLabel' | 'usesAlloca' | 'usesStrings' | 'usesStrtok'>, opts: ClauseOptions): CompiledClause {
  const f = new FnBuilder(Frame.reserved);
  const faults = new Map<string, { code: number; pc: number; withAddr: boolean }>();
  const temps = new Temps();
  const ctx: ClauseContext = {
    ...cx,
    outLabel: 'out',
    usesAlloca: false,
    usesStrings: false,
    usesStrtok: false,
    faultLabel(code, pc, withAddr = false) {
      const name = `fault${faults.size}`;
      faults.set(name, { code, pc, withAddr });
      return name;
    },
    tmp: (size) => cx.scratch.tmpOff + temps.take(size),
    tmpString: () => cx.scratch.tmpOff + temps.take(cx.strsize),
  };
  const g = new ExprGen(f, ctx);
  const rec = new RecordBuilder();
  const wake = needsConsumerNow(c.body);
  const speculative = speculates(c.body);

  f.emit(mov64(R9, reg(R1)));
  f.emit(stx(Size.DW, R10, Frame.ctx, R2));
  // Every clause starts with no alloca memory, as in DTrace.
  if (cx.scratch.allocaSize > 0) allocaStart(g);
  if (c.predicate !== undefined) g.test(c.predicate, 'out');
  temps.reset();
  const bodyStart = f.items.length;
  const body = new BodyGen(g, rec, cx.scratch.recOff, cx.strsize, temps, speculative ? opts.specsize ?? Infinity : undefined);
  body.stmts(c.body, false);
  // Presence flags of conditional actions start cleared; the stores go before the body.
  f.items.splice(bodyStart, 0, ...body.flags.map((off) => st(Size.B, R9, cx.scratch.recOff + off, 0)));
  // A clause that may speculate starts with no speculation in its header.
  if (speculative) f.items.splice(bodyStart, 0, st(Size.H, R9, cx.scratch.recOff + Hdr.spec, 0));
  // A clause records when it has data to record, or (unless quiet) when it is
  // empty, which traces the probe; clauses that only compute, store or
  // aggregate write nothing, as in DTrace. A clause that speculates and
  // records nothing else writes an empty record into its speculation.
  const emitRecord = rec.items.length > 0 || !opts.quiet && c.body.length === 0 || speculative;
  if (speculative && rec.items.length === 0) {
    f.emit(ldx(Size.H, R1, R9, cx.scratch.recOff + Hdr.spec));
    f.emit(jmp(JmpOp.JEQ, R1, 0, 'out'));
  }
  if (emitRecord) submitRecord(f, c.index, rec.size, cx.scratch.recOff, wake, opts.bufpolicy ?? 'switch', speculative);
  f.label('out');
  f.ret();
  for (const [name, { code, pc, withAddr }] of faults) emitFault(f, name, code, pc, c.index, withAddr);
  if (f.ra.liveCount() !== 0) throw new Error(`BUG: clause ${c.index} leaks ${f.ra.liveCount()} values`);
  return {
    name: clauseName(c.index),
    items: f.items,
    record: { stid: c.index, size: rec.size, items: rec.items },
    tmpBytes: temps.max,
    usesAlloca: ctx.usesAlloca,
    usesStrings: ctx.usesStrings,
    usesStrtok: ctx.usesStrtok,
    canFault: faults.size > 0,
  };
}

/**
 * needsConsumerNow tells whether a clause's record asks the consumer to act
 * (exit, printa, clear, trunc, normalize, and the actions it carries out:
 * system, setopt, freopen, ftruncate): such records wake it at once instead
 * of waiting for the next switchrate tick.
 */
function needsConsumerNow(body: readonly TStmt[]): boolean {
  return body.some((s) => s.k === 'exit' || s.k === 'printa' || s.k === 'aggop' || s.k === 'action' && ACTIONS[s.name]?.consumer === true
    || s.k === 'if' && (needsConsumerNow(s.then) || needsConsumerNow(s.else)));
}

/** BodyGen generates the statements of a clause body, laying out its record. */
class BodyGen {
  /** Offsets of the presence bytes of actions run under an `if`. */
  readonly flags: number[] = [];

  /** `specsize` is set for a clause that speculates: values stored past it end a speculating clause as a drop. */
  constructor(
    readonly g: ExprGen, readonly rec: RecordBuilder, readonly recOff: number, readonly strsize: number, private readonly temps: Temps,
    private readonly specsize?: number,
  ) {}

  stmts(list: readonly TStmt[], conditional: boolean): void {
    for (const s of list) {
      this.stmt(s, conditional);
      this.temps.reset();
    }
  }

  private nextFlag(conditional: boolean): number | undefined {
    if (!conditional) return undefined;
    const off = this.rec.alloc(1, 1);
    this.flags.push(off);
    return off;
  }

  private stmt(s: TStmt, conditional: boolean): void {
    const f = this.g.f;
    switch (s.k) {
      case 'expr':
        f.ra.release(this.g.gen(s.e));
        return;
      case 'if': {
        const other = f.newLabel('else');
        const done = f.newLabel('endif');
        const leave = f.ra.enterBranch();
        this.g.test(s.c, other);
        this.stmts(s.then, true);
        f.emit(ja(done));
        f.label(other);
        this.stmts(s.else, true);
        f.label(done);
        leave();
        return;
      }
      case 'trace': {
        const flag = this.nextFlag(conditional);
        const value = this.record(s.e);
        this.rec.items.push({ kind: 'trace', value, flag });
        this.setFlag(flag);
        return;
      }
      case 'printf': {
        const flag = this.nextFlag(conditional);
        const args = s.args.map((a) => this.record(a));
        this.rec.items.push({ kind: 'printf', format: s.fmt, args, flag });
        this.setFlag(flag);
        return;
      }
      case 'agg':
        genAggUpdate(this.g, s.agg, s.keys, s.value, s.incr);
        return;
      case 'printa': {
        const flag = this.nextFlag(conditional);
        this.rec.items.push({ kind: 'printa', aggs: s.aggs.map((a) => a.id), format: s.fmt, flag });
        this.setFlag(flag);
        return;
      }
      case 'aggop': {
        const flag = this.nextFlag(conditional);
        const value = s.arg === undefined ? undefined : this.record(s.arg);
        this.rec.items.push({ kind: 'aggop', op: s.op, agg: s.agg.id, value, flag });
        this.setFlag(flag);
        return;
      }
      case 'action': {
        const gen = ACTIONS[s.name]?.gen;
        if (gen === undefined) throw new Error(`BUG: action ${s.name}( ) has no code`);
        const cx: ActionContext = {
          g: this.g,
          record: (e) => this.record(e),
          reserve: (size) => {
            const offset = this.slot(size, 8);
            return { slot: { offset, kind: 'bytes', size, signed: false }, scratchOff: this.recOff + offset };
          },
          item: (it) => {
            const flag = this.nextFlag(conditional);
            this.rec.items.push({ ...it, flag });
            this.setFlag(flag);
          },
        };
        gen(cx, s.args, s.fmt);
        return;
      }
      case 'spec':
        genSpecStmt(this.g, s, this.recOff);
        return;
      case 'exit': {
        const flag = this.nextFlag(conditional);
        const value = this.record(s.e);
        this.rec.items.push({ kind: 'exit', value, flag });
        this.setFlag(flag);
        const p = this.g.mapPtr(MapName.state, StateOff.state);
        f.emit(st(Size.W, f.ra.use(p), 0, State.DRAINING));
        f.ra.unpin();
        f.ra.release(p);
        return;
      }
    }
  }

  private setFlag(flag: number | undefined): void {
    if (flag !== undefined) this.g.f.emit(st(Size.B, R9, this.recOff + flag, 1));
  }

  /** slot allocates a slot of the record for a value just computed, checking specsize in a speculative clause. */
  private slot(bytes: number, align: number): number {
    const off = this.rec.alloc(bytes, align);
    if (this.specsize !== undefined && off + bytes > this.specsize) genSpecsizeCheck(this.g, this.recOff);
    return off;
  }

  /** record evaluates e and stores it into a new slot of the record. */
  private record(e: TExpr): Slot {
    const f = this.g.f;
    const t = e.type;
    const v = this.g.gen(e);
    if (t.kind === 'string') {
      const off = this.slot(this.strsize, 1);
      if (mayBeNull(e)) {
        // Recording a NULL string is a fault at address 0, as in DTrace.
        f.emit(st(Size.DW, R9, MS.faultAddr, 0));
        f.emit(jmp(JmpOp.JEQ, f.ra.use(v), 0, this.g.cx.faultLabel(Fault.BADADDR, f.pc, true)));
        f.ra.unpin();
      }
      f.ra.release(f.call(Helper.probe_read_kernel_str, [{ scratch: this.recOff + off }, { imm: this.strsize }, v]));
      return { offset: off, kind: 'string', size: this.strsize, signed: false };
    }
    if (isByRef(t)) {
      const size = Math.max(1, sizeOf(t, this.strsize));
      const off = this.slot(size, Math.min(8, alignOf(t)));
      this.g.copy(f.scratchPtr(this.recOff + off), v, size, spaceOf(e) === 'user' ? 'user' : 'kernel');
      return { offset: off, kind: 'bytes', size, signed: false };
    }
    const size = scalarSize(t);
    // Enums record as unsigned, as DTrace prints them.
    const signed = t.kind === 'int' && t.signed;
    const off = this.slot(size, size);
    narrow(f, v, t);
    f.emit(stx(sizeForBytes(size), R9, this.recOff + off, f.ra.use(v)));
    f.ra.unpin();
    f.ra.release(v);
    return { offset: off, kind: 'int', size, signed };
  }
}

/** mayBeNull tells whether a string value can be NULL: variables (NULL stored, or missing) and what may yield them. */
export function mayBeNull(e: TExpr): boolean {
  switch (e.k) {
    case 'str': case 'tostr': case 'builtin': case 'xlate': return false;
    case 'cond': return mayBeNull(e.t) || mayBeNull(e.f);
    case 'comma': return mayBeNull(e.exprs[e.exprs.length - 1]);
    case 'assign': return mayBeNull(e.value);
    case 'call': return SUBRS[e.fn]?.nullable === true;
    default: return true;
  }
}

/** submitRecord fills the header (a speculative clause has set its speculation field) and copies the record into the ring buffer. */
function submitRecord(f: FnBuilder, stid: number, size: number, recOff: number, wake: boolean, policy: BufPolicy, speculative = false): void {
  f.emit(ldx(Size.W, R1, R9, MS.prid));
  f.emit(stx(Size.W, R9, recOff + Hdr.prid, R1));
  f.emit(st(Size.W, R9, recOff + Hdr.stid, stid));
  f.emit(ldx(Size.W, R1, R9, MS.cpu));
  f.emit(stx(Size.W, R9, recOff + Hdr.cpu, R1));
  f.emit(st(speculative ? Size.H : Size.W, R9, recOff + Hdr.kind, RecKind.DATA));
  emitOutput(f, recOff, size, wake, policy);
}

/**
 * emitOutput calls bpf_ringbuf_output without waking the consumer (it polls
 * on a timer): wake-ups dominate the cost of a record. It wakes the
 * consumer when `wake` is set, and when the ring's fill level passes a half
 * or three quarters (levels the loader stores in dt_state, as it chooses
 * the ring's size): only inside a narrow window above each mark, so that
 * a consumer falling behind is woken once per mark, not for every record.
 * With bufpolicy=fill the record first counts against its CPU's buffer.
 */
export function emitOutput(f: FnBuilder, recOff: number, size: number, wake: boolean, policy: BufPolicy): void {
  const done = f.newLabel('sent');
  if (policy === 'fill') emitFillCheck(f, size, done);
  if (wake) {
    f.emit(mov64(R4, BPF_RB_FORCE_WAKEUP));
  } else {
    const quiet = f.newLabel('nowake');
    const loud = f.newLabel('wake');
    const window = 16 * (size + 8);
    f.emit(ldMapFd(R1, MapName.events));
    f.emit(mov64(R2, BPF_RB_AVAIL_DATA));
    f.emit(call(Helper.ringbuf_query));
    f.emit(mov64(R4, BPF_RB_NO_WAKEUP));
    f.emit(ldMapValue(R1, MapName.state, StateOff.wakeHalf));
    for (const mark of [0, StateOff.wakeThreeQuarters - StateOff.wakeHalf]) {
      const next = f.newLabel('mark');
      f.emit(ldx(Size.DW, R2, R1, mark));
      f.emit(jmp(JmpOp.JLT, R0, reg(R2), next));
      f.emit(alu64(AluOp.ADD, R2, window));
      f.emit(jmp(JmpOp.JLT, R0, reg(R2), loud));
      f.label(next);
    }
    f.emit(ja(quiet));
    f.label(loud);
    f.emit(mov64(R4, BPF_RB_FORCE_WAKEUP));
    f.label(quiet);
  }
  f.emit(ldMapFd(R1, MapName.events));
  f.emit(mov64(R2, reg(R9)));
  f.emit(alu64(AluOp.ADD, R2, recOff));
  f.emit(mov64(R3, size));
  f.emit(call(Helper.ringbuf_output));
  // A full ring refuses the record: count the drop for the consumer to report.
  f.emit(jmp(JmpOp.JEQ, R0, 0, done));
  f.emit(ldx(Size.DW, R1, R9, MS.drops));
  f.emit(alu64(AluOp.ADD, R1, 1));
  f.emit(stx(Size.DW, R9, MS.drops, R1));
  f.label(done);
}

/**
 * emitFillCheck (bufpolicy=fill) counts the record's principal size against
 * its CPU's buffer, as DTrace's fill buffers fill: a record that does not
 * fit marks the buffer full, and from then on the CPU records nothing
 * (no drop is counted), even records that would fit. END records are let
 * through: the END reserve (subtracted from the limit) is theirs.
 */
function emitFillCheck(f: FnBuilder, size: number, done: string): void {
  const ok = f.newLabel('fits');
  const full = f.newLabel('full');
  f.emit(ldx(Size.W, R1, R9, MS.prid));
  f.emit(jmp(JmpOp.JEQ, R1, DTRACE_PROBE_IDS.END, ok));
  f.emit(ldx(Size.DW, R1, R9, MS.fillUsed));
  f.emit(alu64(AluOp.ADD, R1, principalSize(size)));
  f.emit(ldMapValue(R2, MapName.state, StateOff.fillLimit));
  f.emit(ldx(Size.DW, R2, R2, 0));
  f.emit(jmp(JmpOp.JGT, R1, reg(R2), full));
  f.emit(stx(Size.DW, R9, MS.fillUsed, R1));
  f.emit(ja(ok));
  f.label(full);
  // Past the limit for good: every later record exceeds it too.
  f.emit(alu64(AluOp.ADD, R2, 1));
  f.emit(stx(Size.DW, R9, MS.fillUsed, R2));
  f.emit(ja(done));
  f.label(ok);
}

/** emitFault stores the fault in the machine state and hands it to dt_error. */
function emitFault(f: FnBuilder, name: string, code: number, pc: number, clause: number, withAddr: boolean): void {
  f.label(name);
  f.emit(st(Size.DW, R9, MS.faultCode, code));
  f.emit(st(Size.DW, R9, MS.faultPc, pc));
  if (!withAddr) f.emit(st(Size.DW, R9, MS.faultAddr, 0));
  f.emit(st(Size.DW, R9, MS.faultClause, clause));
  f.emit(mov64(R1, reg(R9)));
  f.emit(ldx(Size.DW, R2, R10, Frame.ctx));
  f.emit(callLocal('dt_error'));
  f.emit(mov64(R0, 0));
  f.emit(exit());
}
