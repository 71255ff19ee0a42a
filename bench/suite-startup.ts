// Workload 1, startup: `BEGIN { exit(0); }` from spawn to exit, wall time
// (process.hrtime) and peak RSS (/usr/bin/time's ru_maxrss), for dtrace,
// bpftrace and the floor `node -e 0` (the runtime this dtrace is built on,
// starting and exiting with nothing to do). Runs are interleaved, rotating
// which command goes first in each round.

import { cellOf, na, type Cell, type Row } from './model.js';
import { firstLine, runTimed } from './proc.js';
import { STARTUP } from './scripts.js';
import { writeScript, type SuiteContext } from './tracers.js';

interface Candidate {
  readonly name: string;
  readonly cmd: string;
  readonly args: string[];
  readonly wall: number[];
  readonly rss: number[];
  errors: string[];
}

function candidate(name: string, cmd: string, args: string[]): Candidate {
  return { name, cmd, args, wall: [], rss: [], errors: [] };
}

async function measureOnce(c: Candidate, tmp: string): Promise<void> {
  const r = await runTimed(c.cmd, c.args, tmp, 60_000);
  if (r.code !== 0) {
    c.errors.push(`exit ${r.code ?? r.signal}: ${firstLine(r.stderr)}`);
    return;
  }
  c.wall.push(r.wallMs);
  if (r.maxRssKiB !== undefined) c.rss.push(r.maxRssKiB / 1024);
}

function cells(c: Candidate | undefined, missing: string): { wall: Cell; rss: Cell } {
  if (c === undefined) return { wall: na(missing), rss: na(missing) };
  const why = c.errors[0] ?? 'no run';
  return { wall: cellOf(c.wall, why), rss: cellOf(c.rss, c.wall.length > 0 ? '/usr/bin/time not available' : why) };
}

export async function runStartup(ctx: SuiteContext): Promise<Row[]> {
  const dFile = writeScript(ctx.tmp, 'startup', STARTUP.d, 'd');
  const bFile = writeScript(ctx.tmp, 'startup', STARTUP.bt, 'bt');
  const floor = candidate('floor', process.execPath, ['-e', '0']);
  const d = candidate('dtrace', ctx.dtrace.cmd, ctx.dtrace.args(dFile));
  const b = ctx.bpftrace ? candidate('bpftrace', ctx.bpftrace.cmd, ctx.bpftrace.args(bFile)) : undefined;
  const all = [floor, d, ...(b ? [b] : [])];
  for (let r = 0; r < ctx.runs; r++) {
    ctx.log(`startup round ${r + 1}/${ctx.runs}`);
    for (let i = 0; i < all.length; i++) await measureOnce(all[(i + r) % all.length], ctx.tmp);
  }
  const cd = cells(d, '');
  const cb = cells(b, ctx.bpftraceNote);
  const cf = cells(floor, '');
  const notes = [...d.errors, ...(b?.errors ?? [])].slice(0, 2);
  return [
    { id: 'startup.wall', group: 'startup', label: `${STARTUP.label} wall time`, unit: 'ms', dtrace: cd.wall, bpftrace: cb.wall, floor: { label: 'node -e 0', cell: cf.wall }, notes },
    { id: 'startup.rss', group: 'startup', label: `${STARTUP.label} peak RSS`, unit: 'MiB', dtrace: cd.rss, bpftrace: cb.rss, floor: { label: 'node -e 0', cell: cf.rss }, notes: [] },
  ];
}
