// Kernel types from BTF in D, against a fixture kernel built with
// BtfWriter (kernel-fixture.ts), so these run without root on any host:
// curthread and its members have the types DTrace names in its messages;
// typedefs, enums, forward declarations, anonymous members and bit-fields
// resolve as in C; sizeof and offsetof follow the BTF layout; the code
// reads kernel memory at the members' offsets; the compiler asks for the
// kernel's types only when a script names one. Messages are dtrace-utils'
// (checked with the reference DTrace against the running kernel's
// task_struct, whose members these mirror). Tests marked `todo` state what
// dtrace-utils does that this compiler does not do yet.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { disassemble } from '../../../src/bpf/index.js';
import { KernelTypes } from '../../../src/sema/ktypes.js';
import type { TExpr } from '../../../src/sema/ir.js';
import { linkAll } from '../codegen/helpers.js';
import { SE, TASK, compileK, constK, kernelBtf, rejectsK, tracedK, typeK } from './kernel-fixture.js';

/** memberPath lists the members an expression reaches and their byte offsets in their struct, outermost last. */
function memberPath(e: TExpr): string[] {
  const out: string[] = [];
  let x: TExpr | undefined = e;
  while (x !== undefined) {
    if (x.k === 'member') {
      out.unshift(`${x.m.name}@${x.m.bitOffset / 8}`);
      x = x.obj;
    } else if (x.k === 'deref') {
      x = x.ptr;
    } else if (x.k === 'cast' || x.k === 'tostr') {
      x = x.e;
    } else {
      x = undefined;
    }
  }
  return out;
}

/**
 * kernelReads follows the straight-line code of dt_clause_0 symbolically
 * and lists its kernel memory reads as "<size> at <address>", where an
 * address is `task` (bpf_get_current_task's value) or `*[...]` (a value
 * read earlier) plus the constant added to it: "4 at task+44" reads
 * curthread->tgid, "4 at *[8 at task+64]+44" reads curthread->real_parent->tgid.
 * Register allocation and instruction order do not matter, only what is
 * read from where.
 */
function kernelReads(text: string): string[] {
  const { compiled } = compileK(text);
  const l = linkAll(compiled);
  const lines = disassemble(l.insns, { labels: l.labels, relocations: l.relocations, labelLines: true }).split('\n');
  const start = lines.indexOf('dt_clause_0:');
  assert.ok(start >= 0, 'dt_clause_0 is in the program');
  type Sym = { base: string; off: number } | undefined;
  const regs = new Map<string, Sym>();
  const stack = new Map<number, Sym>();
  const show = (s: Sym): string => s === undefined ? '?' : s.off === 0 ? s.base : `${s.base}+${s.off}`;
  const reads: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S.*:$/.test(line) && !line.startsWith('dt_clause_0/')) break; // the next function
    const insn = line.replace(/^\s*\d+: /, '');
    let m: RegExpExecArray | null;
    if ((m = /^(r\d) = r10$/.exec(insn))) regs.set(m[1], { base: 'fp', off: 0 });
    else if ((m = /^(r\d) = (r\d)$/.exec(insn))) regs.set(m[1], regs.get(m[2]));
    else if ((m = /^(r\d) = (-?\d+)$/.exec(insn))) {
      regs.set(m[1], { base: 'imm', off: Number(m[2]) });
    } else if ((m = /^(r\d) \+= (-?\d+)$/.exec(insn))) {
      const s = regs.get(m[1]);
      regs.set(m[1], s === undefined ? undefined : { base: s.base, off: s.off + Number(m[2]) });
    } else if ((m = /^(r\d) \+= (r\d)$/.exec(insn))) {
      const a = regs.get(m[1]);
      const b = regs.get(m[2]);
      const sum = a === undefined || b === undefined ? undefined
        : b.base === 'imm' ? { base: a.base, off: a.off + b.off } : a.base === 'imm' ? { base: b.base, off: a.off + b.off } : undefined;
      regs.set(m[1], sum);
    } else if ((m = /^(r\d) \*= (-?\d+)$/.exec(insn))) {
      const a = regs.get(m[1]);
      regs.set(m[1], a?.base === 'imm' ? { base: 'imm', off: a.off * Number(m[2]) } : undefined);
    } else if ((m = /^\*\(u64 \*\)\(r10 (-\d+)\) = (r\d)$/.exec(insn))) stack.set(Number(m[1]), regs.get(m[2]));
    else if ((m = /^(r\d) = \*\(u\d+ \*\)\(r10 (-\d+)\)$/.exec(insn))) regs.set(m[1], stack.get(Number(m[2])));
    else if (/^call bpf_get_current_task/.test(insn)) regs.set('r0', { base: 'task', off: 0 });
    else if (/^call bpf_probe_read_kernel#/.test(insn)) {
      const size = regs.get('r2');
      const dst = regs.get('r1');
      const what = `${size?.base === 'imm' ? size.off : '?'} at ${show(regs.get('r3'))}`;
      reads.push(what);
      if (dst?.base === 'fp') stack.set(dst.off, { base: `*[${what}]`, off: 0 });
      regs.set('r0', undefined);
    } else if ((m = /^[rw](\d+) \S*= /.exec(insn))) regs.set(`r${m[1]}`, undefined);
    else if (/^call /.test(insn)) for (const r of ['r0', 'r1', 'r2', 'r3', 'r4', 'r5']) regs.set(r, undefined);
  }
  return reads;
}

