// What a provider offers: probes with their DTrace names, how each is
// attached in the kernel, and where its arguments come from. Pure data; the
// session turns it into loaded programs and links.

import type { ArgSource } from '../codegen/trampoline.js';

/** AttachSpec says how a probe's program is hooked into the kernel. */
export type AttachSpec =
  /** dtrace:::BEGIN and END: run by the consumer with BPF_PROG_TEST_RUN. */
  | { readonly kind: 'test-run' }
  /** dtrace:::ERROR: no program of its own; clauses run inside dt_error. */
  | { readonly kind: 'error' }
  | { readonly kind: 'tracepoint'; readonly group: string; readonly event: string; readonly shared?: SharedAttach }
  /** A cpu-clock perf event every `periodNs`, on every CPU (profile) or one CPU (tick). */
  | { readonly kind: 'perf'; readonly periodNs: bigint; readonly allCpus: boolean };

/**
 * SharedAttach offers a cheaper way to enable many probes of one provider
 * at once: one program on another tracepoint serves all of them, choosing
 * the probe by a key the tracepoint's record holds (the syscall number of
 * raw_syscalls:sys_enter). The probe's arguments must be at the same
 * offsets in both records. The session takes it when at least `minProbes`
 * probes with the same shared tracepoint are enabled.
 */
export interface SharedAttach {
  readonly group: string;
  readonly event: string;
  /** Offset of the 8-byte key in the shared tracepoint's record. */
  readonly keyOffset: number;
  readonly key: number;
  readonly minProbes: number;
}

/** Probe is one probe as `dtrace -l` lists it. */
export interface Probe {
  readonly id: number;
  readonly provider: string;
  readonly module: string;
  readonly func: string;
  readonly name: string;
  readonly attach: AttachSpec;
  readonly args: ArgSource;
  /** Session state in which the probe runs (see layout/memory.ts State). */
  readonly state: number;
}

/** ProbeIds hands out probe ids in creation order, as DTrace does. */
export class ProbeIds {
  private next: number;
  constructor(first: number) {
    this.next = first;
  }
  take(): number {
    return this.next++;
  }
}

/** Desc is a probe description split into its four fields (empty = any). */
export interface Desc {
  readonly provider: string;
  readonly module: string;
  readonly func: string;
  readonly name: string;
}

/** Provider finds the probes matching a description, creating them on demand where it can. */
export interface Provider {
  readonly name: string;
  /** match returns the probes of this provider matching d (glob patterns). */
  match(d: Desc, ids: ProbeIds, glob: (pattern: string, s: string) => boolean): Probe[];
}
