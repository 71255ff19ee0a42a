// The BTF reader: parseBtf() wraps a BTF blob (e.g. the bytes of
// /sys/kernel/btf/vmlinux) in a Btf object the compiler queries for kernel
// types. It is pure (bytes in, no I/O) and lazy because vmlinux holds ~126k
// types and a D script usually needs a handful: parseBtf only checks the
// header; the first query builds one Uint32Array of record offsets in a single
// pass; names are read from the string section on demand; the name hash table
// is built on the first findType; a type is decoded into a view only when
// asked. Split BTF (kernel modules) is supported by passing the base Btf.

import {
  BTF_HEADER_LEN, BTF_KIND, BTF_KIND_MAX, BTF_MAGIC, BTF_VERSION, BtfError,
  KIND_NAMES, LINKAGE_NAMES,
} from './types.js';
import type {
  BtfEnumValue, BtfKindName, BtfLinkage, BtfMember, BtfParam, BtfRef, BtfType,
  BtfVarSecinfo, MemberLocation,
} from './types.js';
import { memberOffset, memberPath } from './members.js';
import { typeName } from './names.js';

const K = BTF_KIND;
/** BPF is a 64-bit machine and BTF does not record pointer width. */
const POINTER_SIZE = 8;
/** Bound on typedef/qualifier chains so a malformed cycle cannot hang us. */
const MAX_CHAIN = 64;

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Header fields, offsets made absolute (relative to the start of the blob). */
export interface BtfHeader {
  readonly version: number;
  readonly flags: number;
  readonly hdrLen: number;
  readonly typeStart: number;
  readonly typeLen: number;
  readonly strStart: number;
  readonly strLen: number;
}

/**
 * parseBtf validates the header of a little-endian BTF blob and returns a lazy
 * reader. Pass `base` for split BTF (module BTF refers to vmlinux's ids and
 * strings). The bytes are referenced, not copied (unless the type section is
 * misaligned), so the caller must not mutate them afterwards.
 */
