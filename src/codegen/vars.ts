// Loading and storing D variables: globals in the dt_globals array value,
// clause-locals (this->) in per-CPU scratch, thread-locals (self->) in the
// dt_tls hash keyed by (variable id, thread id) where storing 0 deletes.

import { jmp, ja, ldMapValue, ldx, mov64, st, stx } from '../bpf/build.js';
import { R10 } from '../bpf/insn.js';
import { Helper, BPF_ANY } from '../bpf/helpers.js';
import { JmpOp, Size, sizeForBytes } from '../bpf/opcode.js';
import type { Variable } from '../sema/ir.js';
import type { ExprGen } from './expr.js';
import { narrow } from './expr.js';
import { Frame, MapName, THIS_OFF } from '../layout/memory.js';
import type { Val } from './regs.js';

function offsetOf(g: ExprGen, v: Variable): number {
  const off = g.cx.vars.offsets.get(v);
  if (off === undefined) throw new Error(`BUG: variable ${v.name} has no storage`);
  return off;
}

/** varPtr returns a pointer to a global's or clause-local's storage. */
function varPtr(g: ExprGen, v: Variable): Val {
  const off = offsetOf(g, v);
  if (v.scope === 'global') return g.mapPtr(MapName.globals, off);
  return g.f.scratchPtr(THIS_OFF + off);
}

/** tlsKey writes the (variable id, thread id) key into the frame's key slot. */
function tlsKey(g: ExprGen, v: Variable): void {
  const f = g.f;
  const tid = f.call(Helper.get_current_pid_tgid, []);
  f.emit(stx(Size.DW, R10, Frame.key + 8, f.ra.use(tid)));
  f.ra.unpin();
  f.ra.release(tid);
  f.emit(st(Size.DW, R10, Frame.key, v.id));
}

/** loadVar reads a variable: integers by value, strings as a pointer to their bytes. */
export function loadVar(g: ExprGen, v: Variable): Val {
  const f = g.f;
  if (v.scope === 'self') return loadTls(g, v);
  const p = varPtr(g, v);
  if (v.type.kind !== 'int' && v.type.kind !== 'pointer') return p;
  const size = v.type.kind === 'int' ? v.type.size : 8;
  const r = f.ra.use(p);
  f.emit(ldx(sizeForBytes(size), r, r, 0));
  f.ra.unpin();
  narrow(f, p, v.type);
  return p;
}

function loadTls(g: ExprGen, v: Variable): Val {
  const f = g.f;
  tlsKey(g, v);
  const p = f.call(Helper.map_lookup_elem, [{ mapFd: MapName.tls }, { stack: Frame.key }]);
  const r = f.ra.use(p);
  const missing = f.newLabel('nov');
  const done = f.newLabel('v');
  f.emit(jmp(JmpOp.JEQ, r, 0, missing));
  if (v.type.kind === 'string') {
    f.emit(ja(done));
    f.label(missing);
    f.emit(ldMapValue(r, MapName.strtab, g.cx.strtab.offsetOf('')));
  } else {
    const size = v.type.kind === 'int' ? v.type.size : 8;
    f.emit(ldx(sizeForBytes(size), r, r, 0));
    f.emit(ja(done));
    f.label(missing);
    f.emit(mov64(r, 0));
  }
  f.label(done);
  f.ra.unpin();
  narrow(f, p, v.type);
  return p;
}

/**
 * storeVar stores `value` (already narrowed to the variable's type) and
 * returns the assignment's value: the integer, or a pointer to the stored string.
 */
export function storeVar(g: ExprGen, v: Variable, value: Val): Val {
  const f = g.f;
  if (v.scope === 'self') return storeTls(g, v, value);
  if (v.type.kind === 'string') {
    const r = f.call(Helper.probe_read_kernel_str, [varPtr(g, v), { imm: g.cx.strsize }, value]);
    f.ra.release(r);
    return varPtr(g, v);
  }
  const size = v.type.kind === 'int' ? v.type.size : 8;
  const p = varPtr(g, v);
  f.emit(stx(sizeForBytes(size), f.ra.use(p), 0, f.ra.use(value)));
  f.ra.unpin();
  f.ra.release(p);
  return value;
}

function storeTls(g: ExprGen, v: Variable, value: Val): Val {
  const f = g.f;
  tlsKey(g, v);
  if (v.type.kind === 'string') {
    const r = f.call(Helper.map_update_elem, [{ mapFd: MapName.tls }, { stack: Frame.key }, value, { imm: BPF_ANY }]);
    f.ra.release(r);
    return loadTls(g, v);
  }
  // Storing zero deletes the variable, as in DTrace, so idle threads use no space.
  const del = f.newLabel('del');
  const done = f.newLabel('st');
  f.emit(stx(Size.DW, R10, Frame.value, f.ra.use(value)));
  f.ra.unpin();
  // Spill before the jump: both paths must leave live values where the allocator thinks they are.
  const leave = f.ra.enterBranch();
  f.emit(jmp(JmpOp.JEQ, f.ra.use(value), 0, del));
  f.ra.unpin();
  const u = f.call(Helper.map_update_elem, [{ mapFd: MapName.tls }, { stack: Frame.key }, { stack: Frame.value }, { imm: BPF_ANY }]);
  f.ra.release(u);
  f.emit(ja(done));
  f.label(del);
  const d = f.call(Helper.map_delete_elem, [{ mapFd: MapName.tls }, { stack: Frame.key }]);
  f.ra.release(d);
  f.label(done);
  leave();
  return value;
}
