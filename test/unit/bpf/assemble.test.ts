// Assembler, linker and relocation tests. Expected offsets are counted by hand:
// a jump at pc to t has off = t - (pc + 1); ld_imm64 items take two slots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AluOp,
  AsmError,
  Helper,
  JmpOp,
  R0,
  R1,
  R2,
  R3,
  R4,
  alu64,
  applyRelocations,
  assemble,
  call,
  callLocal,
  exit,
  ja,
  jmp,
  jmp32,
  label,
  ldFunc,
  ldImm64,
  ldMapFd,
  ldMapValue,
  link,
  mayGoto,
  mov64,
  reg,
  type AsmItem,
} from '../../../src/bpf/index.js';

function slots(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 8) {
    out.push(Array.from(bytes.subarray(i, i + 8), (b) => b.toString(16).padStart(2, '0')).join(' '));
  }
  return out;
}

test('forward conditional jump', () => {
  const { bytes, labels } = assemble([
    jmp(JmpOp.JEQ, R1, 0, 'out'), // 0 -> 3: off 2
    mov64(R0, 1),
    exit(),
    label('out'),
    mov64(R0, 0),
    exit(),
  ]);
  assert.deepEqual(slots(bytes), [
    '15 01 02 00 00 00 00 00',
    'b7 00 00 00 01 00 00 00',
    '95 00 00 00 00 00 00 00',
    'b7 00 00 00 00 00 00 00',
    '95 00 00 00 00 00 00 00',
  ]);
  assert.equal(labels.get('out'), 3);
});

test('backward jump, register compare, jmp32', () => {
  const { bytes } = assemble([
    label('top'),
    alu64(AluOp.ADD, R1, 1), // 0
    jmp32(JmpOp.JNE, R1, 5, 'skip'), // 1 -> 3: off 1
    jmp(JmpOp.JGT, R1, reg(R2), 'top'), // 2 -> 0: off -3
    label('skip'),
    jmp(JmpOp.JLT, R1, 10, 'top'), // 3 -> 0: off -4
    exit(),
  ]);
  assert.deepEqual(slots(bytes), [
    '07 01 00 00 01 00 00 00',
    '56 01 01 00 05 00 00 00',
    '2d 21 fd ff 00 00 00 00',
    'a5 01 fc ff 0a 00 00 00',
    '95 00 00 00 00 00 00 00',
  ]);
});

test('ld_imm64 counts as two slots when resolving labels', () => {
  const { bytes } = assemble([ja('end'), ldImm64(R1, 1n), label('end'), exit()]);
  assert.deepEqual(slots(bytes), [
    '05 00 02 00 00 00 00 00',
    '18 01 00 00 01 00 00 00',
    '00 00 00 00 00 00 00 00',
    '95 00 00 00 00 00 00 00',
  ]);
});

test('may_goto is BPF_JMP|BPF_JCOND with the offset of its label', () => {
  const { bytes } = assemble([label('loop'), mayGoto('done'), ja('loop'), label('done'), exit()]);
  assert.deepEqual(slots(bytes), [
    'e5 00 01 00 00 00 00 00',
    '05 00 fe ff 00 00 00 00',
    '95 00 00 00 00 00 00 00',
  ]);
});

test('label errors', () => {
  assert.throws(() => assemble([ja('nowhere'), exit()]), (e: unknown) => e instanceof AsmError && /undefined label nowhere/.test(e.message));
  assert.throws(() => assemble([label('a'), label('a'), exit()]), /defined twice/);
  assert.throws(() => assemble([ja('end'), exit(), label('end')]), /past the last/);
  // An unused label at the end is harmless.
  assert.equal(assemble([exit(), label('end')]).insns.length, 1);
});

test('far jumps take the long form (gotol), near ones stay short', () => {
  const body: AsmItem[] = [jmp(JmpOp.JEQ, R1, 0, 'far'), ja('far'), jmp(JmpOp.JNE, R1, 0, 'near')];
  for (let i = 0; i < 0x8000; i++) body.push(mov64(R0, 0));
  body.push(label('far'), exit());
  body.splice(4, 0, label('near'));
  const a = assemble(body);
  // if (r1 == 0) goto +1; goto +1; gotol far
  assert.equal(a.insns[0]!.off, 1);
  assert.equal(a.insns[1]!.code, 0x05);
  assert.equal(a.insns[1]!.off, 1);
  const far = a.labels.get('far')!;
  assert.equal(a.insns[2]!.code, 0x06);
  assert.equal(a.insns[2]!.imm, far - 3);
  // ja far: one gotol
  assert.equal(a.insns[3]!.code, 0x06);
  assert.equal(a.insns[3]!.imm, far - 4);
  // the near jump keeps its 16-bit offset
  assert.equal(a.insns[4]!.off, a.labels.get('near')! - 5);
});

