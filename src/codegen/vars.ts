// D variables at run time. Globals live in the dt_globals array value and
// clause-locals (this->) in per-CPU scratch, at compile-time offsets.
// Thread-locals (self->) and associative arrays are dynamic: each has its
// own hash map keyed by (thread id,) key tuple; storing 0 deletes the
// entry, reading a missing entry gives 0 (a NULL string, a zeroed struct).
// A string in a global or clause-local holds DTrace's NULL marker when
// NULL is stored in it.

import { alu64, atomicAdd, atomicFetchAdd, ja, jmp, ldMapValue, ldx, mov64, reg, st, stx } from '../bpf/build.js';
import { R10, R9, type Reg } from '../bpf/insn.js';
import { BPF_EXIST, BPF_NOEXIST, Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size, sizeForBytes } from '../bpf/opcode.js';
import type { TExpr, Variable } from '../sema/ir.js';
import { isByRef, sizeOf, type Type } from '../sema/types.js';
import type { DVarSpec } from './context.js';
import type { ExprGen, StrSource } from './expr.js';
import { DvarSpaceOff, Frame, MapName, MS, THIS_OFF } from '../layout/memory.js';
import type { Val } from './regs.js';

/** NULL_STRING marks a stored NULL string: a NUL then 0x7f, which no real string starts with. */
export const NULL_STRING = 0x7f00;

function offsetOf(g: ExprGen, v: Variable): number {
  const off = g.cx.vars.offsets.get(v);
  if (off === undefined) throw new Error(`BUG: variable ${v.name} has no storage`);
  return off;
}

/** staticPtr points at a global's or clause-local's storage. */
function staticPtr(g: ExprGen, v: Variable): Val {
  const off = offsetOf(g, v);
  if (v.scope === 'global') return g.mapPtr(MapName.globals, off);
  return g.f.scratchPtr(THIS_OFF + off);
}

function dvar(g: ExprGen, v: Variable): DVarSpec {
  const d = g.cx.vars.dvars.get(v);
  if (d === undefined) throw new Error(`BUG: dynamic variable ${v.name} has no map`);
  return d;
}

/** isDynamicVar tells whether a variable lives in a map of its own (thread-locals, associative arrays). */
export function isDynamicVar(v: Variable): boolean {
  return v.scope === 'self' || v.keys !== undefined;
}

/**
 * buildKey evaluates the key tuple and writes it, after the thread id for
 * thread-locals, into the scratch key area. Every key is evaluated before
 * any is written, so a key that itself reads an associative array does
 * not overwrite the tuple being built.
 */
function buildKey(g: ExprGen, d: DVarSpec, keys: readonly TExpr[]): void {
  const f = g.f;
  const base = g.cx.scratch.dkeyOff;
  const vals = keys.map((k) => k.type.kind === 'string' ? g.strSource(k) : g.gen(k));
  let off = 0;
  if (d.tls) {
    const tid = f.call(Helper.get_current_pid_tgid, []);
    const r = f.ra.use(tid);
    f.emit(alu64(AluOp.AND, r, 0x7fffffff));
    f.emit(stx(Size.DW, R9, base, r));
    f.ra.unpin();
    f.ra.release(tid);
    off = 8;
  }
  keys.forEach((k, i) => {
    const w = d.keyWidths[i];
    const v = vals[i];
    if (k.type.kind === 'string') {
      for (let x = 0; x < w; x += 8) f.emit(st(Size.DW, R9, base + off + x, 0));
      g.strInto(v as StrSource, base + off, w);
    } else if (isByRef(k.type)) {
      f.ra.release(f.call(Helper.probe_read_kernel, [{ scratch: base + off }, { imm: sizeOf(k.type, g.cx.strsize) }, v as Val]));
    } else {
      const x = v as Val;
      g.narrowTo(x, k.type);
      f.emit(stx(Size.DW, R9, base + off, f.ra.use(x)));
      f.ra.unpin();
      f.ra.release(x);
    }
    off += w;
  });
  if (off === 0) f.emit(st(Size.DW, R9, base, 0));
}

