// Aggregation code generation. Each aggregation @name has its own per-CPU
// map, so the hot path takes no lock and touches no shared cache line:
// keyless aggregations whose empty value is all zeros use a per-CPU array
// (an inlined lookup), the rest a per-CPU hash keyed by the key tuple.
// Values are u64 words updated in place, laid out as layout/aggvalue.ts
// says; the consumer merges the CPUs.

import { alu64, call, jmp, ja, ldMapValue, ldx, mov32, mov64, neg64, reg, st, stx, ldImm64 } from '../bpf/build.js';
import { R1, R2, R3, R10, R9, type Reg } from '../bpf/insn.js';
import { Helper, BPF_NOEXIST } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size, type CondJmpOp } from '../bpf/opcode.js';
import type { Aggregation, TExpr } from '../sema/ir.js';
import type { ExprGen } from './expr.js';
import { narrow } from './expr.js';
import { dataWords, llqLayout, lqLayout, QUANTIZE_NBUCKETS, QUANTIZE_ZEROBUCKET } from '../layout/aggvalue.js';
import { MapName, MS } from '../layout/memory.js';
import type { Val } from './regs.js';
import { genStackInto } from '../library/stacks.js';
import { unsupported } from '../sema/expr.js';

/** aggMapName is the map holding aggregation id. */
export function aggMapName(id: number): string {
  return `dt_agg_${id}`;
}

/**
 * keyWidths gives the bytes each key takes in the map key: 8 per integer;
 * for a string, whole words holding as much as its uses can need (a string
 * buffer of strsize bytes at most). `@[execname]` keys are 16 bytes, not 264:
 * the key is hashed on every event.
 */
export function keyWidths(a: Aggregation, strsize: number): number[] {
  return a.keys.map((k, i) => {
    if (k.kind === 'int' && (k.symbolic === 'stack' || k.symbolic === 'ustack')) return (k.frames ?? 1) * 8;
    if (k.kind !== 'string') return 8;
    const max = a.strKeyMax[i];
    return Math.ceil((max === undefined || max === 0 ? strsize : Math.min(max, strsize)) / 8) * 8;
  });
}

/** keySize is the size of an aggregation's key tuple in its map. */
export function keySize(a: Aggregation, strsize: number): number {
  return Math.max(4, keyWidths(a, strsize).reduce((x, y) => x + y, 0));
}

/** usesArray tells whether an aggregation is kept in a per-CPU array (keyless, zero is its empty value). */
export function usesArray(a: Aggregation): boolean {
  return a.keys.length === 0;
}

