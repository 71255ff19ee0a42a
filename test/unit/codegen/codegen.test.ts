// Code generator: determinism (the same script gives the same bytes), the
// register allocator on deep expressions (it must spill, never leak or run
// out), quiet clauses that record nothing, and linking a probe program
// (trampoline + clauses + dt_error + support functions) that assembles.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assemble, disassemble, Helper } from '../../../src/bpf/index.js';
import { linkDispatchProgram, linkProbeProgram } from '../../../src/codegen/program.js';
import { State } from '../../../src/layout/memory.js';
import { compileD, linkAll } from './helpers.js';

const SCRIPT = `
#pragma D option strsize=64
BEGIN { x = 19; y = -5; self->t = x / y; this->u = (unsigned short)(x % y); }
tick-1s /execname == "init" && pid != 0 || x > 3/ { printf("%s %d %d\\n", execname, self->t, x ? y : 2); x++; }
END { if (x) { trace(x); } else { exit(1); } trace("done"); }
`;

function ringbufOutputs(items: readonly { kind: string; insn?: { code: number; imm: number } }[]): number {
  return items.filter((i) => i.kind === 'insn' && i.insn?.code === 0x85 && i.insn.imm === Helper.ringbuf_output).length;
}

describe('determinism', () => {
  it('compiling the same script twice gives identical bytes, relocations, records and string table', () => {
    const a = compileD(SCRIPT);
    const b = compileD(SCRIPT);
    const la = linkAll(a);
    const lb = linkAll(b);
    assert.ok(la.bytes.length > 0);
    assert.deepEqual(Buffer.from(la.bytes), Buffer.from(lb.bytes));
    assert.deepEqual(la.relocations, lb.relocations);
    assert.deepEqual(a.generated.records, b.generated.records);
    assert.deepEqual(Buffer.from(a.generated.strtab), Buffer.from(b.generated.strtab));
    assert.deepEqual(a.generated.scratch, b.generated.scratch);
    assert.deepEqual([...a.generated.functions.keys()], [...b.generated.functions.keys()]);
    for (const [name, items] of a.generated.functions) assert.deepEqual(items, b.generated.functions.get(name), name);
  });

  it('map references are relocations with fd 0 in the bytes, so the output does not depend on the host', () => {
    const l = linkAll(compileD(SCRIPT));
    assert.ok(l.relocations.length > 0);
    for (const r of l.relocations) {
      const view = new DataView(l.bytes.buffer, l.bytes.byteOffset + r.index * 8, 8);
      assert.equal(view.getUint8(0), 0x18, `ld_imm64 at ${r.index}`);
      assert.equal(view.getInt32(4, true), 0, `fd slot of ${r.map}`);
    }
    assert.deepEqual([...new Set(l.relocations.map((r) => r.map))].sort(), ['dt_dvar_2', 'dt_dvarspace', 'dt_events', 'dt_globals', 'dt_scratch', 'dt_state', 'dt_strtab']);
  });
});

describe('register allocation on deep expressions', () => {
  const vars = Array.from({ length: 40 }, (_, i) => `v${i}`);
  const decl = `BEGIN { ${vars.map((v, i) => `${v} = ${i + 1};`).join(' ')} }\n`;

  const deep: [string, string][] = [
    ['a left-leaning sum of 40 variables', vars.join(' + ')],
    ['a right-nested sum of 40 variables', vars.reduceRight((acc, v) => `(${v} + ${acc})`, '0')],
    ['a right-nested mix of * / % - with 40 variables', vars.reduceRight((acc, v, i) => `(${v} ${['*', '-', '/', '%'][i % 4]} (${acc} + 1))`, '1')],
    ['10 nested ternaries', vars.slice(0, 10).reduceRight((acc, v, i) => `(${v} > ${i} ? ${v} + ${acc} : ${acc} - ${v})`, '0')],
    ['a chain of 30 && and ||', vars.slice(0, 30).map((v, i) => `${v} ${i % 3 === 0 ? '>' : '!='} ${i}`).join(' && ').replace(/ && (v1\d)/g, ' || $1')],
    ['sums around helper calls (pid, timestamp, string compares)', vars.slice(0, 12).reduceRight((acc, v, i) => `(${v} + (i${i % 2 ? 'pid' : 'timestamp'}) + (execname == "x${i}") + ${acc})`, '0').replace(/ipid/g, 'pid').replace(/itimestamp/g, 'timestamp')],
  ];
  for (const [what, expr] of deep) {
    it(`${what} compiles, releases every register and assembles`, () => {
      const c = compileD(`${decl}END { r = ${expr}; trace(r); trace(${expr}); }`);
      const l = linkAll(c);
      assert.ok(l.insns.length > 40);
      assert.equal(c.generated.records[1].items.length, 2);
    });
  }

  it('a 40-deep expression as a predicate and in printf arguments', () => {
    const expr = vars.reduceRight((acc, v) => `(${v} + ${acc})`, '0');
    const c = compileD(`${decl}END /${expr} == 820/ { printf("%d %d %d\\n", ${expr}, ${expr}, ${expr}); }`);
    linkAll(c);
    assert.equal(c.generated.records[1].items[0].kind, 'printf');
  });

  it('deep expressions stay within the BPF stack (spill slots are reused)', () => {
    const expr = vars.reduceRight((acc, v) => `(${v} + ${acc})`, '0');
    const c = compileD(`${decl}END { a = ${expr}; b = ${expr}; c = ${expr}; d = ${expr}; trace(a + b + c + d); }`);
    const text = disassemble(linkAll(c).insns);
    const offsets = [...text.matchAll(/\(r10 -(\d+)\)/g)].map((m) => Number(m[1]));
    assert.ok(offsets.length > 0);
    assert.ok(Math.max(...offsets) <= 512, `deepest stack slot ${Math.max(...offsets)}`);
  });
});

