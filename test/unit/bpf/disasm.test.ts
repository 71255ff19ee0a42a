// Disassembly is a golden format (dtrace -S, golden tests): these tests pin
// the exact text, line by line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AluOp,
  Helper,
  JmpOp,
  R0,
  R1,
  R2,
  R3,
  R10,
  Size,
  alu32,
  alu64,
  assemble,
  atomicAdd,
  atomicCmpXchg,
  atomicFetchAdd,
  atomicXchg,
  call,
  callLocal,
  decode,
  disassemble,
  endian,
  exit,
  insn,
  jmp,
  jmp32,
  label,
  ldFunc,
  ldImm64,
  ldMapFd,
  ldMapValue,
  ldx,
  ldxs,
  link,
  mov32,
  mov64,
  movsx64,
  neg64,
  reg,
  st,
  stx,
  type AsmItem,
} from '../../../src/bpf/index.js';

test('a small program', () => {
  const asm = assemble([
    mov64(R1, 42),
    stx(Size.DW, R10, -8, R1),
    ldMapFd(R1, 'events'),
    mov64(R2, reg(R10)),
    alu64(AluOp.ADD, R2, -8),
    call(Helper.map_lookup_elem),
    jmp(JmpOp.JEQ, R0, 0, 'out'),
    ldx(Size.DW, R1, R0, 0),
    alu32(AluOp.ADD, R1, 3),
    atomicAdd(Size.DW, R0, 0, R1),
    label('out'),
    mov64(R0, 0),
    exit(),
  ]);
  const want = [
    '  0: r1 = 42',
    '  1: *(u64 *)(r10 -8) = r1',
    '  2: r1 = map[events] ll',
    '  4: r2 = r10',
    '  5: r2 += -8',
    '  6: call bpf_map_lookup_elem#1',
    '  7: if r0 == 0x0 goto +3 <out>',
    '  8: r1 = *(u64 *)(r0 +0)',
    '  9: w1 += 3',
    ' 10: lock *(u64 *)(r0 +0) += r1',
    ' 11: r0 = 0',
    ' 12: exit',
    '',
  ].join('\n');
  assert.equal(disassemble(asm.insns, { labels: asm.labels, relocations: asm.relocations }), want);
  // Decoded bytes give the same listing: the disassembler needs nothing but Insns.
  assert.equal(disassemble(decode(asm.bytes), { labels: asm.labels, relocations: asm.relocations }), want);
});

test('without names, targets are pc-relative and maps show their fd', () => {
  const asm = assemble([label('top'), ldMapFd(R1, 'm'), jmp(JmpOp.JNE, R1, reg(R2), 'top'), exit()]);
  assert.equal(disassemble(asm.insns), ['  0: r1 = map[fd=0] ll', '  2: if r1 != r2 goto -3', '  3: exit', ''].join('\n'));
});

test('label lines and subprogram calls', () => {
  const asm = assemble(
    link([ldFunc(R2, 'cb'), callLocal('f'), exit()], new Map<string, AsmItem[]>([
      ['cb', [mov64(R0, 0), exit()]],
      ['f', [mov64(R0, 1), exit()]],
    ])),
  );
  assert.equal(
    disassemble(asm.insns, { labels: asm.labels, labelLines: true }),
    [
      '  0: r2 = func +3 <cb> ll',
      '  2: call +3 <f>',
      '  3: exit',
      'cb:',
      '  4: r0 = 0',
      '  5: exit',
      'f:',
      '  6: r0 = 1',
      '  7: exit',
      '',
    ].join('\n'),
  );
});

function one(item: AsmItem): string {
  return disassemble(assemble([item]).insns).replace(/^ +0: /, '').trimEnd();
}

test('instruction forms', () => {
  const cases: [AsmItem, string][] = [
    [mov32(R1, reg(R2)), 'w1 = w2'],
    [mov64(R1, -1), 'r1 = -1'],
    [movsx64(R1, R2, 16), 'r1 = (s16)r2'],
    [alu64(AluOp.DIV, R1, reg(R2), { signed: true }), 'r1 s/= r2'],
    [alu64(AluOp.MOD, R1, 7), 'r1 %= 7'],
    [alu64(AluOp.ARSH, R1, 3), 'r1 s>>= 3'],
    [alu32(AluOp.LSH, R3, reg(R1)), 'w3 <<= w1'],
    [neg64(R1), 'r1 = -r1'],
    [endian('be', R1, 16), 'r1 = be16 r1'],
    [endian('le', R1, 64), 'r1 = le64 r1'],
    [endian('swap', R1, 32), 'r1 = bswap32 r1'],
    [ldxs(Size.B, R0, R1, 3), 'r0 = *(s8 *)(r1 +3)'],
    [ldx(Size.H, R0, R1, -2), 'r0 = *(u16 *)(r1 -2)'],
    [st(Size.W, R10, -4, 7), '*(u32 *)(r10 -4) = 7'],
    [stx(Size.B, R10, -1, R3), '*(u8 *)(r10 -1) = r3'],
    [atomicAdd(Size.W, R1, 8, R2), 'lock *(u32 *)(r1 +8) += w2'],
    [atomicFetchAdd(Size.DW, R1, 0, R2), 'r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)'],
    [atomicXchg(Size.DW, R1, 0, R2), 'r2 = atomic64_xchg((u64 *)(r1 +0), r2)'],
    [atomicCmpXchg(Size.W, R1, 0, R2), 'w0 = atomic_cmpxchg((u32 *)(r1 +0), w0, w2)'],
    [ldImm64(R3, 0x1122334455667788n), 'r3 = 0x1122334455667788 ll'],
    [ldImm64(R3, -1n), 'r3 = 0xffffffffffffffff ll'],
    [ldMapValue(R1, 'cfg', 16), 'r1 = map_value[fd=0] + 16 ll'],
    [call(Helper.get_current_pid_tgid), 'call bpf_get_current_pid_tgid#14'],
    [call(9999), 'call unknown#9999'],
    [exit(), 'exit'],
  ];
  for (const [item, text] of cases) assert.equal(one(item), text);
});

test('conditional jumps', () => {
  const asm = assemble([
    jmp32(JmpOp.JSGT, R1, -8, 'l'),
    jmp(JmpOp.JSET, R1, 0x10, 'l'),
    jmp(JmpOp.JSLE, R1, reg(R2), 'l'),
    jmp(JmpOp.JGE, R1, 255, 'l'),
    label('l'),
    exit(),
  ]);
  assert.equal(
    disassemble(asm.insns, { labels: asm.labels }),
    [
      '  0: if w1 s> -0x8 goto +3 <l>',
      '  1: if r1 & 0x10 goto +2 <l>',
      '  2: if r1 s<= r2 goto +1 <l>',
      '  3: if r1 >= 0xff goto +0 <l>',
      '  4: exit',
      '',
    ].join('\n'),
  );
});

test('garbage does not throw', () => {
  assert.equal(disassemble([insn(0xff)]), '  0: <invalid opcode 0xff>\n');
  assert.equal(disassemble([insn(0x18, { dst: R1 })]), '  0: r1 = <truncated ld_imm64>\n');
  assert.equal(disassemble([]), '');
});
