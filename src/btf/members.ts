// Member lookup for Btf.memberOffset/memberPath: turns a C member path such
// as 'real_parent', 'se.vruntime', 'comm[2]' or 'mm->arg_start' into byte and
// bit offsets, descending into anonymous struct/union members the way C name
// lookup does (so 'task_struct.__state'-style fields hidden in anonymous
// unions are found by their plain name).

import { BTF_KIND, BtfError } from './types.js';
import type { BtfMember, MemberLocation } from './types.js';
import type { Btf } from './btf.js';

/** One step of a member path. */
type Step =
  | { readonly op: 'member'; readonly name: string; readonly arrow: boolean }
  | { readonly op: 'index'; readonly index: number };

/** A member found by name and its bit offset from the start of the searched aggregate. */
export interface FoundMember {
  readonly member: BtfMember;
  readonly bitOffset: number;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

/** parsePath splits "a.b->c[3]" into steps; the leading member has no separator. */
function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  let s = path.trim();
  let sep: '' | '.' | '->' = '';
  while (s.length > 0) {
    if (s.startsWith('[')) {
      const m = /^\[\s*(0x[0-9a-fA-F]+|\d+)\s*\]/.exec(s);
      if (!m || steps.length === 0) throw new BtfError(`bad member path '${path}'`);
      steps.push({ op: 'index', index: Number(m[1]) });
      s = s.slice(m[0].length);
      continue;
    }
    if (steps.length > 0) {
      if (s.startsWith('.')) sep = '.';
      else if (s.startsWith('->')) sep = '->';
      else throw new BtfError(`bad member path '${path}'`);
      s = s.slice(sep.length).trimStart();
    }
    const m = IDENT.exec(s);
    if (!m) throw new BtfError(`bad member path '${path}'`);
    steps.push({ op: 'member', name: m[0], arrow: sep === '->' });
    s = s.slice(m[0].length).trimStart();
  }
  if (steps.length === 0) throw new BtfError('empty member path');
  return steps;
}

/**
 * findMember looks `name` up in the struct/union `compositeId` (already
 * resolved), searching anonymous members recursively as C does.
 */
export function findMember(btf: Btf, compositeId: number, name: string): FoundMember | undefined {
  const t = btf.type(compositeId);
  if (t.kind !== 'struct' && t.kind !== 'union') return undefined;
  for (const m of t.members) {
    if (m.name === name) return { member: m, bitOffset: m.bitOffset };
    if (m.name === '') {
      const inner = findMember(btf, btf.resolve(m.typeId), name);
      if (inner) return { member: inner.member, bitOffset: m.bitOffset + inner.bitOffset };
    }
  }
  return undefined;
}

/** rootAggregate turns 'task_struct', 'struct task_struct', a typedef name or an id into a struct/union id. */
function rootAggregate(btf: Btf, root: string | number): number {
  let id: number | undefined;
  if (typeof root === 'number') {
    id = btf.resolve(root);
  } else {
    const m = /^\s*(struct|union)\s+([A-Za-z_]\w*)\s*$/.exec(root);
    if (m) {
      id = btf.findType(m[2]!, m[1] as 'struct' | 'union');
    } else {
      const name = root.trim();
      id = btf.findType(name, 'struct') ?? btf.findType(name, 'union');
      if (id === undefined) {
        const td = btf.findType(name, 'typedef');
        if (td !== undefined) id = btf.resolve(td);
      }
    }
    if (id === undefined) throw new BtfError(`no struct or union named '${root}' in BTF`);
  }
  const k = btf.kindNum(id);
  if (k !== BTF_KIND.STRUCT && k !== BTF_KIND.UNION) {
    throw new BtfError(`'${btf.typeName(id)}' is not a struct or union`);
  }
  return id;
}

function location(bits: number, typeId: number, bitfieldSize: number): MemberLocation {
  const offsetBytes = Math.floor(bits / 8);
  if (bitfieldSize === 0) return { offsetBytes, bitOffset: bits, typeId };
  return { offsetBytes, bitOffset: bits, typeId, bitfield: { bitOffset: bits - offsetBytes * 8, bits: bitfieldSize } };
}

/** walk follows the steps; each pointer crossed starts a new hop (or is an error). */
function walk(btf: Btf, root: string | number, path: string, followPointers: boolean): MemberLocation[] {
  const rootId = rootAggregate(btf, root);
  const steps = parsePath(path);
  const hops: MemberLocation[] = [];
  let cur = rootId;
  let bits = 0;
  let bitfieldSize = 0;
  let sofar = '';
  const deref = (ptrId: number): number => {
    if (!followPointers) {
      throw new BtfError(`'${sofar}' in ${btf.typeName(rootId)} is a pointer; memberOffset does not follow pointers (use memberPath)`);
    }
    hops.push(location(bits, cur, 0));
    const t = btf.type(ptrId);
    return t.kind === 'ptr' ? t.type : 0;
  };
  for (const step of steps) {
    if (bitfieldSize !== 0) throw new BtfError(`'${sofar}' in ${btf.typeName(rootId)} is a bitfield`);
    let r = btf.resolve(cur);
    if (step.op === 'member') {
      if (btf.kindNum(r) === BTF_KIND.PTR && sofar !== '') {
        r = btf.resolve(deref(r));
        bits = 0;
      } else if (step.arrow) {
        throw new BtfError(`'->' applied to non-pointer '${sofar}' in ${btf.typeName(rootId)}`);
      }
      const k = btf.kindNum(r);
      if (k !== BTF_KIND.STRUCT && k !== BTF_KIND.UNION) {
        throw new BtfError(`'${sofar}' in ${btf.typeName(rootId)} is not a struct or union (it is ${btf.typeName(cur)})`);
      }
      const f = findMember(btf, r, step.name);
      if (!f) throw new BtfError(`${btf.typeName(r)} has no member named '${step.name}'`);
      bits += f.bitOffset;
      cur = f.member.typeId;
      bitfieldSize = f.member.bitfieldSize;
      sofar += (sofar === '' ? '' : step.arrow ? '->' : '.') + step.name;
    } else {
      const t = btf.type(r);
      if (t.kind === 'array') {
        bits += step.index * btf.sizeof(t.elemType) * 8;
        cur = t.elemType;
      } else if (t.kind === 'ptr') {
        const target = deref(r);
        bits = step.index * btf.sizeof(target) * 8;
        cur = target;
      } else {
        throw new BtfError(`'${sofar}' in ${btf.typeName(rootId)} is not an array or pointer`);
      }
      sofar += `[${step.index}]`;
    }
  }
  hops.push(location(bits, cur, bitfieldSize));
  return hops;
}

/** memberOffset: see Btf.memberOffset. */
export function memberOffset(btf: Btf, root: string | number, path: string): MemberLocation {
  return walk(btf, root, path, false)[0]!;
}

/** memberPath: see Btf.memberPath. */
export function memberPath(btf: Btf, root: string | number, path: string): MemberLocation[] {
  return walk(btf, root, path, true);
}
