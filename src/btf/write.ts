// A small BTF writer: builds a blob (24-byte header, type section, string
// section) that BPF_BTF_LOAD accepts. The project needs it to give the kernel
// func_info for BPF subprograms (bpf_loop callbacks must be described by a
// FUNC whose FUNC_PROTO the verifier checks), and it doubles as the fixture
// generator for the reader's tests. Type ids are handed out in call order
// starting at 1; strings are deduplicated.

import {
  BTF_HEADER_LEN, BTF_INT_BOOL, BTF_INT_CHAR, BTF_INT_SIGNED, BTF_KIND, BTF_MAGIC,
  BTF_VERSION, BtfError, LINKAGE_NAMES,
} from './types.js';
import type { BtfLinkage } from './types.js';

const utf8 = new TextEncoder();

export interface IntOptions {
  readonly signed?: boolean;
  readonly char?: boolean;
  readonly bool?: boolean;
  /** Value bits; defaults to size * 8. */
  readonly bits?: number;
}

export interface MemberSpec {
  readonly name: string;
  readonly typeId: number;
  readonly bitOffset: number;
  /** Non-zero makes this a bitfield (and the aggregate uses kind_flag encoding). */
  readonly bitfieldSize?: number;
}

export interface ParamSpec {
  /** Omit or '' for an unnamed parameter. */
  readonly name?: string;
  readonly typeId: number;
}

/** BtfWriter accumulates types and strings, then serializes with toBytes(). */
export class BtfWriter {
  private readonly words: number[] = [];
  private readonly strings: string[];
  private readonly strOffsets = new Map<string, number>([['', 0]]);
  /** Bytes in this blob's string section. */
  private strLen: number;
  /** Where this blob's strings start in the combined string space (split BTF). */
  private readonly strBase: number;
  private nextId: number;

  /**
   * Without options the blob is standalone. With `base` it is split BTF on top
   * of that base (as module BTF is on vmlinux): ids continue after the base's,
   * string offsets continue after its strings, and '' still means offset 0.
   */
  constructor(opts: { base?: { readonly typeCount: number; readonly strEnd: number } } = {}) {
    const base = opts.base;
    this.nextId = base ? base.typeCount : 1;
    this.strBase = base ? base.strEnd : 0;
    // A base blob's string section must start with the empty string; a split one need not.
    this.strings = base ? [] : [''];
    this.strLen = base ? 0 : 1;
  }

  /** Next id to be handed out: the type count, counting void (and a split blob's base). */
  get typeCount(): number {
    return this.nextId;
  }

  /** addString interns a string and returns its offset in the string section. */
  addString(s: string): number {
    const hit = this.strOffsets.get(s);
    if (hit !== undefined) return hit;
    if (s.includes('\0')) throw new BtfError('BTF strings cannot contain NUL');
    const off = this.strBase + this.strLen;
    this.strings.push(s);
    this.strOffsets.set(s, off);
    this.strLen += utf8.encode(s).length + 1;
    return off;
  }

  private push(name: string, kind: number, vlen: number, kflag: boolean, sizeOrType: number, extra: readonly number[]): number {
    if (vlen < 0 || vlen > 0xffff) throw new BtfError(`BTF vlen ${vlen} out of range`);
    checkU32(sizeOrType, 'size/type');
    const info = ((kflag ? 1 : 0) << 31 | kind << 24 | vlen) >>> 0;
    this.words.push(this.addString(name), info, sizeOrType, ...extra);
    return this.nextId++;
  }

  addInt(name: string, size: number, opts: IntOptions = {}): number {
    const bits = opts.bits ?? size * 8;
    if (![1, 2, 4, 8, 16].includes(size) || bits < 1 || bits > size * 8) {
      throw new BtfError(`bad BTF int ${name}: size ${size}, bits ${bits}`);
    }
    const enc = (opts.signed ? BTF_INT_SIGNED : 0) | (opts.char ? BTF_INT_CHAR : 0) | (opts.bool ? BTF_INT_BOOL : 0);
    return this.push(name, BTF_KIND.INT, 0, false, size, [(enc << 24 | bits) >>> 0]);
  }

  addFloat(name: string, size: number): number {
    return this.push(name, BTF_KIND.FLOAT, 0, false, size, []);
  }

  addPtr(target: number): number {
    return this.push('', BTF_KIND.PTR, 0, false, target, []);
  }

  addTypedef(name: string, target: number): number {
    return this.push(name, BTF_KIND.TYPEDEF, 0, false, target, []);
  }

  addConst(target: number): number {
    return this.push('', BTF_KIND.CONST, 0, false, target, []);
  }

  addVolatile(target: number): number {
    return this.push('', BTF_KIND.VOLATILE, 0, false, target, []);
  }

  addRestrict(target: number): number {
    return this.push('', BTF_KIND.RESTRICT, 0, false, target, []);
  }

