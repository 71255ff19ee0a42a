// d_path( ) on the real kernel: bin/dtrace prints the paths of its own
// working directory (a fresh temporary directory, several levels deep)
// and of its standard input (/dev/null, on the devtmpfs mounted at /dev,
// so the walk crosses a mount point); both must be what the kernel says
// (realpath of the directory). Needs root: skipped with a reason otherwise.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runtimeSkip } from '../util.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DTRACE = `${ROOT}bin/dtrace`;
const skip = runtimeSkip();

describe('d_path( )', () => {
  it('gives the paths of the working directory and of /dev/null', { skip, timeout: 60_000 }, () => {
    const top = mkdtempSync(join(tmpdir(), 'dpath-'));
    const dir = join(top, 'a', 'bb', 'ccc');
    mkdirSync(dir, { recursive: true });
    const stdin = openSync('/dev/null', 'r');
    try {
      const script = 'BEGIN { printf("%s|%s\\n", d_path(&curthread->fs->pwd), d_path(&curthread->files->fdt->fd[0]->f_path)); exit(0); }';
      const r = spawnSync(process.execPath, [DTRACE, '-q', '-n', script], { cwd: dir, stdio: [stdin, 'pipe', 'pipe'], encoding: 'latin1', timeout: 50_000 });
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, `${realpathSync(dir)}|/dev/null\n\n`);
      assert.equal(r.status, 0);
    } finally {
      closeSync(stdin);
      rmSync(top, { recursive: true, force: true });
    }
  });
});
