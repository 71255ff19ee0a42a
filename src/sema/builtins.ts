// Built-in D variables in one table: their D types and whether this
// compiler can generate code for them yet. The code generator has the
// matching table of how each one is computed (codegen/builtins.ts). Some
// variables DTrace documents are D library inlines instead (lib/dtrace):
// curpsinfo and curlwpsinfo (procfs.d), pset, chip, lgrp (sched.d) and
// vtimestamp (vtime.d).

import type { TypeEnv } from './env.js';
import { PREDEFINED_TYPEDEFS, T, pointerTo, type Type } from './types.js';

function td(name: string): Type {
  const t = PREDEFINED_TYPEDEFS.get(name);
  if (t === undefined) throw new Error(`BUG: no predefined type ${name}`);
  return t;
}

export interface BuiltinVar {
  /** The variable's D type; kernel types come from the type environment. */
  readonly type: (env: TypeEnv) => Type;
  /** False for variables the language has but this compiler cannot compute yet. */
  readonly supported: boolean;
  /** A variable read from kernel data: the built-in it starts from and the members it follows. */
  readonly via?: readonly string[];
}

function v(t: Type | string, supported = true): BuiltinVar {
  const type = typeof t === 'string' ? td(t) : t;
  return { type: () => type, supported };
}

const argN = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`arg${i}`, v('int64_t')]));

/** BUILTIN_VARS maps each built-in variable name to its type. */
export const BUILTIN_VARS: Readonly<Record<string, BuiltinVar>> = {
  ...argN,
  cpu: v('processorid_t'),
  // cpuinfo_t is the D library's (sched.d); without the library curcpu is a void pointer.
  curcpu: { type: (env) => pointerTo(env.typedef('cpuinfo_t') ?? T.void), supported: true },
  epid: v('dtrace_epid_t'),
  execname: v(T.string),
  gid: v('gid_t'),
  id: v('dtrace_id_t'),
  pid: v('pid_t'),
  ppid: { ...v('pid_t'), via: ['curthread', 'real_parent', 'tgid'] },
  probefunc: v(T.string),
  probemod: v(T.string),
  probename: v(T.string),
  probeprov: v(T.string),
  tid: v('id_t'),
  timestamp: v('uint64_t'),
  uid: v('uid_t'),
  walltimestamp: v('int64_t'),
  args: v('int64_t'),
  caller: v('uintptr_t', false),
  curthread: { type: (env) => env.taskPtr(), supported: true },
  cwd: v(T.string, false),
  errno: v(T.int),
  execargs: v(T.string, false),
  ipl: v(T.uint, false),
  stackdepth: v(T.uint, false),
  ucaller: v('uint64_t', false),
  uregs: v('uint64_t', false),
  ustackdepth: v(T.uint, false),
  root: v(T.string, false),
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
