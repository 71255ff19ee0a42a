// Histogram buckets, kernel against consumer: for each quantize(),
// lquantize() and llquantize() parameter set, a script files boundary
// values (powers, bucket edges, the limits, the ends of the 64-bit range)
// under their own key, runs through bin/dtrace on the real kernel, and its
// output must be what output/aggregation.ts prints for buckets computed by
// output/agg-hist.ts (quantizeBucket, lquantizeBucket, llquantizeBucket).
// A difference means the BPF bucketing (codegen/aggs.ts) and the
// consumer's disagree. Needs root: skipped with a reason otherwise.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { QUANTIZE_NBUCKETS } from '../../../src/layout/aggvalue.js';
import { llquantizeBucket, lquantizeBucket, quantizeBucket } from '../../../src/output/agg-hist.js';
import {
  DEFAULT_AGG_OPTIONS, formatAggregationsAtExit, llquantizeBucketCount, lquantizeBucketCount, type AggDef, type AggEntry,
} from '../../../src/output/aggregation.js';
import { runtimeSkip } from '../util.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DTRACE = `${ROOT}bin/dtrace`;
const skip = runtimeSkip();

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** A D literal for v that keeps all 64 bits (INT64_MIN has no literal of its own). */
function lit(v: bigint): string {
  if (v === INT64_MIN) return '(-9223372036854775807l - 1)';
  return v < 0n ? `(-${-v}l)` : `${v}l`;
}

/** Distinct values in the int64 range, in order of first appearance. */
function uniq(vs: bigint[]): bigint[] {
  const seen = new Set<bigint>();
  return vs.filter((v) => v >= INT64_MIN && v <= INT64_MAX && !seen.has(v) && (seen.add(v), true));
}

/** v - 1, v and v + 1 for each v, and their negations. */
function around(vs: bigint[]): bigint[] {
  return uniq(vs.flatMap((v) => [v - 1n, v, v + 1n, -v + 1n, -v, -v - 1n]));
}

interface Case {
  readonly name: string;
  readonly def: AggDef;
  readonly call: (v: string) => string;
  readonly values: bigint[];
  readonly bucket: (v: bigint) => number;
  readonly nbuckets: number;
}

function quantizeCase(): Case {
  const pows = Array.from({ length: 64 }, (_, k) => 1n << BigInt(k));
  return {
    name: 'quantize',
    def: { id: 0, name: 'h', func: 'quantize', keys: [{ kind: 'int', size: 4, signed: true }] },
    call: (v) => `quantize(${v})`,
    values: uniq([0n, ...around(pows), INT64_MAX, INT64_MIN, INT64_MIN + 1n]),
    bucket: quantizeBucket,
    nbuckets: QUANTIZE_NBUCKETS,
  };
}

function lquantizeCase(base: bigint, limit: bigint, step: bigint): Case {
  const def: AggDef = { id: 0, name: 'h', func: 'lquantize', keys: [{ kind: 'int', size: 4, signed: true }], lq: { base, limit, step } };
  const levels = (limit - base) / step;
  const edges = [base, base + step, base + levels * step, limit, 0n, 1n << 31n, 1n << 32n, INT64_MAX];
  return {
    name: `lquantize(v, ${base}, ${limit}, ${step})`,
    def,
    call: (v) => `lquantize(${v}, ${base}, ${limit}, ${step})`,
    values: uniq([...around(edges), INT64_MIN, base + step / 2n]),
    bucket: (v) => lquantizeBucket(def, v),
    nbuckets: lquantizeBucketCount(def),
  };
}

