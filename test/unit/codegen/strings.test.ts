// Code generation of the string subroutines: which run-time functions a
// program links, the BTF func_info that programs handing callbacks to
// bpf_loop need, strtok's per-firing reset, and scratch sizing (the string
// functions' slack, strtok's state).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBtf } from '../../../src/btf/index.js';
import { MS, State } from '../../../src/layout/memory.js';
import { assemble, disassemble, funcBtf, funcInfo, functionNames, MAIN_FUNC, usesCallbacks } from '../../../src/bpf/index.js';
import { linkProbeProgram } from '../../../src/codegen/program.js';
import { compileD, linkAll } from './helpers.js';

const CALLS: [string, string[]][] = [
  ['strjoin(s, "x")', ['dt_strjoin']],
  ['substr(s, 1, 2)', ['dt_substr']],
  ['strchr(s, \'x\')', ['dt_strchr', 'dt_scan', 'dt_scan_cb']],
  ['toupper(s)', ['dt_toupper', 'dt_toupper_cb']],
  ['basename(s)', ['dt_basename', 'dt_scan']],
  ['dirname(s)', ['dt_dirname', 'dt_scan']],
  ['lltostr(12, 16)', ['dt_lltostr']],
  ['index(s, "x")', ['dt_index', 'dt_index_cb']],
  ['strstr(s, "x")', ['dt_strstr', 'dt_index', 'dt_substr']],
  ['strtok(s, "/")', ['dt_strtok', 'dt_strtok_tab', 'dt_strtok_scan']],
  ['cleanpath(s)', ['dt_cleanpath', 'dt_cleanpath_cb']],
  ['strtoll(s, 8)', ['dt_strtoll', 'dt_strtoll_cb']],
];

describe('string subroutines link their run-time functions', () => {
  for (const [call, fns] of CALLS) {
    it(call, () => {
      const asm = linkAll(compileD(`BEGIN { s = "/a/b"; trace(${call}); }`));
      for (const fn of fns) assert.ok(asm.labels.has(fn), `${fn} linked`);
    });
  }
  it('strlen() needs no run-time function and no callback', () => {
    const asm = linkAll(compileD('BEGIN { trace(strlen("abc")); }'));
    assert.ok(![...asm.labels.keys()].some((l) => l.startsWith('dt_str')));
    assert.equal(usesCallbacks(asm), false);
  });
  it('a program without string functions takes no function address', () => {
    assert.equal(usesCallbacks(linkAll(compileD('BEGIN { trace(1); }'))), false);
  });
});

describe('func_info for bpf_loop callbacks', () => {
  it('every function of the program has a record, in instruction order, the main one first', () => {
    const c = compileD('BEGIN { s = "/a/./b"; trace(cleanpath(s)); trace(index(s, "b")); }');
    const asm = linkAll(c);
    assert.equal(usesCallbacks(asm), true);
    const names = functionNames(asm);
    assert.ok([...names.values()].includes('dt_cleanpath_cb'), 'a callback is a function');
    assert.ok([...names.values()].includes('dt_clause_0'), 'a called function is a function');
    const btf = funcBtf(names.values());
    const info = funcInfo(asm, btf);
    const dv = new DataView(info.buffer);
    const recs = Array.from({ length: info.length / 8 }, (_, i) => [dv.getUint32(8 * i, true), dv.getUint32(8 * i + 4, true)]);
    assert.deepEqual(recs[0], [0, btf.ids.get(MAIN_FUNC)]);
    for (let i = 1; i < recs.length; i++) assert.ok(recs[i][0] > recs[i - 1][0]);
    assert.equal(recs.length, names.size + 1);
    for (const [at, name] of names) {
      assert.equal(asm.labels.get(name), at);
      assert.ok(recs.some(([o, id]) => o === at && id === btf.ids.get(name)), name);
    }
  });
  it('the BTF blob names each function once, the main one global', () => {
    const btf = funcBtf(['dt_a', 'dt_b', 'dt_a']);
    const parsed = parseBtf(btf.blob);
    assert.equal(btf.ids.size, 3);
    for (const [name, id] of btf.ids) {
      assert.equal(parsed.nameOf(id), name);
      assert.equal(parsed.kindOf(id), 'func');
    }
  });
});

describe('strtok state', () => {
  const reset = (text: string): boolean => disassemble(linkAll(compileD(text)).insns).includes(`*(u64 *)(r9 +${MS.strtok}) = -1`);
  it('is reset as each probe fires when a clause calls strtok()', () => {
    assert.equal(reset('BEGIN { trace(strtok("a b", " ")); trace(strtok(NULL, " ")); }'), true);
  });
  it('is reset in every probe when an ERROR clause calls strtok()', () => {
    const c = compileD('BEGIN { trace(1); }\nERROR { trace(strtok(NULL, " ")); }');
    const text = disassemble(assemble(linkProbeProgram(c.generated, { prid: 1, state: State.INACTIVE, args: { kind: 'none' }, clauses: [{ index: 0, epid: 1 }] }, [{ index: 1, epid: 2 }])).insns);
    assert.ok(text.includes(`*(u64 *)(r9 +${MS.strtok}) = -1`));
  });
  it('costs nothing in probes without strtok()', () => {
    assert.equal(reset('BEGIN { trace(strjoin("a", "b")); }'), false);
  });
  it('takes scratch only when used', () => {
    const plain = compileD('BEGIN { trace(1); }').generated.scratch;
    const tok = compileD('BEGIN { trace(strtok("a", " ")); }').generated.scratch;
    assert.equal(plain.recOff, plain.strtokOff);
    assert.ok(tok.recOff > tok.strtokOff);
  });
});

describe('scratch for string functions', () => {
  it('has slack past the record for the functions\' bounded writes', () => {
    const a = compileD('BEGIN { trace(strlen("a")); }').generated.scratch;
    const b = compileD('BEGIN { trace(strjoin("a", "b")); }').generated.scratch;
    assert.ok(b.size - b.recOff > a.size - a.recOff);
  });
  it('a strsize too large for 32 KiB of scratch is refused clearly', () => {
    assert.throws(() => compileD('BEGIN { trace(strjoin(cleanpath("a"), strjoin("b", toupper("c")))); }', ['strsize=6000']), /32 KiB/);
  });
});
