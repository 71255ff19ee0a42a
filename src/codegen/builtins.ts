// Code for D's built-in variables, one entry per variable: how each value
// is computed from the machine state, a helper call, or kernel memory.

import { alu64, ldx, mov32, reg, ja, jmp, ldMapValue } from '../bpf/build.js';
import { R9 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size } from '../bpf/opcode.js';
import type { ExprGen } from './expr.js';
import { MapName, MS, ProbeDescOff, StateOff } from '../layout/memory.js';
import type { Val } from './regs.js';

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

/** BUILTIN_CODE maps each supported built-in variable to its code. */
const BUILTIN_CODE: Readonly<Record<string, Gen>> = {
  ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`arg${i}`, msField(MS.argv + 8 * i, Size.DW)])),
  cpu: msField(MS.cpu, Size.W),
  curcpu,
  errno: msField(MS.errno, Size.W),
  epid: msField(MS.epid, Size.W),
  id: msField(MS.prid, Size.W),
  pid: halfOf(Helper.get_current_pid_tgid, true),
  tid: halfOf(Helper.get_current_pid_tgid, false),
  uid: halfOf(Helper.get_current_uid_gid, false),
  gid: halfOf(Helper.get_current_uid_gid, true),
  execname,
  timestamp,
  walltimestamp,
  curthread: (g) => g.f.call(Helper.get_current_task, []),
  probeprov: probeField(ProbeDescOff.prov),
  probemod: probeField(ProbeDescOff.mod),
  probefunc: probeField(ProbeDescOff.func),
  probename: probeField(ProbeDescOff.name),
};

/** genBuiltin generates the value of built-in variable `name`. */
export function genBuiltin(g: ExprGen, name: string): Val {
  const gen = BUILTIN_CODE[name];
  if (gen === undefined) throw new Error(`BUG: no code for built-in variable ${name}`);
  return gen(g);
}
