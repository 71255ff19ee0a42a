// A small kernel for the checker tests: BTF built with BtfWriter (so the
// tests run without root on any host) holding the kinds of types a real
// vmlinux gives D: a struct task_struct with typedef'd, array, pointer,
// bit-field, nested-struct, anonymous-union and anonymous-struct members,
// a pointer to a forward declaration that is defined, one to a struct the
// kernel only declares, an enum and a function. compileK compiles D with
// it through the real pipeline (session/compile.ts) and counts how often
// the compiler asked for the kernel's types.

import assert from 'node:assert/strict';
import { BtfWriter, parseBtf, type Btf } from '../../../src/btf/index.js';
import { CompileError } from '../../../src/diag/diagnostic.js';
import type { TExpr, TStmt } from '../../../src/sema/ir.js';
import type { KernelInfo } from '../../../src/sema/env.js';
import { KernelTypes } from '../../../src/sema/ktypes.js';
import { Options } from '../../../src/sema/options.js';
import { compile, SourceError, type Compiled } from '../../../src/session/compile.js';

/**
 * Byte offsets of struct task_struct's members in the fixture. The
 * layout is the fixture's own (not the implementation's): tests compare
 * what the compiler reports and generates against these numbers.
 */
export const TASK = {
  size: 104,
  state: 0, // unsigned int __state
  flags: 4, // unsigned int flags
  bitfieldWord: 8, // unsigned int sched_reset_on_fork:1 (bit 0), sched_contributes_to_load:1 (bit 1), int prio:5 (bits 2-6)
  se: 16, // struct sched_entity (24 bytes)
  pid: 40, // pid_t
  tgid: 44, // pid_t
  comm: 48, // char [16]
  realParent: 64, // struct task_struct *
  mm: 72, // struct mm_struct * (declared only)
  groupLeader: 80, // struct task_struct * through the forward declaration
  anonUnion: 88, // union { unsigned int cpu_a; int cpu_b; }
  anonStruct: 92, // struct { int inner_x; int inner_y; }
  stateEnum: 100, // enum task_state state
} as const;

/** Offsets inside struct sched_entity. */
export const SE = { size: 24, vruntime: 0, anonUnion: 8, onRq: 16 } as const;

/** buildKernelBtf writes the fixture's BTF blob. */
export function buildKernelBtf(): Uint8Array {
  const w = new BtfWriter();
  const int = w.addInt('int', 4, { signed: true });
  const uint = w.addInt('unsigned int', 4);
  // pahole writes plain char with no sign bit; D takes it as signed.
  const char = w.addInt('char', 1);
  const long = w.addInt('long int', 8, { signed: true });
  const ullong = w.addInt('long long unsigned int', 8);
  const kpid = w.addTypedef('__kernel_pid_t', int);
  const pidT = w.addTypedef('pid_t', kpid);
  w.addTypedef('u32', uint);
  const u64 = w.addTypedef('u64', ullong);
  const s64 = w.addTypedef('s64', long);
  const comm = w.addArray(char, int, 16);
  const state = w.addEnum('task_state', [
    { name: 'TASK_RUNNING', value: 0 },
    { name: 'TASK_INTERRUPTIBLE', value: 1 },
    { name: 'TASK_DEAD', value: 64 },
  ]);
  // struct mm_struct is only declared; struct task_struct is also declared
  // ahead (group_leader points to the declaration) and defined below.
  const mmFwd = w.addFwd('mm_struct');
  const mmPtr = w.addPtr(mmFwd);
  const taskFwd = w.addFwd('task_struct');
  const taskFwdPtr = w.addPtr(taskFwd);
  const seUnion = w.addUnion('', 8, [
    { name: 'vlag', typeId: s64, bitOffset: 0 },
    { name: 'vprot', typeId: u64, bitOffset: 0 },
  ]);
  const se = w.addStruct('sched_entity', SE.size, [
    { name: 'vruntime', typeId: u64, bitOffset: SE.vruntime * 8 },
    { name: '', typeId: seUnion, bitOffset: SE.anonUnion * 8 },
    { name: 'on_rq', typeId: uint, bitOffset: SE.onRq * 8 },
  ]);
  const cpuUnion = w.addUnion('', 4, [
    { name: 'cpu_a', typeId: uint, bitOffset: 0 },
    { name: 'cpu_b', typeId: int, bitOffset: 0 },
  ]);
  const inner = w.addStruct('', 8, [
    { name: 'inner_x', typeId: int, bitOffset: 0 },
    { name: 'inner_y', typeId: int, bitOffset: 32 },
  ]);
  // The pointer to task_struct is added just before the struct, so it points forward to the next id.
  const taskPtr = w.addPtr(w.typeCount + 1);
  const task = w.addStruct('task_struct', TASK.size, [
    { name: '__state', typeId: uint, bitOffset: TASK.state * 8 },
    { name: 'flags', typeId: uint, bitOffset: TASK.flags * 8 },
    { name: 'sched_reset_on_fork', typeId: uint, bitOffset: TASK.bitfieldWord * 8, bitfieldSize: 1 },
    { name: 'sched_contributes_to_load', typeId: uint, bitOffset: TASK.bitfieldWord * 8 + 1, bitfieldSize: 1 },
    { name: 'prio', typeId: int, bitOffset: TASK.bitfieldWord * 8 + 2, bitfieldSize: 5 },
        { name: 'se', typeId: se, bitOffset: TASK.se * 8 },
    { name: 'pid', typeId: pidT, bitOffset: TASK.pid * 8 },
    { name: 'tgid', typeId: pidT, bitOffset: TASK.tgid * 8 },
    { name: 'comm', typeId: comm, bitOffset: TASK.comm * 8 },
    { name: 'real_parent', typeId: taskPtr, bitOffset: TASK.realParent * 8 },
    { name: 'mm', typeId: mmPtr, bitOffset: TASK.mm * 8 },
    { name: 'group_leader', typeId: taskFwdPtr, bitOffset: TASK.groupLeader * 8 },
    { name: '', typeId: cpuUnion, bitOffset: TASK.anonUnion * 8 },
    { name: '', typeId: inner, bitOffset: TASK.anonStruct * 8 },
    { name: 'state', typeId: state, bitOffset: TASK.stateEnum * 8 },
  ]);
  assert.equal(task, taskPtr + 1, 'the task_struct pointer points at task_struct');
  const proto = w.addFuncProto(int, [{ name: 'p', typeId: taskPtr }]);
  w.addFunc('wake_up_process', proto, 'global');
  return w.toBytes();
}