test('link appends called subprograms once, after main, with local labels', () => {
  const subs = new Map<string, AsmItem[]>([
    ['unused', [mov64(R0, 9), exit()]],
    [
      'double',
      [
        mov64(R0, reg(R1)),
        jmp(JmpOp.JEQ, R0, 0, 'z'),
        callLocal('inc'),
        label('z'),
        exit(),
      ],
    ],
    [
      'inc',
      [
        jmp(JmpOp.JEQ, R1, 0, 'z'), // its own z, not double's
        alu64(AluOp.ADD, R1, 1),
        label('z'),
        mov64(R0, reg(R1)),
        exit(),
      ],
    ],
  ]);
  const main = [mov64(R1, 5), callLocal('double'), callLocal('inc'), exit()];
  const linked = link(main, subs);
  const { bytes, labels } = assemble(linked);
  assert.deepEqual(slots(bytes), [
    'b7 01 00 00 05 00 00 00', // 0  r1 = 5
    '85 10 00 00 02 00 00 00', // 1  call double (4)
    '85 10 00 00 05 00 00 00', // 2  call inc (8)
    '95 00 00 00 00 00 00 00', // 3  exit
    'bf 10 00 00 00 00 00 00', // 4  double: r0 = r1
    '15 00 01 00 00 00 00 00', // 5  if r0 == 0 goto 7
    '85 10 00 00 01 00 00 00', // 6  call inc (8)
    '95 00 00 00 00 00 00 00', // 7  exit
    '15 01 01 00 00 00 00 00', // 8  inc: if r1 == 0 goto 10
    '07 01 00 00 01 00 00 00', // 9  r1 += 1
    'bf 10 00 00 00 00 00 00', // 10 r0 = r1
    '95 00 00 00 00 00 00 00', // 11 exit
  ]);
  assert.equal(labels.get('double'), 4);
  assert.equal(labels.get('inc'), 8);
  assert.equal(labels.get('double/z'), 7);
  assert.equal(labels.get('inc/z'), 10);
  assert.equal(labels.has('unused'), false);
});

test('a subprogram reached only through another is still linked', () => {
  const subs = new Map<string, AsmItem[]>([
    ['a', [callLocal('b'), exit()]],
    ['b', [mov64(R0, 1), exit()]],
  ]);
  const { bytes } = assemble(link([callLocal('a'), exit()], subs));
  assert.deepEqual(slots(bytes), [
    '85 10 00 00 01 00 00 00', // 0 call a (2)
    '95 00 00 00 00 00 00 00',
    '85 10 00 00 01 00 00 00', // 2 call b (4)
    '95 00 00 00 00 00 00 00',
    'b7 00 00 00 01 00 00 00', // 4
    '95 00 00 00 00 00 00 00',
  ]);
});

test('link errors', () => {
  assert.throws(() => link([callLocal('nope'), exit()], new Map()), /undefined function nope/);
  assert.throws(() => link([mov64(R0, 0)], new Map()), /main does not end/);
  assert.throws(
    () => link([callLocal('f'), exit()], new Map([['f', [mov64(R0, 0), jmp(JmpOp.JEQ, R0, 0, 'x'), label('x')]]])),
    /function f does not end/,
  );
});

test('ldFunc gives a pc-relative pointer to a callback (bpf_loop)', () => {
  const main = [
    mov64(R1, 10), // 0
    ldFunc(R2, 'cb'), // 1-2 -> 7: imm 5
    mov64(R3, 0), // 3
    mov64(R4, 0), // 4
    call(Helper.loop), // 5
    exit(), // 6
  ];
  const { bytes } = assemble(link(main, new Map([['cb', [mov64(R0, 0), exit()]]])));
  const s = slots(bytes);
  assert.equal(s[1], '18 42 00 00 05 00 00 00');
  assert.equal(s[2], '00 00 00 00 00 00 00 00');
  assert.equal(s[5], '85 00 00 00 b5 00 00 00');
  assert.equal(s[7], 'b7 00 00 00 00 00 00 00');
});

test('map references become relocations and stay host-independent until applied', () => {
  const asm = assemble([
    ldMapFd(R1, 'events'), // 0-1
    ldMapValue(R2, 'cfg', 16), // 2-3
    mov64(R0, 0), // 4
    exit(),
  ]);
  assert.deepEqual(asm.relocations, [
    { index: 0, kind: 'map_fd', map: 'events', offset: 0 },
    { index: 2, kind: 'map_value', map: 'cfg', offset: 16 },
  ]);
  assert.deepEqual(slots(asm.bytes).slice(0, 4), [
    '18 11 00 00 00 00 00 00',
    '00 00 00 00 00 00 00 00',
    '18 22 00 00 00 00 00 00',
    '00 00 00 00 10 00 00 00',
  ]);
  const before = asm.bytes.slice();
  const fds = new Map([
    ['events', 7],
    ['cfg', 0x10203],
  ]);
  const loaded = applyRelocations(asm.bytes, asm.relocations, fds);
  assert.deepEqual(slots(loaded).slice(0, 4), [
    '18 11 00 00 07 00 00 00',
    '00 00 00 00 00 00 00 00',
    '18 22 00 00 03 02 01 00',
    '00 00 00 00 10 00 00 00',
  ]);
  assert.deepEqual(asm.bytes, before, 'the assembled bytes are not modified');
  assert.throws(() => applyRelocations(asm.bytes, asm.relocations, new Map([['events', 7]])), /no fd for map cfg/);
  assert.throws(
    () => applyRelocations(asm.bytes, [{ index: 4, kind: 'map_fd', map: 'events', offset: 0 }], fds),
    /not a map_fd ld_imm64/,
  );
});
