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

/** addStateConst adds a load-time constant kept in dt_state (at `off`) to v in place. */
function addStateConst(g: ExprGen, v: Val, off: number): void {
  const f = g.f;
  const p = g.mapPtr(MapName.state, off);
  const rp = f.ra.use(p);
  f.emit(ldx(Size.DW, rp, rp, 0));
  f.emit(alu64(AluOp.ADD, f.ra.use(v), reg(rp)));
  f.ra.unpin();
  f.ra.release(p);
}

function walltimestamp(g: ExprGen): Val {
  const t = timestamp(g);
  addStateConst(g, t, StateOff.wallOffset);
  return t;
}

/** ppid reads current->real_parent->tgid with offsets the loader found in BTF (kept in dt_state). */
function ppid(g: ExprGen): Val {
  const f = g.f;
  const task = f.call(Helper.get_current_task, []);
  addStateConst(g, task, StateOff.offRealParent);
  const slot = g.cx.tmpString();
  f.ra.release(f.call(Helper.probe_read_kernel, [{ scratch: slot }, { imm: 8 }, task]));
  const parent = f.ra.alloc();
  f.emit(ldx(Size.DW, parent.reg!, R9, slot));
  addStateConst(g, parent, StateOff.offTgid);
  f.ra.release(f.call(Helper.probe_read_kernel, [{ scratch: slot }, { imm: 4 }, parent]));
  const d = f.ra.alloc();
  f.emit(ldx(Size.W, d.reg!, R9, slot));
  return d;
}

/** BUILTIN_CODE maps each supported built-in variable to its code. */
const BUILTIN_CODE: Readonly<Record<string, Gen>> = {
  ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`arg${i}`, msField(MS.argv + 8 * i, Size.DW)])),
  cpu: msField(MS.cpu, Size.W),
  epid: msField(MS.epid, Size.W),
  id: msField(MS.prid, Size.W),
  pid: halfOf(Helper.get_current_pid_tgid, true),
  tid: halfOf(Helper.get_current_pid_tgid, false),
  uid: halfOf(Helper.get_current_uid_gid, false),
  gid: halfOf(Helper.get_current_uid_gid, true),
  ppid,
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