  addTypeTag(name: string, target: number): number {
    return this.push(name, BTF_KIND.TYPE_TAG, 0, false, target, []);
  }

  addDeclTag(name: string, target: number, componentIdx = -1): number {
    return this.push(name, BTF_KIND.DECL_TAG, 0, false, target, [componentIdx >>> 0]);
  }

  addArray(elemType: number, indexType: number, nelems: number): number {
    checkU32(nelems, 'nelems');
    return this.push('', BTF_KIND.ARRAY, 0, false, 0, [elemType, indexType, nelems]);
  }

  addStruct(name: string, size: number, members: readonly MemberSpec[]): number {
    return this.aggregate(BTF_KIND.STRUCT, name, size, members);
  }

  addUnion(name: string, size: number, members: readonly MemberSpec[]): number {
    return this.aggregate(BTF_KIND.UNION, name, size, members);
  }

  private aggregate(kind: number, name: string, size: number, members: readonly MemberSpec[]): number {
    // kind_flag encoding is only needed (and only used) when there are bitfields.
    const kflag = members.some((m) => (m.bitfieldSize ?? 0) !== 0);
    const extra: number[] = [];
    for (const m of members) {
      const bf = m.bitfieldSize ?? 0;
      if (kflag && (m.bitOffset > 0xffffff || bf > 0xff)) throw new BtfError(`member ${m.name}: offset/bitfield too large`);
      extra.push(this.addString(m.name), m.typeId, kflag ? (bf << 24 | m.bitOffset) >>> 0 : m.bitOffset);
    }
    return this.push(name, kind, members.length, kflag, size, extra);
  }

  addEnum(name: string, values: readonly { name: string; value: number | bigint }[], signed = false, size = 4): number {
    const extra: number[] = [];
    for (const v of values) extra.push(this.addString(v.name), Number(BigInt.asUintN(32, BigInt(v.value))));
    return this.push(name, BTF_KIND.ENUM, values.length, signed, size, extra);
  }

  addEnum64(name: string, values: readonly { name: string; value: bigint }[], signed = false, size = 8): number {
    const extra: number[] = [];
    for (const v of values) {
      const u = BigInt.asUintN(64, v.value);
      extra.push(this.addString(v.name), Number(u & 0xffffffffn), Number(u >> 32n));
    }
    return this.push(name, BTF_KIND.ENUM64, values.length, signed, size, extra);
  }

  addFwd(name: string, union = false): number {
    return this.push(name, BTF_KIND.FWD, 0, union, 0, []);
  }

  /** addFuncProto describes a signature; variadic appends the {0,0} marker. */
  addFuncProto(returnType: number, params: readonly ParamSpec[], variadic = false): number {
    const extra: number[] = [];
    for (const p of params) extra.push(this.addString(p.name ?? ''), p.typeId);
    if (variadic) extra.push(0, 0);
    return this.push('', BTF_KIND.FUNC_PROTO, extra.length / 2, false, returnType, extra);
  }

  /** addFunc names a subprogram; linkage is stored in vlen. */
  addFunc(name: string, protoId: number, linkage: BtfLinkage = 'static'): number {
    return this.push(name, BTF_KIND.FUNC, LINKAGE_NAMES.indexOf(linkage), false, protoId, []);
  }

  addVar(name: string, typeId: number, linkage: BtfLinkage = 'static'): number {
    return this.push(name, BTF_KIND.VAR, 0, false, typeId, [LINKAGE_NAMES.indexOf(linkage)]);
  }

  addDatasec(name: string, size: number, vars: readonly { typeId: number; offset: number; size: number }[]): number {
    const extra: number[] = [];
    for (const v of vars) extra.push(v.typeId, v.offset, v.size);
    return this.push(name, BTF_KIND.DATASEC, vars.length, false, size, extra);
  }

  /** toBytes serializes: header, then types at type_off 0, then strings right after. */
  toBytes(): Uint8Array {
    const typeLen = this.words.length * 4;
    const out = new Uint8Array(BTF_HEADER_LEN + typeLen + this.strLen);
    const dv = new DataView(out.buffer);
    dv.setUint16(0, BTF_MAGIC, true);
    dv.setUint8(2, BTF_VERSION);
    dv.setUint8(3, 0);
    dv.setUint32(4, BTF_HEADER_LEN, true);
    dv.setUint32(8, 0, true); // type_off, relative to the header's end
    dv.setUint32(12, typeLen, true);
    dv.setUint32(16, typeLen, true); // str_off
    dv.setUint32(20, this.strLen, true);
    let p = BTF_HEADER_LEN;
    for (const w of this.words) {
      dv.setUint32(p, w, true);
      p += 4;
    }
    for (const s of this.strings) {
      p += utf8.encodeInto(s, out.subarray(p)).written + 1; // the array is zeroed, so the NUL is already there
    }
    return out;
  }
}

function checkU32(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new BtfError(`BTF ${what} ${v} out of range`);
}
