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
import { eventFormat, syscallNames } from '../kernel/index.js';
import type { Desc, Probe, Provider, ProbeIds, SharedAttach } from './probe.js';
import { X86_64_SYSCALLS } from './syscalls-x86_64.js';

/** The tracepoint record starts with 8 bytes of common fields and the syscall number. */
const FIRST_ARG_OFFSET = 16;

function argFields(event: string): CtxField[] {
  const fmt = eventFormat('syscalls', event);
  return fmt.fields
    .filter((f) => !f.common && f.offset >= FIRST_ARG_OFFSET && (f.size === 1 || f.size === 2 || f.size === 4 || f.size === 8))
    .map((f) => ({ offset: f.offset, size: f.size as 1 | 2 | 4 | 8, signed: f.signed }));
}

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

/** createSyscallProvider lists the syscalls lazily, on the first description naming the provider. */
export function createSyscallProvider(): Provider {
  let names: string[] | undefined;
  const made = new Map<string, Probe>();
  return {
    name: 'syscall',
    match(d: Desc, ids: ProbeIds, glob): Probe[] {
      if (!glob(d.provider, 'syscall') || !glob(d.module, 'vmlinux')) return [];
      names ??= syscallNames();
      const out: Probe[] = [];
      for (const func of names) {
        if (!glob(d.func, func)) continue;
        for (const name of ['entry', 'return'] as const) {
          if (!glob(d.name, name)) continue;
          const key = `${func}:${name}`;
          let p = made.get(key);
          if (p === undefined) {
            const event = `${name === 'entry' ? 'sys_enter' : 'sys_exit'}_${func}`;
            const ret: CtxField = { offset: FIRST_ARG_OFFSET, size: 8, signed: true };
            let args: ArgSource | undefined;
            p = {
              id: ids.take(), provider: 'syscall', module: 'vmlinux', func, name,
              attach: { kind: 'tracepoint', group: 'syscalls', event, shared: sharedAttach(func, name) }, state: State.ACTIVE,
              // Read the tracepoint's format only when the probe is enabled, not when listed.
              get args(): ArgSource {
                args ??= name === 'entry' ? { kind: 'ctx', fields: argFields(event) } : { kind: 'ctx', fields: [ret, ret], errno: true };
                return args;
              },
            };
            made.set(key, p);
          }
          out.push(p);
        }
      }
      return out;
    },
  };
}
