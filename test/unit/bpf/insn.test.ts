// Wire-format tests: Insn <-> bytes, checked against byte strings worked out
// by hand from the eBPF ISA (code, dst|src<<4, off le16, imm le32).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { R0, R1, R2, R10, asReg, decode, encode, insn, type Insn } from '../../../src/bpf/index.js';

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

test('encode lays out code, registers, off and imm little-endian', () => {
  // r1 = 42: ALU64|MOV|K = 0xb7, dst in the low nibble.
  assert.equal(hex(encode([insn(0xb7, { dst: R1, imm: 42 })])), 'b7 01 00 00 2a 00 00 00');
  // *(u64 *)(r10 - 8) = r1: STX|MEM|DW = 0x7b, src=1 high nibble, dst=10 low nibble.
  assert.equal(hex(encode([insn(0x7b, { dst: R10, src: R1, off: -8 })])), '7b 1a f8 ff 00 00 00 00');
  // imm -2 and off 0x1234 check both fields' byte order and sign.
  assert.equal(hex(encode([insn(0x07, { dst: R2, off: 0x1234, imm: -2 })])), '07 02 34 12 fe ff ff ff');
});

test('encode accepts imm as u32 and writes the same bits as s32', () => {
  assert.equal(hex(encode([insn(0xb4, { dst: R0, imm: 0xffffffff })])), 'b4 00 00 00 ff ff ff ff');
});

test('encode rejects fields that do not fit', () => {
  assert.throws(() => encode([insn(0x100)]), RangeError);
  assert.throws(() => encode([insn(0x07, { off: 0x8000 })]), RangeError);
  assert.throws(() => encode([insn(0x07, { off: -0x8001 })]), RangeError);
  assert.throws(() => encode([insn(0x07, { imm: 2 ** 32 })]), RangeError);
  assert.throws(() => encode([insn(0x07, { imm: 1.5 })]), RangeError);
  assert.throws(() => encode([{ code: 0x07, dst: 11 as unknown as Insn['dst'], src: R0, off: 0, imm: 0 }]), RangeError);
});

test('decode parses slots with signed off and imm', () => {
  const bytes = Uint8Array.from([0x7b, 0x1a, 0xf8, 0xff, 0x00, 0x00, 0x00, 0x00, 0x07, 0x02, 0x34, 0x12, 0xfe, 0xff, 0xff, 0xff]);
  assert.deepEqual(decode(bytes), [
    { code: 0x7b, dst: 10, src: 1, off: -8, imm: 0 },
    { code: 0x07, dst: 2, src: 0, off: 0x1234, imm: -2 },
  ]);
  assert.throws(() => decode(new Uint8Array(12)), RangeError);
});

test('decode(encode(x)) is the identity for in-range instructions', () => {
  const prog: Insn[] = [
    insn(0xb7, { dst: R1, imm: 42 }),
    insn(0x18, { dst: R2, src: R1, imm: 0x7fffffff }),
    insn(0x00, { imm: -0x80000000 }),
    insn(0x7b, { dst: R10, src: R1, off: -0x8000 }),
    insn(0x6d, { dst: asReg(9), src: asReg(8), off: 0x7fff }),
    insn(0x95),
  ];
  assert.deepEqual(decode(encode(prog)), prog);
});

test('decode works on a view into a larger buffer', () => {
  const big = new Uint8Array(24);
  big.set([0x95, 0, 0, 0, 0, 0, 0, 0], 8);
  assert.deepEqual(decode(big.subarray(8, 16)), [{ code: 0x95, dst: 0, src: 0, off: 0, imm: 0 }]);
});

test('asReg accepts 0..10 only', () => {
  assert.equal(asReg(10), R10);
  assert.throws(() => asReg(11), RangeError);
  assert.throws(() => asReg(-1), RangeError);
  assert.throws(() => asReg(1.5), RangeError);
});
