// Built-in D variables in one table: their D types and whether this
// compiler can generate code for them yet. The code generator has the
// matching table of how each one is computed (codegen/builtins.ts).

import { PREDEFINED_TYPEDEFS, T, type Type } from './types.js';

function td(name: string): Type {
  const t = PREDEFINED_TYPEDEFS.get(name);
  if (t === undefined) throw new Error(`BUG: no predefined type ${name}`);
  return t;
}

export interface BuiltinVar {
  readonly type: Type;
  /** False for variables the language has but this compiler cannot compute yet. */
  readonly supported: boolean;
}

const argN = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [`arg${i}`, { type: td('int64_t'), supported: true }]),
);

/** BUILTIN_VARS maps each built-in variable name to its type. */
export const BUILTIN_VARS: Readonly<Record<string, BuiltinVar>> = {
  ...argN,
  cpu: { type: td('processorid_t'), supported: true },
  curcpu: { type: td('processorid_t'), supported: false },
  epid: { type: td('dtrace_epid_t'), supported: true },
  execname: { type: T.string, supported: true },
  gid: { type: td('gid_t'), supported: true },
  id: { type: td('dtrace_id_t'), supported: true },
  pid: { type: td('pid_t'), supported: true },
  ppid: { type: td('pid_t'), supported: true },
  probefunc: { type: T.string, supported: true },
  probemod: { type: T.string, supported: true },
  probename: { type: T.string, supported: true },
  probeprov: { type: T.string, supported: true },
  tid: { type: td('id_t'), supported: true },
  timestamp: { type: td('uint64_t'), supported: true },
  uid: { type: td('uid_t'), supported: true },
  walltimestamp: { type: td('int64_t'), supported: true },
  args: { type: td('int64_t'), supported: false },
  caller: { type: td('uintptr_t'), supported: false },
  curthread: { type: { kind: 'pointer', name: 'struct task_struct *', to: T.void }, supported: true },
  cwd: { type: T.string, supported: false },
  errno: { type: T.int, supported: false },
  execargs: { type: T.string, supported: false },
  ipl: { type: T.uint, supported: false },
  stackdepth: { type: T.uint, supported: false },
  ucaller: { type: td('uint64_t'), supported: false },
  uregs: { type: td('uint64_t'), supported: false },
  ustackdepth: { type: T.uint, supported: false },
  vtimestamp: { type: td('uint64_t'), supported: false },
  root: { type: T.string, supported: false },
  curpsinfo: { type: td('uintptr_t'), supported: false },
  curlwpsinfo: { type: td('uintptr_t'), supported: false },
  curcpuinfo: { type: td('uintptr_t'), supported: false },
};

/** Fault codes usable in D (DTRACEFLT_*), as dtrace-utils numbers them. */
export const FAULT_CONSTANTS: Readonly<Record<string, number>> = {
  DTRACEFLT_UNKNOWN: 0,
  DTRACEFLT_BADADDR: 1,
  DTRACEFLT_BADALIGN: 2,
  DTRACEFLT_ILLOP: 3,
  DTRACEFLT_DIVZERO: 4,
  DTRACEFLT_NOSCRATCH: 5,
  DTRACEFLT_KPRIV: 6,
  DTRACEFLT_UPRIV: 7,
  DTRACEFLT_TUPOFLOW: 8,
  DTRACEFLT_BADSTACK: 9,
  DTRACEFLT_BADSIZE: 10,
  DTRACEFLT_BADINDEX: 11,
  DTRACEFLT_LIBRARY: 1000,
};
