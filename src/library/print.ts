// print( ) and tracemem( ): the probe's part. print(p) records the address
// and the bytes of the object p points to, with a description of its type
// (layout/printtype.ts) made here from the checked program's types, so the
// consumer formats the bytes without looking the type up again.
// tracemem(addr, size[, dsize]) records `size` bytes (a constant) and, with
// a third argument, how many of them to print. DTrace checks both while
// generating a clause's code, so their D_* errors name no clause region.

import { isAllocaOffset, ptrArg } from '../codegen/alloca.js';
import { jmp, mov64, st, stx, ldx } from '../bpf/build.js';
import { R9 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { JmpOp, Size, sizeForBytes } from '../bpf/opcode.js';
import { CompileError } from '../diag/diagnostic.js';
import type { ExprGen } from '../codegen/expr.js';
import type { Val } from '../codegen/regs.js';
import { Fault, MS } from '../layout/memory.js';
import type { PrintMember, PrintType } from '../layout/printtype.js';
import type { Slot } from '../layout/records.js';
import type { TExpr } from '../sema/ir.js';
import { arrayOf, bitFieldBytes, isIntegral, isPointerLike, resolved, sizeOf, SouDecl, T, type IntType, type Member, type Type } from '../sema/types.js';
import type { ActionGen } from './actions.js';

/**
 * ctfName is a type's name as DTrace's type containers print it: typedefs
 * by their own name, arrays with their dimensions after the element type
 * (`char [5]`, `int *[2]`); an anonymous struct or union is `struct `.
 */
export function ctfName(t: Type): string {
  if (t.alias === undefined && t.kind === 'array') {
    let dims = '';
    let e: Type = t;
    while (e.alias === undefined && e.kind === 'array') {
      dims += `[${e.count}]`;
      e = e.of;
    }
    const base = ctfName(e);
    return base.endsWith('*') ? `${base}${dims}` : `${base} ${dims}`;
  }
  if (t.alias === undefined && t.kind === 'pointer' && t.to.alias === undefined && t.to.kind === 'func') {
    // libctf writes the pointer's "(*)" and then the function's own "(*) (args)".
    const fn = t.to;
    const args = [...fn.params.map(ctfName), ...fn.varargs ? ['...'] : []];
    return `${ctfName(fn.ret)} (*)(*) (${args.join(', ')})`;
  }
  return t.name;
}

/** printName is a type's name as print( ) shows it: an anonymous `struct ` loses its trailing blank. */
function printName(t: Type): string {
  const n = ctfName(t);
  return n.endsWith(' ') ? n.slice(0, -1) : n;
}

/**
 * intSigned is an integer's sign as DTrace's type containers record it:
 * DTrace converts every one-byte kernel integer but _Bool into an
 * unsigned character type, so only D's own char types keep their sign.
 */
function intSigned(t: IntType): boolean {
  if (t.size === 1) return t === T.char || t === T.schar;
  return t.signed;
}

/** TypeDescriber describes types for print( ), each struct or union (under each name) once. */
class TypeDescriber {
  private readonly sous = new Map<SouDecl, Map<string, PrintType>>();

  describe(t: Type): PrintType {
    const name = printName(t);
    const r = resolved(t);
    // Element encodings exist only for integers, floats and enums named as such, not through typedefs or qualifiers.
    const encodable = t.name === r.name;
    switch (r.kind) {
      case 'int':
        return { k: 'int', name, size: r.size, bits: r.size * 8, signed: intSigned(r), char: name === 'char', encodable, charElem: r.size === 1 && r.name !== '_Bool' };
      case 'enum':
        return { k: 'enum', name, size: r.decl.size, values: [...r.decl.values].map(([n, v]) => [n, Number(BigInt.asIntN(32, v))] as const), encodable };
      case 'pointer':
        return { k: 'pointer', name, size: 8 };
      case 'array':
        return { k: 'array', name, size: sizeOf(r, 0), count: r.count, elem: this.describe(r.of) };
      case 'sou': {
        let byName = this.sous.get(r.decl);
        if (byName === undefined) this.sous.set(r.decl, byName = new Map());
        let d = byName.get(name);
        if (d === undefined) {
          d = { k: 'sou', name, size: r.decl.size, members: r.decl.members.map((m) => this.member(m)) };
          byName.set(name, d);
        }
        return d;
      }
      default:
        return { k: 'other', name, size: sizeOf(r, 0), encodable: encodable && r.kind === 'float' };
    }
  }

  /** member describes a member; a bit-field is an integer of its width named as the integer type it slices. */
  private member(m: Member): PrintMember {
    if (m.bits === undefined) return { name: m.name, bitOffset: m.bitOffset, type: this.describe(m.type) };
    const r = resolved(m.type);
    if (r.kind !== 'int') return { name: m.name, bitOffset: m.bitOffset, type: this.describe(r) };
    const type: PrintType = { k: 'int', name: r.name, size: bitFieldBytes(m.bits), bits: m.bits, signed: intSigned(r), char: m.bits === 8 && r.name === 'char', encodable: true, charElem: false };
    return { name: m.name, bitOffset: m.bitOffset, type };
  }
}

/** describePrintType describes the type print( ) formats a record of. */
export function describePrintType(t: Type): PrintType {
  return new TypeDescriber().describe(t);
}

/** readAddress evaluates an address argument into a plain number (not a BPF pointer) and picks the read helper for it. */
function readAddress(g: ExprGen, e: TExpr): { v: Val; helper: number } {
  // An alloca pointer is an offset into scratch: checked and made an address (codegen/alloca.ts).
  const v = isAllocaOffset(e) ? ptrArg(g, e) : g.gen(e);
  g.launder(v);
  const user = e.type.kind === 'pointer' && e.type.user;
  // probe_read reads kernel and user addresses alike on this architecture, as DTrace's own reads do.
  return { v, helper: user ? Helper.probe_read_user : Helper.probe_read };
}

/**
 * generated marks an error DTrace raises while generating a clause's code
 * (which it does right after checking the clause): the message names no
 * clause region.
 */
function generated(e: CompileError): CompileError {
  return e.inRegion('');
}

/** printTarget is what print( ) prints: what a pointer points to; a string as DTrace prints it, a char array of strsize; other arrays themselves. */
function printTarget(t: Type, strsize: number): Type {
  return t.kind === 'pointer' ? t.to : t.kind === 'string' ? arrayOf(T.char, strsize) : t;
}

/** checkPrint refuses print( ) of what has no size (D_PRINT_SIZE). */
export function checkPrint(_name: string, args: readonly TExpr[]): TExpr[] {
  const t = args[0].type;
  const target = printTarget(t, 1);
  if (sizeOf(resolved(target), 1) === 0 || t.kind !== 'pointer' && t.kind !== 'array' && t.kind !== 'string') {
    throw generated(new CompileError('D_PRINT_SIZE', `print( ) argument #1 reference has type '${ctfName(target)}' with size 0; cannot print( ) it.`, args[0].pos));
  }
  return [...args];
}

/** genPrint is print(p): the address, then the bytes it points to; a NULL pointer faults. */
export const genPrint: ActionGen = (cx, args) => {
  const a = args[0];
  // The clause's string width counts the NUL that the strsize option does not.
  const strsize = cx.g.cx.strsize - 1;
  const target = printTarget(a.type, strsize);
  const size = sizeOf(resolved(target), strsize);
  const g = cx.g;
  const f = g.f;
  const addr = cx.reserve(8);
  const data = cx.reserve(size);
  // An alloca pointer needs turning into its address first (docs/print.md, "Left for merging").
  const { v, helper } = readAddress(g, a);
  f.emit(stx(Size.DW, R9, addr.scratchOff, f.ra.use(v)));
  f.emit(st(Size.DW, R9, MS.faultAddr, 0));
  f.emit(jmp(JmpOp.JEQ, f.ra.use(v), 0, g.cx.faultLabel(Fault.BADADDR, f.pc, true)));
  f.ra.unpin();
  // As in DTrace, memory that cannot be read prints as zeros (the helper clears what it could not read).
  f.ra.release(f.call(helper, [{ scratch: data.scratchOff }, { imm: size }, v]));
  cx.item({
    kind: 'action', name: 'print',
    values: [{ ...addr.slot, kind: 'int' }, data.slot],
    desc: { kind: 'print', type: describePrintType(target) },
  });
};

/** posConst tells whether an argument is a non-zero positive integer constant (dt_node_is_posconst). */
function posConst(e: TExpr): e is TExpr & { k: 'int' } {
  if (e.k !== 'int' || e.value === 0n) return false;
  return !(e.type.kind === 'int' && e.type.signed) || BigInt.asIntN(64, e.value) > 0n;
}

/** checkTracemem wants an address and a positive constant size (D_TRACEMEM_ADDR, D_TRACEMEM_SIZE). */
export function checkTracemem(_name: string, args: readonly TExpr[]): TExpr[] {
  const [addr, nsiz] = args;
  if (!isIntegral(addr.type) && !isPointerLike(addr.type)) {
    throw generated(new CompileError('D_TRACEMEM_ADDR', `tracemem( ) argument #1 is incompatible with prototype:\n\tprototype: pointer or integer\n\t argument: ${addr.type.name}`, addr.pos));
  }
  if (!posConst(nsiz)) {
    throw generated(new CompileError('D_TRACEMEM_SIZE', 'tracemem( ) argument #2 must be a non-zero positive integral constant expression', nsiz.pos));
  }
  return [...args];
}

/** genTracemem is tracemem(addr, size[, dsize]): `size` bytes, of which the first dsize are printed. */
export const genTracemem: ActionGen = (cx, args) => {
  const [addr, nsiz, dsiz] = args;
  if (nsiz.k !== 'int') throw new Error('BUG: tracemem( ) size is not a constant');
  const n = Number(nsiz.value);
  const g = cx.g;
  const f = g.f;
  const bytes = cx.reserve(n);
  const { v, helper } = readAddress(g, addr);
  const values: Slot[] = [bytes.slot];
  let size: Val | { imm: number } = { imm: n };
  if (dsiz !== undefined) {
    const d = cx.record(dsiz);
    values.push(d);
    // Read no more than dsize bytes; a negative dsize (a huge unsigned one) reads all of them.
    const r = f.ra.alloc();
    const rr = f.ra.use(r);
    // dsize was just recorded: read it back from the record (which starts at scratchOff - offset of its slots).
    f.emit(ldx(sizeForBytes(d.size), rr, R9, bytes.scratchOff - bytes.slot.offset + d.offset));
    const ok = f.newLabel('tmsize');
    f.emit(jmp(JmpOp.JLE, rr, n, ok));
    f.emit(mov64(rr, n));
    f.label(ok);
    f.ra.unpin();
    size = r;
  }
  f.ra.release(f.call(helper, [{ scratch: bytes.scratchOff }, size, v]));
  cx.item({ kind: 'action', name: 'tracemem', values, desc: { kind: 'tracemem', dynamic: dsiz !== undefined } });
};
