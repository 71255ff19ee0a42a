// Storage at run time: the addresses of lvalues (variables, associative
// array elements, dereferences, members, array elements, kernel symbols),
// reading scalars from them and writing into D's own storage. Memory
// outside D's storage (the kernel's, or a process's through a userland
// pointer) is read with probe_read into the frame; a failed read raises
// DTrace's BADADDR fault with the address. Bit-fields are read and written
// through the bytes that hold them.

import { alu64, ldx, mov64, reg, stx } from '../bpf/build.js';
import { R10, R9 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size, sizeForBytes } from '../bpf/opcode.js';
import { jmp } from '../bpf/build.js';
import type { LValue, TExpr } from '../sema/ir.js';
import { isByRef, sizeOf, type Member, type Type } from '../sema/types.js';
import type { ExprGen } from './expr.js';
import { Fault, Frame, MS } from '../layout/memory.js';
import type { Val } from './regs.js';
import { loadVar, storeVar, varPtr } from './vars.js';
import { allocaOf, inAlloca } from '../sema/alloca.js';
import { allocaOffset, checkAlloca } from './alloca.js';

/**
 * Space says where an object lives: D's own storage (map values), alloca
 * memory (scratch, reached through checked offsets) or memory read with
 * probe_read.
 */
export type Space = 'dstore' | 'alloca' | 'kernel' | 'user';

/** spaceOf tells where the object an lvalue (or a struct or array value) denotes lives. */
export function spaceOf(e: TExpr): Space {
  switch (e.k) {
    case 'var': case 'assoc': case 'xlate': case 'str': case 'tostr': return 'dstore';
    case 'deref':
      if (allocaOf(e.ptr)) return 'alloca';
      return e.ptr.type.kind === 'pointer' && e.ptr.type.user ? 'user' : 'kernel';
    case 'member': return spaceOf(e.obj);
    case 'index': return spaceOf(e.arr);
    case 'call': return 'dstore';
    case 'args': return e.type.kind === 'pointer' && e.type.user ? 'user' : 'kernel';
    default: return 'kernel';
  }
}

/** scalarSize is the number of bytes a scalar of type t occupies in memory. */
export function scalarSize(t: Type): number {
  switch (t.kind) {
    case 'int': return t.size;
    case 'enum': return t.decl.size;
    case 'float': return t.size;
    default: return 8;
  }
}

/**
 * addrOf computes the address of an lvalue's storage. With `write`, a
 * missing dynamic variable is created so that a member can be stored.
 */
export function addrOf(g: ExprGen, e: TExpr, write: boolean): Val {
  const f = g.f;
  // Alloca memory: the offset is checked for the bytes accessed and made an address.
  if (inAlloca(e)) return checkAlloca(g, allocaOffset(g, e), accessSize(g, e));
  switch (e.k) {
    case 'var': return isByRef(e.type) && !write ? loadVar(g, e.v, []) : varPtr(g, e.v, [], write);
    case 'assoc': return isByRef(e.type) && !write ? loadVar(g, e.v, e.keys) : varPtr(g, e.v, e.keys, write);
    case 'deref': {
      // A NULL pointer faults at address 0 before any member offset is added, as in DTrace.
      const p = g.gen(e.ptr);
      if (e.ptr.k !== 'addr' && !(e.ptr.k === 'builtin' && e.ptr.name === 'curthread')) {
        f.emit(jmp(JmpOp.JEQ, f.ra.use(p), 0, g.cx.faultLabel(Fault.BADADDR, f.pc)));
        f.ra.unpin();
      }
      return p;
    }
    case 'member': {
      const p = addrOf(g, e.obj, write);
      const off = Math.floor(e.m.bitOffset / 8);
      if (off !== 0) {
        f.emit(alu64(AluOp.ADD, f.ra.use(p), off));
        f.ra.unpin();
      }
      return p;
    }
    case 'index': return addIndex(g, addrOf(g, e.arr, write), e);
    case 'sym': return g.imm(e.sym.addr);
    default:
      // A struct or array value (translated structs, strings): its address.
      return g.gen(e);
  }
}

/**
 * readMem reads `size` bytes (1, 2, 4 or 8) at address p (consumed) from
 * kernel or user memory and returns them, faulting on a bad address.
 */
export function readMem(g: ExprGen, p: Val, size: number, space: Space): Val {
  const f = g.f;
  f.emit(stx(Size.DW, R9, MS.faultAddr, f.ra.use(p)));
  f.ra.unpin();
  const helper = space === 'user' ? Helper.probe_read_user : Helper.probe_read_kernel;
  const r = f.call(helper, [{ stack: Frame.load }, { imm: size }, p]);
  const rr = f.ra.use(r);
  f.emit(jmp(JmpOp.JNE, rr, 0, g.cx.faultLabel(Fault.BADADDR, f.pc, true)));
  f.emit(ldx(sizeForBytes(size), rr, R10, Frame.load));
  f.ra.unpin();
  return r;
}

/** loadLValue reads an lvalue's value: scalars by value, structs, arrays and strings as their address. */
export function loadLValue(g: ExprGen, e: LValue): Val {
  if (e.k === 'var') return loadVar(g, e.v, []);
  if (e.k === 'assoc') return loadVar(g, e.v, e.keys);
  const t = e.type;
  if (isByRef(t)) return addrOf(g, e, false);
  if (e.k === 'member' && e.m.bits !== undefined) return loadBitfield(g, e as LValue & { k: 'member' });
  const v = loadFrom(g, addrOf(g, e, false), scalarSize(t), spaceOf(e));
  g.extend(v, t);
  return v;
}