describe('curthread and its members', () => {
  it('curthread is a struct task_struct *', () => {
    assert.equal(typeK('curthread'), 'struct task_struct *');
    assert.equal(typeK('*curthread'), 'struct task_struct');
    assert.equal(typeK('curthread->real_parent'), 'struct task_struct *');
    assert.equal(typeK('curthread->real_parent->real_parent'), 'struct task_struct *');
  });

  it('members have their BTF types, named as DTrace names them', () => {
    const cases: [string, string][] = [
      ['curthread->pid', 'pid_t'],
      ['curthread->tgid', 'pid_t'],
      ['curthread->comm', 'char [16]'],
      ['curthread->comm[0]', 'char'],
      ['curthread->__state', 'unsigned int'],
      ['curthread->se', 'struct sched_entity'],
      ['curthread->se.vruntime', 'u64'],
      ['curthread->mm', 'struct mm_struct *'],
      ['curthread->state', 'enum task_state'],
      ['&curthread->pid', 'pid_t *'],
      ['&curthread->comm[1]', 'char *'],
      ['&curthread->se', 'struct sched_entity *'],
      ['(*curthread).tgid', 'pid_t'],
      ['curthread[0].comm', 'char [16]'],
    ];
    for (const [expr, want] of cases) assert.equal(typeK(expr), want, expr);
  });

  it('operator messages name kernel types as DTrace does', () => {
    rejectsK('BEGIN { trace(curthread == "a"); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "struct task_struct *" == "string"');
    rejectsK('BEGIN { trace(curthread->comm == curthread); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "char [16]" == "struct task_struct *"');
    rejectsK('BEGIN { trace(curthread == &curthread->pid); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "struct task_struct *" == "pid_t *"');
    rejectsK('BEGIN { trace(curthread->se + 1); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "struct sched_entity" + "int"');
    rejectsK('BEGIN { trace(*curthread->real_parent == 1); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "struct task_struct" == "int"');
    rejectsK('BEGIN { p = curthread; p = curthread->mm; }', 'D_OP_INCOMPAT', 'operands have incompatible types: "struct task_struct *" = "struct mm_struct *"');
  });

  it('a char array member is a string where D wants one (plain char from BTF is signed)', () => {
    assert.equal(typeK('stringof(curthread->comm)'), 'string');
    assert.equal(typeK('curthread->comm == execname'), 'int');
    assert.equal(typeK('curthread->comm == "dtrace"'), 'int');
    assert.equal(typeK('pid ? "a" : curthread->comm'), 'string');
    const { compiled } = compileK('BEGIN { s = "a"; s = curthread->comm; }');
    assert.equal(compiled.checked.variables[0].type.name, 'string');
  });

  it('the whole struct can be copied into a D variable and compared member by member', () => {
    const { compiled } = compileK('BEGIN { x = *curthread; x = *curthread->real_parent; trace(x.pid); }');
    assert.equal(compiled.checked.variables[0].type.name, 'struct task_struct');
    rejectsK('BEGIN { x = *curthread; x = curthread->se; }', 'D_OP_INCOMPAT', 'operands have incompatible types: "struct task_struct" = "struct sched_entity"');
  });
});