/** genAggUpdate generates `@a[keys] = func(value, incr)`. */
export function genAggUpdate(g: ExprGen, a: Aggregation, keys: readonly TExpr[], valueE: TExpr | undefined, incrE: TExpr | undefined): void {
  const f = g.f;
  const cx = g.cx;
  const keyOff = cx.scratch.keyOff;
  // Build the key tuple: strings are zero-padded so equal keys hash equally.
  const widths = keyWidths(a, cx.strsize);
  let off = 0;
  keys.forEach((k, i) => {
    const kt = a.keys[i];
    const symbolic = kt.kind === 'int' ? kt.symbolic : undefined;
    const fn = k.k === 'call' ? k.fn : '';
    if (symbolic === 'ustack' || symbolic === 'usym') throw unsupported(`action ${fn}( )`, k.pos);
    if (symbolic === 'stack') {
      // The stack is walked straight into the key: one helper call, no stack map.
      // Each use records its own frame count (stack(3) in a stack( ) key: three frames, then zeros).
      const frames = Math.min(widths[i] / 8, k.type.kind === 'int' ? k.type.frames ?? 1 : 1);
      genStackInto(g, keyOff + off, frames);
      for (let w = frames; w < widths[i] / 8; w++) f.emit(st(Size.DW, R9, keyOff + off + 8 * w, 0));
      off += widths[i];
    } else if (k.type.kind === 'string') {
      const width = widths[i];
      for (let w = 0; w < width / 8; w++) f.emit(st(Size.DW, R9, keyOff + off + 8 * w, 0));
      g.strInto(g.strSource(k), keyOff + off, Math.min(width, cx.strsize));
      off += width;
    } else {
      // A sym( )/mod( ) key is its address: the consumer prints it as a symbol.
      const v = g.gen(symbolic !== undefined && k.k === 'call' ? k.args[0] : k);
      narrow(f, v, k.type);
      f.emit(stx(Size.DW, R9, keyOff + off, f.ra.use(v)));
      f.ra.unpin();
      f.ra.release(v);
      off += 8;
    }
  });
  if (keys.length === 0) f.emit(st(Size.DW, R9, keyOff, 0));
  const value = valueE === undefined ? undefined : g.gen(valueE);
  if (value !== undefined && valueE!.type.kind === 'int') narrow(f, value, valueE!.type);
  const incr = incrE === undefined ? undefined : g.gen(incrE);
  const map = aggMapName(a.id);
  const have = f.newLabel('agg');
  const skip = f.newLabel('aggskip');
  // Live values are spilled before the first jump, so that the paths that
  // meet at `have` agree on where everything is; both leave the value's
  // address in r0.
  const leave = f.ra.enterBranch();
  let p = f.call(Helper.map_lookup_elem, [{ mapFd: map }, { scratch: keyOff }]);
  if (!usesArray(a)) {
    f.emit(jmp(JmpOp.JNE, f.ra.use(p), 0, have));
    f.ra.unpin();
    f.ra.release(p);
    // First update of this key on this CPU: insert the empty value, then look it up again.
    f.ra.release(f.call(Helper.map_update_elem, [{ mapFd: map }, { scratch: keyOff }, { scratch: cx.scratch.zeroOff }, { imm: BPF_NOEXIST }]));
    p = f.call(Helper.map_lookup_elem, [{ mapFd: map }, { scratch: keyOff }]);
    f.label(have);
  }
  const ok = f.newLabel('aggok');
  const rp0 = f.ra.use(p);
  f.emit(jmp(JmpOp.JNE, rp0, 0, ok));
  // The map is full: count the drop for the consumer to report.
  f.emit(ldx(Size.DW, rp0, R9, MS.aggDrops));
  f.emit(alu64(AluOp.ADD, rp0, 1));
  f.emit(stx(Size.DW, R9, MS.aggDrops, rp0));
  f.emit(ja(skip));
  f.label(ok);
  f.ra.unpin();
  // The touched word holds the aggregation's generation + 1. An entry of an
  // older generation (clear() moved it on) or never touched on this CPU
  // starts again from its empty value; nothing else is ever reset, so no
  // update is lost or counted twice while the consumer clears.
  const gen = f.ra.alloc();
  const rg = f.ra.use(gen);
  f.emit(ldMapValue(rg, MapName.aggen, 8 * a.id));
  f.emit(ldx(Size.DW, rg, rg, 0));
  f.emit(alu64(AluOp.ADD, rg, 1));
  const cur = f.ra.alloc();
  const rc = f.ra.use(cur);
  const rpg = f.ra.use(p);
  f.emit(ldx(Size.DW, rc, rpg, 0));
  f.emit(stx(Size.DW, rpg, 0, rg));
  f.ra.unpin();
  // The reset path below is written with fixed registers so that both paths
  // reach `fresh` with every value where the allocator has it: nothing may
  // stay in r0-r5 across its helper call.
  f.ra.spillCallerSaved();
  const fresh = f.newLabel('aggfresh');
  const done = f.newLabel('aggdone');
  f.emit(jmp(JmpOp.JEQ, f.ra.use(cur), reg(f.ra.use(gen)), fresh));
  f.ra.unpin();
  f.ra.release(gen);
  f.ra.release(cur);
  const load = (r: Reg, v: Val): void => {
    if (v.reg !== undefined) f.emit(mov64(r, reg(v.reg)));
    else f.emit(ldx(Size.DW, r, R10, v.slot!));
  };
  load(R1, p);
  if (a.func === 'min' || a.func === 'max') {
    load(R2, value!);
    f.emit(stx(Size.DW, R1, 8, R2));
    f.emit(ja(done));
  } else {
    f.emit(alu64(AluOp.ADD, R1, 8));
    f.emit(mov64(R2, dataWords(a) * 8));
    f.emit(mov64(R3, reg(R9)));
    f.emit(alu64(AluOp.ADD, R3, cx.scratch.zeroOff));
    f.emit(call(Helper.probe_read_kernel));
  }
  f.label(fresh);
  if (a.func === 'min' || a.func === 'max') minMax(g, a, p, value!);
  // The function's data follows the touched word.
  f.emit(alu64(AluOp.ADD, f.ra.use(p), 8));
  f.ra.unpin();
  updateValue(g, a, p, value, incr);
  f.label(done);
  f.label(skip);
  f.ra.release(p);
  leave();
  if (value !== undefined) f.ra.release(value);
  if (incr !== undefined) f.ra.release(incr);
}

