// The environment the bench runs in: where bpftrace is (installing Debian's
// package with apt-get when it is missing and that is allowed), what the
// machine is (nproc, CPU model, kernel), and which syscall tracepoints exist.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, release } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Machine } from './model.js';
import { firstLine, runCommand } from './proc.js';

/** The first executable named `cmd` on PATH. */
export function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter)) {
    const p = join(dir, cmd);
    if (dir !== '' && existsSync(p)) return p;
  }
  return undefined;
}

export interface BpftraceInfo {
  /** Path when usable; undefined when bpftrace is skipped. */
  readonly path: string | undefined;
  readonly version: string;
  /** Why bpftrace is skipped, or how it was obtained. */
  readonly note: string;
  /** Its usage text, to look for options such as --dry-run. */
  readonly help: string;
}

async function describe(path: string, note: string): Promise<BpftraceInfo> {
  const v = await runCommand(path, ['--version'], 30_000);
  const h = await runCommand(path, ['--help'], 30_000);
  return { path, version: v.stdout.trim() || firstLine(v.stderr), note, help: h.stdout + h.stderr };
}

function skipped(note: string): BpftraceInfo {
  return { path: undefined, version: 'not used', note, help: '' };
}

/** Find bpftrace; if missing and allowed, `apt-get update && apt-get install -y bpftrace`. */
export async function ensureBpftrace(use: boolean, allowInstall: boolean, log: (s: string) => void): Promise<BpftraceInfo> {
  if (!use) return skipped('bpftrace skipped (BENCH_BPFTRACE=0)');
  const found = which('bpftrace');
  if (found !== undefined) return describe(found, 'bpftrace found on PATH');
  if (!allowInstall) return skipped('bpftrace not installed and BENCH_INSTALL=0: bpftrace columns skipped');
  if (which('apt-get') === undefined) return skipped('bpftrace not installed and no apt-get: bpftrace columns skipped');
  log('bpftrace missing: apt-get update && apt-get install -y bpftrace ...');
  process.env.DEBIAN_FRONTEND = 'noninteractive'; // inherited by apt-get
  const up = await runCommand('apt-get', ['update'], 240_000);
  if (up.code !== 0) return skipped(`apt-get update failed (${firstLine(up.stderr)}): bpftrace columns skipped`);
  const inst = await runCommand('apt-get', ['install', '-y', 'bpftrace'], 240_000);
  const path = which('bpftrace');
  if (inst.code !== 0 || path === undefined) return skipped(`apt-get install bpftrace failed (${firstLine(inst.stderr)}): bpftrace columns skipped`);
  return describe(path, 'bpftrace installed by the bench with apt-get');
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m?.[1].trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

export function machineInfo(bpftraceVersion: string, loadStart: string): Machine {
  return {
    loadStart,
    loadEnd: loadAverage(),
    nproc: availableParallelism(),
    cpuModel: cpuModel(),
    kernel: release(),
    node: process.version,
    bpftrace: bpftraceVersion,
    date: new Date().toISOString(),
  };
}

const TRACEFS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];

/** Names of syscalls with a syscalls:sys_enter_<name> tracepoint on this kernel. */
export function syscallTracepoints(): string[] {
  for (const root of TRACEFS) {
    const dir = join(root, 'events', 'syscalls');
    if (!existsSync(dir)) continue;
    return readdirSync(dir).filter((n) => n.startsWith('sys_enter_')).map((n) => n.slice('sys_enter_'.length)).sort();
  }
  return [];
}
