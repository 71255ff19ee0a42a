// The syscall provider: syscall:vmlinux:NAME:entry|return on the kernel's
// syscalls tracepoints. arg0..argN are the system call's arguments at
// entry; at return arg0 and arg1 are the return value, and errno is set
// from it when it is an error.
//
// Enabling many syscalls (syscall:::entry) costs one program on the raw
// syscall tracepoint instead of one perf event per syscall: each perf event
// costs tens of milliseconds to attach and detach (the kernel waits for RCU),
// while the raw tracepoint runs a program for every system call of the
// system. Below DISPATCH_MIN probes the per-syscall tracepoints are cheaper
// for the rest of the system; see docs/providers.md.

import { State } from '../layout/memory.js';
import type { ArgSource, CtxField } from '../codegen/trampoline.js';
import { eventFormat } from '../kernel/index.js';
import { attr, probeMatches, type ArgType, type Desc, type Probe, type Provider, type ProbeIds, type SharedAttach } from './probe.js';
import { kernelEvents, nativeType, type EventSource } from './tracepoint.js';
import { X86_64_SYSCALLS } from './syscalls-x86_64.js';

/** The tracepoint record starts with 8 bytes of common fields and the syscall number. */
const FIRST_ARG_OFFSET = 16;

/** Enabled syscall probes of one direction from which one shared program serves them all. */
export const DISPATCH_MIN = 8;

/** The syscall number in a raw_syscalls:sys_enter or sys_exit record (`long id`). */
const RAW_ID_OFFSET = 8;

/** syscallNumbers is this architecture's table of syscall numbers by tracepoint name, or none. */
function syscallNumbers(): Readonly<Record<string, number>> | undefined {
  return process.arch === 'x64' ? X86_64_SYSCALLS : undefined;
}

/**
 * sharedAttach: syscalls' entry and return records put the arguments and
 * the return value at the same offsets as raw_syscalls' sys_enter and
 * sys_exit, so one program there can serve every syscall probe whose
 * number is known.
 */
function sharedAttach(func: string, name: 'entry' | 'return'): SharedAttach | undefined {
  const table = syscallNumbers();
  if (table === undefined || !Object.hasOwn(table, func)) return undefined;
  const nr = table[func]!;
  return { group: 'raw_syscalls', event: name === 'entry' ? 'sys_enter' : 'sys_exit', keyOffset: RAW_ID_OFFSET, key: nr, minProbes: DISPATCH_MIN };
}

/** syscallArgs reads a probe's arguments and their types from its tracepoint's format (once, when first needed). */
function syscallArgs(event: string, name: 'entry' | 'return'): { source: ArgSource; types: ArgType[] } {
  if (name === 'return') {
    const ret: CtxField = { offset: FIRST_ARG_OFFSET, size: 8, signed: true };
    return { source: { kind: 'ctx', fields: [ret, ret], errno: true }, types: [{ native: 'long' }] };
  }
  const fields = eventFormat('syscalls', event).fields
    .filter((f) => !f.common && f.offset >= FIRST_ARG_OFFSET && (f.size === 1 || f.size === 2 || f.size === 4 || f.size === 8));
  return {
    source: { kind: 'ctx', fields: fields.map((f) => ({ offset: f.offset, size: f.size as 1 | 2 | 4 | 8, signed: f.signed })) },
    types: fields.map((f) => ({ native: nativeType(f.type) })),
  };
}

/**
 * createSyscallProvider lists a probe for each syscalls tracepoint, in
 * available_events order as dtrace-utils numbers them.
 */
export function createSyscallProvider(events: EventSource = kernelEvents): Provider {
  const probes: Probe[] = [];
  return {
    name: 'syscall',
    attrs: {
      provider: attr('Evolving', 'Evolving', 'Common'), module: attr('Private', 'Private', 'Unknown'), func: attr('Private', 'Private', 'ISA'),
      name: attr('Evolving', 'Evolving', 'Common'), args: attr('Private', 'Private', 'ISA'),
    },
    populate(ids: ProbeIds): void {
      for (const e of events()) {
        if (e.group !== 'syscalls') continue;
        const m = /^sys_(enter|exit)_(.+)$/.exec(e.event);
        if (m === null) continue;
        const func = m[2]!;
        const name = m[1] === 'enter' ? 'entry' : 'return';
        let a: ReturnType<typeof syscallArgs> | undefined;
        probes.push({
          id: ids.take(), provider: 'syscall', module: 'vmlinux', func, name,
          attach: { kind: 'tracepoint', group: 'syscalls', event: e.event, shared: sharedAttach(func, name) }, state: State.ACTIVE,
          // Read the tracepoint's format only when the probe is enabled, not when listed.
          get args(): ArgSource {
            a ??= syscallArgs(e.event, name);
            return a.source;
          },
          get argTypes(): readonly ArgType[] {
            a ??= syscallArgs(e.event, name);
            return a.types;
          },
        });
      }
    },
    match(d: Desc, _ids: ProbeIds, glob): Probe[] {
      if (!glob(d.provider, 'syscall')) return [];
      return probes.filter((p) => probeMatches(p, d, glob));
    },
  };
}
