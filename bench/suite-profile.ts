// Per-event cost of a profile probe that aggregates kernel stacks:
// `profile-997 { @[stack()] = count(); }` against bpftrace's
// `profile:hz:997 { @[kstack] = count(); }`, in the same run. A timer
// probe has no loop to time, so the cost is what the kernel's BPF
// statistics say the program itself takes: with kernel.bpf_stats_enabled
// on, each program counts its runs and their nanoseconds (run_cnt,
// run_time_ns in /proc/PID/fdinfo of the tracer's program fds). Both
// tools pay the same timer interrupt around their program, so the
// difference is theirs. The sysctl is restored afterwards.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cellOf, errorText, na, type Row } from './model.js';
import { sleep } from './proc.js';
import { Tracer } from './tracer.js';
import { withReady } from './scripts.js';
import { dtraceUnsupported, failureReason, writeScript, type SuiteContext, type Tool } from './tracers.js';

const STATS = '/proc/sys/kernel/bpf_stats_enabled';
/** BPF_PROG_TYPE_PERF_EVENT: the program a profile probe runs. */
const PERF_EVENT_PROG = 7;
const SECONDS = 3;
const READY_TIMEOUT_MS = 60_000;

export const PROFILE_STACK = {
  id: 'profile-stack',
  label: 'profile-997 { @[stack()] = count(); } (BPF run time per firing)',
  d: withReady('profile-997 { @[stack()] = count(); }'),
  bt: withReady('profile:hz:997 { @[kstack] = count(); }'),
};

/** progStats sums run_time_ns and run_cnt over a process's perf-event programs. */
export function progStats(pid: number): { ns: number; runs: number } {
  let ns = 0;
  let runs = 0;
  const dir = `/proc/${pid}/fdinfo`;
  for (const fd of readdirSync(dir)) {
    let text: string;
    try {
      text = readFileSync(`${dir}/${fd}`, 'latin1');
    } catch {
      continue;
    }
    const field = (name: string): number | undefined => {
      const m = new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(text);
      return m ? Number(m[1]) : undefined;
    };
    if (field('prog_type') !== PERF_EVENT_PROG) continue;
    ns += field('run_time_ns') ?? 0;
    runs += field('run_cnt') ?? 0;
  }
  return { ns, runs };
}

async function once(tool: Tool, file: string, sinkFile: string): Promise<number> {
  const t = new Tracer(tool.cmd, tool.args(file), sinkFile);
  try {
    await t.waitReady(READY_TIMEOUT_MS);
    const pid = t.child.pid;
    if (pid === undefined) throw new Error('no pid');
    const before = progStats(pid);
    await sleep(SECONDS * 1000);
    const after = progStats(pid);
    const ex = await t.stop(20_000);
    if (ex.stoppedBy === 'exit') throw new Error(failureReason(ex.stderr, ex.code));
    const runs = after.runs - before.runs;
    if (runs <= 0) throw new Error('the profile program never ran (no BPF statistics)');
    return (after.ns - before.ns) / runs;
  } finally {
    await t.stop(5000).catch(() => undefined);
    t.close();
  }
}

/** runProfile measures both tools, alternating which goes first, for ctx.runs rounds. */
export async function runProfile(ctx: SuiteContext & { readonly sinkFile: string }): Promise<Row[]> {
  const s = PROFILE_STACK;
  const dFile = writeScript(ctx.tmp, `profile-${s.id}`, s.d, 'd');
  const bFile = writeScript(ctx.tmp, `profile-${s.id}`, s.bt, 'bt');
  const unavailable = await dtraceUnsupported(ctx.dtrace.cmd, dFile);
  const samples: Record<'dtrace' | 'bpftrace', number[]> = { dtrace: [], bpftrace: [] };
  const errors: Record<'dtrace' | 'bpftrace', string[]> = { dtrace: [], bpftrace: [] };
  let saved: string;
  try {
    saved = readFileSync(STATS, 'latin1').trim();
    writeFileSync(STATS, '1');
  } catch (e) {
    const why = `BPF statistics unavailable: ${errorText(e)}`;
    return [{ id: `perevent.${s.id}`, group: 'perevent', label: s.label, unit: 'ns/event', dtrace: na(why), bpftrace: na(why), notes: [] }];
  }
  try {
    for (let r = 0; r < ctx.runs; r++) {
      ctx.log(`profile round ${r + 1}/${ctx.runs}`);
      const tools: [('dtrace' | 'bpftrace'), Tool, string][] = [];
      if (unavailable === undefined) tools.push(['dtrace', ctx.dtrace, dFile]);
      if (ctx.bpftrace) tools.push(['bpftrace', ctx.bpftrace, bFile]);
      if (r % 2 === 1) tools.reverse();
      for (const [name, tool, file] of tools) {
        try {
          samples[name].push(await once(tool, file, ctx.sinkFile));
        } catch (e) {
          errors[name].push(errorText(e));
          ctx.log(`  ${name} ${s.id}: ${errorText(e)}`);
        }
      }
    }
  } finally {
    writeFileSync(STATS, saved);
  }
  const notes = [
    `${SECONDS} s per sample; the cost is run_time_ns / run_cnt of the tracer's perf-event programs (kernel.bpf_stats_enabled), so the timer interrupt both pay is left out`,
  ];
  for (const n of ['dtrace', 'bpftrace'] as const) if (errors[n].length > 0) notes.push(`${n}: ${errors[n].length} failed run(s): ${errors[n][0]}`);
  return [{
    id: `perevent.${s.id}`, group: 'perevent', label: s.label, unit: 'ns/event',
    dtrace: unavailable !== undefined ? na(unavailable) : cellOf(samples.dtrace, errors.dtrace[0] ?? 'no run'),
    bpftrace: ctx.bpftrace ? cellOf(samples.bpftrace, errors.bpftrace[0] ?? 'no run') : na(ctx.bpftraceNote),
    notes,
  }];
}