/** lookup returns a pointer to a dynamic variable's value, or 0 when it has none. */
function lookup(g: ExprGen, d: DVarSpec, keys: readonly TExpr[]): Val {
  buildKey(g, d, keys);
  return g.f.call(Helper.map_lookup_elem, [{ mapFd: d.map }, { scratch: g.cx.scratch.dkeyOff }]);
}

/**
 * dvarForWrite returns a pointer to a dynamic variable's value, creating
 * it (zeroed) if it does not exist; a full map counts a dynamic variable
 * drop and leaves the statement's remaining stores undone.
 */
function dvarForWrite(g: ExprGen, d: DVarSpec, keys: readonly TExpr[]): Val {
  const f = g.f;
  const leave = f.ra.enterBranch();
  const have = f.newLabel('dv');
  let p = lookup(g, d, keys);
  f.emit(jmp(JmpOp.JNE, f.ra.use(p), 0, have));
  f.ra.unpin();
  f.ra.release(p);
  reserveDvar(g);
  const made = f.newLabel('dvnew');
  const u = f.call(Helper.map_update_elem, [{ mapFd: d.map }, { scratch: g.cx.scratch.dkeyOff }, { scratch: g.cx.scratch.zeroOff }, { imm: BPF_NOEXIST }]);
  f.emit(jmp(JmpOp.JEQ, f.ra.use(u), 0, made));
  f.ra.unpin();
  f.ra.release(u);
  // Not created (another CPU made it first, or the map is full): give the room back.
  releaseDvar(g);
  f.label(made);
  p = f.call(Helper.map_lookup_elem, [{ mapFd: d.map }, { scratch: g.cx.scratch.dkeyOff }]);
  f.label(have);
  leave();
  const ok = f.newLabel('dvok');
  const r = f.ra.use(p);
  f.emit(jmp(JmpOp.JNE, r, 0, ok));
  countDrop(g, r);
  f.emit(ja(g.cx.outLabel));
  f.label(ok);
  f.ra.unpin();
  return p;
}

/**
 * reserveDvar takes room for one new dynamic variable in the space all of
 * them share (dt_dvarspace); when dynvarsize holds no more, it counts a
 * dynamic variable drop and leaves the clause, as DTrace does.
 */
function reserveDvar(g: ExprGen): void {
  const f = g.f;
  const space = f.ra.alloc();
  const n = f.ra.alloc();
  const cap = f.ra.alloc();
  const rs = f.ra.use(space);
  const rn = f.ra.use(n);
  const rc = f.ra.use(cap);
  f.emit(ldMapValue(rs, MapName.dvarSpace, 0));
  f.emit(mov64(rn, 1));
  f.emit(atomicFetchAdd(Size.DW, rs, DvarSpaceOff.used, rn));
  f.emit(ldx(Size.DW, rc, rs, DvarSpaceOff.capacity));
  const room = f.newLabel('dvroom');
  f.emit(jmp(JmpOp.JLT, rn, reg(rc), room));
  f.emit(mov64(rn, -1));
  f.emit(atomicAdd(Size.DW, rs, DvarSpaceOff.used, rn));
  countDrop(g, rn);
  f.emit(ja(g.cx.outLabel));
  f.label(room);
  f.ra.unpin();
  for (const v of [space, n, cap]) f.ra.release(v);
}

/** releaseDvar gives back the room of a dynamic variable that was deleted or not created. */
function releaseDvar(g: ExprGen): void {
  const f = g.f;
  const space = f.ra.alloc();
  const n = f.ra.alloc();
  const rs = f.ra.use(space);
  const rn = f.ra.use(n);
  f.emit(ldMapValue(rs, MapName.dvarSpace, 0));
  f.emit(mov64(rn, -1));
  f.emit(atomicAdd(Size.DW, rs, DvarSpaceOff.used, rn));
  f.ra.unpin();
  f.ra.release(space);
  f.ra.release(n);
}

/** deleteDvar deletes a dynamic variable (keyed in dkey scratch), giving back its room if it existed. */
function deleteDvar(g: ExprGen, map: string): void {
  const f = g.f;
  const gone = f.newLabel('dvgone');
  const r = f.call(Helper.map_delete_elem, [{ mapFd: map }, { scratch: g.cx.scratch.dkeyOff }]);
  f.emit(jmp(JmpOp.JNE, f.ra.use(r), 0, gone));
  f.ra.unpin();
  f.ra.release(r);
  releaseDvar(g);
  f.label(gone);
}

