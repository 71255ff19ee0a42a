// Tests for the BTF writer: exact bytes of tiny blobs against the layout in
// the kernel's btf.rst, and round trips through our own reader.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BtfWriter, parseBtf, BtfError } from '../../../src/btf/index.js';

function words(bytes: Uint8Array, from: number, n: number): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(dv.getUint32(from + 4 * i, true));
  return out;
}

test('a single INT blob matches the spec byte for byte', () => {
  const w = new BtfWriter();
  assert.equal(w.addInt('int', 4, { signed: true }), 1);
  const b = w.toBytes();
  assert.deepEqual([...b], [
    // header: magic 0xeB9F (LE), version 1, flags 0, hdr_len 24
    0x9f, 0xeb, 0x01, 0x00, 0x18, 0x00, 0x00, 0x00,
    // type_off 0, type_len 16, str_off 16, str_len 5
    0, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0, 0, 5, 0, 0, 0,
    // btf_type: name_off 1, info kind INT (1 << 24), size 4
    1, 0, 0, 0, 0, 0, 0, 0x01, 4, 0, 0, 0,
    // int data: encoding SIGNED (1 << 24) | bits 32
    0x20, 0, 0, 0x01,
    // strings: "" then "int"
    0, 0x69, 0x6e, 0x74, 0,
  ]);
});

test('PTR, FUNC_PROTO and FUNC records have the documented layout', () => {
  const w = new BtfWriter();
  const int = w.addInt('int', 4, { signed: true }); // 1
  const ptr = w.addPtr(0); // 2: void *
  const proto = w.addFuncProto(int, [{ name: 'idx', typeId: int }, { name: 'ctx', typeId: ptr }]); // 3
  const st = w.addFunc('cb', proto, 'static'); // 4
  const gl = w.addFunc('main', proto, 'global'); // 5
  assert.deepEqual([ptr, proto, st, gl], [2, 3, 4, 5]);
  const b = w.toBytes();
  const [typeOff, typeLen, strOff, strLen] = words(b, 8, 4);
  assert.equal(typeOff, 0);
  // int 16 + ptr 12 + proto (12 + 2*8) + 2 funcs 12 each
  assert.equal(typeLen, 16 + 12 + 28 + 24);
  assert.equal(strOff, typeLen);
  assert.equal(b.length, 24 + typeLen! + strLen!);
  const t = words(b, 24, typeLen! / 4);
  // PTR: name 0, kind 2, target void
  assert.deepEqual(t.slice(4, 7), [0, 2 << 24, 0]);
  // FUNC_PROTO: name 0, kind 13 | vlen 2, return int, then {name_off, type} pairs
  assert.deepEqual(t.slice(7, 10), [0, (13 << 24 | 2) >>> 0, int]);
  assert.equal(t[11], int);
  assert.equal(t[13], ptr);
  // FUNC (words 14 and 17): kind 12, vlen = linkage (0 static, 1 global), type = proto
  assert.deepEqual(t.slice(15, 17), [12 << 24, proto]);
  assert.deepEqual(t.slice(18, 20), [(12 << 24 | 1) >>> 0, proto]);
  // names resolve in the string section, which starts and ends with NUL
  const strs = b.subarray(24 + strOff!, 24 + strOff! + strLen!);
  assert.equal(strs[0], 0);
  assert.equal(strs[strs.length - 1], 0);
  const name = (off: number) => new TextDecoder().decode(strs.subarray(off, strs.indexOf(0, off)));
  assert.equal(name(t[14]!), 'cb');
  assert.equal(name(t[17]!), 'main');
  assert.equal(name(t[12]!), 'ctx');
  assert.equal(name(t[10]!), 'idx');
});

test('strings are deduplicated', () => {
  const w = new BtfWriter();
  const a = w.addString('x');
  assert.equal(w.addString('x'), a);
  assert.equal(w.addString(''), 0);
  w.addInt('x', 1);
  const b = w.toBytes();
  assert.equal(words(b, 20, 1)[0], 3); // "\0x\0"
});

