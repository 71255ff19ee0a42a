// How each kind of attach point is hooked into the kernel: the program type
// its program is loaded as, and the links that attach it. Providers name an
// attach kind in their probes' AttachSpec; the session looks the kind up
// here and so holds no switch over providers or attach kinds.

import {
  ProgType, attachPerfEvent, attachRawTracepoint, attachTracepoint, onlineCpus, PerfType, PerfSwConfig,
  type BpfProgram, type ResourceScope,
} from '../kernel/index.js';
import type { AttachSpec } from './probe.js';

/** AttachHooks is what attaching may do besides creating links: hand the consumer a program it runs itself. */
export interface AttachHooks {
  readonly scope: ResourceScope;
  /** testRun registers BEGIN's or END's program, which the consumer runs with BPF_PROG_TEST_RUN. */
  testRun(role: 'begin' | 'end', prog: BpfProgram): void;
}

/** AttachKind is one attach kind's program type and attach step. */
export interface AttachKind<K extends AttachSpec['kind']> {
  /** The program type, or undefined when the kind has no program of its own (ERROR). */
  readonly progType: number | undefined;
  attach(prog: BpfProgram, spec: Extract<AttachSpec, { kind: K }>, hooks: AttachHooks): void;
}

type AttachTable = { readonly [K in AttachSpec['kind']]: AttachKind<K> };

export const ATTACH_KINDS: AttachTable = {
  'test-run': { progType: ProgType.RAW_TRACEPOINT, attach: (prog, a, h) => h.testRun(a.role, prog) },
  // ERROR's clauses run inside dt_error: nothing to load or attach.
  error: { progType: undefined, attach: () => undefined },
  tracepoint: { progType: ProgType.TRACEPOINT, attach: (prog, a, h) => { h.scope.add(attachTracepoint(prog, a.group, a.event)); } },
  'raw-tracepoint': { progType: ProgType.RAW_TRACEPOINT, attach: (prog, a, h) => { h.scope.add(attachRawTracepoint(prog, a.event)); } },
  perf: {
    progType: ProgType.PERF_EVENT,
    attach: (prog, a, h) => {
      const cpus = a.allCpus ? onlineCpus() : [onlineCpus()[0]];
      for (const cpu of cpus) h.scope.add(attachPerfEvent(prog, { type: PerfType.SOFTWARE, config: PerfSwConfig.CPU_CLOCK, samplePeriod: a.periodNs, cpu }));
    },
  },
};

/** attachKind looks up the table entry of an attach spec's kind. */
export function attachKind(a: AttachSpec): AttachKind<AttachSpec['kind']> {
  return ATTACH_KINDS[a.kind] as AttachKind<AttachSpec['kind']>;
}

/** hasProgram tells whether probes attached this way have a program of their own. */
export function hasProgram(a: AttachSpec): boolean {
  return ATTACH_KINDS[a.kind].progType !== undefined;
}
