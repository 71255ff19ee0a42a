// Unit: errno naming, error messages and verifier-log summarising on real log text.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  errnoMessage, errnoName, KernelError, NotSupportedError, PermissionError, summarizeVerifierLog, VerifierError,
} from '../../../src/kernel/errors.js';

test('errno names and messages', () => {
  assert.equal(errnoName(1), 'EPERM');
  assert.equal(errnoName(13), 'EACCES');
  assert.equal(errnoName(22), 'EINVAL');
  assert.equal(errnoName(524), 'ENOTSUPP');
  assert.equal(errnoName(4242), 'E4242');
  assert.equal(errnoMessage(1), 'Operation not permitted');
  assert.equal(errnoMessage(4242), 'Unknown error 4242');
});

test('KernelError message names the operation and errno text', () => {
  const e = new KernelError('bpf(PROG_LOAD)', 13);
  assert.equal(e.message, 'bpf(PROG_LOAD): Permission denied');
  assert.equal(e.code, 'EACCES');
  assert.equal(e.errno, 13);
  assert.equal(e.op, 'bpf(PROG_LOAD)');
  assert.ok(e instanceof Error);
  assert.equal(new KernelError('perf_event_open', 2, 'no such tracepoint').message, 'perf_event_open: No such file or directory (no such tracepoint)');
});

test('PermissionError explains what tracing needs and is a KernelError', () => {
  const e = new PermissionError('bpf(MAP_CREATE)', 1);
  assert.ok(e instanceof KernelError);
  assert.match(e.message, /^bpf\(MAP_CREATE\): Operation not permitted \(tracing needs root, or the CAP_BPF and CAP_PERFMON capabilities\)$/);
});

test('NotSupportedError carries feature and reason', () => {
  const e = new NotSupportedError('kprobe', 'no kprobe PMU');
  assert.equal(e.feature, 'kprobe');
  assert.equal(e.reason, 'no kprobe PMU');
  assert.equal(e.message, 'kprobe is not supported by this kernel: no kprobe PMU');
});

// Real logs captured from Linux 6.18.
const UNINIT = `0: R1=ctx() R10=fp0
0: (bf) r0 = r2
R2 !read_ok
processed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
`;

const NULL_DEREF = `0: R1=ctx() R10=fp0
0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()
1: (62) *(u32 *)(r10 -4) = 0          ; R10=fp0 fp-8=0000????
2: (18) r1 = 0xffff8881043de800       ; R1=map_ptr(map=h,ks=4,vs=8)
4: (bf) r2 = r10                      ; R2=fp0 R10=fp0
5: (07) r2 += -4                      ; R2=fp-4
6: (85) call bpf_map_lookup_elem#1    ; R0=map_value_or_null(id=1,map=h,ks=4,vs=8)
7: (15) if r0 == 0x0 goto pc+2 10: R0=0 R6=ctx() R10=fp0 fp-8=0000????
10: (79) r0 = *(u64 *)(r0 +0)
R0 invalid mem access 'scalar'
processed 12 insns (limit 1000000) max_states_per_insn 1 total_states 1 peak_states 1 mark_read 0
`;

const CFG = `unreachable insn 2
processed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
`;

const HELPER = `0: R1=ctx() R10=fp0
0: (7a) *(u64 *)(r10 -8) = 0          ; R10=fp0 fp-8=0
1: (b7) r1 = 0                        ; R1=0
2: (bf) r2 = r10                      ; R2=fp0 R10=fp0
3: (07) r2 += -8                      ; R2=fp-8
4: (b7) r3 = 8                        ; R3=8
5: (85) call bpf_probe_write_user#36
program of this type cannot use helper bpf_probe_write_user#36
processed 6 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
`;

// Hand-made: a program with BTF line info (source annotations) and multi-line reason.
const WITH_SOURCE = `func#0 @0
0: R1=ctx() R10=fp0
; x = arg0 @ script.d:3
0: (79) r2 = *(u64 *)(r1 +0)          ; R1=ctx() R2_w=scalar()
; y = *x @ script.d:4
1: (61) r0 = *(u32 *)(r2 +0)
R2 invalid mem access 'scalar'
verification time 25 usec
stack depth 0
processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
`;

test('verifier summary: uninitialized register', () => {
  assert.deepEqual(summarizeVerifierLog(UNINIT), { text: 'insn 0: r0 = r2: R2 !read_ok', insnIndex: 0 });
});

test('verifier summary: strips state annotations and keeps the failing instruction', () => {
  assert.deepEqual(summarizeVerifierLog(NULL_DEREF), { text: "insn 10: r0 = *(u64 *)(r0 +0): R0 invalid mem access 'scalar'", insnIndex: 10 });
});

test('verifier summary: CFG errors without an instruction trace', () => {
  assert.deepEqual(summarizeVerifierLog(CFG), { text: 'unreachable insn 2', insnIndex: 2 });
});

test('verifier summary: helper not allowed', () => {
  assert.equal(summarizeVerifierLog(HELPER).text, 'insn 5: call bpf_probe_write_user#36: program of this type cannot use helper bpf_probe_write_user#36');
});

test('verifier summary: source line annotation is reported', () => {
  const s = summarizeVerifierLog(WITH_SOURCE);
  assert.equal(s.text, "insn 1: r0 = *(u32 *)(r2 +0): R2 invalid mem access 'scalar'");
  assert.equal(s.insnIndex, 1);
  assert.equal(s.sourceLine, 'y = *x');
});

test('verifier summary: empty log', () => {
  assert.deepEqual(summarizeVerifierLog(''), { text: '' });
  assert.deepEqual(summarizeVerifierLog('processed 0 insns (limit 1000000)\n'), { text: '' });
});

test('VerifierError keeps the full log and says "verifier", not "permission"', () => {
  const e = new VerifierError('dt_clause_1', 13, NULL_DEREF);
  assert.ok(e instanceof KernelError);
  assert.equal(e.log, NULL_DEREF);
  assert.equal(e.insnIndex, 10);
  assert.equal(e.message, "bpf(PROG_LOAD) dt_clause_1: rejected by the verifier (EACCES): insn 10: r0 = *(u64 *)(r0 +0): R0 invalid mem access 'scalar'");
  assert.doesNotMatch(e.message, /processed|map_ptr/);
});
