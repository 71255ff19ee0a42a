// The syscall provider: syscall:vmlinux:NAME:entry|return on the kernel's
// syscalls tracepoints. arg0..argN are the system call's arguments at
// entry; at return arg0 and arg1 are the return value, and errno is set
// from it when it is an error.

import { State } from '../layout/memory.js';
import type { ArgSource, CtxField } from '../codegen/trampoline.js';
import { eventFormat, syscallNames } from '../kernel/index.js';
import type { Desc, Probe, Provider, ProbeIds } from './probe.js';

/** The tracepoint record starts with 8 bytes of common fields and the syscall number. */
const FIRST_ARG_OFFSET = 16;

function argFields(event: string): CtxField[] {
  const fmt = eventFormat('syscalls', event);
  return fmt.fields
    .filter((f) => !f.common && f.offset >= FIRST_ARG_OFFSET && (f.size === 1 || f.size === 2 || f.size === 4 || f.size === 8))
    .map((f) => ({ offset: f.offset, size: f.size as 1 | 2 | 4 | 8, signed: f.signed }));
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
              attach: { kind: 'tracepoint', group: 'syscalls', event }, state: State.ACTIVE,
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
