// Workload 2 (per-event cost on getpid()) and workload 5 (consumer
// throughput). The C loop calls getpid() N times (a) untraced, (b) under the
// empty-program floor (floor-prog.js: one empty program on each tracepoint
// a variant fires on, getpid() entry, or entry and return for the pair),
// (c) under each tracer running one variant script. A tracer is started,
// awaited until its BEGIN marker shows the probes are live, the loop is
// run, then the tracer gets SIGINT.
//   per-event cost = (median traced loop CPU time − median untraced) / N
// (per getpid() call: for the entry/return pair that is both probes).
// Each sample is the median of BENCH_LOOPS loops run back to back under one
// attachment (printf: one loop, its output is counted).
// Tracers write to a file on tmpfs (see tracer.ts); after the run the
// printf variant's lines are counted: events delivered, drops (reported by
// the tracer, else the lower bound N − delivered) and records per second
// (lines / time from the loop's start to the last growth of the output),
// which is the consumer-throughput row.

import { cellOf, errorText, fmt, median, na, type Cell, type Row } from './model.js';
import { sleep } from './proc.js';
import { Tracer } from './tracer.js';
import { PER_EVENT_SCRIPTS, type FloorSpec, type PerEventScript } from './scripts.js';
import { dtraceUnsupported, failureReason, writeScript, type SuiteContext, type Tool } from './tracers.js';
import { runWorkloadMedian, type LoopTime } from './workload.js';

export interface PerEventContext extends SuiteContext {
  /** Path of the built C loop, or the reason it could not be built. */
  readonly workload: string | { readonly error: string };
  readonly calls: number;
  /** Loop runs per sample (per attachment); their median is the sample. printf runs once. */
  readonly loops: number;
  /** argv of the empty-program floor (node dist/bench/floor-prog.js); a variant's tracepoints are appended. */
  readonly floorCmd: readonly string[];
  /** Where tracers' stdout goes (a tmpfs file when possible). */
  readonly sinkFile: string;
}

/** One traced loop run. */
interface Traced {
  readonly loop: LoopTime;
  readonly delivered: number;
  readonly lost: number | undefined;
  readonly recordsPerSec: number | undefined;
}

