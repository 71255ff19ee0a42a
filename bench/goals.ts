// The project's performance goals (ratios are this project / bpftrace),
// judged from the measured rows: met, missed, or n/a with the reason when a
// side could not be measured.

import { fmt, ratio, type Cell, type GoalResult, type Row } from './model.js';

function find(rows: readonly Row[], id: string): Row | undefined {
  return rows.find((r) => r.id === id);
}

function why(c: Cell | undefined, who: string): string {
  return c === undefined ? `${who} not measured` : c.kind === 'na' ? `${who}: ${c.reason}` : '';
}

/** A ratio goal: dtrace / bpftrace <= limit. */
function ratioGoal(rows: readonly Row[], id: string, rowId: string, goal: string, limit: number): GoalResult {
  const row = find(rows, rowId);
  const q = row ? ratio(row) : null;
  if (row === undefined || q === null) {
    const detail = [why(row?.dtrace, 'dtrace'), why(row?.bpftrace, 'bpftrace')].filter((x) => x !== '').join('; ') || 'not measured';
    return { id, goal, status: 'n/a', detail };
  }
  const d = row.dtrace.kind === 'value' ? row.dtrace.value : Number.NaN;
  const b = row.bpftrace.kind === 'value' ? row.bpftrace.value : Number.NaN;
  return { id, goal, status: q <= limit ? 'met' : 'missed', detail: `ratio ${q.toFixed(2)} (dtrace ${fmt(d)} ${row.unit}, bpftrace ${fmt(b)} ${row.unit})` };
}

function countGoal(rows: readonly Row[]): GoalResult {
  const goal = 'per-event `@ = count()` ≤ 1.0× bpftrace and within 10 ns of the empty-program floor';
  const base = ratioGoal(rows, 'perevent.count', 'perevent.count', goal, 1.0);
  const row = find(rows, 'perevent.count');
  const floor = row?.floor?.cell;
  if (base.status === 'n/a' || row === undefined || row.dtrace.kind !== 'value') return base;
  if (floor === undefined || floor.kind !== 'value') return { ...base, status: 'n/a', detail: `${base.detail}; empty-program floor not measured` };
  const over = row.dtrace.value - floor.value;
  const ok = base.status === 'met' && over <= 10;
  return { ...base, status: ok ? 'met' : 'missed', detail: `${base.detail}; ${fmt(over)} ns above the empty-program floor (${fmt(floor.value)} ns)` };
}

/** bpftrace's side of the printf row, to show next to ours: delivered, dropped, slowdown. */
function bpftracePrintf(row: Row): string {
  const e = row.extra ?? {};
  const slowdown = e.bpftraceSlowdown;
  if (typeof slowdown !== 'number') return 'bpftrace not measured';
  return `bpftrace: ${Math.round(Number(e.bpftraceDropped ?? 0))} dropped (${String(e.bpftraceDelivered ?? '?')} delivered), loop slowed ${slowdown.toFixed(2)}×`;
}

function printfGoal(rows: readonly Row[]): GoalResult {
  const goal = 'printf per event at the highest rate: no drops at the default buffer size, traced loop slowed ≤ 2× vs untraced';
  const row = find(rows, 'perevent.printf');
  const dropped = row?.extra?.dtraceDropped;
  const slowdown = row?.extra?.dtraceSlowdown;
  if (row === undefined || row.dtrace.kind !== 'value' || typeof dropped !== 'number' || typeof slowdown !== 'number') {
    return { id: 'perevent.printf', goal, status: 'n/a', detail: why(row?.dtrace, 'dtrace') || 'not measured' };
  }
  const ok = dropped === 0 && slowdown <= 2;
  return {
    id: 'perevent.printf', goal, status: ok ? 'met' : 'missed',
    detail: `dtrace: ${Math.round(dropped)} dropped (${String(row.extra?.dtraceDelivered ?? '?')} delivered), traced loop slowed ${slowdown.toFixed(2)}× (CPU time); ${bpftracePrintf(row)}`,
  };
}

function attachGoal(rows: readonly Row[]): GoalResult {
  const g = ratioGoal(rows, 'attachall', 'attachall.count', 'attach-all (`syscall:::entry { @ = count(); }`, 100 ms, start to exit) ≤ 0.1× bpftrace', 0.1);
  if (g.status !== 'n/a') return g;
  const empty = find(rows, 'attachall.empty');
  const q = empty ? ratio(empty) : null;
  return q === null ? g : { ...g, detail: `${g.detail}; the empty-clause variant runs at ratio ${q.toFixed(2)}` };
}

/** dtrace's `BEGIN { trace(curthread->comm); exit(0); }` within `limitMs` of its `BEGIN { exit(0); }` (same run). */
function curthreadStartupGoal(rows: readonly Row[], limitMs: number): GoalResult {
  const id = 'startup.curthread';
  const goal = `startup (\`BEGIN { trace(curthread->comm); exit(0); }\`, kernel BTF) wall time within ${limitMs} ms of \`BEGIN { exit(0); }\``;
  const typed = find(rows, 'startup.curthread.wall');
  const base = find(rows, 'startup.wall');
  if (typed?.dtrace.kind !== 'value' || base?.dtrace.kind !== 'value') {
    const detail = [why(typed?.dtrace, 'dtrace curthread'), why(base?.dtrace, 'dtrace exit')].filter((x) => x !== '').join('; ') || 'not measured';
    return { id, goal, status: 'n/a', detail };
  }
  const signed = (x: number): string => `${x >= 0 ? '+' : ''}${fmt(x)}`;
  const over = typed.dtrace.value - base.dtrace.value;
  const bt = typed.bpftrace.kind === 'value' && base.bpftrace.kind === 'value'
    ? `; bpftrace ${fmt(typed.bpftrace.value)} ms vs ${fmt(base.bpftrace.value)} ms (${signed(typed.bpftrace.value - base.bpftrace.value)} ms)`
    : '';
  const cpuT = typed.extra?.dtraceCpuMs;
  const cpuB = base.extra?.dtraceCpuMs;
  const cpu = typeof cpuT === 'number' && typeof cpuB === 'number' ? ` (CPU time ${fmt(cpuT)} vs ${fmt(cpuB)} ms: ${signed(cpuT - cpuB)} ms)` : '';
  return {
    id, goal, status: over <= limitMs ? 'met' : 'missed',
    detail: `dtrace ${fmt(typed.dtrace.value)} ms vs ${fmt(base.dtrace.value)} ms: ${signed(over)} ms${cpu}${bt}`,
  };
}

export function evaluateGoals(rows: readonly Row[]): GoalResult[] {
  return [
    ratioGoal(rows, 'startup', 'startup.wall', 'startup (`BEGIN { exit(0); }`) wall time ≤ 0.5× bpftrace', 0.5),
    attachGoal(rows),
    countGoal(rows),
    ratioGoal(rows, 'perevent.execname', 'perevent.execname', 'per-event `@[execname] = count()` ≤ 1.0× bpftrace', 1.0),
    printfGoal(rows),
    curthreadStartupGoal(rows, 50),
    ratioGoal(rows, 'perevent.curthread', 'perevent.curthread', 'per-event `@[curthread->comm] = count()` ≤ 1.0× bpftrace (`@[curtask->comm]`)', 1.0),
    ratioGoal(rows, 'perevent.pair', 'perevent.pair', 'per-call entry/return pair (`self->ts`, `quantize(timestamp - self->ts)`) ≤ 1.0× bpftrace (`@start[tid]`, `hist`)', 1.0),
  ];
}
