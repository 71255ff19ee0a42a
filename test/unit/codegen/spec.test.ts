// Code generation of speculations (src/codegen/spec.ts): which programs
// get the speculation functions and maps, the nspec and specsize they are
// built for, and that speculative clauses link and assemble.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpecFn, speculates } from '../../../src/codegen/spec.js';
import { specsValueSize, SpecCount } from '../../../src/layout/memory.js';
import { compileD, linkAll } from './helpers.js';

const script = `
BEGIN { s = speculation(); t = speculation(); }
BEGIN { speculate(s); printf("%d\\n", s); }
BEGIN { commit(s); discard(t); }
`;

describe('speculation code', () => {
  it('a program without speculations has none of their functions', () => {
    const c = compileD('BEGIN { trace(1); }');
    assert.equal(c.generated.speculation, undefined);
    for (const fn of Object.values(SpecFn)) assert.equal(c.generated.functions.has(fn), false);
  });

  it('a program that speculates is built for nspec and specsize and counts its speculation( ) calls', () => {
    const c = compileD(script, ['nspec=4', 'specsize=100']);
    assert.deepEqual(c.generated.speculation, { nspec: 4, specsize: 100, calls: 2 });
    for (const fn of Object.values(SpecFn)) assert.equal(c.generated.functions.has(fn), true);
  });

  it('nspec defaults to 1 and specsize to DTrace\'s 4m', () => {
    assert.deepEqual(compileD(script).generated.speculation, { nspec: 1, specsize: 4 << 20, calls: 2 });
  });

  it('speculative clauses link and assemble', () => {
    const a = linkAll(compileD(script, ['nspec=3', 'specsize=16']));
    assert.ok(a.insns.length > 0);
  });

  it('only clauses calling speculate( ) (also under if) speculate', () => {
    const c = compileD(`int s; BEGIN { s = speculation(); } BEGIN { if (s) { speculate(s); } trace(1); } BEGIN { commit(s); }`);
    assert.deepEqual(c.checked.clauses.map((cl) => speculates(cl.body)), [false, true, false]);
  });

  it('the dt_specs value holds the counts and one state per id', () => {
    assert.equal(specsValueSize(0), SpecCount.states + 8);
    assert.equal(specsValueSize(1), SpecCount.states + 8);
    assert.equal(specsValueSize(4096) >= SpecCount.states + 4 * 4097, true);
  });
});
