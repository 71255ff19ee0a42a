// Runtime: load real programs, see verifier rejections summarised, test-run raw tracepoints.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BpfMap, BpfProgram, KernelError, MapType, NotSupportedError, ProgType, AttachType, VerifierError, onlineCpus } from '../../../src/kernel/index.js';
import { Helper, I, program, R0, R1, R2, R6, R10 } from '../../../src/kernel/insn.js';
import { openFdCount, runtimeSkip } from '../util.js';

const skip = runtimeSkip();

test('a tiny tracepoint program loads; names are sanitized to 15 chars', { skip }, () => {
  const base = openFdCount();
  const p = BpfProgram.load({ name: 'dt:syscall::read:entry-long-name', type: ProgType.TRACEPOINT, insns: program(I.movImm(R0, 0), I.exit()), license: 'GPL' });
  assert.equal(p.name, 'dt_syscall__rea');
  assert.equal(p.insnCount, 2);
  const info = p.info();
  assert.ok(info.id > 0);
  assert.equal(info.name, 'dt_syscall__rea');
  p.close();
  p.close();
  assert.equal(openFdCount(), base);
});

test('reading an uninitialized register gives a VerifierError with a short summary', { skip }, () => {
  const base = openFdCount();
  assert.throws(
    () => BpfProgram.load({ name: 'bad_reg', type: ProgType.RAW_TRACEPOINT, insns: program(I.mov(R0, R2), I.exit()), license: 'GPL' }),
    (e: unknown) => {
      assert.ok(e instanceof VerifierError);
      assert.equal(e.code, 'EACCES');
      assert.equal(e.summary, 'insn 0: r0 = r2: R2 !read_ok');
      assert.equal(e.insnIndex, 0);
      assert.match(e.log, /processed \d+ insns/, 'the full log is kept');
      assert.doesNotMatch(e.message, /processed/, 'the message never carries the raw dump');
      return true;
    },
  );
  assert.equal(openFdCount(), base);
});

test('a possibly-NULL map value dereference is pinned to its instruction', { skip }, () => {
  const m = BpfMap.create({ name: 'test_h', type: MapType.HASH, keySize: 4, valueSize: 8, maxEntries: 1 });
  try {
    const insns = program(
      I.mov(R6, R1), I.st('w', R10, -4, 0), I.ldMapFd(R1, m.fd), I.mov(R2, R10), I.addImm(R2, -4),
      I.call(Helper.map_lookup_elem), I.ldx('dw', R0, R0, 0), I.exit(),
    );
    assert.throws(() => BpfProgram.load({ name: 'bad_null', type: ProgType.TRACEPOINT, insns, license: 'GPL' }), (e: unknown) => {
      assert.ok(e instanceof VerifierError);
      assert.equal(e.insnIndex, 7);
      assert.match(e.summary, /^insn 7: r0 = \*\(u64 \*\)\(r0 \+0\): R0 invalid mem access 'map_value_or_null'$/);
      return true;
    });
  } finally {
    m.close();
  }
});

test('malformed instruction bytes are refused before the syscall', { skip }, () => {
  assert.throws(() => BpfProgram.load({ name: 'x', type: ProgType.TRACEPOINT, insns: new Uint8Array(12), license: 'GPL' }), RangeError);
});

test('test_run of a raw_tracepoint program returns 42, on each online CPU', { skip }, () => {
  const base = openFdCount();
  const p = BpfProgram.load({ name: 'ret42', type: ProgType.RAW_TRACEPOINT, insns: program(I.movImm(R0, 42), I.exit()), license: 'GPL' });
  assert.equal(p.testRun(undefined).retval, 42);
  for (const cpu of onlineCpus()) assert.equal(p.testRun(Buffer.alloc(8), { cpu }).retval, 42);
  p.close();
  // ctx_in carries the u64 arguments the program sees.
  const echo = BpfProgram.load({ name: 'echo_arg1', type: ProgType.RAW_TRACEPOINT, insns: program(I.ldx('dw', R0, R1, 8), I.exit()), license: 'GPL' });
  const args = Buffer.alloc(16);
  args.writeBigUInt64LE(7n, 0);
  args.writeBigUInt64LE(42n, 8);
  assert.deepEqual(echo.testRun(args, { cpu: 0 }), { retval: 42, durationNs: 0 });
  assert.throws(() => echo.testRun(args, { repeat: 10 }), (e: unknown) => e instanceof KernelError && e.code === 'EINVAL');
  echo.close();
  assert.equal(openFdCount(), base);
});

test('test_run of a program writing a map value is visible from user space', { skip }, () => {
  const m = BpfMap.create({ name: 'test_arr', type: MapType.ARRAY, keySize: 4, valueSize: 8, maxEntries: 1 });
  const insns = program(
    I.st('w', R10, -4, 0), I.ldMapFd(R1, m.fd), I.mov(R2, R10), I.addImm(R2, -4), I.call(Helper.map_lookup_elem),
    I.jeqImm(R0, 0, 2), I.movImm(R1, 5), I.atomicAdd64(R0, 0, R1), I.movImm(R0, 0), I.exit(),
  );
  const p = BpfProgram.load({ name: 'bump', type: ProgType.RAW_TRACEPOINT, insns, license: 'GPL' });
  p.testRun(undefined);
  p.testRun(undefined, { cpu: 0 });
  assert.equal(m.lookup(Buffer.alloc(4))!.readBigUInt64LE(0), 10n);
  p.close();
  m.close();
});

test('tracing (fentry) programs: loaded, or refused with NotSupportedError', { skip }, () => {
  try {
    BpfProgram.load({ name: 'fentry', type: ProgType.TRACING, expectedAttachType: AttachType.TRACE_FENTRY, attachBtfId: 0, insns: program(I.movImm(R0, 0), I.exit()), license: 'GPL' }).close();
    assert.fail('attach_btf_id 0 can never load');
  } catch (e) {
    assert.ok(e instanceof NotSupportedError || e instanceof KernelError, String(e));
  }
});
