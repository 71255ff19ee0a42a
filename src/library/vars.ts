// D's built-in variables in one table: each entry holds what the checker
// needs (its D type, or the kernel member chain it stands for) and what the
// code generator needs (how its value is computed). An entry without code
// is a variable the language has and this compiler does not compute yet;
// the checker refuses it with a clear message. Some variables DTrace
// documents are D library inlines instead (lib/dtrace): curpsinfo and
// curlwpsinfo (procfs.d), pset, chip, lgrp (sched.d), vtimestamp (vtime.d).

import { alu64, ldx, mov32, reg, ja, jmp, ldMapValue } from '../bpf/build.js';
import { R9 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size } from '../bpf/opcode.js';
import type { ExprGen } from '../codegen/expr.js';
import type { Val } from '../codegen/regs.js';
import { MapName, MS, ProbeDescOff, StateOff } from '../layout/memory.js';
import type { TypeEnv } from '../sema/env.js';
import { genCaller, genStackDepth } from './stacks.js';
import { PREDEFINED_TYPEDEFS, T, pointerTo, type Type } from '../sema/types.js';

type Gen = (g: ExprGen) => Val;

function msField(off: number, size: Size): Gen {
  return (g) => {
    const d = g.f.ra.alloc();
    g.f.emit(ldx(size, d.reg!, R9, off));
    return d;
  };
}

/** halfOf calls a helper returning two 32-bit halves (pid/tgid, uid/gid) and keeps the high or low one. */
function halfOf(helper: number, high: boolean): Gen {
  return (g) => {
    const v = g.f.call(helper, []);
    const r = g.f.ra.use(v);
    if (high) g.f.emit(alu64(AluOp.RSH, r, 32));
    else g.f.emit(mov32(r, reg(r)));
    g.f.ra.unpin();
    return v;
  };
}

/** probeField returns a pointer to one string of this probe's dt_probes entry. */
function probeField(field: number): Gen {
  return (g) => {
    const f = g.f;
    const p = f.call(Helper.map_lookup_elem, [{ mapFd: MapName.probes }, { scratch: MS.prid }]);
    const r = f.ra.use(p);
    const ok = f.newLabel('pd');
    const done = f.newLabel('pe');
    f.emit(jmp(JmpOp.JNE, r, 0, ok));
    f.emit(ldMapValue(r, MapName.strtab, g.cx.strtab.offsetOf('')));
    f.emit(ja(done));
    f.label(ok);
    f.emit(alu64(AluOp.ADD, r, field));
    f.label(done);
    f.ra.unpin();
    return p;
  };
}

function execname(g: ExprGen): Val {
  const f = g.f;
  const off = g.cx.tmpString();
  const r = f.call(Helper.get_current_comm, [{ scratch: off }, { imm: 16 }]);
  f.ra.release(r);
  return f.scratchPtr(off);
}

function timestamp(g: ExprGen): Val {
  return g.f.call('dt_timestamp', [{ scratch: 0 }]);
}

/** walltimestamp adds the wall-clock offset the loader keeps in dt_state to the firing's timestamp. */
function walltimestamp(g: ExprGen): Val {
  const f = g.f;
  const t = timestamp(g);
  const p = g.mapPtr(MapName.state, StateOff.wallOffset);
  const rp = f.ra.use(p);
  f.emit(ldx(Size.DW, rp, rp, 0));
  f.emit(alu64(AluOp.ADD, f.ra.use(t), reg(rp)));
  f.ra.unpin();
  f.ra.release(p);
  return t;
}

/**
 * curcpu is this CPU's entry of dt_cpuinfo, which the loader fills from
 * the CPU topology (session.ts); the lookup cannot miss for a running CPU.
 */
function curcpu(g: ExprGen): Val {
  const f = g.f;
  const p = f.call(Helper.map_lookup_elem, [{ mapFd: MapName.cpuinfo }, { scratch: MS.cpu }]);
  // The verifier allows arithmetic on the pointer only once it is tested for NULL.
  const known = f.newLabel('cpu');
  f.emit(jmp(JmpOp.JNE, f.ra.use(p), 0, known));
  f.label(known);
  f.ra.unpin();
  return p;
}

export interface BuiltinVar {
  /** The variable's D type; kernel types come from the type environment. */
  readonly type: (env: TypeEnv) => Type;
  /** A variable read from kernel data: the built-in it starts from and the members it follows. */
  readonly via?: readonly string[];
  /** Its code; absent for variables the language has but this compiler cannot compute yet. */
  readonly gen?: Gen;
}

function td(name: string): Type {
  const t = PREDEFINED_TYPEDEFS.get(name);
  if (t === undefined) throw new Error(`BUG: no predefined type ${name}`);
  return t;
}

/** v is a built-in of a fixed type computed by `gen` (none: not built yet). */
function v(t: Type | string, gen?: Gen): BuiltinVar {
  const type = typeof t === 'string' ? td(t) : t;
  return { type: () => type, gen };
}

const argN = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`arg${i}`, v('int64_t', msField(MS.argv + 8 * i, Size.DW))]));

/** BUILTIN_VARS maps each built-in variable name to its type and code. */
export const BUILTIN_VARS: Readonly<Record<string, BuiltinVar>> = {
  ...argN,
  cpu: v('processorid_t', msField(MS.cpu, Size.W)),
  // cpuinfo_t is the D library's (sched.d); without the library curcpu is a void pointer.
  curcpu: { type: (env) => pointerTo(env.typedef('cpuinfo_t') ?? T.void), gen: curcpu },
  epid: v('dtrace_epid_t', msField(MS.epid, Size.W)),
  execname: v(T.string, execname),
  gid: v('gid_t', halfOf(Helper.get_current_uid_gid, true)),
  id: v('dtrace_id_t', msField(MS.prid, Size.W)),
  pid: v('pid_t', halfOf(Helper.get_current_pid_tgid, true)),
  ppid: { ...v('pid_t'), via: ['curthread', 'real_parent', 'tgid'] },
  probefunc: v(T.string, probeField(ProbeDescOff.func)),
  probemod: v(T.string, probeField(ProbeDescOff.mod)),
  probename: v(T.string, probeField(ProbeDescOff.name)),
  probeprov: v(T.string, probeField(ProbeDescOff.prov)),
  tid: v('id_t', halfOf(Helper.get_current_pid_tgid, false)),
  timestamp: v('uint64_t', timestamp),
  uid: v('uid_t', halfOf(Helper.get_current_uid_gid, false)),
  walltimestamp: v('int64_t', walltimestamp),
  args: v('int64_t'),
  caller: v('uintptr_t', genCaller),
  curthread: { type: (env) => env.taskPtr(), gen: (g) => g.f.call(Helper.get_current_task, []) },
  cwd: v(T.string),
  errno: v(T.int, msField(MS.errno, Size.W)),
  execargs: v(T.string),
  ipl: v(T.uint),
  stackdepth: v(T.uint, genStackDepth),
  ucaller: v('uint64_t'),
  uregs: v('uint64_t'),
  ustackdepth: v(T.uint),
  root: v(T.string),
};

/** genBuiltin generates the value of built-in variable `name`. */
export function genBuiltin(g: ExprGen, name: string): Val {
  const gen = BUILTIN_VARS[name]?.gen;
  if (gen === undefined) throw new Error(`BUG: no code for built-in variable ${name}`);
  return gen(g);
}

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