/** A command under test for one variant, with its samples. */
interface Subject {
  readonly name: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly runs: Traced[];
  readonly errors: string[];
  /** Set before any run when the variant cannot be measured (feature missing). */
  unavailable: string | undefined;
  /** Output per event (printf): one loop per attachment, and its lines are counted. */
  readonly printsPerEvent: boolean;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 20_000;
/** Our dtrace sets ACTIVE just after BEGIN's output: give it a moment. */
const SETTLE_MS = 100;

/** Drops a tracer reports itself: bpftrace "Lost N events", DTrace "N drops on CPU c". */
function reportedLost(text: string): number | undefined {
  let total: number | undefined;
  for (const m of text.matchAll(/Lost (\d+) events|(\d+) (?:dynamic variable )?drops? on CPU/g)) {
    total = (total ?? 0) + Number(m[1] ?? m[2]);
  }
  return total;
}

async function tracedRun(s: Subject, bin: string, calls: number, loops: number, sinkFile: string): Promise<Traced> {
  const t = new Tracer(s.cmd, s.args, sinkFile);
  try {
    await t.waitReady(READY_TIMEOUT_MS);
    await sleep(SETTLE_MS);
    const since = t.size;
    const t0 = Number(process.hrtime.bigint()) / 1e6;
    const loop = await runWorkloadMedian(bin, calls, loops);
    const ex = await t.stop(STOP_GRACE_MS);
    if (ex.stoppedBy === 'exit') throw new Error(failureReason(ex.stderr, ex.code));
    const { lines, tail } = t.countLines(since);
    const elapsedMs = t.lastGrowthMs - t0;
    const recordsPerSec = lines > 0 && elapsedMs > 0 ? lines / (elapsedMs / 1000) : undefined;
    return { loop, delivered: lines, lost: reportedLost(`${tail}\n${ex.stderr}`), recordsPerSec };
  } finally {
    await t.stop(5000).catch(() => undefined);
    t.close();
  }
}

async function sample(s: Subject, ctx: PerEventContext, bin: string): Promise<void> {
  if (s.unavailable !== undefined) return;
  try {
    s.runs.push(await tracedRun(s, bin, ctx.calls, s.printsPerEvent ? 1 : ctx.loops, ctx.sinkFile));
  } catch (e) {
    s.errors.push(errorText(e));
    ctx.log(`  ${s.name}: ${errorText(e)}`);
  }
}

function subject(name: string, tool: Tool, file: string, printsPerEvent: boolean): Subject {
  return { name, cmd: tool.cmd, args: tool.args(file), runs: [], errors: [], unavailable: undefined, printsPerEvent };
}

interface Variant {
  readonly script: PerEventScript;
  readonly d: Subject;
  readonly b: Subject | undefined;
}

async function prepare(ctx: PerEventContext, script: PerEventScript): Promise<Variant> {
  const dFile = writeScript(ctx.tmp, `perevent-${script.id}`, script.d, 'd');
  const prints = script.id === 'printf';
  const d = subject(`dtrace ${script.id}`, ctx.dtrace, dFile, prints);
  d.unavailable = await dtraceUnsupported(ctx.dtrace.cmd, dFile);
  if (d.unavailable !== undefined) ctx.log(`  dtrace ${script.id}: n/a (${d.unavailable})`);
  const b = ctx.bpftrace ? subject(`bpftrace ${script.id}`, ctx.bpftrace, writeScript(ctx.tmp, `perevent-${script.id}`, script.bt, 'bt'), prints) : undefined;
  return { script, d, b };
}

/** Per-event cost cell: (traced − untraced) / calls, in ns. */
function costCell(s: Subject | undefined, untracedNs: number, calls: number, missing: string): Cell {
  if (s === undefined) return na(missing);
  if (s.unavailable !== undefined) return na(s.unavailable);
  return cellOf(s.runs.map((r) => (r.loop.cpuNs - untracedNs) / calls), s.errors[0] ?? 'no run');
}

function deliveryFacts(s: Subject | undefined, untraced: Untraced, calls: number): { note: string; extra: Record<string, number | null> } | undefined {
  if (s === undefined || s.runs.length === 0) return undefined;
  const delivered = median(s.runs.map((r) => r.delivered));
  const lostKnown = s.runs.map((r) => r.lost).filter((x): x is number => x !== undefined);
  const dropped = lostKnown.length > 0 ? median(lostKnown) : Math.max(0, calls - delivered);
  const how = lostKnown.length > 0 ? 'reported by the tracer' : `lower bound ${calls} − delivered; the tracer reports none`;
  const slowdown = median(s.runs.map((r) => r.loop.cpuNs)) / untraced.cpuNs;
  const wallSlowdown = median(s.runs.map((r) => r.loop.wallNs)) / untraced.wallNs;
  const who = s.name.split(' ')[0];
  return {
    note: `${s.name}: ${Math.round(delivered)} events delivered for ${calls} calls (other processes' getpid() count too), dropped ${Math.round(dropped)} (${how}), loop slowed ${slowdown.toFixed(2)}× in CPU time (${wallSlowdown.toFixed(2)}× wall)`,
    extra: { [`${who}Delivered`]: delivered, [`${who}Dropped`]: dropped, [`${who}Slowdown`]: slowdown, [`${who}WallSlowdown`]: wallSlowdown },
  };
}

/** Medians of the untraced loop runs. */
interface Untraced {
  readonly cpuNs: number;
  readonly wallNs: number;
}

function variantRow(v: Variant, ctx: PerEventContext, untraced: Untraced, floor: Cell): Row {
  const notes: string[] = v.script.note !== undefined ? [v.script.note] : [];
  let extra: Record<string, number | null> = {};
  if (v.script.id === 'printf') {
    for (const s of [v.d, v.b]) {
      const f = deliveryFacts(s, untraced, ctx.calls);
      if (f) { notes.push(f.note); extra = { ...extra, ...f.extra }; }
    }
  }
  for (const s of [v.d, v.b]) if (s && s.errors.length > 0) notes.push(`${s.name}: ${s.errors.length} failed run(s): ${s.errors[0]}`);
  return {
    id: `perevent.${v.script.id}`, group: 'perevent', label: v.script.label, unit: v.script.unit,
    dtrace: costCell(v.d, untraced.cpuNs, ctx.calls, ''), bpftrace: costCell(v.b, untraced.cpuNs, ctx.calls, ctx.bpftraceNote),
    floor: { label: v.script.floor.label, cell: floor }, notes, extra,
  };
}

function throughputCell(s: Subject | undefined, missing: string): Cell {
  if (s === undefined) return na(missing);
  if (s.unavailable !== undefined) return na(s.unavailable);
  const xs = s.runs.map((r) => r.recordsPerSec).filter((x): x is number => x !== undefined);
  return cellOf(xs, s.errors[0] ?? 'no records delivered');
}

function throughputRow(v: Variant | undefined, ctx: PerEventContext): Row | undefined {
  if (v === undefined) return undefined;
  return {
    id: 'throughput.printf', group: 'throughput', label: 'printf records/s decoded and written (stdout to a tmpfs file)',
    unit: 'records/s', dtrace: throughputCell(v.d, ''), bpftrace: throughputCell(v.b, ctx.bpftraceNote),
    notes: ['from the printf per-event runs: lines written after the loop starts / (last growth of the output − loop start)'],
  };
}

function floorKey(f: FloorSpec): string {
  return f.tracepoints.join(' ');
}

/** One empty-program subject per distinct set of tracepoints the variants fire on, in first-use order. */
function floorSubjects(ctx: PerEventContext, specs: readonly FloorSpec[]): Map<string, Subject> {
  const out = new Map<string, Subject>();
  for (const f of specs) {
    const key = floorKey(f);
    if (out.has(key)) continue;
    out.set(key, { name: `floor (${f.label})`, cmd: ctx.floorCmd[0], args: [...ctx.floorCmd.slice(1), ...f.tracepoints], runs: [], errors: [], unavailable: undefined, printsPerEvent: false });
  }
  return out;
}

/** Every per-event row as n/a, when the C workload cannot be built. */
function allNa(reason: string): Row[] {
  const rows: Row[] = PER_EVENT_SCRIPTS.map((s) => ({ id: `perevent.${s.id}`, group: 'perevent', label: s.label, unit: s.unit, dtrace: na(reason), bpftrace: na(reason), notes: [] }));
  rows.push({ id: 'throughput.printf', group: 'throughput', label: 'records/s decoded and printed', unit: 'records/s', dtrace: na(reason), bpftrace: na(reason), notes: [] });
  return rows;
}

export async function runPerEvent(ctx: PerEventContext): Promise<{ rows: Row[]; notes: string[] }> {
  if (typeof ctx.workload !== 'string') return { rows: allNa(ctx.workload.error), notes: [] };
  const bin = ctx.workload;
  const variants: Variant[] = [];
  for (const s of PER_EVENT_SCRIPTS) variants.push(await prepare(ctx, s));
  const floors = floorSubjects(ctx, variants.map((v) => v.script.floor));
  const untraced: LoopTime[] = [];
  for (let r = 0; r < ctx.runs; r++) {
    ctx.log(`per-event round ${r + 1}/${ctx.runs}`);
    untraced.push(await runWorkloadMedian(bin, ctx.calls, ctx.loops));
    for (const f of floors.values()) await sample(f, ctx, bin);
    for (const v of variants) {
      untraced.push(await runWorkloadMedian(bin, ctx.calls, ctx.loops));
      const order = v.b && r % 2 === 1 ? [v.b, v.d] : [v.d, ...(v.b ? [v.b] : [])];
      for (const s of order) await sample(s, ctx, bin);
    }
  }
  const u: Untraced = { cpuNs: median(untraced.map((x) => x.cpuNs)), wallNs: median(untraced.map((x) => x.wallNs)) };
  const floorCells = new Map([...floors].map(([k, f]) => [k, costCell(f, u.cpuNs, ctx.calls, '')]));
  const rows = variants.map((v) => variantRow(v, ctx, u, floorCells.get(floorKey(v.script.floor)) ?? na('floor not measured')));
  const tp = throughputRow(variants.find((v) => v.script.id === 'printf'), ctx);
  if (tp) rows.push(tp);
  const notes = [`untraced getpid(): ${(u.cpuNs / ctx.calls).toFixed(1)} ns/call CPU time, ${(u.wallNs / ctx.calls).toFixed(1)} wall (median of ${untraced.length} samples, each the median of ${ctx.loops} loops of ${ctx.calls} calls); per-event costs use the loop's CPU time`];
  for (const f of floors.values()) if (f.errors.length > 0) notes.push(`${f.name} failed: ${f.errors[0]}`);
  return { rows, notes };
}
