// Runtime case runner: runs every test/runtime/cases/*.d through the real
// dtrace command (node bin/dtrace -s <name>.d <args>) on the real kernel,
// from the cases folder, with _DTRACE_TESTING=1, and compares:
//   - stdout with <name>.out (exactly);
//   - stderr with <name>.err if it exists, else stderr must be empty or only
//     the "dtrace: script '<name>.d' matched N probe(s)" line;
//   - the exit status with <name>.status (default 0).
// Extra arguments come from a comment on the script's first line, split on
// blanks: /* args: -q -x strsize=32 */. In .err files and stderr, the
// number in "at BPF pc N" is compared as N (it depends on code generation,
// which the codegen goldens pin down), and so is the CPU of a drop report
// ("on CPU N": where BEGIN or a probe ran). Needs root: skipped with a reason
// otherwise (never under CI=true, see ../util.ts).
// A case that needs kernel features some hosts forbid says so on a line of
// its own among its first lines: /* needs: kprobe fentry */ (names from
// src/kernel/features.ts); where they are missing it is skipped with a reason
// and `npm run test:vm` runs it in its QEMU guest. DTRACE_CASES=needs runs only
// such cases, DTRACE_CASES=plain only the others (the guest's two phases).
// A case that checks the refusal where a feature is missing says
// /* lacks: probeWriteUser */ and is skipped, with a reason, where it is there.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { IN_VM, isFeature, needsSkip, runtimeSkip } from '../util.js';
import { hasFeature, type Feature } from '../../../src/kernel/index.js';

// Compiled to dist/test/runtime/dtrace/; the cases and bin/ stay in the source tree.
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CASES = `${ROOT}test/runtime/cases/`;
const DTRACE = `${ROOT}bin/dtrace`;
// The QEMU guest of npm run test:vm emulates the CPU, some 30 times slower.
const TIMEOUT_MS = IN_VM ? 600_000 : 60_000;

const skip = runtimeSkip();

/** argsOf reads the extra command-line arguments from a first-line comment. */
function argsOf(script: string): string[] {
  const first = script.split('\n', 1)[0] ?? '';
  const m = /^\/\*\s*args:(.*?)\*\/\s*$/.exec(first);
  return m ? m[1].trim().split(/\s+/).filter((a) => a !== '') : [];
}

/** The kernel features a case names on a `needs:` (or `lacks:`) comment line near its start. */
function needsOf(script: string, key = 'needs'): string[] {
  for (const line of script.split('\n', 5)) {
    const m = new RegExp(`^/\\*\\s*${key}:(.*?)\\*/\\s*$`).exec(line);
    if (m) return m[1].trim().split(/\s+/).filter((a) => a !== '');
  }
  return [];
}

function normalizeErr(s: string): string {
  // A profile probe made on demand (tick-10ms) is numbered after every listed
  // probe, so its id depends on how many tracepoints the kernel has.
  return s.replace(/at BPF pc \d+/g, 'at BPF pc N').replace(/probe ID \d+ \(profile:/g, 'probe ID N (profile:').replace(/ on CPU \d+$/gm, ' on CPU N');
}

function readIf(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'latin1') : undefined;
}

/** Cases run at once: 1 unless DTRACE_CASE_JOBS says (the QEMU guest runs a few to use its vCPUs). */
const JOBS = Math.max(1, Number(process.env.DTRACE_CASE_JOBS ?? '1') || 1);

interface Run { stdout: string; stderr: string; status: number | null; signal: NodeJS.Signals | null }

/** Run dtrace on one case, asynchronously so that cases can run side by side. */
function runCase(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DTRACE, '-s', file, ...args], {
      cwd: CASES, env: { ...process.env, _DTRACE_TESTING: '1' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({
      stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString('latin1'), status, signal,
    }));
  });
}

describe('dtrace runtime cases', { concurrency: JOBS }, () => {
  const names = readdirSync(CASES).filter((n) => n.endsWith('.d')).sort();
  const only = process.env.DTRACE_CASES;
  if (only === undefined) it('there are cases', () => assert.ok(names.length >= 15, `${names.length} cases in ${CASES}`));
  for (const file of names) {
    const name = file.slice(0, -2);
    const script = readFileSync(CASES + file, 'latin1');
    const needs = needsOf(script);
    if ((only === 'needs' && needs.length === 0) || (only === 'plain' && needs.length > 0)) continue;
    const lacks = needsOf(script, 'lacks');
    const unknown = [...needs, ...lacks].filter((f) => !isFeature(f));
    if (unknown.length > 0) {
      it(name, () => assert.fail(`${file}: unknown feature(s) in needs:/lacks: ${unknown.join(' ')}`));
      continue;
    }
    const present = skip ? [] : (lacks as Feature[]).filter((f) => hasFeature(f));
    const lacksSkip = present.length > 0 && `checks the refusal where the kernel lacks ${present.join(', ')}; this kernel has it`;
    it(name, { skip: skip || needsSkip(...(needs as Feature[])) || lacksSkip, timeout: TIMEOUT_MS + 10_000 }, async () => {
      const r = await runCase(file, argsOf(script));
      const detail = `\n--- stdout ---\n${r.stdout}--- stderr ---\n${r.stderr}--- status ${r.status} signal ${r.signal}`;
      const wantOut = readIf(`${CASES}${name}.out`);
      assert.ok(wantOut !== undefined, `${name}.out is missing${detail}`);
      assert.equal(r.stdout, wantOut, `stdout of ${file}${detail}`);
      const wantErr = readIf(`${CASES}${name}.err`);
      if (wantErr !== undefined) {
        assert.equal(normalizeErr(r.stderr), normalizeErr(wantErr), `stderr of ${file}${detail}`);
      } else {
        assert.match(r.stderr, /^(dtrace: script '[^']*' matched \d+ probes?\n)?$/, `stderr of ${file}${detail}`);
      }
      const wantStatus = Number((readIf(`${CASES}${name}.status`) ?? '0').trim());
      assert.equal(r.status, wantStatus, `exit status of ${file}${detail}`);
    });
  }
});