describe('sizes and offsets follow the BTF layout', () => {
  it('sizeof of kernel structs, members and typedefs', () => {
    assert.deepEqual(constK('sizeof(struct task_struct)'), { type: 'size_t', value: BigInt(TASK.size) });
    assert.deepEqual(constK('sizeof(*curthread)'), { type: 'size_t', value: BigInt(TASK.size) });
    assert.deepEqual(constK('sizeof(struct sched_entity)'), { type: 'size_t', value: BigInt(SE.size) });
    assert.deepEqual(constK('sizeof(curthread->comm)'), { type: 'size_t', value: 16n });
    assert.deepEqual(constK('sizeof(curthread->real_parent)'), { type: 'size_t', value: 8n });
    assert.deepEqual(constK('sizeof(u64)'), { type: 'size_t', value: 8n });
    assert.deepEqual(constK('sizeof(enum task_state)'), { type: 'size_t', value: 4n });
  });

  it('offsetof, also through anonymous members', () => {
    assert.equal(constK('offsetof(struct task_struct, pid)').value, BigInt(TASK.pid));
    assert.equal(constK('offsetof(struct task_struct, comm)').value, BigInt(TASK.comm));
    assert.equal(constK('offsetof(struct task_struct, cpu_b)').value, BigInt(TASK.anonUnion));
    assert.equal(constK('offsetof(struct task_struct, inner_y)').value, BigInt(TASK.anonStruct + 4));
    assert.equal(constK('offsetof(struct sched_entity, vprot)').value, BigInt(SE.anonUnion));
    assert.equal(constK('offsetof(struct sched_entity, vlag)').value, constK('offsetof(struct sched_entity, vprot)').value);
  });

  it('the checked members carry their offsets', () => {
    assert.deepEqual(memberPath(tracedK('curthread->tgid')), [`tgid@${TASK.tgid}`]);
    assert.deepEqual(memberPath(tracedK('curthread->real_parent->comm')), [`real_parent@${TASK.realParent}`, `comm@${TASK.comm}`]);
    assert.deepEqual(memberPath(tracedK('curthread->se.on_rq')), [`se@${TASK.se}`, `on_rq@${SE.onRq}`]);
  });
});

describe('generated code reads kernel memory at the members\' offsets', () => {
  it('curthread->tgid reads 4 bytes at the task plus tgid\'s offset', () => {
    assert.deepEqual(kernelReads('BEGIN { trace(curthread->tgid); }'), [`4 at task+${TASK.tgid}`]);
  });

  it('a pointer member is read, then the member of what it points to', () => {
    const parent = `8 at task+${TASK.realParent}`;
    assert.deepEqual(kernelReads('BEGIN { trace(curthread->real_parent->tgid); }'), [parent, `4 at *[${parent}]+${TASK.tgid}`]);
  });

  it('a nested struct member adds both offsets; pointers and arrays follow their element sizes', () => {
    assert.deepEqual(kernelReads('BEGIN { trace(curthread->se.on_rq); }'), [`4 at task+${TASK.se + SE.onRq}`]);
    assert.deepEqual(kernelReads('BEGIN { trace(curthread->comm[3]); }'), [`1 at task+${TASK.comm + 3}`]);
    assert.deepEqual(kernelReads('BEGIN { trace(*(&curthread->pid + 1)); }'), [`4 at task+${TASK.pid + 4}`]);
  });

  it('anonymous union and struct members are read at their place in the enclosing struct', () => {
    assert.deepEqual(kernelReads('BEGIN { trace(curthread->cpu_b); }'), [`4 at task+${TASK.anonUnion}`]);
    assert.deepEqual(kernelReads('BEGIN { trace(curthread->inner_y); }'), [`4 at task+${TASK.anonStruct + 4}`]);
    assert.deepEqual(kernelReads('BEGIN { trace(curthread->se.vprot); }'), [`8 at task+${TASK.se + SE.anonUnion}`]);
  });

  it('a bit-field is read from the bytes that hold it', () => {
    const reads = kernelReads('BEGIN { trace(curthread->prio); }');
    assert.equal(reads.length, 1);
    assert.match(reads[0], new RegExp(` at task\\+${TASK.bitfieldWord}$`));
  });
});