test('round trip: the reader decodes what the writer wrote', () => {
  const w = new BtfWriter();
  const int = w.addInt('int', 4, { signed: true });
  const uchar = w.addInt('unsigned char', 1, { char: true });
  const bool = w.addInt('_Bool', 1, { bool: true });
  const ptr = w.addPtr(int);
  const proto = w.addFuncProto(int, [{ name: 'i', typeId: int }, { typeId: ptr }], true);
  const fn = w.addFunc('loop_cb', proto, 'global');
  const arr = w.addArray(uchar, int, 16);
  const st = w.addStruct('pair', 24, [
    { name: 'a', typeId: int, bitOffset: 0 },
    { name: 'flag', typeId: int, bitOffset: 32, bitfieldSize: 3 },
    { name: 'name', typeId: arr, bitOffset: 64 },
  ]);
  const en = w.addEnum('e', [{ name: 'A', value: -1 }, { name: 'B', value: 7 }], true);
  const e64 = w.addEnum64('big', [{ name: 'HUGE', value: 0xfedcba9876543210n }]);
  const fl = w.addFloat('double', 8);
  const v = w.addVar('counter', int, 'global');
  const ds = w.addDatasec('.bss', 4, [{ typeId: v, offset: 0, size: 4 }]);
  const dt = w.addDeclTag('kfunc', fn, -1);
  const tt = w.addTypeTag('user', int);
  const fw = w.addFwd('later', true);

  const btf = parseBtf(w.toBytes());
  assert.equal(btf.typeCount, w.typeCount);
  assert.deepEqual(btf.type(int), { kind: 'int', id: int, name: 'int', size: 4, bits: 32, bitOffset: 0, signed: true, char: false, bool: false });
  const uc = btf.type(uchar);
  assert.ok(uc.kind === 'int' && uc.char && !uc.signed);
  const bo = btf.type(bool);
  assert.ok(bo.kind === 'int' && bo.bool && bo.bits === 8);
  assert.deepEqual(btf.type(ptr), { kind: 'ptr', id: ptr, name: '', type: int, attribute: false });
  const p = btf.type(proto);
  assert.ok(p.kind === 'func_proto');
  assert.equal(p.returnType, int);
  assert.deepEqual(p.params, [{ name: 'i', typeId: int }, { name: '', typeId: ptr }]);
  assert.equal(p.variadic, true);
  assert.deepEqual(btf.type(fn), { kind: 'func', id: fn, name: 'loop_cb', type: proto, linkage: 'global' });
  assert.deepEqual(btf.type(arr), { kind: 'array', id: arr, name: '', elemType: uchar, indexType: int, nelems: 16 });
  const s = btf.type(st);
  assert.ok(s.kind === 'struct');
  assert.equal(s.size, 24);
  assert.deepEqual(s.members, [
    { name: 'a', typeId: int, bitOffset: 0, bitfieldSize: 0 },
    { name: 'flag', typeId: int, bitOffset: 32, bitfieldSize: 3 },
    { name: 'name', typeId: arr, bitOffset: 64, bitfieldSize: 0 },
  ]);
  const e = btf.type(en);
  assert.ok(e.kind === 'enum' && e.signed);
  assert.deepEqual(e.values, [{ name: 'A', value: -1n }, { name: 'B', value: 7n }]);
  const e6 = btf.type(e64);
  assert.ok(e6.kind === 'enum64' && !e6.signed && e6.size === 8);
  assert.deepEqual(e6.values, [{ name: 'HUGE', value: 0xfedcba9876543210n }]);
  assert.deepEqual(btf.type(fl), { kind: 'float', id: fl, name: 'double', size: 8 });
  assert.deepEqual(btf.type(v), { kind: 'var', id: v, name: 'counter', type: int, linkage: 'global' });
  assert.deepEqual(btf.type(ds), { kind: 'datasec', id: ds, name: '.bss', size: 4, vars: [{ typeId: v, offset: 0, size: 4 }] });
  assert.deepEqual(btf.type(dt), { kind: 'decl_tag', id: dt, name: 'kfunc', type: fn, componentIdx: -1, attribute: false });
  assert.deepEqual(btf.type(tt), { kind: 'type_tag', id: tt, name: 'user', type: int, attribute: false });
  assert.deepEqual(btf.type(fw), { kind: 'fwd', id: fw, name: 'later', union: true });
  assert.equal(btf.findType('loop_cb', 'func'), fn);
  assert.equal(btf.typeName(fn), 'int loop_cb(int, int *, ...)');
});

test('writer rejects impossible records', () => {
  const w = new BtfWriter();
  assert.throws(() => w.addInt('odd', 3), BtfError);
  assert.throws(() => w.addInt('wide', 4, { bits: 33 }), BtfError);
  assert.throws(() => w.addString('a\0b'), BtfError);
  assert.throws(() => w.addArray(1, 1, -1), BtfError);
});
