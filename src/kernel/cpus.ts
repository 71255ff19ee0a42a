// CPU sets from /sys/devices/system/cpu: per-CPU map values have one slot
// per *possible* CPU; profile probes attach one perf event per *online* CPU.

import { readdirSync, readFileSync } from 'node:fs';

/** Parse a kernel cpu list such as "0-3,5,7-8" (trailing newline allowed). */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`bad cpu list element '${part}'`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let c = lo; c <= hi; c++) out.push(c);
  }
  return out;
}

let possible: number[] | undefined;

/** Possible CPUs never change while we run, so this is cached. */
export function possibleCpus(): number[] {
  possible ??= parseCpuList(readFileSync('/sys/devices/system/cpu/possible', 'latin1'));
  return possible;
}

/** Number of value slots in a per-CPU map (highest possible CPU + 1). */
export function possibleCpuCount(): number {
  const p = possibleCpus();
  return p.length === 0 ? 1 : p[p.length - 1]! + 1;
}

/** Online CPUs can change (hotplug), so this is read each time. */
export function onlineCpus(): number[] {
  return parseCpuList(readFileSync('/sys/devices/system/cpu/online', 'latin1'));
}

/** CpuTopology is where a CPU sits: its physical package and NUMA node (0 when sysfs does not say). */
export interface CpuTopology {
  readonly chip: number;
  readonly node: number;
}

/** cpuTopology reads a CPU's package id and NUMA node from /sys/devices/system/cpu/cpuN. */
export function cpuTopology(cpu: number): CpuTopology {
  const dir = `/sys/devices/system/cpu/cpu${cpu}`;
  let chip = 0;
  let node = 0;
  try {
    chip = Math.max(0, Number.parseInt(readFileSync(`${dir}/topology/physical_package_id`, 'latin1'), 10) || 0);
  } catch {
    // No topology: one package.
  }
  try {
    const n = readdirSync(dir).find((e) => /^node\d+$/.test(e));
    if (n !== undefined) node = Number(n.slice(4));
  } catch {
    // No NUMA information: one node.
  }
  return { chip, node };
}