/**
 * addIndex adds to p (the address or alloca offset of an array) the
 * offset of the element `e` indexes, and returns p.
 */
export function addIndex(g: ExprGen, p: Val, e: TExpr & { k: 'index' }): Val {
  const f = g.f;
  const i = g.gen(e.idx);
  const ri = f.ra.use(i);
  const size = Math.max(1, sizeOf(e.type, g.cx.strsize));
  if (e.bound > 0) {
    // D's own arrays are checked: an index outside them is DTrace's BADINDEX fault.
    // DTrace checks the byte offset and reports it divided back by the element size,
    // so a negative index shows as its 64-bit offset over the size, as here.
    if (size !== 1) {
      f.emit(alu64(AluOp.MUL, ri, size));
      f.emit(alu64(AluOp.DIV, ri, size));
    }
    f.emit(stx(Size.DW, R9, MS.faultAddr, ri));
    f.emit(jmp(JmpOp.JGE, ri, e.bound, g.cx.faultLabel(Fault.BADINDEX, f.pc, true)));
  }
  if (size !== 1) f.emit(alu64(AluOp.MUL, ri, size));
  f.emit(alu64(AluOp.ADD, f.ra.use(p), reg(ri)));
  f.ra.unpin();
  f.ra.release(i);
  return p;
}

/**
 * accessSize is how many bytes a load or store of an lvalue touches; a
 * string in memory is sizeof (string), strsize bytes with its NUL, as in
 * DTrace (D's own string buffers hold one byte more).
 */
function accessSize(g: ExprGen, e: TExpr): number {
  if (e.k === 'member' && e.m.bits !== undefined) return bitLayout(e.m).size;
  return Math.max(1, sizeOf(e.type, g.cx.strsize - 1));
}

/** loadFrom reads `size` bytes at the address p (consumed) from where the object lives. */
function loadFrom(g: ExprGen, p: Val, size: number, space: Space): Val {
  if (space === 'kernel' || space === 'user') return readMem(g, p, size, space);
  const f = g.f;
  const r = f.ra.use(p);
  f.emit(ldx(sizeForBytes(size), r, r, 0));
  f.ra.unpin();
  return p;
}

/** bitLayout gives the bytes a bit-field is read from: their offset, a 1/2/4/8-byte load, and the shift. */
function bitLayout(m: Member): { byte: number; size: number; shift: number } {
  const byte = Math.floor(m.bitOffset / 8);
  const shift = m.bitOffset % 8;
  const need = Math.ceil((shift + m.bits!) / 8);
  const size = need <= 1 ? 1 : need <= 2 ? 2 : need <= 4 ? 4 : 8;
  return { byte, size, shift };
}

function loadBitfield(g: ExprGen, e: LValue & { k: 'member' }): Val {
  const f = g.f;
  const { size, shift } = bitLayout(e.m);
  const p = loadFrom(g, addrOf(g, e, false), size, spaceOf(e));
  const bits = e.m.bits!;
  const signed = e.type.kind === 'int' && e.type.signed;
  const r = f.ra.use(p);
  // Move the field to the top of the register, then back down with or without its sign.
  f.emit(alu64(AluOp.LSH, r, 64 - shift - bits));
  f.emit(alu64(signed ? AluOp.ARSH : AluOp.RSH, r, 64 - bits));
  f.ra.unpin();
  return p;
}

/**
 * storeLValue stores value into a writable lvalue (D's own storage) and
 * returns the assignment's value. `zeroConst` says the value is the
 * constant 0, which deletes a dynamic variable.
 */
export function storeLValue(g: ExprGen, e: LValue, value: Val, zeroConst: boolean): Val {
  if (e.k === 'var') return storeVar(g, e.v, [], value, zeroConst);
  if (e.k === 'assoc') return storeVar(g, e.v, e.keys, value, zeroConst);
  const f = g.f;
  const t = e.type;
  const p = addrOf(g, e, true);
  if (isByRef(t)) {
    g.copy(p, value, inAlloca(e) ? accessSize(g, e) : sizeOf(t, g.cx.strsize), 'kernel', t.kind === 'string');
    return addrOf(g, e, false);
  }
  if (e.k === 'member' && e.m.bits !== undefined) return storeBitfield(g, e.m, p, value);
  g.narrowTo(value, t);
  f.emit(stx(sizeForBytes(scalarSize(t)), f.ra.use(p), 0, f.ra.use(value)));
  f.ra.unpin();
  f.ra.release(p);
  return value;
}

function storeBitfield(g: ExprGen, m: Member, p: Val, value: Val): Val {
  const f = g.f;
  const { size, shift } = bitLayout(m);
  const bits = m.bits!;
  const mask = (1n << BigInt(bits)) - 1n;
  const old = f.ra.alloc();
  const v = f.ra.alloc();
  const ro = f.ra.use(old);
  const rv = f.ra.use(v);
  const rp = f.ra.use(p);
  f.emit(ldx(sizeForBytes(size), ro, rp, 0));
  const keep = g.imm(~(mask << BigInt(shift)));
  f.emit(alu64(AluOp.AND, ro, reg(f.ra.use(keep))));
  f.emit(mov64(rv, reg(f.ra.use(value))));
  const m2 = g.imm(mask);
  f.emit(alu64(AluOp.AND, rv, reg(f.ra.use(m2))));
  if (shift) f.emit(alu64(AluOp.LSH, rv, shift));
  f.emit(alu64(AluOp.OR, ro, reg(rv)));
  f.emit(stx(sizeForBytes(size), rp, 0, ro));
  f.ra.unpin();
  for (const x of [old, v, keep, m2, p]) f.ra.release(x);
  return value;
}