function llquantizeCase(factor: bigint, low: bigint, high: bigint, nsteps: bigint): Case {
  const def: AggDef = { id: 0, name: 'h', func: 'llquantize', keys: [{ kind: 'int', size: 4, signed: true }], llq: { factor, low, high, nsteps } };
  const edges: bigint[] = [0n];
  // Every magnitude when there are few; else every fifth, and the last two (runs stay short).
  const mags: bigint[] = [];
  for (let m = 0n; m <= high + 1n && factor ** m <= INT64_MAX; m++) if (high < 20n || m % 5n === 0n || m >= high) mags.push(m);
  for (const m of mags) {
    const p = factor ** m;
    edges.push(p);
    // Step edges inside the magnitude [p, p * factor).
    const width = (p * factor) / nsteps;
    if (width > 0n) for (let s = 1n; s <= nsteps; s += nsteps > 8n ? nsteps / 4n : 1n) edges.push(s * width);
  }
  return {
    name: `llquantize(v, ${factor}, ${low}, ${high}, ${nsteps})`,
    def,
    call: (v) => `llquantize(${v}, ${factor}, ${low}, ${high}, ${nsteps})`,
    values: uniq([...around(edges), INT64_MAX, INT64_MIN, INT64_MIN + 1n]),
    bucket: (v) => llquantizeBucket(def, v),
    nbuckets: llquantizeBucketCount(def),
  };
}

const CASES: Case[] = [
  quantizeCase(),
  lquantizeCase(0n, 10n, 1n),
  lquantizeCase(-10n, 10n, 3n),
  lquantizeCase(-100n, -50n, 7n),
  lquantizeCase(-2147483648n, -2147418113n, 65535n),
  lquantizeCase(2147418112n, 2147483647n, 65535n),
  lquantizeCase(1000000n, 2000000n, 65535n),
  llquantizeCase(10n, 0n, 6n, 20n),
  llquantizeCase(10n, 1n, 2n, 20n),
  llquantizeCase(10n, 0n, 1n, 5n),
  llquantizeCase(4n, 4n, 6n, 32n),
  llquantizeCase(2n, 0n, 3n, 2n),
  llquantizeCase(2n, 0n, 61n, 4n),
  llquantizeCase(10n, 0n, 17n, 100n),
  llquantizeCase(10n, 16n, 17n, 10n),
];

/** The clauses: at most 40 updates each, so no single function grows too large. */
function script(c: Case): string {
  const lines = c.values.map((v, i) => `\t@h[${i}] = ${c.call(lit(v))};`);
  const clauses: string[] = [];
  for (let i = 0; i < lines.length; i += 40) clauses.push(`BEGIN\n{\n${lines.slice(i, i + 40).join('\n')}\n}\n`);
  // aggsize: room for every key even with llquantize()'s widest values (26 KB each).
  return `#pragma D option quiet\n#pragma D option aggsortkey\n#pragma D option aggsize=16m\n${clauses.join('')}BEGIN\n{\n\texit(0);\n}\n`;
}

/** What dtrace prints at exit when each value's bucket is the consumer's. */
function expected(c: Case): string {
  const entries: AggEntry[] = c.values.map((v, i) => {
    const buckets = new Array<bigint>(c.nbuckets).fill(0n);
    buckets[c.bucket(v)] = 1n;
    return { keys: [BigInt(i)], value: { kind: 'hist', buckets } };
  });
  return '\n' + formatAggregationsAtExit([c.def], [entries], { ...DEFAULT_AGG_OPTIONS, aggsortkey: true, quiet: true });
}

describe('kernel and consumer put every value in the same histogram bucket', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.values.length} values`, { skip, timeout: 120_000 }, () => {
      const dir = mkdtempSync(join(tmpdir(), 'agg-buckets-'));
      try {
        const file = join(dir, 'buckets.d');
        writeFileSync(file, script(c));
        const r = spawnSync(process.execPath, [DTRACE, '-s', file], { encoding: 'latin1', timeout: 100_000, env: { ...process.env, _DTRACE_TESTING: '1' } });
        if (r.error) throw r.error;
        assert.equal(r.status, 0, `exit status\n--- stderr ---\n${r.stderr}`);
        assert.match(r.stderr, /^(dtrace: script '[^']*' matched \d+ probes?\n)?$/, 'stderr (no drops)');
        const want = expected(c);
        if (r.stdout !== want) {
          // Name the first value whose table differs, for a readable failure.
          // Each entry is its key on a line of its own, then the table.
          const byKey = (text: string): string[] => text.split(/\n(?= +\d+\n)/).slice(1);
          const got = byKey(r.stdout);
          const exp = byKey(want);
          const k = exp.findIndex((s, i) => s !== got[i]);
          assert.fail(`value #${k} (${c.values[k]}) is bucketed differently:\n--- kernel ---\n${got[k]}\n--- consumer ---\n${exp[k]}`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
