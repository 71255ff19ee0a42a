/*
 * Unit tests for the consumer's aggregation store (src/consume/aggregate.ts):
 * per-CPU updates, clear(), trunc(), normalize(), printa() bookkeeping and
 * the output at exit.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AggregationSnapshot } from '../../../src/consume/aggregate.js';
import { DEFAULT_AGG_OPTIONS, type AggDef, type KeyType } from '../../../src/output/aggregation.js';
import { parseFormat } from '../../../src/format/printf.js';

const I32: KeyType = { kind: 'int', size: 4, signed: true };
const O = { ...DEFAULT_AGG_OPTIONS };

function buf(...words: (bigint | number)[]): Uint8Array {
  const b = new Uint8Array(words.length * 8);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setBigUint64(i * 8, BigInt.asUintN(64, BigInt(w)), true));
  return b;
}

const defs: AggDef[] = [
  { id: 1, name: 'a', func: 'sum', keys: [I32] },
  { id: 2, name: 'm', func: 'min', keys: [I32] },
  { id: 3, name: 'c', func: 'count', keys: [] },
];

function filled(): AggregationSnapshot {
  const s = new AggregationSnapshot(defs);
  for (const [k, v] of [[1, 30], [2, 10], [3, 20], [4, 10], [-1, 5]]) {
    s.update(1, [BigInt(k)], [buf(v), buf(0)]);
  }
  return s;
}

const keysOf = (s: AggregationSnapshot, id: number): bigint[] =>
  s.entries(id).map((e) => e.keys[0] as bigint).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));

test('update merges per-CPU values; the same key (any sign form) is one entry', () => {
  const s = new AggregationSnapshot(defs);
  s.update(1, [5n], [buf(2), buf(3)]);
  s.update(1, [5n], [buf(4), buf(3)]);
  assert.equal(s.size(1), 1);
  assert.deepEqual(s.get(1, [5n])?.value, { kind: 'scalar', value: 7n });
  s.update(1, [-1n], [buf(1)]);
  s.update(1, [0xffffffffn], [buf(2)]);
  assert.equal(s.size(1), 2);
  assert.deepEqual(s.get(1, [-1n])?.value, { kind: 'scalar', value: 2n });
});

test('update with generation words: idle CPUs ignored, nothing created without data', () => {
  const s = new AggregationSnapshot(defs);
  s.update(2, [1n], [buf(0, 0), buf(1, 9), buf(1, 4)]);
  assert.deepEqual(s.get(2, [1n])?.value, { kind: 'scalar', value: 4n });
  s.update(2, [2n], [buf(0, 0), buf(0, 0)]);
  assert.equal(s.get(2, [2n]), undefined);
});

test('clear keeps the keys: sums print 0, min goes back to INT64_MAX', () => {
  const s = filled();
  s.update(2, [7n], [buf(-3)]);
  s.clear(1);
  s.clear(2);
  assert.equal(s.printa([1], undefined, O),
    '\n' + [1, 2, 3, 4, -1].map((k) => String(k).padStart(9) + '0'.padStart(17) + '\n').join(''));
  assert.equal(s.printa([2], undefined, O), '\n        7' + ' 9223372036854775807\n');
});

test('beginSnapshot resets values like clear, and updates merge in again', () => {
  const s = filled();
  s.beginSnapshot();
  s.update(1, [2n], [buf(1)]);
  assert.deepEqual(s.get(1, [2n])?.value, { kind: 'scalar', value: 1n });
  assert.deepEqual(s.get(1, [1n])?.value, { kind: 'scalar', value: 0n });
});

test('trunc(@, n) keeps the n highest; ties keep the higher keys', () => {
  const s = filled();
  const removed = s.trunc(1, 2n);
  assert.deepEqual(keysOf(s, 1), [1n, 3n]);
  assert.equal(removed.length, 3);
  const t = filled();
  t.trunc(1, 3n); // 30, 20, then 10 at keys 2 and 4: key 4 wins
  assert.deepEqual(keysOf(t, 1), [1n, 3n, 4n]);
});

test('trunc(@, -n) keeps the n lowest; trunc(@) and trunc(@, 0) empty it', () => {
  const s = filled();
  s.trunc(1, -2n); // 5 at -1, then 10 at keys 2 and 4: key 2 wins
  assert.deepEqual(keysOf(s, 1), [-1n, 2n]);
  const t = filled();
  t.trunc(1, 100n);
  assert.equal(t.size(1), 5);
  t.trunc(1);
  assert.equal(t.size(1), 0);
  const u = filled();
  u.trunc(1, 0n);
  assert.equal(u.size(1), 0);
});

test('printa marks aggregations printed only when it printed an entry', () => {
  const s = filled();
  assert.equal(s.printa([3], undefined, O), '\n');
  assert.equal(s.printed(3), false);
  s.printa([1], parseFormat('%d=%@d '), O);
  assert.equal(s.printed(1), true);
  s.update(3, [], [buf(4)]);
  assert.equal(s.formatAtExit(O), '4'.padStart(17) + '\n');
});

test('joined printa marks every aggregation printed', () => {
  const s = new AggregationSnapshot(defs);
  s.update(1, [1n], [buf(5)]);
  assert.equal(s.printa([1, 2], parseFormat('%d %@d %@d\n'), O), '1 5 0\n');
  assert.equal(s.printed(1), true);
  assert.equal(s.printed(2), true);
});

test('normalize / denormalize apply to printa and exit output', () => {
  const s = filled();
  s.normalize(1, 10n);
  assert.equal(s.printa([1], parseFormat('%d:%@d '), O), '-1:0 2:1 4:1 3:2 1:3 ');
  assert.equal(s.formatAtExit(O), ''); // printed by printa()
  const t = filled();
  t.normalize(1, 10n);
  t.denormalize(1);
  assert.equal(t.normal(1), 1n);
  assert.equal(t.formatAtExit(O),
    '       -1                5\n' + '        2               10\n' + '        4               10\n' +
    '        3               20\n' + '        1               30\n');
});
