// Benchmark configuration from the environment, with defaults sized so the
// whole suite stays under ~5 minutes on a 2-CPU VM:
//   BENCH_RUNS          interleaved rounds for startup / per-event / compile (3)
//   BENCH_ATTACH_RUNS   rounds for attach-all, whose runs take tens of seconds (1)
//   BENCH_CALLS         getpid() calls per workload run (1000000)
//   BENCH_LOOPS         loop runs per per-event sample, median taken (3)
//   BENCH_CLAUSES       clauses in the generated large script (500)
//   BENCH_BPFTRACE=0    do not run bpftrace at all
//   BENCH_INSTALL=0     never apt-get install bpftrace when it is missing
//   BENCH_ONLY          comma list of suites: startup,perevent,profile,attachall,compile
//   BENCH_WRITE=0       print the table only; leave results.json and docs alone

import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

export const SUITES = ['startup', 'perevent', 'profile', 'attachall', 'compile'] as const;
export type Suite = (typeof SUITES)[number];

export interface BenchConfig {
  readonly runs: number;
  readonly attachRuns: number;
  readonly calls: number;
  readonly loops: number;
  readonly clauses: number;
  readonly useBpftrace: boolean;
  readonly allowInstall: boolean;
  readonly suites: ReadonlySet<Suite>;
  readonly write: boolean;
  /** Repository root (two levels above dist/bench/). */
  readonly root: string;
  readonly dtrace: string;
  readonly jsonPath: string;
  readonly docPath: string;
}

function intEnv(name: string, def: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name}=${raw}: expected an integer >= ${min}`);
  return n;
}

function suitesEnv(): ReadonlySet<Suite> {
  const raw = process.env.BENCH_ONLY;
  if (raw === undefined || raw.trim() === '') return new Set(SUITES);
  const out = new Set<Suite>();
  for (const s of raw.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    const hit = SUITES.find((k) => k === s);
    if (hit === undefined) throw new Error(`BENCH_ONLY: unknown suite '${s}' (know ${SUITES.join(', ')})`);
    out.add(hit);
  }
  return out;
}

/** Locate the repository from this file (dist/bench/config.js or bench/config.ts). */
function repoRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith('/dist/bench') ? resolve(here, '..', '..') : resolve(here, '..');
}

export function loadConfig(): BenchConfig {
  const root = repoRoot();
  return {
    runs: intEnv('BENCH_RUNS', 3, 1),
    attachRuns: intEnv('BENCH_ATTACH_RUNS', 1, 1),
    calls: intEnv('BENCH_CALLS', 1_000_000, 1000),
    loops: intEnv('BENCH_LOOPS', 3, 1),
    clauses: intEnv('BENCH_CLAUSES', 500, 1),
    useBpftrace: process.env.BENCH_BPFTRACE !== '0',
    allowInstall: process.env.BENCH_INSTALL !== '0',
    suites: suitesEnv(),
    write: process.env.BENCH_WRITE !== '0',
    root,
    dtrace: resolve(root, 'bin', 'dtrace'),
    jsonPath: resolve(root, 'bench', 'results.json'),
    docPath: resolve(root, 'docs', 'performance.md'),
  };
}

/** The configuration as plain JSON values for results.json. */
export function configRecord(c: BenchConfig): Record<string, number | string | boolean> {
  return {
    runs: c.runs, attachRuns: c.attachRuns, calls: c.calls, loops: c.loops, clauses: c.clauses,
    bpftrace: c.useBpftrace, suites: [...c.suites].join(','),
  };
}
