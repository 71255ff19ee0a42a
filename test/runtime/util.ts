// Shared helpers for runtime tests (real kernel, root): when to skip (no
// root, or a kernel feature this host forbids but the QEMU guest of
// `npm run test:vm` has), and counting open fds to prove every object was closed.

import { readdirSync } from 'node:fs';
import { FEATURES, hasFeature, type Feature } from '../../src/kernel/index.js';

/**
 * Skip reason when the machine cannot run kernel tests (not root, or bpf()
 * unusable), or false to run. Under CI (CI=true) never skip: a runner that
 * cannot load BPF must fail loudly rather than pass vacuously.
 */
export function runtimeSkip(): string | false {
  if (process.env.CI === 'true') return false;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'needs root (bpf, perf_event_open, tracefs)';
  try {
    if (!hasFeature('bpf')) return 'bpf() is not usable on this machine';
  } catch (e) {
    return `bpf() is not usable on this machine: ${e instanceof Error ? e.message : String(e)}`;
  }
  return false;
}

/** Number of open fds of this process (each runtime test file runs in its own process). */
export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Set by test/vm/guest.sh: the run is the QEMU guest of `npm run test:vm`. */
export const IN_VM = process.env.DTRACE_TEST_VM === '1';

/** How a skip reason names each feature. */
const NEED_NAMES: Record<Feature, string> = {
  bpf: 'BPF', ringbuf: 'the BPF ring buffer', rawTracepointTestRun: 'BPF_PROG_TEST_RUN of raw tracepoints',
  kprobe: 'kprobes', uprobe: 'uprobes', fentry: 'fentry/fexit', probeWriteUser: 'bpf_probe_write_user', bpfLoop: 'bpf_loop',
};

/** Whether `name` is a feature `needsSkip` knows (for the `needs:` line of runtime cases). */
export function isFeature(name: string): name is Feature {
  return (FEATURES as readonly string[]).includes(name);
}

/**
 * Skip reason for a runtime test that needs kernel features some hosts forbid
 * (kprobes, fentry/fexit, bpf_probe_write_user...), or false to run. On a host
 * without them the test is skipped, naming the feature and `npm run test:vm`,
 * whose guest kernel has them; in that guest it always runs, so a guest that
 * lacks a feature fails loudly. `runtimeSkip()` applies first.
 */
export function needsSkip(...features: Feature[]): string | false {
  const base = runtimeSkip();
  if (base) return base;
  if (IN_VM) return false;
  const missing = features.filter((f) => !hasFeature(f));
  return missing.length === 0 ? false : `needs ${missing.map((f) => NEED_NAMES[f]).join(', ')}: run npm run test:vm`;
}
