// Workload 1, startup: each STARTUP script (`BEGIN { exit(0); }`, and
// `BEGIN { trace(curthread->comm); exit(0); }`, which reads the kernel's BTF)
// from spawn to exit: wall time (process.hrtime), peak RSS (/usr/bin/time's
// ru_maxrss) and CPU time (user + system, kept in the JSON and the goal's
// detail: a cross-check when other load inflates wall time), for dtrace,
// bpftrace and the floor `node -e 0` (the runtime this dtrace is built on,
// starting and exiting with nothing to do). Runs are interleaved, rotating
// which command goes first in each round.

import { cellOf, median, na, type Cell, type Row } from './model.js';
import { firstLine, runTimed } from './proc.js';
import { STARTUP } from './scripts.js';
import { writeScript, type SuiteContext } from './tracers.js';

interface Candidate {
  readonly name: string;
  readonly cmd: string;
  readonly args: string[];
  readonly wall: number[];
  readonly rss: number[];
  readonly cpu: number[];
  errors: string[];
}

function candidate(name: string, cmd: string, args: string[]): Candidate {
  return { name, cmd, args, wall: [], rss: [], cpu: [], errors: [] };
}

async function measureOnce(c: Candidate, tmp: string): Promise<void> {
  const r = await runTimed(c.cmd, c.args, tmp, 60_000);
  if (r.code !== 0) {
    c.errors.push(`exit ${r.code ?? r.signal}: ${firstLine(r.stderr)}`);
    return;
  }
  c.wall.push(r.wallMs);
  if (r.maxRssKiB !== undefined) c.rss.push(r.maxRssKiB / 1024);
  if (r.cpuMs !== undefined) c.cpu.push(r.cpuMs);
}

function cells(c: Candidate | undefined, missing: string): { wall: Cell; rss: Cell } {
  if (c === undefined) return { wall: na(missing), rss: na(missing) };
  const why = c.errors[0] ?? 'no run';
  return { wall: cellOf(c.wall, why), rss: cellOf(c.rss, c.wall.length > 0 ? '/usr/bin/time not available' : why) };
}

/** Median user + system CPU ms (kept in the JSON: less disturbed by other load than wall time). */
function cpuMedian(c: Candidate | undefined): number | null {
  return c === undefined || c.cpu.length === 0 ? null : median(c.cpu);
}

export async function runStartup(ctx: SuiteContext): Promise<Row[]> {
  const floor = candidate('floor', process.execPath, ['-e', '0']);
  const scripts = STARTUP.map((script) => {
    const d = candidate(`dtrace ${script.id}`, ctx.dtrace.cmd, ctx.dtrace.args(writeScript(ctx.tmp, `startup-${script.id}`, script.d, 'd')));
    const b = ctx.bpftrace ? candidate(`bpftrace ${script.id}`, ctx.bpftrace.cmd, ctx.bpftrace.args(writeScript(ctx.tmp, `startup-${script.id}`, script.bt, 'bt'))) : undefined;
    return { script, d, b };
  });
  const all = [floor, ...scripts.flatMap((s) => [s.d, ...(s.b ? [s.b] : [])])];
  for (let r = 0; r < ctx.runs; r++) {
    ctx.log(`startup round ${r + 1}/${ctx.runs}`);
    for (let i = 0; i < all.length; i++) await measureOnce(all[(i + r) % all.length], ctx.tmp);
  }
  const cf = cells(floor, '');
  return scripts.flatMap(({ script, d, b }) => {
    const cd = cells(d, '');
    const cb = cells(b, ctx.bpftraceNote);
    const notes = [...d.errors, ...(b?.errors ?? [])].slice(0, 2);
    const extra = { dtraceCpuMs: cpuMedian(d), bpftraceCpuMs: cpuMedian(b), floorCpuMs: cpuMedian(floor) };
    return [
      { id: `${script.row}.wall`, group: 'startup', label: `${script.label} wall time`, unit: 'ms', dtrace: cd.wall, bpftrace: cb.wall, floor: { label: 'node -e 0', cell: cf.wall }, notes, extra },
      { id: `${script.row}.rss`, group: 'startup', label: `${script.label} peak RSS`, unit: 'MiB', dtrace: cd.rss, bpftrace: cb.rss, floor: { label: 'node -e 0', cell: cf.rss }, notes: [] },
    ];
  });
}
