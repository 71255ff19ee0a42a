// Workload 3, attach-all: enable every syscall entry probe, stop after
// 100 ms with exit(), and time the whole command from spawn to exit (so
// attaching and detaching a few hundred tracepoints is what is measured).
// Two scripts: an empty clause (works today) and `@ = count()` (n/a until
// aggregations exist). Runs take tens of seconds each, so the number of
// rounds is its own setting (BENCH_ATTACH_RUNS).

import { cellOf, errorText, na, type Cell, type Row } from './model.js';
import { firstLine, runCommand } from './proc.js';
import { ATTACH_ALL, type ScriptPair } from './scripts.js';
import { dtraceUnsupported, failureReason, writeScript, type SuiteContext, type Tool } from './tracers.js';

/** A run that has not exited after this long is killed and counted as failed. */
const RUN_TIMEOUT_MS = 240_000;

interface Subject {
  readonly tool: Tool;
  readonly file: string;
  readonly wall: number[];
  readonly errors: string[];
  /** bpftrace's "Attaching N probes" count. */
  probes: number | undefined;
  unavailable: string | undefined;
}

async function runOnce(s: Subject, log: (x: string) => void): Promise<void> {
  if (s.unavailable !== undefined) return;
  try {
    const r = await runCommand(s.tool.cmd, s.tool.args(s.file), RUN_TIMEOUT_MS);
    if (r.timedOut) throw new Error(`killed after ${RUN_TIMEOUT_MS / 1000} s`);
    if (r.code !== 0) throw new Error(s.tool.name === 'dtrace' ? failureReason(r.stderr, r.code) : `exit ${r.code ?? r.signal}: ${firstLine(r.stderr)}`);
    s.wall.push(r.wallMs);
    const m = /Attaching (\d+) probes?/.exec(r.stdout + r.stderr);
    if (m) s.probes = Number(m[1]);
    log(`  ${s.tool.name}: ${(r.wallMs / 1000).toFixed(2)} s`);
  } catch (e) {
    s.errors.push(errorText(e));
    log(`  ${s.tool.name}: ${errorText(e)}`);
  }
}

function cell(s: Subject | undefined, missing: string): Cell {
  if (s === undefined) return na(missing);
  if (s.unavailable !== undefined) return na(s.unavailable);
  return cellOf(s.wall, s.errors[0] ?? 'no run');
}

async function subjects(ctx: SuiteContext, script: ScriptPair): Promise<{ d: Subject; b: Subject | undefined }> {
  const dFile = writeScript(ctx.tmp, `attachall-${script.id}`, script.d, 'd');
  const d: Subject = { tool: ctx.dtrace, file: dFile, wall: [], errors: [], probes: undefined, unavailable: await dtraceUnsupported(ctx.dtrace.cmd, dFile) };
  if (d.unavailable !== undefined) ctx.log(`  dtrace attach-all ${script.id}: n/a (${d.unavailable})`);
  const b: Subject | undefined = ctx.bpftrace
    ? { tool: ctx.bpftrace, file: writeScript(ctx.tmp, `attachall-${script.id}`, script.bt, 'bt'), wall: [], errors: [], probes: undefined, unavailable: undefined }
    : undefined;
  return { d, b };
}

export async function runAttachAll(ctx: SuiteContext): Promise<Row[]> {
  const pairs = [];
  for (const s of ATTACH_ALL) pairs.push({ script: s, ...(await subjects(ctx, s)) });
  for (let r = 0; r < ctx.runs; r++) {
    for (const p of pairs) {
      ctx.log(`attach-all ${p.script.id} round ${r + 1}/${ctx.runs}`);
      const order = p.b && r % 2 === 1 ? [p.b, p.d] : [p.d, ...(p.b ? [p.b] : [])];
      for (const s of order) await runOnce(s, ctx.log);
    }
  }
  const emptyD = pairs.find((p) => p.script.id === 'empty')?.d;
  return pairs.map((p) => {
    const notes: string[] = [];
    if (p.b?.probes !== undefined) notes.push(`bpftrace attached ${p.b.probes} probes`);
    for (const s of [p.d, p.b]) if (s && s.errors.length > 0 && s.unavailable === undefined) notes.push(`${s.tool.name}: ${s.errors[0]}`);
    const floor = p.script.id === 'empty' || emptyD === undefined ? undefined : { label: 'empty clause (dtrace)', cell: cell(emptyD, '') };
    return {
      id: `attachall.${p.script.id}`, group: 'attachall', label: p.script.label, unit: 'ms',
      dtrace: cell(p.d, ''), bpftrace: cell(p.b, ctx.bpftraceNote), ...(floor ? { floor } : {}), notes,
    };
  });
}
