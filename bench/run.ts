// `npm run bench`: whole-command benchmarks of this dtrace against
// bpftrace and a floor, on this machine. Suites: startup, per-event cost on
// getpid() (plus consumer throughput), profile-997 stack aggregation
// (BPF run time per firing), attach-all, large-script compile.
// Prints a table, writes bench/results.json and the generated block of
// docs/performance.md. Needs root (exits 0 with a note otherwise); every
// child it starts is killed if it fails or is interrupted.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configRecord, loadConfig, type BenchConfig } from './config.js';
import { docTemplate } from './doc-template.js';
import { evaluateGoals } from './goals.js';
import { errorText, type Results, type Row } from './model.js';
import { atExit, installCleanup, killAll } from './proc.js';
import { consoleTable, markdownBlock, updateDoc, writeJson } from './report.js';
import { runAttachAll } from './suite-attachall.js';
import { runCompile } from './suite-compile.js';
import { runPerEvent } from './suite-perevent.js';
import { runStartup } from './suite-startup.js';
import { runProfile } from './suite-profile.js';
import { ensureBpftrace, loadAverage, machineInfo, syscallTracepoints, type BpftraceInfo } from './tools.js';
import { bpftraceTool, dtraceTool, type SuiteContext } from './tracers.js';
import { buildWorkload } from './workload.js';

function log(s: string): void {
  process.stderr.write(`bench: ${s}\n`);
}

async function workloadOrError(tmp: string): Promise<string | { error: string }> {
  try {
    return await buildWorkload(tmp);
  } catch (e) {
    return { error: errorText(e) };
  }
}

async function runSuites(cfg: BenchConfig, ctx: SuiteContext, bt: BpftraceInfo): Promise<{ rows: Row[]; notes: string[] }> {
  const rows: Row[] = [];
  const notes: string[] = [bt.note];
  if (cfg.suites.has('startup')) rows.push(...(await runStartup(ctx)));
  if (cfg.suites.has('perevent')) {
    const floorCmd = [process.execPath, resolve(cfg.root, 'dist', 'bench', 'floor-prog.js')];
    const sinkFile = existsSync('/dev/shm') ? join('/dev/shm', `dtrace-bench-${process.pid}.out`) : join(ctx.tmp, 'tracer.out');
    atExit(() => rmSync(sinkFile, { force: true }));
    try {
      const r = await runPerEvent({ ...ctx, workload: await workloadOrError(ctx.tmp), calls: cfg.calls, loops: cfg.loops, floorCmd, sinkFile });
      rows.push(...r.rows);
      notes.push(...r.notes);
    } finally {
      rmSync(sinkFile, { force: true });
    }
  }
  if (cfg.suites.has('profile')) {
    const sinkFile = join(ctx.tmp, 'profile.out');
    rows.push(...(await runProfile({ ...ctx, sinkFile })));
  }
  if (cfg.suites.has('attachall')) rows.push(...(await runAttachAll({ ...ctx, runs: cfg.attachRuns })));
  if (cfg.suites.has('compile')) rows.push(...(await runCompile(ctx, cfg.clauses, syscallTracepoints(), bt.help)));
  return { rows, notes };
}

async function main(): Promise<number> {
  if ((process.getuid?.() ?? 0) !== 0) {
    process.stdout.write('bench: needs root (it loads BPF programs and may apt-get install bpftrace); nothing measured.\n');
    return 0;
  }
  installCleanup();
  const cfg = loadConfig();
  const t0 = Date.now();
  const loadStart = loadAverage();
  const bt = await ensureBpftrace(cfg.useBpftrace, cfg.allowInstall, log);
  log(`${bt.note}${bt.path ? ` (${bt.version})` : ''}`);
  const tmp = mkdtempSync(join(tmpdir(), 'dtrace-bench-'));
  atExit(() => rmSync(tmp, { recursive: true, force: true }));
  try {
    const ctx: SuiteContext = {
      tmp, runs: cfg.runs, dtrace: dtraceTool(cfg.dtrace),
      bpftrace: bt.path ? bpftraceTool(bt.path) : undefined, bpftraceNote: bt.note, log,
    };
    const { rows, notes } = await runSuites(cfg, ctx, bt);
    const res: Results = {
      machine: machineInfo(bt.version, loadStart), config: configRecord(cfg), rows, goals: evaluateGoals(rows), notes,
      wallSeconds: (Date.now() - t0) / 1000,
    };
    process.stdout.write(`\n${consoleTable(res)}\n`);
    if (cfg.write) {
      writeJson(cfg.jsonPath, res);
      updateDoc(cfg.docPath, markdownBlock(res), docTemplate);
      log(`wrote ${cfg.jsonPath} and ${cfg.docPath}`);
    }
    return 0;
  } finally {
    killAll();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (status) => process.exit(status),
  (e: unknown) => {
    killAll();
    process.stderr.write(`bench: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  },
);