describe('anonymous members', () => {
  it('members of anonymous unions and structs are found by name, with their types', () => {
    assert.equal(typeK('curthread->cpu_a'), 'unsigned int');
    assert.equal(typeK('curthread->cpu_b'), 'int');
    assert.equal(typeK('curthread->inner_x'), 'int');
    assert.equal(typeK('curthread->se.vlag'), 's64');
    assert.equal(typeK('curthread->se.vprot'), 'u64');
  });

  it('members of an anonymous union share their address', () => {
    rejectsK('BEGIN { trace(&curthread->se.vlag == &curthread->se.vprot); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "s64 *" == "u64 *"');
  });

  it('a name no member has is D_TYPE_MEMBER naming the struct searched', () => {
    rejectsK('BEGIN { trace(curthread->nosuch); }', 'D_TYPE_MEMBER', 'nosuch is not a member of struct task_struct');
    rejectsK('BEGIN { trace(curthread->se.nosuch); }', 'D_TYPE_MEMBER', 'nosuch is not a member of struct sched_entity');
    rejectsK('BEGIN { trace((*curthread).nosuch); }', 'D_TYPE_MEMBER', 'nosuch is not a member of struct task_struct');
  });
});

describe('bit-fields', () => {
  it('have their declared type and width', () => {
    const e = tracedK('curthread->prio');
    assert.equal(e.type.name, 'int');
    assert.equal(e.k, 'member');
    const m = (e as TExpr & { k: 'member' }).m;
    assert.deepEqual({ bits: m.bits, bitOffset: m.bitOffset }, { bits: 5, bitOffset: TASK.bitfieldWord * 8 + 2 });
    assert.equal(typeK('curthread->sched_contributes_to_load'), 'unsigned int');
  });

  it('their address, size and offset cannot be taken', () => {
    rejectsK('BEGIN { trace(&curthread->sched_reset_on_fork); }', 'D_ADDROF_BITFIELD', 'cannot take address of bit-field');
    rejectsK('BEGIN { trace(sizeof(curthread->sched_reset_on_fork)); }', 'D_SIZEOF_BITFIELD', 'cannot apply sizeof to a bit-field');
    rejectsK('BEGIN { trace(offsetof(struct task_struct, sched_reset_on_fork)); }', 'D_OFFSETOF_BITFIELD',
      'cannot take offset of a bit-field: sched_reset_on_fork');
  });
});

describe('-> and . on the wrong operands', () => {
  it('-> on a non-pointer is D_OP_PTR', () => {
    rejectsK('BEGIN { trace(curthread->pid->x); }', 'D_OP_PTR', 'operator -> must be applied to a pointer');
    rejectsK('BEGIN { trace(curthread->comm->x); }', 'D_OP_PTR', 'operator -> must be applied to a pointer');
    rejectsK('BEGIN { trace(pid->x); }', 'D_OP_PTR', 'operator -> must be applied to a pointer');
  });

  it('. on a pointer or an array, -> on a pointer to a scalar are D_OP_SOU', () => {
    rejectsK('BEGIN { trace(curthread.pid); }', 'D_OP_SOU', 'operator . cannot be applied to type "struct task_struct *"; must be applied to a struct or union');
    rejectsK('BEGIN { trace(curthread->comm.x); }', 'D_OP_SOU', 'operator . cannot be applied to type "char [16]"; must be applied to a struct or union');
    rejectsK('BEGIN { trace(((int *)0)->x); }', 'D_OP_SOU', 'operator -> cannot be applied to pointer to type "int"; must be applied to a struct or union pointer');
  });

  it('the type in D_OP_SOU is the typedef resolved (pid_t is int)', {
  }, () => {
    rejectsK('BEGIN { trace(curthread->pid.x); }', 'D_OP_SOU', 'operator . cannot be applied to type "int"; must be applied to a struct or union');
    rejectsK('BEGIN { trace(((pid_t *)0)->x); }', 'D_OP_SOU', 'operator -> cannot be applied to pointer to type "int"; must be applied to a struct or union pointer');
  });

  it('-> through a pointer to a struct the kernel only declares is D_OP_INCOMPLETE', () => {
    rejectsK('BEGIN { trace(curthread->mm->users); }', 'D_OP_INCOMPLETE',
      'operator -> cannot be applied to a forward declaration: no struct mm_struct definition is available');
    rejectsK('struct foo;\nBEGIN { trace(((struct foo *)0)->x); }', 'D_OP_INCOMPLETE',
      'operator -> cannot be applied to a forward declaration: no struct foo definition is available', 2);
  });

  it('a pointer to a forward declaration the kernel defines reaches the definition', () => {
    assert.equal(typeK('curthread->group_leader'), 'struct task_struct *');
    assert.equal(typeK('curthread->group_leader->pid'), 'pid_t');
    assert.equal(typeK('curthread->group_leader == curthread'), 'int');
  });
});

