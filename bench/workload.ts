// The per-event workload: a small C program, built on the fly with gcc,
// that calls syscall(SYS_getpid) N times (the raw system call, so no libc
// caching) and prints the loop's elapsed nanoseconds from clock_gettime:
// CLOCK_MONOTONIC (wall) and CLOCK_PROCESS_CPUTIME_ID (CPU). The bench uses
// the CPU time: the probe's BPF program runs in the caller's system call and
// is charged to it, while time spent preempted by other load on a small
// shared VM is not. It subtracts an untraced run's time from a traced one and
// divides by N to get the cost of one probe firing.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstLine, runCommand, type CommandResult } from './proc.js';

const SOURCE = `/* getpid loop for the dtrace bench: prints the loop's elapsed wall and CPU ns. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static long long ns(const struct timespec *a, const struct timespec *b) {
  return (long long)(b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_nsec - a->tv_nsec);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  struct timespec wa, wb, ca, cb;
  clock_gettime(CLOCK_MONOTONIC, &wa);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
  for (long i = 0; i < n; i++) syscall(SYS_getpid);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
  clock_gettime(CLOCK_MONOTONIC, &wb);
  printf("%lld %lld\\n", ns(&wa, &wb), ns(&ca, &cb));
  return 0;
}
`;

/** Compile the workload into dir; returns its path, or throws with gcc's message. */
export async function buildWorkload(dir: string): Promise<string> {
  const src = join(dir, 'getpid-loop.c');
  const bin = join(dir, 'getpid-loop');
  writeFileSync(src, SOURCE);
  let r: CommandResult;
  try {
    r = await runCommand('gcc', ['-O2', '-o', bin, src], 60_000);
  } catch (e) {
    throw new Error(`gcc not available (${e instanceof Error ? e.message : String(e)})`);
  }
  if (r.code !== 0) throw new Error(`gcc failed: ${firstLine(r.stderr)}`);
  return bin;
}

export interface LoopTime {
  readonly wallNs: number;
  readonly cpuNs: number;
}

/** Run the loop `loops` times back to back; the median wall and CPU times (damps a one-off spike). */
export async function runWorkloadMedian(bin: string, calls: number, loops: number): Promise<LoopTime> {
  const xs: LoopTime[] = [];
  for (let i = 0; i < loops; i++) xs.push(await runWorkload(bin, calls));
  const mid = (v: number[]): number => v.sort((a, b) => a - b)[v.length >> 1];
  return { wallNs: mid(xs.map((x) => x.wallNs)), cpuNs: mid(xs.map((x) => x.cpuNs)) };
}

/** Run the loop once with `calls` calls; returns its elapsed wall and CPU nanoseconds. */
export async function runWorkload(bin: string, calls: number): Promise<LoopTime> {
  const r = await runCommand(bin, [String(calls)], 300_000);
  const [wallNs, cpuNs] = r.stdout.trim().split(/\s+/).map((x) => Number.parseInt(x, 10));
  if (r.code !== 0 || !Number.isFinite(wallNs) || !Number.isFinite(cpuNs)) throw new Error(`workload failed (${r.code ?? r.signal}): ${firstLine(r.stderr)}`);
  return { wallNs, cpuNs };
}