let btf: Btf | undefined;

/** kernelBtf parses the fixture once. */
export function kernelBtf(): Btf {
  btf ??= parseBtf(buildKernelBtf());
  return btf;
}

/** A compilation with the fixture kernel and how many times its types were asked for. */
export interface KCompiled {
  readonly compiled: Compiled;
  readonly typeCalls: number;
}

/** compileK compiles `text` as a script against the fixture kernel (probes are not matched). */
export function compileK(text: string, opts: { withTypes?: boolean } = {}): KCompiled {
  let typeCalls = 0;
  const kernel: KernelInfo = {
    types: () => {
      typeCalls++;
      return opts.withTypes === false ? undefined : new KernelTypes(kernelBtf());
    },
    symbol: () => undefined,
  };
  const compiled = compile([{ kind: 'script', name: 'test.d', text }], { options: new Options(), parse: {}, kernel, noProbes: true });
  return { compiled, typeCalls };
}

/** compileErrorK returns the CompileError compiling `text` must throw. */
export function compileErrorK(text: string): CompileError {
  try {
    compileK(text);
  } catch (e) {
    if (e instanceof SourceError) return e.error;
    if (e instanceof CompileError) return e;
    throw e;
  }
  assert.fail(`expected a compile error for ${JSON.stringify(text)}`);
}

/** rejectsK asserts DTrace's tag and exact message (and optionally the line) for `text`. */
export function rejectsK(text: string, tag: string, message: string, line?: number): void {
  const e = compileErrorK(text);
  assert.equal(e.diag.tag, tag, `tag for ${JSON.stringify(text)}: ${e.diag.message}`);
  assert.equal(e.diag.message, message, `message for ${JSON.stringify(text)}`);
  if (line !== undefined) assert.equal(e.diag.pos?.line, line, `line for ${JSON.stringify(text)}`);
}

/** tracedK compiles `<decls> BEGIN { trace(<expr>); }` and returns the checked expression. */
export function tracedK(expr: string, decls = ''): TExpr {
  const { compiled } = compileK(`${decls}\nBEGIN { trace(${expr}); }`);
  const body = compiled.checked.clauses[compiled.checked.clauses.length - 1].body;
  const s = body[body.length - 1] as TStmt;
  assert.equal(s.k, 'trace');
  return (s as TStmt & { k: 'trace' }).e;
}

/** typeK is the D type name of `expr`, as DTrace prints it in messages. */
export function typeK(expr: string, decls = ''): string {
  return tracedK(expr, decls).type.name;
}

/** constK checks that `expr` folds to an integer constant and gives its type name and value. */
export function constK(expr: string, decls = ''): { type: string; value: bigint } {
  const e = tracedK(expr, decls);
  assert.equal(e.k, 'int', `${expr} did not fold to a constant (got ${e.k})`);
  return { type: e.type.name, value: (e as TExpr & { k: 'int' }).value };
}
