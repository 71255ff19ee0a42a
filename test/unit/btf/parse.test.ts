// Tests for the BTF reader on small synthetic blobs (built with BtfWriter):
// C-style type names, resolve/sizeof/alignof, member lookup through anonymous
// members and pointers, both bitfield encodings, name lookup, split BTF and
// malformed input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BtfWriter, parseBtf, BtfError } from '../../../src/btf/index.js';
import type { Btf } from '../../../src/btf/index.js';

/** A small "kernel" with the shapes the compiler meets in vmlinux. */
function sample() {
  const w = new BtfWriter();
  const int = w.addInt('int', 4, { signed: true });
  const uint = w.addInt('unsigned int', 4);
  const char = w.addInt('char', 1, { signed: true, char: true });
  const long = w.addInt('long int', 8, { signed: true });
  const fwdTask = w.addFwd('task'); // a forward declaration before the definition
  const comm = w.addArray(char, int, 16);
  const u32 = w.addTypedef('u32', uint);
  const cu32 = w.addConst(u32);
  const constChar = w.addConst(char);
  const strPtr = w.addPtr(constChar); // const char *
  const charPtr = w.addPtr(char);
  const constPtr = w.addConst(charPtr); // char *const
  const charPtrPtr = w.addPtr(charPtr); // char **
  const arrPtr = w.addPtr(comm); // char (*)[16]
  const voidPtr = w.addPtr(0);
  const proto = w.addFuncProto(int, [{ name: 'p', typeId: voidPtr }]);
  const fnPtr = w.addPtr(proto); // int (*)(void *)
  const noArgs = w.addFuncProto(0, []);
  const noArgsPtr = w.addPtr(noArgs); // void (*)(void)
  const row = w.addArray(int, int, 6);
  const grid = w.addArray(row, int, 5); // int [5][6]
  const ptrArr = w.addArray(charPtr, int, 4); // char *[4]
  const oldBits = w.addInt('unsigned int', 4, { bits: 3 }); // pre-kind_flag bitfield int
  const mm = w.addStruct('mm', 16, [
    { name: 'start', typeId: long, bitOffset: 0 },
    { name: 'arg_start', typeId: long, bitOffset: 64 },
  ]);
  const mmPtr = w.addPtr(mm);
  const anonStruct = w.addStruct('', 8, [
    { name: 'x', typeId: int, bitOffset: 0 },
    { name: 'y', typeId: int, bitOffset: 32 },
  ]);
  const anonUnion = w.addUnion('', 8, [
    { name: 'whole', typeId: long, bitOffset: 0 },
    { name: '', typeId: anonStruct, bitOffset: 0 },
  ]);
  const inner = w.addStruct('inner', 8, [
    { name: 'a', typeId: int, bitOffset: 0 },
    { name: 'b', typeId: cu32, bitOffset: 32 },
  ]);
  const flags = w.addStruct('flags', 4, [
    { name: 'lo', typeId: oldBits, bitOffset: 0 },
    { name: 'hi', typeId: oldBits, bitOffset: 3 },
  ]);
  const flagsK = w.addStruct('flagsk', 8, [
    { name: 'f', typeId: uint, bitOffset: 35, bitfieldSize: 5 },
  ]);
  const task = w.addStruct('task', 72, [
    { name: 'state', typeId: uint, bitOffset: 0 },
    { name: 'pid', typeId: int, bitOffset: 32 },
    { name: '', typeId: anonUnion, bitOffset: 64 },
    { name: 'in', typeId: inner, bitOffset: 128 },
    { name: 'comm', typeId: comm, bitOffset: 192 },
    { name: 'mm', typeId: mmPtr, bitOffset: 320 },
    { name: 'parent', typeId: 0, bitOffset: 384 }, // patched below to a struct task *
    { name: 'fl', typeId: flags, bitOffset: 448 },
    { name: 'fk', typeId: flagsK, bitOffset: 480 },
  ]);
  const taskPtr = w.addPtr(task);
  const taskT = w.addTypedef('task_t', task);
  const en = w.addEnum('state', [{ name: 'RUNNING', value: 0 }, { name: 'ALL', value: 0xffffffff }]);
  const e64 = w.addEnum64('wide', [{ name: 'W', value: -2n }], true);
  const fn = w.addFunc('task', w.addFuncProto(int, [{ name: 't', typeId: taskPtr }]), 'global');
  const tagged = w.addTypeTag('user', char);
  const userPtr = w.addPtr(tagged);
  return {
    w, int, uint, char, long, fwdTask, comm, u32, cu32, strPtr, charPtr, constPtr, charPtrPtr, arrPtr,
    voidPtr, proto, fnPtr, noArgsPtr, grid, ptrArr, mm, mmPtr, anonStruct, anonUnion, inner, flags,
    flagsK, task, taskPtr, taskT, en, e64, fn, userPtr,
  };
}

