// Tests against the running kernel's BTF (/sys/kernel/btf/vmlinux), skipped
// with a reason where it is not readable. They pin down facts about
// task_struct that any BTF-enabled kernel shares, and log parse timings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseBtf } from '../../../src/btf/index.js';
import type { Btf, BtfMember, BtfType } from '../../../src/btf/index.js';

const PATH = '/sys/kernel/btf/vmlinux';

function readVmlinux(): Uint8Array | string {
  try {
    return readFileSync(PATH);
  } catch (e) {
    return `${PATH} not readable (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
}

const bytes = readVmlinux();
const skip = typeof bytes === 'string' ? bytes : false;
let cached: Btf | undefined;
function btf(): Btf {
  if (typeof bytes === 'string') throw new Error(bytes);
  cached ??= parseBtf(bytes);
  return cached;
}

test('vmlinux: counts and finds types (timings reported, not asserted: speed is the bench\'s)', { skip }, (t) => {
  if (typeof bytes === 'string') return;
  const t0 = performance.now();
  const b = parseBtf(bytes);
  const t1 = performance.now();
  const n = b.typeCount; // builds the offset index
  const t2 = performance.now();
  const id = b.findType('task_struct', 'struct'); // builds the name table
  const t3 = performance.now();
  b.memberOffset('task_struct', 'real_parent');
  const t4 = performance.now();
  t.diagnostic(`types ${n}; header ${(t1 - t0).toFixed(2)} ms, index ${(t2 - t1).toFixed(2)} ms, ` +
    `first findType ${(t3 - t2).toFixed(2)} ms, first memberOffset ${(t4 - t3).toFixed(2)} ms`);
  assert.ok(n > 1000);
  assert.notEqual(id, undefined);
});

test('vmlinux: task_struct has pid, tgid, real_parent and comm', { skip }, () => {
  const b = btf();
  const id = b.findType('task_struct', 'struct');
  assert.ok(id !== undefined);
  const ts = b.type(id);
  assert.ok(ts.kind === 'struct');
  assert.ok(ts.size > 1000);
  const byName = new Map(ts.members.map((m) => [m.name, m]));
  for (const name of ['pid', 'tgid', 'real_parent', 'comm']) assert.ok(byName.has(name), name);
  assert.equal(b.typeName(byName.get('pid')!.typeId), 'pid_t');
  assert.equal(b.typeName(b.resolve(byName.get('pid')!.typeId)), 'int');
  assert.equal(b.typeName(byName.get('real_parent')!.typeId), 'struct task_struct *');
  const rp = b.type(b.resolve(byName.get('real_parent')!.typeId));
  assert.ok(rp.kind === 'ptr' && b.resolve(rp.type) === id);
  assert.equal(b.typeName(byName.get('comm')!.typeId), 'char [16]');
  assert.equal(b.sizeof(byName.get('comm')!.typeId), 16);
});

test('vmlinux: memberOffset agrees with the member list', { skip }, () => {
  const b = btf();
  const ts = b.type(b.findType('task_struct', 'struct')!);
  assert.ok(ts.kind === 'struct');
  for (const name of ['real_parent', 'pid', 'tgid', 'comm', 'mm']) {
    const m: BtfMember = ts.members.find((x) => x.name === name)!;
    const loc = b.memberOffset('task_struct', name);
    assert.equal(loc.offsetBytes * 8, m.bitOffset, name);
    assert.equal(loc.bitOffset, m.bitOffset, name);
    assert.equal(loc.typeId, m.typeId, name);
    assert.equal(loc.bitfield, undefined, name);
  }
  // mm is a pointer: memberOffset refuses, memberPath goes through it
  assert.throws(() => b.memberOffset('task_struct', 'mm.arg_start'), /pointer/);
  const [mmHop, argHop] = b.memberPath('task_struct', 'mm.arg_start');
  assert.equal(mmHop!.offsetBytes, b.memberOffset('task_struct', 'mm').offsetBytes);
  assert.equal(argHop!.offsetBytes, b.memberOffset('mm_struct', 'arg_start').offsetBytes);
  assert.equal(b.typeName(argHop!.typeId), 'long unsigned int');
});

test('vmlinux: basic types, sizes and anonymous members', { skip }, () => {
  const b = btf();
  const int = b.findType('int', 'int');
  assert.ok(int !== undefined);
  assert.equal(b.sizeof(int), 4);
  const it = b.type(int);
  assert.ok(it.kind === 'int' && it.signed && it.bits === 32);
  assert.equal(b.sizeof(b.findType('long int')!), 8);
  assert.equal(b.sizeof(b.findType('u64')!), 8);
  assert.equal(b.sizeof(b.findType('pid_t')!), 4);
  const ch = b.type(b.findType('char', 'int')!);
  assert.ok(ch.kind === 'int' && ch.size === 1);
  // struct list_head { struct list_head *next, *prev; }
  const lh = b.findType('list_head', 'struct')!;
  assert.equal(b.sizeof(lh), 16);
  assert.equal(b.memberOffset('list_head', 'prev').offsetBytes, 8);
  // sk_buff keeps `len` and friends at top level but many fields live in
  // anonymous unions/structs; every named member of an anonymous member must
  // be reachable by its plain name at the summed offset.
  const sk = b.findType('sk_buff', 'struct')!;
  const skt = b.type(sk);
  assert.ok(skt.kind === 'struct');
  let checked = 0;
  for (const m of skt.members) {
    if (m.name !== '') continue;
    const inner: BtfType = b.type(b.resolve(m.typeId));
    if (inner.kind !== 'struct' && inner.kind !== 'union') continue;
    for (const im of inner.members) {
      if (im.name === '' || im.bitfieldSize !== 0) continue;
      assert.equal(b.memberOffset('sk_buff', im.name).bitOffset, m.bitOffset + im.bitOffset, im.name);
      checked++;
    }
  }
  assert.ok(checked > 0);
  // func lookup and a C-style signature
  const f = b.findType('schedule', 'func');
  assert.ok(f !== undefined);
  assert.equal(b.typeName(f), 'void schedule(void)');
});

test('vmlinux: every type decodes and has a name', { skip }, () => {
  const b = btf();
  const kinds = new Map<string, number>();
  for (let id = 1; id < b.typeCount; id++) {
    const t = b.type(id);
    kinds.set(t.kind, (kinds.get(t.kind) ?? 0) + 1);
    assert.equal(typeof b.typeName(id), 'string');
  }
  for (const k of ['int', 'ptr', 'array', 'struct', 'union', 'enum', 'typedef', 'const', 'func', 'func_proto']) {
    assert.ok((kinds.get(k) ?? 0) > 0, k);
  }
});
