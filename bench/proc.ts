// Spawning and timing commands. Every child goes into one registry so that
// nothing the bench started (tracers above all) outlives it: on an error,
// a signal or a normal exit the survivors are killed. Wall time is
// process.hrtime around spawn → exit; peak RSS comes from /usr/bin/time.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Printed by every tracer's BEGIN clause once its probes are attached. */
export const READY_MARKER = 'BENCH-READY';

const live = new Set<ChildProcess>();

/** Kill (SIGKILL) every child still running. Safe to call more than once. */
export function killAll(): void {
  for (const c of live) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
  live.clear();
}

const cleanups: (() => void)[] = [];

/** Run `fn` when the bench exits, however it exits (temp files). */
export function atExit(fn: () => void): void {
  cleanups.push(fn);
}

function runCleanups(): void {
  killAll();
  for (const fn of cleanups.splice(0)) {
    try {
      fn();
    } catch {
      // best effort: never mask the real exit
    }
  }
}

/** Make sure an error or a signal never leaves a child (tracer) or a temp file behind. */
export function installCleanup(): void {
  process.on('exit', runCleanups);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      process.stderr.write(`\nbench: ${sig}, killing ${live.size} child process(es)\n`);
      runCleanups();
      process.exit(130);
    });
  }
}

/** Register a child so killAll() reaches it. */
export function track(c: ChildProcess): ChildProcess {
  live.add(c);
  c.once('exit', () => live.delete(c));
  return c;
}

export interface CommandResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  readonly timedOut: boolean;
}

const MAX_CAPTURE = 1 << 20;

export function append(buf: string, chunk: Buffer): string {
  return buf.length >= MAX_CAPTURE ? buf : buf + chunk.toString('utf8');
}

/** Run a command to completion (killed after timeoutMs), timing spawn → exit. */
export function runCommand(cmd: string, args: readonly string[], timeoutMs = 120_000): Promise<CommandResult> {
  return new Promise((resolveRun, rejectRun) => {
    const t0 = process.hrtime.bigint();
    let wallMs = 0;
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const c = track(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    const timer = setTimeout(() => { timedOut = true; c.kill('SIGKILL'); }, timeoutMs);
    c.stdout?.on('data', (d: Buffer) => { stdout = append(stdout, d); });
    c.stderr?.on('data', (d: Buffer) => { stderr = append(stderr, d); });
    c.once('exit', () => { wallMs = Number(process.hrtime.bigint() - t0) / 1e6; });
    c.once('error', (e) => { clearTimeout(timer); rejectRun(e); });
    c.once('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr, wallMs, timedOut });
    });
  });
}

export interface TimedResult extends CommandResult {
  /** Peak resident set size in KiB (ru_maxrss via /usr/bin/time), if known. */
  readonly maxRssKiB: number | undefined;
  /** User + system CPU time in ms (via /usr/bin/time, 10 ms resolution), if known. */
  readonly cpuMs: number | undefined;
}

export const TIME_BIN = '/usr/bin/time';

/** runCommand under /usr/bin/time -f '%M %U %S' for the peak RSS and CPU time (wall time still from hrtime). */
export async function runTimed(cmd: string, args: readonly string[], tmpDir: string, timeoutMs?: number): Promise<TimedResult> {
  if (!existsSync(TIME_BIN)) return { ...(await runCommand(cmd, args, timeoutMs)), maxRssKiB: undefined, cpuMs: undefined };
  const out = join(tmpDir, `time-${process.pid}-${Date.now()}.txt`);
  const r = await runCommand(TIME_BIN, ['-f', '%M %U %S', '-o', out, cmd, ...args], timeoutMs);
  let maxRssKiB: number | undefined;
  let cpuMs: number | undefined;
  try {
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const [rss, user, sys] = lines[lines.length - 1].trim().split(/\s+/).map(Number);
    maxRssKiB = Number.isFinite(rss) ? rss : undefined;
    cpuMs = Number.isFinite(user) && Number.isFinite(sys) ? (user + sys) * 1000 : undefined;
  } catch {
    maxRssKiB = undefined;
  }
  rmSync(out, { force: true });
  return { ...r, maxRssKiB, cpuMs };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Trim a tool's stderr to one short line for tables and notes. */
export function firstLine(text: string, max = 160): string {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.includes('RLIMIT_MEMLOCK')) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