/** addWord emits *(u64 *)(p + off) += v (v a register or immediate). */
function addWord(g: ExprGen, p: Val, off: number, v: Val | number): void {
  const f = g.f;
  const rp = f.ra.use(p);
  const t = f.ra.alloc();
  f.emit(ldx(Size.DW, t.reg!, rp, off));
  if (typeof v === 'number') f.emit(alu64(AluOp.ADD, t.reg!, v));
  else f.emit(alu64(AluOp.ADD, t.reg!, reg(f.ra.use(v))));
  f.emit(stx(Size.DW, rp, off, t.reg!));
  f.ra.unpin();
  f.ra.release(t);
}

function updateValue(g: ExprGen, a: Aggregation, p: Val, value: Val | undefined, incr: Val | undefined): void {
  switch (a.func) {
    case 'count': addWord(g, p, 0, 1); return;
    case 'sum': addWord(g, p, 0, value!); return;
    case 'avg': addWord(g, p, 0, 1); addWord(g, p, 8, value!); return;
    case 'min': case 'max': return; // done by minMax before the touched word is set
    case 'stddev': stddev(g, p, value!); return;
    case 'quantize': bucketAdd(g, p, quantizeIndex(g, value!), incr); return;
    case 'lquantize': bucketAdd(g, p, lquantizeIndex(g, a, value!), incr); return;
    case 'llquantize': bucketAdd(g, p, llquantizeIndex(g, a, value!), incr); return;
  }
}

/** minMax updates [touched, value] of a current entry: v replaces a larger (min) or smaller (max) value. */
function minMax(g: ExprGen, a: Aggregation, p: Val, value: Val): void {
  const f = g.f;
  const rp = f.ra.use(p);
  const rv = f.ra.use(value);
  const t = f.ra.alloc();
  const rt = f.ra.use(t);
  const keep = f.newLabel('mm');
  f.emit(ldx(Size.DW, rt, rp, 8));
  f.emit(jmp(a.func === 'min' ? JmpOp.JSLE : JmpOp.JSGE, rt, reg(rv), keep));
  f.emit(stx(Size.DW, rp, 8, rv));
  f.label(keep);
  f.ra.unpin();
  f.ra.release(t);
}

/** bucketAdd adds incr (default 1) to bucket `idx` (a value in [0, buckets)); consumes idx. */
function bucketAdd(g: ExprGen, p: Val, idx: Val, incr: Val | undefined): void {
  const f = g.f;
  const rp = f.ra.use(p);
  const ri = f.ra.use(idx);
  const addr = f.ra.alloc();
  f.emit(mov64(addr.reg!, reg(rp)));
  f.emit(alu64(AluOp.LSH, ri, 3));
  f.emit(alu64(AluOp.ADD, addr.reg!, reg(ri)));
  f.ra.unpin();
  f.ra.release(idx);
  addWord(g, addr, 0, incr ?? 1);
  f.ra.release(addr);
}

/** log2 replaces the positive value in register rv by floor(log2(rv)), using scratch registers rn and rt. */
function log2(g: ExprGen, rv: Reg, rn: Reg, rt: Reg): void {
  const f = g.f;
  f.emit(mov64(rn, 0));
  for (const s of [32, 16, 8, 4, 2, 1]) {
    const next = f.newLabel('lg');
    f.emit(mov64(rt, reg(rv)));
    f.emit(alu64(AluOp.RSH, rt, s));
    f.emit(jmp(JmpOp.JEQ, rt, 0, next));
    f.emit(mov64(rv, reg(rt)));
    f.emit(alu64(AluOp.ADD, rn, s));
    f.label(next);
  }
  f.emit(mov64(rv, reg(rn)));
}

/** clamp bounds an index register to [0, max] so the verifier can prove the bucket access in range. */
function clamp(g: ExprGen, r: Reg, max: number): void {
  const f = g.f;
  const lo = f.newLabel('clo');
  const hi = f.newLabel('chi');
  f.emit(jmp(JmpOp.JSGE, r, 0, lo));
  f.emit(mov64(r, 0));
  f.label(lo);
  f.emit(jmp(JmpOp.JSLE, r, max, hi));
  f.emit(mov64(r, max));
  f.label(hi);
}

/**
 * quantizeIndex maps a value to its power-of-two bucket, as DTrace's
 * quantize() does: 0 in the zero bucket, 2^k..2^(k+1)-1 in zero+1+k, and
 * negative values mirrored below zero. All registers are allocated before
 * the first jump, so no path spills.
 */
