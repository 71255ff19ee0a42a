// What a provider offers: probes with their DTrace names, how each is
// attached in the kernel, and where its arguments come from. Pure data; the
// session turns it into loaded programs and links.

import type { ArgSource } from '../codegen/trampoline.js';

/** AttachSpec says how a probe's program is hooked into the kernel. */
export type AttachSpec =
  /** dtrace:::BEGIN and END: run by the consumer with BPF_PROG_TEST_RUN. */
  | { readonly kind: 'test-run'; readonly role: 'begin' | 'end' }
  /** dtrace:::ERROR: no program of its own; clauses run inside dt_error. */
  | { readonly kind: 'error' }
  | { readonly kind: 'tracepoint'; readonly group: string; readonly event: string; readonly shared?: SharedAttach }
  /** A raw tracepoint by event name: the tracepoint's own arguments, unformatted (rawtp). */
  | { readonly kind: 'raw-tracepoint'; readonly event: string }
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
  /**
   * The arguments' native types as `dtrace -lv` shows them, with the BTF
   * type id that types args[] where the kernel's BTF has one; undefined for
   * untyped arguments. Read lazily: listing without -v must not need it.
   */
  readonly argTypes?: readonly ArgType[];
}

/** ArgType is one probe argument's type: its C name, and the vmlinux BTF type where known. */
export interface ArgType {
  readonly native: string;
  readonly btf?: number;
}

/** Stability levels, lowest first, as DTrace orders them. */
export const STABILITY = ['Internal', 'Private', 'Obsolete', 'External', 'Unstable', 'Evolving', 'Stable', 'Standard'] as const;
/** Dependency classes, lowest first. */
export const DEP_CLASS = ['Unknown', 'CPU', 'Platform', 'Group', 'ISA', 'Common'] as const;

/** Attr is one stability attribute triple: identifier names, data semantics, dependency class. */
export interface Attr {
  readonly name: (typeof STABILITY)[number];
  readonly data: (typeof STABILITY)[number];
  readonly dep: (typeof DEP_CLASS)[number];
}

/** ProviderAttrs are a provider's stability attributes for each part of its probes' names and for their arguments. */
export interface ProviderAttrs {
  readonly provider: Attr;
  readonly module: Attr;
  readonly func: Attr;
  readonly name: Attr;
  readonly args: Attr;
}

/** attr builds an Attr. */
export function attr(name: Attr['name'], data: Attr['data'], dep: Attr['dep']): Attr {
  return { name, data, dep };
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
  readonly attrs: ProviderAttrs;
  /** populate creates the provider's listed probes, taking their ids in order (called once, before any match). */
  populate?(ids: ProbeIds): void;
  /** match returns the probes of this provider matching d (glob patterns). */
  match(d: Desc, ids: ProbeIds, glob: (pattern: string, s: string) => boolean): Probe[];
}

/** probeMatches tells whether a probe matches a description, field by field. */
export function probeMatches(p: Probe, d: Desc, glob: (pattern: string, s: string) => boolean): boolean {
  return glob(d.provider, p.provider) && glob(d.module, p.module) && glob(d.func, p.func) && glob(d.name, p.name);
}
