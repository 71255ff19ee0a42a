// Code generator: aggregations (codegen/aggs.ts). The kernel value of an
// aggregation is one "touched" word followed by the function's data, laid
// out by layout/aggvalue.ts for both the checker's Aggregation and the
// consumer's AggDef (output/aggregation.ts), so the generated map's value
// is the touched word + the consumer's data words for every function and
// parameter set;
// keys are 8 bytes per integer and whole words per string buffer; and a
// script using each aggregating function compiles, links and assembles.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keySize, usesArray } from '../../../src/codegen/aggs.js';
import type { AggregationSpec } from '../../../src/codegen/program.js';
import { dataWords, llqLayout, lqLayout, TOUCHED_WORDS, valueWords } from '../../../src/layout/aggvalue.js';
import { llqParams } from '../../../src/output/agg-hist.js';
import type { AggDef, KeyType } from '../../../src/output/aggregation.js';
import type { Aggregation } from '../../../src/sema/ir.js';
import type { Type } from '../../../src/sema/types.js';
import { compileD, linkAll } from './helpers.js';

/** toDef describes a checked aggregation for the consumer, as the session does. */
function toDef(a: Aggregation, strsize: number): AggDef {
  const key = (t: Type): KeyType => t.kind === 'string'
    ? { kind: 'string', size: strsize, signed: false }
    : { kind: 'int', size: t.kind === 'int' ? t.size : 8, signed: t.kind === 'int' ? t.signed : false };
  return { id: a.id, name: a.name, func: a.func, keys: a.keys.map(key), lq: a.lq, llq: a.llq };
}

/** One use of each aggregating function, with several parameter sets for the histograms. */
const CALLS: [string, number][] = [
  // [call, expected kernel value words (touched word included)]
  ['count()', 2],
  ['sum(1)', 2],
  ['avg(1)', 3],
  ['min(1)', 2],
  ['max(1)', 2],
  ['stddev(1)', 5],
  ['quantize(1)', 128],
  ['quantize(1, 3)', 128],
  ['lquantize(1, 0, 10)', 13], // 10 levels + underflow + overflow
  ['lquantize(1, 0, 10, 3)', 6], // 3 levels
  ['lquantize(1, -10, 10, 3, 2)', 9], // 6 levels
  ['lquantize(1, -2147483648, -2147418113, 65535)', 4], // 1 level
  ['llquantize(1, 10, 0, 6, 20)', 256], // bin0 = 1 + 7 * 18 = 127, 2 * 127 + 1 bins
  ['llquantize(1, 10, 0, 6, 5)', 74], // bin0 = 1 + 7 * 5 = 36
  ['llquantize(1, 4, 4, 6, 32)', 148], // bin0 = 1 + 3 * 24 = 73
  ['llquantize(1, 2, 0, 1, 4)', 12], // bin0 = 1 + 2 * 2 = 5
  ['llquantize(1, 10, 0, 17, 100, 4)', 3244], // bin0 = 1 + 18 * 90 = 1621
];

function specsOf(src: string, opts: string[] = []): { specs: readonly AggregationSpec[]; strsize: number } {
  const c = compileD(src, opts);
  return { specs: c.generated.aggregations, strsize: c.generated.strsize };
}

describe('aggregation value layout', () => {
  for (const [call, words] of CALLS) {
    it(`${call}: ${words} words, 1 + what the consumer decodes`, () => {
      const { specs, strsize } = specsOf(`BEGIN { @a = ${call}; }`);
      assert.equal(specs.length, 1);
      const a = specs[0].agg;
      assert.equal(valueWords(a), words);
      assert.equal(specs[0].valueWords, words);
      assert.equal(valueWords(a), TOUCHED_WORDS + dataWords(toDef(a, strsize)));
    });
  }

  it('the histogram parameters agree with the consumer\'s', () => {
    const { specs, strsize } = specsOf(CALLS.map(([call], i) => `@a${i} = ${call};`).join(' ').replace(/^/, 'BEGIN { ') + ' }');
    for (const s of specs) {
      const def = toDef(s.agg, strsize);
      if (s.agg.func === 'lquantize') assert.deepEqual(lqLayout(s.agg), lqLayout(def), `@${s.agg.name}`);
      if (s.agg.func === 'llquantize') {
        const k = llqLayout(s.agg);
        const c = llqParams(def);
        assert.deepEqual([k.bin0, k.nbins, Number(k.perMag), Number(k.stepsFactor)], [c.bin0, c.nbins, c.perMag, c.stepsFactor], `@${s.agg.name}`);
      }
    }
  });
});