describe('kernel typedefs, enums and structs as type names', () => {
  it('a kernel typedef casts and truncates like its base type', () => {
    assert.deepEqual(constK('(u32)-1'), { type: 'u32', value: 4294967295n });
    assert.deepEqual(constK('(u32)0x100000001'), { type: 'u32', value: 1n });
    assert.equal(typeK('(u64)pid'), 'u64');
    rejectsK('BEGIN { trace((u32)1 == "a"); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "u32" == "string"');
    rejectsK('BEGIN { trace((u32 *)0 == "a"); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "u32 *" == "string"');
  });

  it('kernel types declare D variables', () => {
    const { compiled } = compileK('u32 x;\nstruct task_struct *t;\nself u64 y;\nBEGIN { x = 1; t = curthread; self->y = 2; }');
    assert.deepEqual(compiled.checked.variables.map((v) => `${v.scope} ${v.name}: ${v.type.name}`), [
      'global x: u32', 'global t: struct task_struct *', 'self y: u64',
    ]);
  });

  it('a pointer cast to a kernel struct gives access to its members', () => {
    assert.equal(typeK('((struct task_struct *)arg0)->comm'), 'char [16]');
    assert.equal(typeK('((struct sched_entity *)&curthread->se)->vruntime'), 'u64');
  });

  it('an enum member compares with the enum\'s enumerators', () => {
    assert.equal(typeK('curthread->state == TASK_DEAD'), 'int');
    assert.equal(typeK('(enum task_state)1'), 'enum task_state');
  });

  it('kernel enumerators are integer constants', {
  }, () => {
    assert.deepEqual(constK('TASK_DEAD'), { type: 'int', value: 64n });
  });

  it('an unknown struct pointer is allowed in a cast, an unknown type name is a syntax error', () => {
    assert.equal(typeK('(struct nosuch *)0'), 'struct nosuch *');
    rejectsK('BEGIN { trace((nosuch_t)0); }', 'D_SYNTAX', 'syntax error near "0"');
  });

  it('kernel function prototypes are read from BTF', () => {
    const k = new KernelTypes(kernelBtf());
    const f = k.funcType('wake_up_process');
    assert.ok(f !== undefined);
    assert.equal(f.ret.name, 'int');
    assert.deepEqual(f.params.map((p) => p.name), ['struct task_struct *']);
    assert.equal(k.funcType('nosuch'), undefined);
  });
});

describe('kernel types are read only when a script names one', () => {
  const plain = [
    'BEGIN { x = 1; trace((x) + 1); printf("%s %d\\n", execname, pid); }',
    'BEGIN { a["k", 1] = 2; self->s = "v"; this->t = (uint32_t)3; trace(-(this->t)); }',
    'struct s { int a; char c[4]; };\nstruct s v;\nBEGIN { v.a = 1; trace(v.a + sizeof(struct s)); }',
    'typedef int myint;\nBEGIN { trace((myint)2); trace(sizeof(pid_t)); }',
    'BEGIN { @c[probefunc] = count(); exit(0); }',
  ];
  for (const src of plain) {
    it(`never for ${JSON.stringify(src.split('\n').pop())}`, () => assert.equal(compileK(src).typeCalls, 0));
  }

  it('curthread, ppid, a kernel typedef or struct make the compiler ask', () => {
    for (const src of ['BEGIN { trace(curthread->pid); }', 'BEGIN { trace(ppid); }', 'BEGIN { trace((u32)1); }', 'BEGIN { trace(sizeof(struct task_struct)); }']) {
      assert.ok(compileK(src).typeCalls >= 1, src);
    }
  });

  it('without kernel types, curthread is a void pointer and its members are unknown', () => {
    const { compiled } = compileK('BEGIN { trace(curthread); }', { withTypes: false });
    const s = compiled.checked.clauses[0].body[0];
    assert.equal(s.k === 'trace' ? s.e.type.name : '', 'void *');
  });
});
