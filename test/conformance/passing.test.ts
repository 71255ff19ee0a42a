// No-regression check against the external conformance corpus: every test
// named in conformance/passing.txt must still pass. Runs where
// ../shared/conformance is present (as on CI) and the machine can trace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { runtimeSkip } from '../runtime/util.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const runner = path.resolve(root, '../shared/conformance/run');
const list = path.join(root, 'conformance/passing.txt');

function skipReason(): string | false {
  if (!existsSync(runner)) return `no conformance corpus at ${runner}`;
  return runtimeSkip();
}

test('every test on the passing list still passes', { skip: skipReason(), timeout: 40 * 60_000 }, () => {
  const r = spawnSync('python3', [runner, '--dtrace', path.join(root, 'bin/dtrace'), '-j', '2', '--list', list], {
    cwd: root, encoding: 'utf8', maxBuffer: 64 << 20,
  });
  const failed = r.stdout.split('\n').filter((l) => /^(FAIL|XFAIL|SKIP):/.test(l));
  assert.deepEqual(failed, [], `conformance regressions:\n${failed.join('\n')}\n${r.stderr}`);
  assert.match(r.stdout, /\d+ passed, 0 failed/);
});