function load(): { btf: Btf; t: ReturnType<typeof sample> } {
  const t = sample();
  const bytes = t.w.toBytes();
  // Patch task.parent (member 7) to point at `struct task *`, which the
  // writer could only create after the struct: find the member's type word.
  const dv = new DataView(bytes.buffer);
  const typeStart = 24;
  // Walk the records before `task` to find its offset.
  let p = typeStart;
  for (let id = 1; id < t.task; id++) p += recordLen(dv, p);
  dv.setUint32(p + 12 + 6 * 12 + 4, t.taskPtr, true);
  return { btf: parseBtf(bytes), t };
}

function recordLen(dv: DataView, p: number): number {
  const info = dv.getUint32(p + 4, true);
  const kind = (info >>> 24) & 0x1f;
  const vlen = info & 0xffff;
  const fixed: Record<number, number> = { 1: 4, 3: 12, 14: 4, 17: 4 };
  const per: Record<number, number> = { 4: 12, 5: 12, 15: 12, 19: 12, 6: 8, 13: 8 };
  return 12 + (fixed[kind] ?? 0) + (per[kind] ?? 0) * vlen;
}

test('typeName spells C declarators', () => {
  const { btf, t } = load();
  const cases: [number, string][] = [
    [0, 'void'],
    [t.int, 'int'],
    [t.comm, 'char [16]'],
    [t.u32, 'u32'],
    [t.cu32, 'const u32'],
    [t.strPtr, 'const char *'],
    [t.constPtr, 'char *const'],
    [t.charPtrPtr, 'char **'],
    [t.arrPtr, 'char (*)[16]'],
    [t.voidPtr, 'void *'],
    [t.fnPtr, 'int (*)(void *)'],
    [t.noArgsPtr, 'void (*)(void)'],
    [t.grid, 'int [5][6]'],
    [t.ptrArr, 'char *[4]'],
    [t.taskPtr, 'struct task *'],
    [t.fwdTask, 'struct task'],
    [t.anonStruct, 'struct (anon)'],
    [t.anonUnion, 'union (anon)'],
    [t.en, 'enum state'],
    [t.e64, 'enum wide'],
    [t.fn, 'int task(struct task *)'],
    [t.userPtr, 'char *'],
  ];
  for (const [id, name] of cases) assert.equal(btf.typeName(id), name, `type ${id}`);
});

test('resolve, sizeof and alignof follow typedefs and qualifiers', () => {
  const { btf, t } = load();
  assert.equal(btf.resolve(t.cu32), t.uint);
  assert.equal(btf.resolve(t.int), t.int);
  assert.equal(btf.sizeof(t.cu32), 4);
  assert.equal(btf.sizeof(t.comm), 16);
  assert.equal(btf.sizeof(t.grid), 120);
  assert.equal(btf.sizeof(t.taskPtr), 8);
  assert.equal(btf.sizeof(t.taskT), 72);
  assert.equal(btf.sizeof(t.e64), 8);
  assert.equal(btf.alignof(t.task), 8);
  assert.equal(btf.alignof(t.comm), 1);
  assert.equal(btf.alignof(t.inner), 4);
  assert.throws(() => btf.sizeof(0), BtfError);
  assert.throws(() => btf.sizeof(t.fwdTask), BtfError);
  assert.throws(() => btf.sizeof(t.proto), BtfError);
});

