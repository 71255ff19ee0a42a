// A tracer under measurement: a long-running child whose stdout goes to a
// file (on tmpfs when there is one: as cheap as /dev/null, but countable),
// so the bench never reads a pipe while the workload runs. The file is
// polled for the ready marker its BEGIN clause prints once the probes are
// attached, and for growth (the time of the last output). The tracer is
// stopped with SIGINT, escalating to SIGTERM and SIGKILL; afterwards the
// lines after the marker are counted.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { append, firstLine, READY_MARKER, sleep, track } from './proc.js';

export interface TracerExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** How the tracer ended: 'exit' on its own, else the last signal sent. */
  readonly stoppedBy: 'exit' | 'SIGINT' | 'SIGTERM' | 'SIGKILL';
  readonly stderr: string;
}

type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGKILL';

const POLL_MS = 10;

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export class Tracer {
  readonly child: ChildProcess;
  readonly #fd: number;
  /** Byte offset just after the marker line, once seen. */
  #readyAt = -1;
  #size = 0;
  #lastGrowthMs = 0;
  #stderr = '';
  #poll: NodeJS.Timeout;
  readonly #exited: Promise<{ code: number | null; signal: string | null }>;

  /** Start `cmd args` with stdout to `sinkFile` (created or truncated). */
  constructor(cmd: string, args: readonly string[], sinkFile: string) {
    const out = openSync(sinkFile, 'w');
    try {
      this.child = track(spawn(cmd, args, { stdio: ['ignore', out, 'pipe'] }));
    } finally {
      closeSync(out);
    }
    this.#fd = openSync(sinkFile, 'r');
    this.#exited = new Promise((r) => {
      this.child.once('close', (code, signal) => r({ code, signal }));
      this.child.once('error', () => r({ code: null, signal: null }));
    });
    this.child.stderr?.on('data', (d: Buffer) => { this.#stderr = append(this.#stderr, d); });
    this.#poll = setInterval(() => this.#check(), POLL_MS);
  }

  #check(): void {
    const size = fstatSync(this.#fd).size;
    if (size !== this.#size) {
      this.#size = size;
      this.#lastGrowthMs = nowMs();
    }
    if (this.#readyAt >= 0 || size === 0) return;
    const head = Buffer.alloc(Math.min(size, 1 << 16));
    const n = readSync(this.#fd, head, 0, head.length, 0);
    const at = head.subarray(0, n).indexOf(`${READY_MARKER}\n`);
    if (at >= 0) this.#readyAt = at + READY_MARKER.length + 1;
  }

  get ready(): boolean {
    return this.#readyAt >= 0;
  }

  /** Bytes of output so far (polled). */
  get size(): number {
    this.#check();
    return this.#size;
  }

  /** hrtime (ms) when the output last grew (to the poll interval). */
  get lastGrowthMs(): number {
    return this.#lastGrowthMs;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Resolve once the marker is seen; reject if the tracer exits first or the wait times out. */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = nowMs() + timeoutMs;
    let gone = false;
    void this.#exited.then(() => { gone = true; });
    for (;;) {
      this.#check();
      if (this.ready) return;
      if (gone) {
        const ex = await this.#exited;
        throw new Error(`exited (${ex.code ?? ex.signal}) before attaching: ${firstLine(this.#stderr) || 'no message'}`);
      }
      if (nowMs() > deadline) {
        await this.stop(5000);
        throw new Error(`not ready after ${timeoutMs} ms${this.#stderr ? `: ${firstLine(this.#stderr)}` : ''}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** SIGINT, then SIGTERM, then SIGKILL, each after `graceMs` without an exit. */
  async stop(graceMs: number): Promise<TracerExit> {
    let stoppedBy: TracerExit['stoppedBy'] = 'exit';
    const pending: StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGKILL'];
    for (;;) {
      const next = pending.shift();
      if (next !== undefined && this.#running()) {
        this.child.kill(next);
        stoppedBy = next;
      }
      // After SIGKILL the kernel still detaches every probe (tens of ms each) before the exit.
      const wait = next === 'SIGKILL' ? 120_000 : graceMs;
      const r = await Promise.race([this.#exited, sleep(wait).then(() => undefined)]);
      if (r !== undefined) {
        this.#check();
        clearInterval(this.#poll);
        return { ...r, stoppedBy, stderr: this.#stderr };
      }
      if (next === undefined || next === 'SIGKILL') throw new Error('tracer did not exit after SIGKILL');
    }
  }

  /** Lines after the marker (and after byte `since`), and the output's tail (for "Lost N events"). Call after stop(). */
  countLines(since = 0): { lines: number; tail: string } {
    const from = Math.max(this.#readyAt, since, 0);
    const size = fstatSync(this.#fd).size;
    const buf = Buffer.alloc(1 << 20);
    let lines = 0;
    let tail = '';
    for (let pos = from; pos < size;) {
      const n = readSync(this.#fd, buf, 0, buf.length, pos);
      if (n <= 0) break;
      const chunk = buf.subarray(0, n);
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      tail = (tail + chunk.subarray(Math.max(0, n - 4096)).toString('latin1')).slice(-4096);
      pos += n;
    }
    return { lines, tail };
  }

  /** Release the output file descriptor (the tracer must have exited). */
  close(): void {
    clearInterval(this.#poll);
    try {
      closeSync(this.#fd);
    } catch {
      // already closed
    }
  }

  #running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}