describe('records are submitted only when there is something to print', () => {
  it('quiet: a clause with no action submits no record', () => {
    const f = compileD('BEGIN { x = 1; }', ['quiet']).generated.functions.get('dt_clause_0')!;
    assert.equal(ringbufOutputs(f), 0);
  });
  it('not quiet: a clause that only stores submits no record either, as DTrace prints no probe line for it', () => {
    const f = compileD('BEGIN { x = 1; @ = count(); }').generated.functions.get('dt_clause_0')!;
    assert.equal(ringbufOutputs(f), 0);
  });
  it('not quiet: an empty clause submits a record (dtrace prints the probe line)', () => {
    const f = compileD('BEGIN { }').generated.functions.get('dt_clause_0')!;
    assert.equal(ringbufOutputs(f), 1);
  });
  it('quiet: a clause with printf submits one record', () => {
    const f = compileD('BEGIN { printf("x"); }', ['quiet']).generated.functions.get('dt_clause_0')!;
    assert.equal(ringbufOutputs(f), 1);
  });
});

describe('linking a probe program', () => {
  it('linkProbeProgram with one clause assembles and starts with the trampoline', () => {
    const c = compileD('BEGIN { trace(1); }');
    const asm = assemble(linkProbeProgram(c.generated, { prid: 7, state: State.ACTIVE, args: { kind: 'none' }, clauses: [{ index: 0, epid: 1 }] }, []));
    assert.ok(asm.labels.has('dt_clause_0'));
    assert.ok(!asm.labels.has('dt_error'), 'dt_error is linked only when a clause can fault');
    assert.ok(!asm.labels.has('dt_strcmp'), 'dt_strcmp is linked only when called');
    const text = disassemble(asm.insns, { labels: asm.labels, relocations: asm.relocations });
    assert.match(text, /^ {2}0: r6 = r1\n/);
    assert.match(text, /= 7\n/, 'the probe id is stored into the machine state');
    assert.equal(asm.bytes.length, asm.insns.length * 8);
  });

  it('a clause comparing strings links dt_strcmp', () => {
    const c = compileD('BEGIN /execname == "x"/ { trace(1); }');
    const asm = assemble(linkProbeProgram(c.generated, { prid: 1, state: State.INACTIVE, args: { kind: 'none' }, clauses: [{ index: 0, epid: 1 }] }, []));
    assert.ok(asm.labels.has('dt_strcmp'));
  });

  it('ERROR clauses are called from dt_error', () => {
    const c = compileD('BEGIN { x = 1 / pid; }\nERROR { trace(arg4); }');
    const asm = assemble(linkProbeProgram(c.generated, { prid: 1, state: State.INACTIVE, args: { kind: 'none' }, clauses: [{ index: 0, epid: 1 }] }, [{ index: 1, epid: 2 }]));
    assert.ok(asm.labels.has('dt_clause_0'));
    assert.ok(asm.labels.has('dt_error'));
    assert.ok(asm.labels.has('dt_clause_1'));
  });

  it('a dispatch program finds each probe by key and shares clause calls between probes with the same clauses', () => {
    const c = compileD('BEGIN { trace(arg0); }\nBEGIN { trace(arg1); }');
    const args = { kind: 'ctx' as const, fields: [{ offset: 16, size: 8 as const, signed: false }] };
    // Probes 10..29 run clause 0; the odd ones run clause 1 too, as two clauses over different probe sets number them.
    const entries = Array.from({ length: 20 }, (_, i) => ({
      key: 3 * i, prid: 10 + i, args,
      clauses: i % 2 === 1 ? [{ index: 0, epid: 1 + i }, { index: 1, epid: 21 + (i >> 1) }] : [{ index: 0, epid: 1 + i }],
    }));
    const asm = assemble(linkDispatchProgram(c.generated, { state: State.ACTIVE, keyOffset: 8, entries }, []));
    const text = disassemble(asm.insns, { labels: asm.labels, relocations: asm.relocations });
    for (const e of entries) assert.match(text, new RegExp(`\\*\\(u32 \\*\\)\\(r9 \\+0\\) = ${e.prid}\\n`), `probe ${e.prid} is stored`);
    // Odd probes' second epid is not a constant distance from the first: each odd probe gets its own call sequence, the even ones share one.
    assert.equal((text.match(/call [-+]\d+ <dt_clause_0>/g) ?? []).length, 1 + 10);
    assert.equal((text.match(/call [-+]\d+ <dt_clause_1>/g) ?? []).length, 10);
  });

  it('ctx and perf argument sources assemble', () => {
    const c = compileD('BEGIN { trace(arg0 + arg1); }');
    for (const args of [
      { kind: 'ctx' as const, fields: [{ offset: 16, size: 8 as const, signed: true }, { offset: 24, size: 4 as const, signed: true }] },
      { kind: 'perf' as const },
    ]) {
      const asm = assemble(linkProbeProgram(c.generated, { prid: 4, state: State.ACTIVE, args, clauses: [{ index: 0, epid: 1 }] }, []));
      assert.ok(asm.insns.length > 20);
    }
  });
});