test('memberOffset finds plain, anonymous, nested and indexed members', () => {
  const { btf, t } = load();
  assert.deepEqual(btf.memberOffset('task', 'pid'), { offsetBytes: 4, bitOffset: 32, typeId: t.int });
  // through the anonymous union, then the anonymous struct inside it
  assert.deepEqual(btf.memberOffset('task', 'whole'), { offsetBytes: 8, bitOffset: 64, typeId: t.long });
  assert.deepEqual(btf.memberOffset('task', 'y'), { offsetBytes: 12, bitOffset: 96, typeId: t.int });
  assert.deepEqual(btf.memberOffset('task', 'in.b'), { offsetBytes: 20, bitOffset: 160, typeId: t.cu32 });
  assert.deepEqual(btf.memberOffset('task', 'comm[3]'), { offsetBytes: 27, bitOffset: 216, typeId: t.char });
  assert.equal(btf.memberOffset('task', 'parent').typeId, t.taskPtr);
  // the root can be spelled with its tag, as a typedef or as an id
  assert.equal(btf.memberOffset('struct task', 'pid').offsetBytes, 4);
  assert.equal(btf.memberOffset('task_t', 'pid').offsetBytes, 4);
  assert.equal(btf.memberOffset(t.task, 'pid').offsetBytes, 4);
  assert.throws(() => btf.memberOffset('task', 'nope'), /has no member named 'nope'/);
  assert.throws(() => btf.memberOffset('nosuch', 'pid'), /no struct or union named/);
  assert.throws(() => btf.memberOffset('task', 'pid.x'), /not a struct or union/);
  assert.throws(() => btf.memberOffset('task', 'a..b'), /bad member path/);
});

test('memberOffset refuses pointers; memberPath follows them', () => {
  const { btf, t } = load();
  assert.throws(() => btf.memberOffset('task', 'mm.arg_start'), /is a pointer/);
  const hops = btf.memberPath('task', 'mm.arg_start');
  assert.deepEqual(hops, [
    { offsetBytes: 40, bitOffset: 320, typeId: t.mmPtr },
    { offsetBytes: 8, bitOffset: 64, typeId: t.long },
  ]);
  assert.deepEqual(btf.memberPath('task', 'mm->arg_start'), hops);
  assert.deepEqual(btf.memberPath('task', 'parent->parent->pid').map((h) => h.offsetBytes), [48, 48, 4]);
  assert.throws(() => btf.memberPath('task', 'in->a'), /'->' applied to non-pointer/);
});

test('bitfields are reported in both BTF encodings', () => {
  const { btf, t } = load();
  // kind_flag = 0: width comes from the member's int type
  const fl = btf.type(t.flags);
  assert.ok(fl.kind === 'struct');
  assert.deepEqual(fl.members.map((m) => m.bitfieldSize), [3, 3]);
  assert.deepEqual(btf.memberOffset('task', 'fl.hi'), {
    offsetBytes: 56, bitOffset: 451, typeId: fl.members[1]!.typeId, bitfield: { bitOffset: 3, bits: 3 },
  });
  // kind_flag = 1: width and offset packed into the member's offset word
  assert.deepEqual(btf.memberOffset('flagsk', 'f'), {
    offsetBytes: 4, bitOffset: 35, typeId: t.uint, bitfield: { bitOffset: 3, bits: 5 },
  });
  assert.throws(() => btf.memberOffset('task', 'fl.hi.x'), /bitfield/);
});

test('findType picks by kind and prefers complete types', () => {
  const { btf, t } = load();
  assert.equal(btf.findType('task'), t.task); // not the fwd, not the func
  assert.equal(btf.findType('task', 'struct'), t.task);
  assert.equal(btf.findType('task', 'fwd'), t.fwdTask);
  assert.equal(btf.findType('task', 'func'), t.fn);
  assert.deepEqual(btf.findTypes('task'), [t.fwdTask, t.task, t.fn]);
  assert.equal(btf.findType('unsigned int', 'int'), t.uint); // the first of two
  assert.equal(btf.findType('wide', 'enum'), t.e64); // 'enum' covers enum64
  assert.equal(btf.findType('task_t'), t.taskT);
  assert.equal(btf.findType('nosuch'), undefined);
  assert.equal(btf.findType('tas'), undefined);
  assert.equal(btf.findType(''), undefined);
  assert.equal(btf.kindOf(t.task), 'struct');
  assert.equal(btf.nameOf(t.task), 'task');
});

