// Builder encodings: each builder's bytes against an opcode worked out by hand
// from the ISA's bit layout (class | size/source | mode/op), never from the
// encoder under test.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AluOp,
  Helper,
  R0,
  R1,
  R2,
  R3,
  R4,
  R10,
  Size,
  alu32,
  alu64,
  assemble,
  atomicAdd,
  atomicAnd,
  atomicCmpXchg,
  atomicFetchAdd,
  atomicFetchXor,
  atomicOr,
  atomicXchg,
  call,
  endian,
  exit,
  ldImm64,
  ldx,
  ldxs,
  loadImm,
  mov32,
  mov64,
  movsx32,
  movsx64,
  neg32,
  neg64,
  reg,
  st,
  stx,
  type AsmItem,
} from '../../../src/bpf/index.js';

function hex(items: AsmItem[]): string {
  return Array.from(assemble(items).bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

test('mov', () => {
  assert.equal(hex([mov64(R1, 42)]), 'b7 01 00 00 2a 00 00 00');
  assert.equal(hex([mov64(R1, reg(R10))]), 'bf a1 00 00 00 00 00 00');
  assert.equal(hex([mov32(R2, -1)]), 'b4 02 00 00 ff ff ff ff');
  assert.equal(hex([mov32(R2, 0xffffffff)]), 'b4 02 00 00 ff ff ff ff');
  assert.equal(hex([mov32(R3, reg(R4))]), 'bc 43 00 00 00 00 00 00');
  // Sign-extending moves put the source width in off.
  assert.equal(hex([movsx64(R1, R2, 8)]), 'bf 21 08 00 00 00 00 00');
  assert.equal(hex([movsx64(R1, R2, 32)]), 'bf 21 20 00 00 00 00 00');
  assert.equal(hex([movsx32(R1, R2, 16)]), 'bc 21 10 00 00 00 00 00');
});

test('a register is never taken for an immediate', () => {
  // @ts-expect-error R2 is a Reg; a register source must be written reg(R2).
  mov64(R1, R2);
  // @ts-expect-error likewise for ALU ops.
  alu64(AluOp.ADD, R1, R2);
});

test('64-bit operations reject immediates that would sign-extend surprisingly', () => {
  assert.throws(() => mov64(R1, 0x80000000), /s32/);
  assert.throws(() => alu64(AluOp.AND, R1, 0xffffffff), /s32/);
  assert.throws(() => alu32(AluOp.AND, R1, 2 ** 32), /32 bits/);
  assert.throws(() => mov64(R1, 1.5), /s32/);
});

test('alu', () => {
  assert.equal(hex([alu64(AluOp.ADD, R1, -8)]), '07 01 00 00 f8 ff ff ff');
  assert.equal(hex([alu64(AluOp.SUB, R3, reg(R4))]), '1f 43 00 00 00 00 00 00');
  assert.equal(hex([alu32(AluOp.MUL, R1, 3)]), '24 01 00 00 03 00 00 00');
  assert.equal(hex([alu32(AluOp.OR, R1, reg(R2))]), '4c 21 00 00 00 00 00 00');
  assert.equal(hex([alu64(AluOp.LSH, R1, 32)]), '67 01 00 00 20 00 00 00');
  assert.equal(hex([alu64(AluOp.RSH, R1, 32)]), '77 01 00 00 20 00 00 00');
  assert.equal(hex([alu64(AluOp.ARSH, R1, 7)]), 'c7 01 00 00 07 00 00 00');
  assert.equal(hex([alu64(AluOp.XOR, R0, reg(R0))]), 'af 00 00 00 00 00 00 00');
  assert.equal(hex([alu64(AluOp.AND, R2, 0xff)]), '57 02 00 00 ff 00 00 00');
  assert.equal(hex([alu64(AluOp.MOD, R2, 10)]), '97 02 00 00 0a 00 00 00');
  // Signed division and modulo are DIV/MOD with off = 1.
  assert.equal(hex([alu64(AluOp.DIV, R1, reg(R2), { signed: true })]), '3f 21 01 00 00 00 00 00');
  assert.equal(hex([alu32(AluOp.MOD, R1, 3, { signed: true })]), '94 01 01 00 03 00 00 00');
  assert.throws(() => alu64(AluOp.ADD, R1, 1, { signed: true }));
  assert.equal(hex([neg64(R1)]), '87 01 00 00 00 00 00 00');
  assert.equal(hex([neg32(R1)]), '84 01 00 00 00 00 00 00');
});

test('endian', () => {
  assert.equal(hex([endian('be', R1, 16)]), 'dc 01 00 00 10 00 00 00');
  assert.equal(hex([endian('le', R1, 32)]), 'd4 01 00 00 20 00 00 00');
  assert.equal(hex([endian('swap', R1, 64)]), 'd7 01 00 00 40 00 00 00');
});

test('loads and stores', () => {
  assert.equal(hex([ldx(Size.DW, R0, R1, 8)]), '79 10 08 00 00 00 00 00');
  assert.equal(hex([ldx(Size.W, R0, R1, -4)]), '61 10 fc ff 00 00 00 00');
  assert.equal(hex([ldx(Size.H, R0, R1, 2)]), '69 10 02 00 00 00 00 00');
  assert.equal(hex([ldx(Size.B, R2, R1, 0)]), '71 12 00 00 00 00 00 00');
  // MEMSX = 0x80 in the mode bits.
  assert.equal(hex([ldxs(Size.W, R0, R1, 4)]), '81 10 04 00 00 00 00 00');
  assert.equal(hex([ldxs(Size.H, R0, R1, 4)]), '89 10 04 00 00 00 00 00');
  assert.equal(hex([ldxs(Size.B, R0, R1, 4)]), '91 10 04 00 00 00 00 00');
  assert.throws(() => ldxs(Size.DW, R0, R1, 0));
  assert.equal(hex([stx(Size.DW, R10, -8, R1)]), '7b 1a f8 ff 00 00 00 00');
  assert.equal(hex([stx(Size.W, R10, -4, R1)]), '63 1a fc ff 00 00 00 00');
  assert.equal(hex([stx(Size.H, R10, -2, R1)]), '6b 1a fe ff 00 00 00 00');
  assert.equal(hex([stx(Size.B, R10, -1, R1)]), '73 1a ff ff 00 00 00 00');
  assert.equal(hex([st(Size.W, R10, -4, 7)]), '62 0a fc ff 07 00 00 00');
  assert.equal(hex([st(Size.DW, R10, -16, -1)]), '7a 0a f0 ff ff ff ff ff');
  assert.equal(hex([st(Size.B, R10, -1, 0)]), '72 0a ff ff 00 00 00 00');
  assert.throws(() => ldx(Size.DW, R0, R1, 0x8000), /s16/);
});

test('atomics', () => {
  // STX | ATOMIC(0xc0) | size; the operation is in imm.
  assert.equal(hex([atomicAdd(Size.DW, R1, 0, R2)]), 'db 21 00 00 00 00 00 00');
  assert.equal(hex([atomicAdd(Size.W, R1, 8, R2)]), 'c3 21 08 00 00 00 00 00');
  assert.equal(hex([atomicFetchAdd(Size.DW, R1, 0, R2)]), 'db 21 00 00 01 00 00 00');
  assert.equal(hex([atomicOr(Size.DW, R1, 0, R2)]), 'db 21 00 00 40 00 00 00');
  assert.equal(hex([atomicAnd(Size.W, R1, 0, R2)]), 'c3 21 00 00 50 00 00 00');
  assert.equal(hex([atomicFetchXor(Size.DW, R1, 0, R2)]), 'db 21 00 00 a1 00 00 00');
  assert.equal(hex([atomicXchg(Size.DW, R1, -8, R2)]), 'db 21 f8 ff e1 00 00 00');
  assert.equal(hex([atomicCmpXchg(Size.DW, R1, 0, R2)]), 'db 21 00 00 f1 00 00 00');
  assert.throws(() => atomicAdd(Size.B, R1, 0, R2));
});

test('ld_imm64 splits the constant over two slots', () => {
  assert.equal(
    hex([ldImm64(R1, 0x1122334455667788n)]),
    '18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11',
  );
  assert.equal(hex([ldImm64(R2, -1n)]), '18 02 00 00 ff ff ff ff 00 00 00 00 ff ff ff ff');
  assert.equal(
    hex([ldImm64(R3, 0x80000000_00000001n)]),
    '18 03 00 00 01 00 00 00 00 00 00 00 00 00 00 80',
  );
  assert.throws(() => ldImm64(R1, 1n << 64n));
});

test('loadImm picks the shortest encoding', () => {
  assert.equal(hex([loadImm(R1, -5)]), 'b7 01 00 00 fb ff ff ff');
  // mov32 zero-extends: the way to get exactly 0xffffffff (BPF_F_CURRENT_CPU).
  assert.equal(hex([loadImm(R3, 0xffffffffn)]), 'b4 03 00 00 ff ff ff ff');
  assert.equal(hex([loadImm(R1, 1n << 32n)]), '18 01 00 00 00 00 00 00 00 00 00 00 01 00 00 00');
});

test('call and exit', () => {
  assert.equal(hex([call(Helper.map_lookup_elem)]), '85 00 00 00 01 00 00 00');
  assert.equal(hex([call(Helper.ringbuf_output)]), '85 00 00 00 82 00 00 00');
  assert.equal(hex([exit()]), '95 00 00 00 00 00 00 00');
  assert.throws(() => call(0));
});
