// Shared helpers for runtime tests (real kernel, root): when to skip, and
// counting open fds to prove every object was closed.

import { readdirSync } from 'node:fs';
import { hasFeature } from '../../src/kernel/index.js';

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