function quantizeIndex(g: ExprGen, value: Val): Val {
  const f = g.f;
  const idx = f.ra.alloc();
  const n = f.ra.alloc();
  const t = f.ra.alloc();
  const ri = f.ra.use(idx);
  const rn = f.ra.use(n);
  const rt = f.ra.use(t);
  f.emit(mov64(ri, reg(f.ra.use(value))));
  const neg = f.newLabel('qneg');
  const zero = f.newLabel('qzero');
  const done = f.newLabel('qdone');
  f.emit(jmp(JmpOp.JSLT, ri, 0, neg));
  f.emit(jmp(JmpOp.JEQ, ri, 0, zero));
  log2(g, ri, rn, rt);
  f.emit(alu64(AluOp.ADD, ri, QUANTIZE_ZEROBUCKET + 1));
  f.emit(ja(done));
  f.label(zero);
  f.emit(mov64(ri, QUANTIZE_ZEROBUCKET));
  f.emit(ja(done));
  f.label(neg);
  f.emit(neg64(ri));
  log2(g, ri, rn, rt);
  // zero - 1 - log2(-v)
  f.emit(alu64(AluOp.XOR, ri, -1));
  f.emit(alu64(AluOp.ADD, ri, QUANTIZE_ZEROBUCKET));
  f.label(done);
  clamp(g, ri, QUANTIZE_NBUCKETS - 1);
  f.ra.unpin();
  f.ra.release(n);
  f.ra.release(t);
  return idx;
}

/** lquantizeIndex: 0 below base, 1 + (v - base) / step inside, levels + 1 at or above limit. */
function lquantizeIndex(g: ExprGen, a: Aggregation, value: Val): Val {
  const f = g.f;
  const { base, limit, step, levels } = lqLayout(a);
  const idx = f.ra.alloc();
  const ri = f.ra.use(idx);
  f.emit(mov64(ri, reg(f.ra.use(value))));
  const under = f.newLabel('lqu');
  const over = f.newLabel('lqo');
  const done = f.newLabel('lqd');
  f.emit(jmp(JmpOp.JSLT, ri, Number(base), under));
  f.emit(jmp(JmpOp.JSGE, ri, Number(limit), over));
  f.emit(alu64(AluOp.SUB, ri, Number(base)));
  f.emit(alu64(AluOp.DIV, ri, Number(step)));
  f.emit(alu64(AluOp.ADD, ri, 1));
  f.emit(ja(done));
  f.label(under);
  f.emit(mov64(ri, 0));
  f.emit(ja(done));
  f.label(over);
  f.emit(mov64(ri, levels + 1));
  f.label(done);
  clamp(g, ri, levels + 1);
  f.ra.unpin();
  return idx;
}

/**
 * llquantizeIndex computes DTrace's llquantize bucket: bin0 for |v| below
 * factor^low, then per order of magnitude (unrolled: their number is a
 * compile-time constant) bin0 ± k with
 * k = 1 + (mag - low) * perMag + |v| * steps / factor^(mag+1) - steps/factor.
 */
function llquantizeIndex(g: ExprGen, a: Aggregation, value: Val): Val {
  const f = g.f;
  const p = llqLayout(a);
  const idx = f.ra.alloc();
  const ri = f.ra.use(idx);
  const t = f.ra.alloc();
  const rt = f.ra.use(t);
  const neg = f.ra.alloc();
  const rn = f.ra.use(neg);
  const done = f.newLabel('llqd');
  const cmp = (v: bigint, op: CondJmpOp, target: string): void => {
    if (v <= 0x7fffffffn) {
      f.emit(jmp(op, ri, Number(v), target));
    } else {
      f.emit(ldImm64(rt, v));
      f.emit(jmp(op, ri, reg(rt), target));
    }
  };
  const div = (d: bigint): void => {
    if (d <= 0x7fffffffn) {
      f.emit(alu64(AluOp.DIV, ri, Number(d)));
    } else {
      f.emit(ldImm64(rt, d));
      f.emit(alu64(AluOp.DIV, ri, reg(rt)));
    }
  };
  // ri = |v|, rn = 1 when v < 0
  f.emit(mov64(ri, reg(f.ra.use(value))));
  f.emit(mov64(rn, 0));
  const pos = f.newLabel('llqp');
  f.emit(jmp(JmpOp.JSGE, ri, 0, pos));
  f.emit(neg64(ri));
  f.emit(mov64(rn, 1));
  f.label(pos);
  const inRange = f.newLabel('llqk');
  const zero = f.newLabel('llq0');
  let lo = p.factor ** p.low;
  cmp(lo, JmpOp.JLT, zero);
  for (let mag = p.low; mag <= p.high; mag++) {
    const hi = lo * p.factor;
    const next = f.newLabel('llqm');
    cmp(hi, JmpOp.JGE, next);
    if (hi % p.steps === 0n) {
      div(hi / p.steps);
    } else {
      f.emit(alu64(AluOp.MUL, ri, Number(p.steps)));
      div(hi);
    }
    f.emit(alu64(AluOp.ADD, ri, Number(1n + (mag - p.low) * p.perMag - p.stepsFactor)));
    f.emit(ja(inRange));
    f.label(next);
    lo = hi;
  }
  // Beyond factor^(high+1): the outermost bucket on that side.
  const over = f.newLabel('llqo');
  f.emit(jmp(JmpOp.JEQ, rn, 0, over));
  f.emit(mov64(ri, 0));
  f.emit(ja(done));
  f.label(over);
  f.emit(mov64(ri, p.nbins - 1));
  f.emit(ja(done));
  f.label(zero);
  f.emit(mov64(ri, p.bin0));
  f.emit(ja(done));
  f.label(inRange);
  const plus = f.newLabel('llqplus');
  f.emit(jmp(JmpOp.JEQ, rn, 0, plus));
  f.emit(neg64(ri));
  f.label(plus);
  f.emit(alu64(AluOp.ADD, ri, p.bin0));
  f.label(done);
  clamp(g, ri, p.nbins - 1);
  f.ra.unpin();
  f.ra.release(t);
  f.ra.release(neg);
  return idx;
}