/** countDrop counts a dynamic variable drop, using register r as scratch. */
function countDrop(g: ExprGen, r: Reg): void {
  const f = g.f;
  f.emit(ldx(Size.DW, r, R9, MS.dvarDrops));
  f.emit(alu64(AluOp.ADD, r, 1));
  f.emit(stx(Size.DW, R9, MS.dvarDrops, r));
}

/**
 * varPtr returns a pointer to a variable's storage for reading (missing
 * dynamic variables: 0) or, with `write`, for writing (created if missing).
 */
export function varPtr(g: ExprGen, v: Variable, keys: readonly TExpr[], write: boolean): Val {
  if (!isDynamicVar(v)) return staticPtr(g, v);
  const d = dvar(g, v);
  return write ? dvarForWrite(g, d, keys) : lookup(g, d, keys);
}

/**
 * loadVar reads a variable: integers and pointers by value, strings as a
 * pointer to their bytes (0 for NULL), structs and arrays as a pointer to
 * their storage (a zeroed area when a dynamic variable is missing).
 */
export function loadVar(g: ExprGen, v: Variable, keys: readonly TExpr[]): Val {
  const f = g.f;
  const t = v.type;
  const p = varPtr(g, v, keys, false);
  const r = f.ra.use(p);
  if (isDynamicVar(v)) {
    const missing = f.newLabel('nov');
    const done = f.newLabel('v');
    f.emit(jmp(JmpOp.JEQ, r, 0, missing));
    if (!isByRef(t)) loadInPlace(g, r, t);
    f.emit(ja(done));
    f.label(missing);
    if (isByRef(t) && t.kind !== 'string') {
      f.emit(mov64(r, reg(R9)));
      f.emit(alu64(AluOp.ADD, r, g.cx.scratch.zeroOff));
    } else {
      f.emit(mov64(r, 0));
    }
    f.label(done);
  } else if (t.kind === 'string') {
    // A NULL string reads as a NULL pointer.
    const real = f.newLabel('str');
    const tmp = f.ra.alloc();
    const rt = f.ra.use(tmp);
    f.emit(ldx(Size.H, rt, r, 0));
    f.emit(jmp(JmpOp.JNE, rt, NULL_STRING, real));
    f.emit(mov64(r, 0));
    f.label(real);
    f.ra.release(tmp);
  } else if (!isByRef(t)) {
    loadInPlace(g, r, t);
  }
  f.ra.unpin();
  if (!isByRef(t)) g.extend(p, t);
  return p;
}

function loadInPlace(g: ExprGen, r: Reg, t: Type): void {
  const size = t.kind === 'int' ? t.size : t.kind === 'enum' ? t.decl.size : 8;
  g.f.emit(ldx(sizeForBytes(size), r, r, 0));
}

/**
 * storeVar stores `value` into a variable and returns the assignment's
 * value (the integer, or a pointer to the stored string or struct).
 * Storing 0 into a dynamic variable deletes it.
 */
export function storeVar(g: ExprGen, v: Variable, keys: readonly TExpr[], value: Val, valueIsZeroConst: boolean): Val {
  const t = v.type;
  if (isDynamicVar(v)) return storeDynamic(g, dvar(g, v), keys, value, valueIsZeroConst);
  const f = g.f;
  if (t.kind === 'string') {
    const p = staticPtr(g, v);
    const isNull = f.newLabel('snull');
    const done = f.newLabel('sdone');
    const leave = f.ra.enterBranch();
    f.emit(jmp(JmpOp.JEQ, f.ra.use(value), 0, isNull));
    f.ra.unpin();
    f.ra.release(f.call(Helper.probe_read_kernel_str, [p, { imm: g.cx.strsize }, value]));
    f.emit(ja(done));
    f.label(isNull);
    const q = staticPtr(g, v);
    f.emit(st(Size.H, f.ra.use(q), 0, NULL_STRING));
    f.ra.unpin();
    f.ra.release(q);
    f.label(done);
    leave();
    return loadVar(g, v, keys);
  }
  if (isByRef(t)) {
    if (valueIsZeroConst) {
      f.ra.release(value);
      zeroFill(g, staticPtr(g, v), sizeOf(t, g.cx.strsize));
    } else {
      g.copy(staticPtr(g, v), value, sizeOf(t, g.cx.strsize), 'kernel');
    }
    return staticPtr(g, v);
  }
  const size = t.kind === 'int' ? t.size : t.kind === 'enum' ? t.decl.size : 8;
  const p = staticPtr(g, v);
  f.emit(stx(sizeForBytes(size), f.ra.use(p), 0, f.ra.use(value)));
  f.ra.unpin();
  f.ra.release(p);
  return value;
}

