// Spawning and timing commands. Every child goes into one registry so that
// nothing the bench started (tracers above all) outlives it: on an error,
// a signal or a normal exit the survivors are killed. Wall time is
// process.hrtime around spawn → exit; peak RSS comes from /usr/bin/time.
// A Tracer is a long-running child that prints a ready marker from its
// BEGIN probe, counts the output lines that follow, and is stopped with
// SIGINT (escalating to SIGTERM and SIGKILL if it does not exit).

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

/** Make sure an error or a signal never leaves a child (tracer) running. */
export function installCleanup(): void {
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      process.stderr.write(`\nbench: ${sig}, killing ${live.size} child process(es)\n`);
      killAll();
      process.exit(130);
    });
  }
}

function track(c: ChildProcess): ChildProcess {
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

function append(buf: string, chunk: Buffer): string {
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
}

export const TIME_BIN = '/usr/bin/time';

/** runCommand under /usr/bin/time -f %M for the peak RSS (wall time still from hrtime). */
export async function runTimed(cmd: string, args: readonly string[], tmpDir: string, timeoutMs?: number): Promise<TimedResult> {
  if (!existsSync(TIME_BIN)) return { ...(await runCommand(cmd, args, timeoutMs)), maxRssKiB: undefined };
  const out = join(tmpDir, `time-${process.pid}-${Date.now()}.txt`);
  const r = await runCommand(TIME_BIN, ['-f', '%M', '-o', out, cmd, ...args], timeoutMs);
  let maxRssKiB: number | undefined;
  try {
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const n = Number.parseInt(lines[lines.length - 1], 10);
    maxRssKiB = Number.isFinite(n) ? n : undefined;
  } catch {
    maxRssKiB = undefined;
  }
  rmSync(out, { force: true });
  return { ...r, maxRssKiB };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Trim a tool's stderr to one short line for tables and notes. */
export function firstLine(text: string, max = 160): string {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.includes('RLIMIT_MEMLOCK')) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export interface TracerExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** How the tracer had to be stopped: 'exit' on its own, else the last signal sent. */
  readonly stoppedBy: 'exit' | 'SIGINT' | 'SIGTERM' | 'SIGKILL';
  readonly stderr: string;
  /** Tail of stdout (for messages like bpftrace's "Lost N events"). */
  readonly stdoutTail: string;
}

/** A tracer process: ready marker detection, line counting, orderly stop. */
export class Tracer {
  readonly child: ChildProcess;
  /** Lines printed after the ready marker. */
  lines = 0;
  /** hrtime (ms) of the last stdout chunk. */
  lastDataMs = 0;
  #ready = false;
  #pre = '';
  #tail = '';
  #stderr = '';
  #onReady: (() => void) | undefined;
  readonly #exited: Promise<{ code: number | null; signal: string | null }>;

  constructor(cmd: string, args: readonly string[]) {
    this.child = track(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    this.#exited = new Promise((r) => {
      this.child.once('close', (code, signal) => r({ code, signal }));
      this.child.once('error', () => r({ code: null, signal: null }));
    });
    this.child.stdout?.on('data', (d: Buffer) => this.#data(d));
    this.child.stderr?.on('data', (d: Buffer) => { this.#stderr = append(this.#stderr, d); });
  }

  #data(d: Buffer): void {
    this.lastDataMs = Number(process.hrtime.bigint()) / 1e6;
    this.#tail = (this.#tail + d.toString('latin1')).slice(-4096);
    if (this.#ready) {
      this.lines += countNewlines(d);
      return;
    }
    this.#pre += d.toString('latin1');
    const at = this.#pre.indexOf(`${READY_MARKER}\n`);
    if (at < 0) return;
    this.#ready = true;
    const rest = this.#pre.slice(at + READY_MARKER.length + 1);
    this.lines += rest.split('\n').length - 1;
    this.#pre = '';
    this.#onReady?.();
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Resolve once the marker is seen; reject if the tracer exits first or the wait times out. */
  async waitReady(timeoutMs: number): Promise<void> {
    if (this.#ready) return;
    const ready = new Promise<'ready'>((r) => { this.#onReady = () => r('ready'); });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); });
    const exited = this.#exited.then(() => 'exited' as const);
    const what = await Promise.race([ready, timeout, exited]);
    clearTimeout(timer);
    if (what === 'ready') return;
    if (what === 'timeout') {
      await this.stop(5000);
      throw new Error(`not ready after ${timeoutMs} ms${this.#stderr ? `: ${firstLine(this.#stderr)}` : ''}`);
    }
    const ex = await this.#exited;
    throw new Error(`exited (${ex.code ?? ex.signal}) before attaching: ${firstLine(this.#stderr) || 'no message'}`);
  }

  /** Wait for the tracer to exit on its own (e.g. after exit() in D). */
  async waitExit(timeoutMs: number): Promise<TracerExit> {
    return this.#finish(timeoutMs, []);
  }

  /** SIGINT, then SIGTERM, then SIGKILL, each after `graceMs` without an exit. */
  async stop(graceMs: number): Promise<TracerExit> {
    return this.#finish(graceMs, ['SIGINT', 'SIGTERM', 'SIGKILL']);
  }

  async #finish(graceMs: number, signals: readonly ('SIGINT' | 'SIGTERM' | 'SIGKILL')[]): Promise<TracerExit> {
    let stoppedBy: TracerExit['stoppedBy'] = 'exit';
    const pending = [...signals];
    let wait = graceMs;
    if (pending.length === 0) pending.push('SIGINT', 'SIGTERM', 'SIGKILL');
    else {
      const first = pending.shift();
      if (first !== undefined && this.#running()) { this.child.kill(first); stoppedBy = first; }
    }
    for (;;) {
      const r = await Promise.race([this.#exited, sleep(wait).then(() => undefined)]);
      if (r !== undefined) {
        return { ...r, stoppedBy, stderr: this.#stderr, stdoutTail: this.#tail };
      }
      const next = pending.shift();
      if (next === undefined) throw new Error('tracer did not exit after SIGKILL');
      if (this.#running()) { this.child.kill(next); stoppedBy = next; }
      // After SIGKILL the kernel still detaches every probe (tens of ms each) before the exit.
      wait = next === 'SIGKILL' ? 120_000 : 5000;
    }
  }

  #running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}

function countNewlines(d: Buffer): number {
  let n = 0;
  let i = d.indexOf(10);
  while (i >= 0) {
    n++;
    i = d.indexOf(10, i + 1);
  }
  return n;
}
