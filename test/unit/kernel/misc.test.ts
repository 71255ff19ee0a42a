// Unit: cpu-list parsing, ResourceScope ordering, instruction encoding, BTF scan, PMU format bits.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePmuFormatBit } from '../../../src/kernel/attach.js';
import { BtfWriter, parseBtf } from '../../../src/btf/index.js';
import { parseCpuList } from '../../../src/kernel/cpus.js';
import { ResourceScope } from '../../../src/kernel/fd.js';
import { I, program, R0, R1, R10 } from '../../../src/kernel/insn.js';

test('cpu lists', () => {
  assert.deepEqual(parseCpuList('0-1\n'), [0, 1]);
  assert.deepEqual(parseCpuList('0'), [0]);
  assert.deepEqual(parseCpuList('0-3,5,7-8'), [0, 1, 2, 3, 5, 7, 8]);
  assert.deepEqual(parseCpuList(''), []);
  assert.throws(() => parseCpuList('x'));
});

test('ResourceScope closes in reverse order, once, and survives failures', () => {
  const order: string[] = [];
  const mk = (n: string, fail = false) => ({ close: () => { order.push(n); if (fail) throw new Error(n); } });
  const s = new ResourceScope();
  s.add(mk('map'));
  const prog = s.add(mk('prog', true));
  s.add(mk('link'));
  assert.equal(s.size, 3);
  assert.throws(() => s.closeAll(), /prog/);
  assert.deepEqual(order, ['link', 'prog', 'map']);
  s.closeAll();
  assert.deepEqual(order, ['link', 'prog', 'map'], 'nothing closed twice');
  s.add(prog);
  s.release(prog);
  s.close();
  assert.equal(order.length, 3);
  assert.throws(() => s.add(mk('late')), /closed/);
  assert.equal(order.at(-1), 'late', 'adding to a closed scope closes the object');
});

test('instruction encoding', () => {
  assert.deepEqual([...I.movImm(R0, 42)], [0xb7, 0x00, 0, 0, 42, 0, 0, 0]);
  assert.deepEqual([...I.exit()], [0x95, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...I.stx('dw', R10, -8, R1)], [0x7b, 0x1a, 0xf8, 0xff, 0, 0, 0, 0]);
  assert.deepEqual([...I.ldx('w', R0, R1, 4)], [0x61, 0x10, 4, 0, 0, 0, 0, 0]);
  assert.deepEqual([...I.ldMapFd(R1, 5)], [0x18, 0x11, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...I.ldImm64(R0, 0x1_0000_0002n)], [0x18, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
  assert.equal(program(I.movImm(R0, 0), I.exit()).length, 16);
});

test('BTF FUNC lookup by name on a synthetic blob', () => {
  // [1] int, [2] struct s {int a;}, [3] proto int(void), [4] FUNC foo, [5] FUNC bar
  const w = new BtfWriter();
  const int = w.addInt('int', 4, { signed: true });
  w.addStruct('s', 4, [{ name: 'a', typeId: int, bitOffset: 0 }]);
  const proto = w.addFuncProto(int, []);
  w.addFunc('foo', proto, 'global');
  w.addFunc('bar', proto, 'global');
  const btf = parseBtf(w.toBytes());
  assert.equal(btf.findType('foo', 'func'), 4);
  assert.equal(btf.findType('bar', 'func'), 5);
  assert.equal(btf.findType('fo', 'func'), undefined, 'prefixes do not match');
  assert.equal(btf.findType('int', 'func'), undefined, 'only FUNC types');
  assert.throws(() => parseBtf(new Uint8Array(24)).findType('x', 'func'), /magic/);
});

test('PMU format bits', () => {
  assert.equal(parsePmuFormatBit('config:0\n'), 0);
  assert.equal(parsePmuFormatBit('config:32-63\n'), 32);
  assert.equal(parsePmuFormatBit('config1:0-63'), undefined);
});