/** zeroFill clears `size` bytes at p (a pointer into map memory), consuming p. */
function zeroFill(g: ExprGen, p: Val, size: number): void {
  const f = g.f;
  const r = f.ra.use(p);
  let o = 0;
  for (; o + 8 <= size; o += 8) f.emit(st(Size.DW, r, o, 0));
  for (; o < size; o++) f.emit(st(Size.B, r, o, 0));
  f.ra.unpin();
  f.ra.release(p);
}

function storeDynamic(g: ExprGen, d: DVarSpec, keys: readonly TExpr[], value: Val, zeroConst: boolean): Val {
  const f = g.f;
  const t = d.v.type;
  const map = d.map;
  const keyArg = { scratch: g.cx.scratch.dkeyOff };
  if (zeroConst) {
    buildKey(g, d, keys);
    const leave = f.ra.enterBranch();
    deleteDvar(g, map);
    leave();
    return value;
  }
  if (isByRef(t) && t.kind !== 'string') {
    const p = dvarForWrite(g, d, keys);
    g.copy(p, value, sizeOf(t, g.cx.strsize), 'kernel');
    return dvarForWrite(g, d, keys);
  }
  // Scalars and strings: one update, or a delete when the value is 0 (NULL).
  const keep = f.ra.alloc();
  f.emit(mov64(keep.reg!, reg(f.ra.use(value))));
  f.ra.unpin();
  if (!isByRef(t)) {
    g.narrowTo(value, t);
    f.emit(stx(Size.DW, R10, Frame.value, f.ra.use(value)));
    f.ra.unpin();
  }
  buildKey(g, d, keys);
  const del = f.newLabel('del');
  const done = f.newLabel('st');
  const leave = f.ra.enterBranch();
  f.emit(jmp(JmpOp.JEQ, f.ra.use(value), 0, del));
  f.ra.unpin();
  // A string is passed by pointer, which a call consumes: the second update gets a copy.
  let again: Val | undefined;
  if (t.kind === 'string') {
    again = f.ra.alloc();
    f.emit(mov64(f.ra.use(again), reg(f.ra.use(value))));
    f.ra.unpin();
  }
  const src = (v: Val | undefined): Val | { stack: number } => v ?? { stack: Frame.value };
  // An existing variable is updated in place; a new one takes room in the shared space first.
  const u = f.call(Helper.map_update_elem, [{ mapFd: map }, keyArg, src(t.kind === 'string' ? value : undefined), { imm: BPF_EXIST }]);
  f.emit(jmp(JmpOp.JEQ, f.ra.use(u), 0, done));
  f.ra.unpin();
  f.ra.release(u);
  reserveDvar(g);
  const n = f.call(Helper.map_update_elem, [{ mapFd: map }, keyArg, src(again), { imm: BPF_NOEXIST }]);
  const rn = f.ra.use(n);
  f.emit(jmp(JmpOp.JEQ, rn, 0, done));
  f.ra.unpin();
  f.ra.release(n);
  // A full map drops the store and, as in DTrace, the rest of the clause.
  releaseDvar(g);
  const t2 = f.ra.alloc();
  countDrop(g, f.ra.use(t2));
  f.ra.unpin();
  f.ra.release(t2);
  f.emit(ja(g.cx.outLabel));
  f.label(del);
  deleteDvar(g, map);
  f.label(done);
  if (again !== undefined) f.ra.release(again);
  leave();
  if (t.kind !== 'string') f.ra.release(value);
  return keep;
}

