// Where the D library comes from: the shipped directory (found from the
// compiled module, read only on demand), -L/-xlibdir directories (read at
// start-up, missing ones skipped), -xsyslibdir (read like -L) and -xnolibs.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { librarySources, shippedLibDir } from '../../../src/cli/libdirs.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe('library directories', () => {
  it('finds the shipped lib/dtrace from dist/', () => {
    assert.equal(shippedLibDir(), join(ROOT, 'lib', 'dtrace'));
  });

  it('-xnolibs gives no library', () => {
    assert.equal(librarySources({ nolibs: true, libdirs: [] }), undefined);
  });

  it('reads the .d files of -L directories in order, skipping missing directories', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlib-'));
    try {
      writeFileSync(join(dir, 'b.d'), 'inline int B = 2;\n');
      writeFileSync(join(dir, 'a.d'), 'inline int A = 1;\n');
      writeFileSync(join(dir, 'notes.txt'), 'not a library file\n');
      const src = librarySources({ nolibs: false, libdirs: [join(dir, 'missing'), dir] })!;
      assert.equal(src.system?.dir, join(ROOT, 'lib', 'dtrace'));
      assert.deepEqual(src.user?.map((t) => [t.name, t.path, t.text]), [
        ['a.d', join(dir, 'a.d'), 'inline int A = 1;\n'],
        ['b.d', join(dir, 'b.d'), 'inline int B = 2;\n'],
      ]);
      const sys = librarySources({ nolibs: false, syslibdir: dir, libdirs: [] })!;
      assert.equal(sys.system, undefined);
      assert.deepEqual(sys.user?.map((t) => t.name), ['a.d', 'b.d']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