export function parseBtf(bytes: Uint8Array, base?: Btf): Btf {
  if (!hostIsLittleEndian) throw new BtfError('BTF reader requires a little-endian host');
  if (bytes.length < BTF_HEADER_LEN) throw new BtfError(`BTF blob too short (${bytes.length} bytes)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint16(0, true);
  if (magic !== BTF_MAGIC) {
    const hint = magic === 0x9feb ? ' (big-endian BTF is not supported)' : '';
    throw new BtfError(`bad BTF magic 0x${magic.toString(16)}${hint}`);
  }
  const version = dv.getUint8(2);
  if (version !== BTF_VERSION) throw new BtfError(`unsupported BTF version ${version}`);
  const hdrLen = dv.getUint32(4, true);
  if (hdrLen < BTF_HEADER_LEN || hdrLen > bytes.length) throw new BtfError(`bad BTF header length ${hdrLen}`);
  const hdr: BtfHeader = {
    version,
    flags: dv.getUint8(3),
    hdrLen,
    typeStart: hdrLen + dv.getUint32(8, true),
    typeLen: dv.getUint32(12, true),
    strStart: hdrLen + dv.getUint32(16, true),
    strLen: dv.getUint32(20, true),
  };
  if (hdr.typeStart + hdr.typeLen > bytes.length || hdr.strStart + hdr.strLen > bytes.length) {
    throw new BtfError('BTF section extends past the end of the blob');
  }
  if (hdr.typeLen % 4 !== 0) throw new BtfError(`BTF type section length ${hdr.typeLen} is not a multiple of 4`);
  if (hdr.strLen > 0 && bytes[hdr.strStart + hdr.strLen - 1] !== 0) {
    throw new BtfError('BTF string section is not NUL-terminated');
  }
  return new Btf(bytes, hdr, base);
}

/** FNV-1a step; names are hashed byte-wise so indexing allocates no strings. */
function fnv(h: number, byte: number): number {
  return Math.imul(h ^ byte, 0x01000193);
}
const FNV_SEED = 0x811c9dc5 | 0;

const utf8 = new TextDecoder('utf-8');

/** Words after the 3-word btf_type header: fixed per kind, plus per vlen entry. */
const FIXED_WORDS = new Uint8Array(32);
const PER_VLEN_WORDS = new Uint8Array(32);
FIXED_WORDS[K.INT] = 1; // encoding word
FIXED_WORDS[K.VAR] = 1; // btf_var
FIXED_WORDS[K.DECL_TAG] = 1; // btf_decl_tag
FIXED_WORDS[K.ARRAY] = 3; // btf_array
PER_VLEN_WORDS[K.STRUCT] = 3; // btf_member
PER_VLEN_WORDS[K.UNION] = 3;
PER_VLEN_WORDS[K.DATASEC] = 3; // btf_var_secinfo
PER_VLEN_WORDS[K.ENUM64] = 3; // btf_enum64
PER_VLEN_WORDS[K.ENUM] = 2; // btf_enum
PER_VLEN_WORDS[K.FUNC_PROTO] = 2; // btf_param

/** Lookups answered by a linear scan before a group's hash table is worth building. */
const SCANS_BEFORE_TABLE = 4;

/** A chained hash table over one group of named records. */
interface NameTable {
  readonly head: Int32Array;
  readonly next: Int32Array;
  readonly locals: Uint32Array;
}

const utf8enc = new TextEncoder();

/** Ranking used by findType without a kind: real types, then objects, then the rest. */
function kindRank(k: number): number {
  switch (k) {
    case K.INT: case K.FLOAT: case K.TYPEDEF: case K.STRUCT: case K.UNION:
    case K.ENUM: case K.ENUM64:
      return 0;
    case K.FUNC: case K.VAR: case K.DATASEC:
      return 1;
    default:
      return 2;
  }
}

function kindMatches(k: number, want: BtfKindName | undefined): boolean {
  if (want === undefined) return true;
  // C spells both 32- and 64-bit enums `enum X`, so 'enum' finds either.
  if (want === 'enum') return k === K.ENUM || k === K.ENUM64;
  return KIND_NAMES[k] === want;
}

/** Btf answers type questions over one BTF blob (plus its base, if split). */
export class Btf {
  readonly header: BtfHeader;
  /** The vmlinux Btf a module's split BTF extends; undefined for vmlinux itself. */
  readonly base: Btf | undefined;
  /** Lowest type id this blob defines: 1, or base.typeCount for split BTF. */
  readonly firstId: number;
  /** Offset the first byte of this blob's strings has in the combined string space. */
  private readonly strBase: number;
  private readonly words: Uint32Array;
  private readonly strs: Uint8Array;
  /** offs[id - firstId] = word index of that type's record; built on first use. */
  private offs: Uint32Array | undefined;
  /** Local indexes (id - firstId) of named records, split so that the ~56k
   * FUNCs of vmlinux are only hashed when a function is looked up. */
  private namedTypes: Uint32Array | undefined;
  private namedFuncs: Uint32Array | undefined;
  private typeTable: NameTable | undefined;
  private funcTable: NameTable | undefined;
  private readonly views = new Map<number, BtfType>();
  private readonly strCache = new Map<number, string>();
  private readonly alignCache = new Map<number, number>();
  /** Name lookups answered by scanning, before the hash tables are built. */
  private scans = 0;

  constructor(bytes: Uint8Array, header: BtfHeader, base?: Btf) {
    this.header = header;
    this.base = base;
    this.firstId = base ? base.typeCount : 1;
    this.strBase = base ? base.strEnd : 0;
    const abs = bytes.byteOffset + header.typeStart;
    if (abs % 4 === 0) {
      this.words = new Uint32Array(bytes.buffer, abs, header.typeLen / 4);
    } else {
      // Typed arrays need natural alignment; a copy of the type section is cheap.
      this.words = new Uint32Array(header.typeLen / 4);
      new Uint8Array(this.words.buffer).set(bytes.subarray(header.typeStart, header.typeStart + header.typeLen));
    }
    this.strs = bytes.subarray(header.strStart, header.strStart + header.strLen);
  }

  /** End of this blob's strings in the combined (base + split) string space. */
  get strEnd(): number {
    return this.strBase + this.strs.length;
  }

  /** Number of type ids, counting void (0) and any base types: valid ids are 0..typeCount-1. */
  get typeCount(): number {
    return this.firstId + this.index().length;
  }

  // ---- index ---------------------------------------------------------------

  /**
   * index builds the id → record offset table in one pass over the type
   * section, noting on the way which records have names. Record sizes come
   * from two small tables rather than a switch: this loop runs cold (before
   * V8 optimizes it), where fewer bytecodes per record is what counts.
   */
  private index(): Uint32Array {
    if (this.offs) return this.offs;
    const w = this.words;
    const n = w.length;
    // Every record is at least 3 words, which bounds the count.
    const max = Math.floor(n / 3) + 1;
    const offs = new Uint32Array(max);
    const types = new Uint32Array(max);
    const funcs = new Uint32Array(max);
    let count = 0;
    let nt = 0;
    let nf = 0;
    let p = 0;
    while (p < n) {
      const info = w[p + 1]!;
      const kind = (info >>> 24) & 0x1f;
      if (kind > BTF_KIND_MAX || kind === 0) {
        throw new BtfError(`type id ${this.firstId + count}: unknown BTF kind ${kind}`);
      }
      if (w[p] !== 0) {
        if (kind === K.FUNC) funcs[nf++] = count;
        else types[nt++] = count;
      }
      offs[count++] = p;
      p += 3 + FIXED_WORDS[kind]! + PER_VLEN_WORDS[kind]! * (info & 0xffff);
    }
    if (p !== n) throw new BtfError(`truncated BTF type record for id ${this.firstId + count - 1}`);
    this.namedTypes = types.slice(0, nt);
    this.namedFuncs = funcs.slice(0, nf);
    this.offs = offs.slice(0, count);
    return this.offs;
  }

  /** rec returns the word index of a locally defined id's record. */
  private rec(id: number): number {
    const offs = this.index();
    const i = id - this.firstId;
    if (!Number.isInteger(id) || i < 0 || i >= offs.length) {
      throw new BtfError(`BTF type id ${id} out of range (0..${this.firstId + offs.length - 1})`);
    }
    return offs[i]!;
  }

  /** Owner of an id: this blob or (for split BTF) a base. */
  private owner(id: number): Btf {
    let b: Btf = this;
    while (id < b.firstId && b.base) b = b.base;
    return b;
  }

  // ---- strings -------------------------------------------------------------

  /** str returns the NUL-terminated string at a string-section offset. */
  str(off: number): string {
    if (off < this.strBase && this.base) return this.base.str(off);
    const cached = this.strCache.get(off);
    if (cached !== undefined) return cached;
    const s = this.strs;
    const start = off - this.strBase;
    if (start < 0 || start >= s.length) {
      if (off === 0) return '';
      throw new BtfError(`BTF string offset ${off} out of range`);
    }
    let end = start;
    let ascii = true;
    while (end < s.length && s[end] !== 0) {
      if (s[end]! >= 0x80) ascii = false;
      end++;
    }
    // Kernel names are ASCII; fromCharCode beats TextDecoder for short strings.
    const out = ascii && end - start < 4096 ? String.fromCharCode(...s.subarray(start, end)) : utf8.decode(s.subarray(start, end));
    this.strCache.set(off, out);
    return out;
  }

  /** The string bytes and local start for an offset, following split BTF to its base. */
  private strBytes(off: number): { s: Uint8Array; at: number } {
    if (off < this.strBase && this.base) return this.base.strBytes(off);
    return { s: this.strs, at: off - this.strBase };
  }

  // ---- cheap per-id accessors (no decoding) -----------------------------------

  /** kindNum returns the numeric BTF kind of an id (0 for void). */
  kindNum(id: number): number {
    if (id === 0) return K.UNKN;
    const b = this.owner(id);
    return (b.words[b.rec(id) + 1]! >>> 24) & 0x1f;
  }

  /** kindOf returns the kind name of an id without decoding the type. */
  kindOf(id: number): BtfKindName {
    return KIND_NAMES[this.kindNum(id)]!;
  }

  /** nameOf returns the name of an id ('' for anonymous types and void). */
  nameOf(id: number): string {
    if (id === 0) return '';
    const b = this.owner(id);
    return b.str(b.words[b.rec(id)]!);
  }

  /** refTarget returns the size/type word, i.e. the target of ptr/typedef/qualifier/func/var. */
  private refTarget(id: number): number {
    const b = this.owner(id);
    return b.words[b.rec(id) + 2]!;
  }

  // ---- name lookup ------------------------------------------------------------

  /** table builds (once) the hash table over one group of named records. */
  private table(funcs: boolean): NameTable {
    const have = funcs ? this.funcTable : this.typeTable;
    if (have) return have;
    const offs = this.index();
    const locals = (funcs ? this.namedFuncs : this.namedTypes)!;
    const w = this.words;
    let size = 256;
    while (size < locals.length * 2) size *= 2;
    const mask = size - 1;
    const head = new Int32Array(size);
    const next = new Int32Array(locals.length);
    // Walk downwards and prepend, so every chain lists ids in ascending order.
    // Slots hold list position + 1 so that 0 can mean "empty".
    for (let i = locals.length - 1; i >= 0; i--) {
      const h = this.hashAt(w[offs[locals[i]!]!]!) & mask;
      next[i] = head[h]!;
      head[h] = i + 1;
    }
    const t: NameTable = { head, next, locals };
    if (funcs) this.funcTable = t;
    else this.typeTable = t;
    return t;
  }

  private hashAt(off: number): number {
    if (off < this.strBase && this.base) return this.base.hashAt(off);
    const s = this.strs;
    const at = off - this.strBase;
    let h = FNV_SEED;
    for (let i = at; i < s.length; i++) {
      const c = s[i]!;
      if (c === 0) break;
      h = fnv(h, c);
    }
    return h;
  }

  private nameEquals(off: number, q: Uint8Array): boolean {
    const { s, at } = this.strBytes(off);
    // The name plus its terminator must fit inside the section.
    if (at < 0 || at + q.length >= s.length) return false;
    for (let i = 0; i < q.length; i++) if (s[at + i] !== q[i]) return false;
    return s[at + q.length] === 0;
  }

  /** Ids defined in this blob (not the base) named `name`, ascending, from one group. */
  private localMatches(q: Uint8Array, hash: number, kind: BtfKindName | undefined, funcs: boolean, out: number[]): void {
    const w = this.words;
    const offs = this.index();
    // A few lookups are cheaper as scans than building the hash table over
    // every name: a script naming one kernel type never hashes 70k names.
    if ((funcs ? this.funcTable : this.typeTable) === undefined && this.scans < SCANS_BEFORE_TABLE) {
      this.scans++;
      this.scanMatches(q, kind, (funcs ? this.namedFuncs : this.namedTypes)!, out);
      return;
    }
    const { head, next, locals } = this.table(funcs);
    for (let e = head[hash & (head.length - 1)]!; e !== 0; e = next[e - 1]!) {
      const p = offs[locals[e - 1]!]!;
      const k = (w[p + 1]! >>> 24) & 0x1f;
      if (kindMatches(k, kind) && this.nameEquals(w[p]!, q)) out.push(this.firstId + locals[e - 1]!);
    }
  }

  /** scanMatches compares `q` with the name of every record in `locals` (ascending ids). */
  private scanMatches(q: Uint8Array, kind: BtfKindName | undefined, locals: Uint32Array, out: number[]): void {
    const w = this.words;
    const offs = this.offs!;
    const s = this.strs;
    const base = this.strBase;
    const q0 = q[0];
    for (let i = 0; i < locals.length; i++) {
      const p = offs[locals[i]!]!;
      const at = w[p]! - base;
      if (at < 0 ? this.base === undefined : s[at] !== q0) continue;
      const k = (w[p + 1]! >>> 24) & 0x1f;
      if (kindMatches(k, kind) && this.nameEquals(w[p]!, q)) out.push(this.firstId + locals[i]!);
    }
  }

  /** matches collects ids named `name` from the chosen groups of this blob and its bases. */
  private matches(name: string, kind: BtfKindName | undefined, groups: readonly boolean[]): number[] {
    const q = utf8enc.encode(name);
    let h = FNV_SEED;
    for (let i = 0; i < q.length; i++) h = fnv(h, q[i]!);
    const out: number[] = [];
    const chain: Btf[] = [];
    for (let b: Btf | undefined = this; b; b = b.base) chain.unshift(b);
    for (const b of chain) for (const g of groups) b.localMatches(q, h, kind, g, out);
    // Ids of different groups interleave; callers expect ascending ids.
    return groups.length > 1 ? out.sort((x, y) => x - y) : out;
  }

  /** findTypes returns every id named `name` (optionally of one kind), ascending. */
  findTypes(name: string, kind?: BtfKindName): number[] {
    if (name === '') return [];
    return this.matches(name, kind, kind === 'func' ? [true] : kind === undefined ? [false, true] : [false]);
  }

  /**
   * findType returns the id of the type called `name`, or undefined. With a
   * kind, the lowest such id of that kind ('enum' also matches enum64). Without
   * one, complete types win over functions/variables, which win over forward
   * declarations and tags, so 'task_struct' finds the struct, not a fwd.
   * Functions are only searched when no complete type has the name, which
   * keeps their (large) table unbuilt for ordinary type lookups.
   */
  findType(name: string, kind?: BtfKindName): number | undefined {
    if (name === '') return undefined;
    if (kind !== undefined) return this.findTypes(name, kind)[0];
    let ids = this.matches(name, undefined, [false]);
    if (!ids.some((id) => kindRank(this.kindNum(id)) === 0)) ids = this.findTypes(name);
    let best: number | undefined;
    let bestRank = Infinity;
    for (const id of ids) {
      const r = kindRank(this.kindNum(id));
      if (r < bestRank) { best = id; bestRank = r; }
    }
    return best;
  }

  // ---- decoding -----------------------------------------------------------------

  /** type decodes id into a view; views are cached, so repeated calls are cheap. */
  type(id: number): BtfType {
    if (id === 0) return { kind: 'void', id: 0, name: '' };
    const b = this.owner(id);
    if (b !== this) return b.type(id);
    const hit = this.views.get(id);
    if (hit) return hit;
    const v = this.decode(id);
    this.views.set(id, v);
    return v;
  }

  private decode(id: number): BtfType {
    const w = this.words;
    const p = this.rec(id);
    const name = this.str(w[p]!);
    const info = w[p + 1]!;
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const kflag = info >>> 31 === 1;
    const st = w[p + 2]!; // size or type, by kind
    const q = p + 3; // kind-specific data
    switch (kind) {
      case K.INT: {
        const d = w[q]!;
        const enc = (d >>> 24) & 0x0f;
        return {
          kind: 'int', id, name, size: st, bits: d & 0xff, bitOffset: (d >>> 16) & 0xff,
          signed: (enc & 1) !== 0, char: (enc & 2) !== 0, bool: (enc & 4) !== 0,
        };
      }
      case K.PTR: case K.TYPEDEF: case K.VOLATILE: case K.CONST: case K.RESTRICT: case K.TYPE_TAG:
        return { kind: KIND_NAMES[kind] as BtfRef['kind'], id, name, type: st, attribute: kflag };
      case K.ARRAY:
        return { kind: 'array', id, name, elemType: w[q]!, indexType: w[q + 1]!, nelems: w[q + 2]! };
      case K.STRUCT: case K.UNION: {
        const members: BtfMember[] = [];
        for (let i = 0; i < vlen; i++) {
          const m = q + 3 * i;
          const typeId = w[m + 1]!;
          const raw = w[m + 2]!;
          let bitOffset = kflag ? raw & 0xffffff : raw;
          let bitfieldSize = kflag ? raw >>> 24 : 0;
          if (!kflag) {
            // Old encoding: a bitfield is a member whose int type is narrower than its storage.
            // Read the int's words directly: decoding every member type here
            // would cascade into decoding whole nested structs.
            const r = this.resolve(typeId);
            if (this.kindNum(r) === K.INT) {
              const o = this.owner(r);
              const rp = o.rec(r);
              const size = o.words[rp + 2]!;
              const d = o.words[rp + 3]!;
              const bits = d & 0xff;
              const extra = (d >>> 16) & 0xff;
              if (bits !== size * 8 || extra !== 0) {
                bitfieldSize = bits;
                bitOffset += extra;
              }
            }
          }
          members.push({ name: this.str(w[m]!), typeId, bitOffset, bitfieldSize });
        }
        return { kind: kind === K.STRUCT ? 'struct' : 'union', id, name, size: st, members };
      }
      case K.ENUM: case K.ENUM64: {
        const values: BtfEnumValue[] = [];
        const stride = kind === K.ENUM ? 2 : 3;
        for (let i = 0; i < vlen; i++) {
          const e = q + stride * i;
          let value: bigint;
          if (kind === K.ENUM) {
            value = BigInt(kflag ? w[e + 1]! | 0 : w[e + 1]!);
          } else {
            value = (BigInt(w[e + 2]!) << 32n) | BigInt(w[e + 1]!);
            if (kflag) value = BigInt.asIntN(64, value);
          }
          values.push({ name: this.str(w[e]!), value });
        }
        return { kind: kind === K.ENUM ? 'enum' : 'enum64', id, name, size: st, signed: kflag, values };
      }
      case K.FWD:
        return { kind: 'fwd', id, name, union: kflag };
      case K.FUNC:
        return { kind: 'func', id, name, type: st, linkage: linkage(vlen, id) };
      case K.FUNC_PROTO: {
        const params: BtfParam[] = [];
        let variadic = false;
        for (let i = 0; i < vlen; i++) {
          const a = q + 2 * i;
          if (i === vlen - 1 && w[a] === 0 && w[a + 1] === 0) { variadic = true; break; }
          params.push({ name: this.str(w[a]!), typeId: w[a + 1]! });
        }
        return { kind: 'func_proto', id, name, returnType: st, params, variadic };
      }
      case K.VAR:
        return { kind: 'var', id, name, type: st, linkage: linkage(w[q]!, id) };
      case K.DATASEC: {
        const vars: BtfVarSecinfo[] = [];
        for (let i = 0; i < vlen; i++) {
          const v = q + 3 * i;
          vars.push({ typeId: w[v]!, offset: w[v + 1]!, size: w[v + 2]! });
        }
        return { kind: 'datasec', id, name, size: st, vars };
      }
      case K.FLOAT:
        return { kind: 'float', id, name, size: st };
      case K.DECL_TAG:
        return { kind: 'decl_tag', id, name, type: st, componentIdx: w[q]! | 0, attribute: kflag };
      default:
        throw new BtfError(`type id ${id}: unknown BTF kind ${kind} (max ${BTF_KIND_MAX})`);
    }
  }

  // ---- layout queries -------------------------------------------------------------

  /** resolve skips typedefs, const/volatile/restrict and type tags. */
  resolve(id: number): number {
    for (let n = 0; n < MAX_CHAIN; n++) {
      const k = this.kindNum(id);
      if (k !== K.TYPEDEF && k !== K.CONST && k !== K.VOLATILE && k !== K.RESTRICT && k !== K.TYPE_TAG) return id;
      id = this.refTarget(id);
    }
    throw new BtfError(`BTF type chain too long or cyclic at id ${id}`);
  }

  /** sizeof returns the size in bytes, as C's sizeof; throws for void, functions and fwds. */
  sizeof(id: number): number {
    for (let n = 0; n < MAX_CHAIN; n++) {
      const k = this.kindNum(id);
      switch (k) {
        case K.INT: case K.ENUM: case K.ENUM64: case K.STRUCT: case K.UNION: case K.FLOAT: case K.DATASEC:
          return this.refTarget(id);
        case K.PTR:
          return POINTER_SIZE;
        case K.ARRAY: {
          const t = this.type(id);
          if (t.kind !== 'array') break;
          return t.nelems * this.sizeof(t.elemType);
        }
        case K.TYPEDEF: case K.CONST: case K.VOLATILE: case K.RESTRICT: case K.TYPE_TAG: case K.VAR:
          id = this.refTarget(id);
          continue;
      }
      throw new BtfError(`sizeof: BTF type ${id} (${KIND_NAMES[k]} ${this.nameOf(id) || '<anon>'}) has no size`);
    }
    throw new BtfError(`BTF type chain too long or cyclic at id ${id}`);
  }

  /**
   * alignof returns the x86-64/arm64 ABI alignment. BTF does not record
   * __packed, so an aggregate whose size or members contradict natural
   * alignment is reported as 1-aligned.
   */
  alignof(id: number): number {
    id = this.resolve(id);
    const hit = this.alignCache.get(id);
    if (hit !== undefined) return hit;
    const t = this.type(id);
    let a: number;
    switch (t.kind) {
      case 'int': case 'float': case 'enum': case 'enum64':
        a = Math.min(Math.max(t.size, 1), 16);
        break;
      case 'ptr':
        a = POINTER_SIZE;
        break;
      case 'array':
        a = this.alignof(t.elemType);
        break;
      case 'struct': case 'union': {
        a = 1;
        let packed = false;
        for (const m of t.members) {
          const ma = this.alignof(m.typeId);
          if (m.bitfieldSize === 0 && m.bitOffset % (ma * 8) !== 0) packed = true;
          a = Math.max(a, ma);
        }
        if (packed || t.size % a !== 0) a = 1;
        break;
      }
      default:
        throw new BtfError(`alignof: BTF type ${id} (${t.kind}) has no alignment`);
    }
    this.alignCache.set(id, a);
    return a;
  }

  /** pointerSize is the size of every BTF pointer (BPF is 64-bit). */
  get pointerSize(): number {
    return POINTER_SIZE;
  }

  /**
   * memberOffset locates `path` ('real_parent', 'se.vruntime', 'comm[1]')
   * inside a struct/union given by name or id, descending into anonymous
   * members as C does. It throws if the path goes through a pointer: use
   * memberPath for that.
   */
  memberOffset(root: string | number, path: string): MemberLocation {
    return memberOffset(this, root, path);
  }

  /**
   * memberPath is memberOffset that may cross pointers ('mm.arg_start' or
   * 'mm->arg_start'): one location per object, each relative to the object
   * the previous hop's pointer points at.
   */
  memberPath(root: string | number, path: string): MemberLocation[] {
    return memberPath(this, root, path);
  }

  /** typeName renders a type as C would declare it: "struct task_struct *", "char [16]". */
  typeName(id: number): string {
    return typeName(this, id);
  }
}

function linkage(v: number, id: number): BtfLinkage {
  const l = LINKAGE_NAMES[v];
  if (l === undefined) throw new BtfError(`type id ${id}: bad linkage ${v}`);
  return l;
}