/** stddev keeps count, total and a 128-bit sum of squares (lo, hi words), as DTrace does. */
function stddev(g: ExprGen, p: Val, value: Val): void {
  const f = g.f;
  addWord(g, p, 0, 1);
  addWord(g, p, 8, value);
  // |v| split into 32-bit halves: v^2 = hi^2 << 64 + (2 hi lo) << 32 + lo^2.
  const a = f.ra.alloc();
  const ra = a.reg!;
  f.emit(mov64(ra, reg(f.ra.use(value))));
  const pos = f.newLabel('sdp');
  f.emit(jmp(JmpOp.JSGE, ra, 0, pos));
  f.emit(neg64(ra));
  f.label(pos);
  f.ra.unpin();
  const ah = f.ra.alloc();
  const al = f.ra.alloc();
  const rah = f.ra.use(ah);
  const ral = f.ra.use(al);
  f.emit(mov64(rah, reg(f.ra.use(a))));
  f.emit(alu64(AluOp.RSH, rah, 32));
  f.emit(mov32(ral, reg(f.ra.use(a)))); // the low 32 bits (mov32 zero-extends)
  // lo = al*al; mid = ah*al; hi = ah*ah (reuse a for lo)
  f.emit(mov64(f.ra.use(a), reg(ral)));
  f.emit(alu64(AluOp.MUL, f.ra.use(a), reg(ral)));
  f.emit(alu64(AluOp.MUL, ral, reg(rah)));
  f.emit(alu64(AluOp.MUL, rah, reg(rah)));
  // low += mid << 33 (with carry into hi); hi += mid >> 31
  const t = f.ra.alloc();
  const rt = f.ra.use(t);
  f.emit(mov64(rt, reg(ral)));
  f.emit(alu64(AluOp.LSH, rt, 33));
  f.emit(alu64(AluOp.RSH, ral, 31));
  f.emit(alu64(AluOp.ADD, rah, reg(ral)));
  f.emit(alu64(AluOp.ADD, rt, reg(f.ra.use(a))));
  const nc = f.newLabel('sdc');
  f.emit(jmp(JmpOp.JGE, rt, reg(f.ra.use(a)), nc));
  f.emit(alu64(AluOp.ADD, rah, 1));
  f.label(nc);
  // Add (rt, rah) into the 128-bit accumulator at words 2 and 3.
  const rp = f.ra.use(p);
  f.emit(ldx(Size.DW, f.ra.use(a), rp, 16));
  f.emit(alu64(AluOp.ADD, rt, reg(f.ra.use(a))));
  const nc2 = f.newLabel('sdc');
  f.emit(jmp(JmpOp.JGE, rt, reg(f.ra.use(a)), nc2));
  f.emit(alu64(AluOp.ADD, rah, 1));
  f.label(nc2);
  f.emit(stx(Size.DW, rp, 16, rt));
  f.emit(ldx(Size.DW, f.ra.use(a), rp, 24));
  f.emit(alu64(AluOp.ADD, rah, reg(f.ra.use(a))));
  f.emit(stx(Size.DW, rp, 24, rah));
  f.ra.unpin();
  f.ra.release(a);
  f.ra.release(ah);
  f.ra.release(al);
  f.ra.release(t);
}