describe('aggregation keys and maps', () => {
  it('a keyless aggregation is a per-CPU array with a 4-byte key', () => {
    const { specs, strsize } = specsOf('BEGIN { @ = count(); }');
    assert.equal(specs[0].array, true);
    assert.equal(usesArray(specs[0].agg), true);
    assert.equal(specs[0].keySize, 4);
    assert.equal(keySize(specs[0].agg, strsize), 4);
    assert.equal(specs[0].map, 'dt_agg_0');
  });

  it('integer keys take 8 bytes whatever their type', () => {
    const { specs } = specsOf('BEGIN { @a[(char)1] = count(); @b[1, 2l, (short)3] = sum(1); }');
    assert.deepEqual(specs.map((s) => [s.map, s.array, s.keySize]), [['dt_agg_0', false, 8], ['dt_agg_1', false, 24]]);
  });

  it('string keys take strsize + 1 bytes rounded up to whole words, or what every use can hold', () => {
    const v = 'BEGIN { s = "abc"; @a[s] = count(); }';
    assert.deepEqual(specsOf(v, ['strsize=16']).specs.map((s) => s.keySize), [24]);
    assert.deepEqual(specsOf(v, ['strsize=15']).specs.map((s) => s.keySize), [16]);
    assert.deepEqual(specsOf(v).specs.map((s) => s.keySize), [264]);
    // Literals and execname bound the width: "x" needs 2 bytes, execname 16.
    assert.deepEqual(specsOf('BEGIN { @a["x"] = count(); }').specs.map((s) => s.keySize), [8]);
    assert.deepEqual(specsOf('BEGIN { @a["x"] = count(); @a["a longer key"] = count(); }').specs.map((s) => s.keySize), [16]);
    assert.deepEqual(specsOf('BEGIN { @a["x"] = count(); s = "y"; @a[s] = count(); }').specs.map((s) => s.keySize), [264]);
    const { specs, strsize } = specsOf('BEGIN { @a[1, execname, 2l] = max(1); }', ['strsize=32']);
    assert.equal(strsize, 33);
    assert.equal(specs[0].keySize, 8 + 16 + 8);
    assert.equal(keySize(specs[0].agg, strsize), 32);
  });

  it('the scratch area has room for the largest key and the largest empty value before the record', () => {
    const c = compileD('BEGIN { @a[execname, 1] = llquantize(1, 10, 0, 6, 20); @b = count(); }', ['strsize=64']);
    const s = c.generated.scratch;
    const aggs = c.generated.aggregations;
    assert.ok(s.zeroOff - s.keyOff >= Math.max(...aggs.map((a) => a.keySize)));
    assert.ok(s.recOff - s.zeroOff >= 8 * Math.max(...aggs.map((a) => a.valueWords)));
    assert.ok(s.size >= s.recOff);
  });
});

describe('every aggregating function compiles, links and assembles', () => {
  for (const [call] of CALLS) {
    it(call, () => {
      const c = compileD(`BEGIN { @a = ${call}; @b[1, "k"] = ${call}; }\nEND /pid/ { @b[pid, execname] = ${call}; @c[probename] = ${call}; printa(@a); printa(@b); }`);
      assert.deepEqual(c.generated.aggregations.map((s) => [s.map, s.array]), [['dt_agg_0', true], ['dt_agg_1', false], ['dt_agg_2', false]]);
      const l = linkAll(c);
      assert.ok(l.insns.length > 0);
      const maps = new Set(l.relocations.map((r) => r.map));
      for (const m of ['dt_agg_0', 'dt_agg_1', 'dt_agg_2']) assert.ok(maps.has(m), `${m} is relocated in ${[...maps].join(', ')}`);
    });
  }

  it('printa with a format, clear, trunc, normalize and denormalize compile and link', () => {
    const c = compileD('BEGIN { @a[1] = count(); @b[2] = avg(3); printa("%d %@d %@d\\n", @a, @b); clear(@a); trunc(@b, 2); trunc(@a); normalize(@b, 10); denormalize(@b); exit(0); }');
    assert.ok(linkAll(c).insns.length > 0);
  });

  it('fifty aggregations in one clause compile and link', () => {
    const src = Array.from({ length: 50 }, (_, i) => `@a${i}[${i}] = sum(${i});`).join(' ');
    const l = linkAll(compileD(`BEGIN { ${src} }`));
    assert.equal(new Set(l.relocations.map((r) => r.map).filter((m) => m.startsWith('dt_agg_'))).size, 50);
  });
});