test('enum values honour signedness', () => {
  const { btf, t } = load();
  const e = btf.type(t.en);
  assert.ok(e.kind === 'enum' && !e.signed);
  assert.deepEqual(e.values.map((v) => v.value), [0n, 0xffffffffn]);
  const e6 = btf.type(t.e64);
  assert.ok(e6.kind === 'enum64' && e6.signed);
  assert.equal(e6.values[0]!.value, -2n);
});

test('a blob at an odd byte offset parses (the type section is copied)', () => {
  const bytes = sample().w.toBytes();
  const buf = new Uint8Array(bytes.length + 1);
  buf.set(bytes, 1);
  const btf = parseBtf(buf.subarray(1));
  assert.equal(btf.typeName(btf.findType('task_t')!), 'task_t');
  assert.equal(btf.sizeof(btf.findType('task')!), 72);
});

test('split BTF resolves ids and strings through its base', () => {
  const bw = new BtfWriter();
  const int = bw.addInt('int', 4, { signed: true });
  bw.addStruct('shared', 4, [{ name: 'v', typeId: int, bitOffset: 0 }]);
  const base = parseBtf(bw.toBytes());
  const sw = new BtfWriter({ base });
  const mod = sw.addStruct('mod_state', 8, [
    { name: 'v', typeId: int, bitOffset: 0 }, // split strings get offsets after the base's
    { name: 'count', typeId: int, bitOffset: 32 },
  ]);
  const ptr = sw.addPtr(mod);
  assert.equal(mod, base.typeCount);
  const split = parseBtf(sw.toBytes(), base);
  assert.equal(split.firstId, base.typeCount);
  assert.equal(split.typeCount, base.typeCount + 2);
  assert.equal(split.findType('int'), int);
  assert.equal(split.findType('mod_state'), mod);
  assert.equal(split.typeName(ptr), 'struct mod_state *');
  assert.deepEqual(split.memberOffset('mod_state', 'count'), { offsetBytes: 4, bitOffset: 32, typeId: int });
  assert.equal(split.memberOffset('shared', 'v').typeId, int);
});

test('malformed blobs are rejected with BtfError', () => {
  const good = sample().w.toBytes();
  assert.throws(() => parseBtf(new Uint8Array(10)), /too short/);
  const badMagic = good.slice();
  badMagic[0] = 0;
  assert.throws(() => parseBtf(badMagic), /bad BTF magic/);
  const bigEndian = good.slice();
  bigEndian[0] = 0xeb;
  bigEndian[1] = 0x9f;
  assert.throws(() => parseBtf(bigEndian), /big-endian/);
  const badVersion = good.slice();
  badVersion[2] = 2;
  assert.throws(() => parseBtf(badVersion), /version/);
  assert.throws(() => parseBtf(good.subarray(0, good.length - 3)), /past the end/);
  // An unknown kind surfaces on first use, since parsing is lazy.
  const badKind = good.slice();
  badKind[24 + 7] = 30; // first record's kind byte
  const lazy = parseBtf(badKind);
  assert.throws(() => lazy.typeCount, /unknown BTF kind 30/);
  // A vlen pointing past the section end is a truncation.
  const w = new BtfWriter();
  w.addStruct('s', 4, [{ name: 'a', typeId: 0, bitOffset: 0 }]);
  const trunc = w.toBytes();
  new DataView(trunc.buffer).setUint32(24 + 4, (4 << 24 | 9) >>> 0, true);
  assert.throws(() => parseBtf(trunc).typeCount, /truncated/);
  const btf = parseBtf(good);
  assert.throws(() => btf.type(btf.typeCount), /out of range/);
  assert.throws(() => btf.type(-1), /out of range/);
});
