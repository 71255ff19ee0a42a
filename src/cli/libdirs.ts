// Where the D library comes from: the directory shipped with the package
// (lib/dtrace, or -xsyslibdir) whose files are read only when a script
// needs one, and the directories given with -L or -xlibdir, whose .d
// files are read at start-up as DTrace reads its library directories.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LibText } from '../dlib/library.js';
import type { LibrarySources } from '../session/compile.js';

/**
 * shippedLibDir finds lib/dtrace in the package: next to dist/ when run
 * from the bundle (dist/dtrace.mjs), further up from dist/src/cli/.
 */
export function shippedLibDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const lib = join(dir, 'lib', 'dtrace');
    if (existsSync(lib)) return lib;
    dir = dirname(dir);
  }
  return undefined;
}

/** readLibDir reads the .d files of a -L directory; a missing directory is skipped, as DTrace skips it. */
function readLibDir(dir: string): LibText[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.d')).sort().flatMap((name) => {
    const path = join(dir, name);
    try {
      return [{ name, path, dir, text: readFileSync(path, 'latin1') }];
    } catch {
      return [];
    }
  });
}

/**
 * librarySources assembles the D library for compile(): undefined with
 * -xnolibs. A -xsyslibdir replacing the shipped directory is read and
 * indexed like a -L directory, since the shipped index does not describe it.
 */
export function librarySources(o: { nolibs: boolean; syslibdir?: string; libdirs: readonly string[] }): LibrarySources | undefined {
  if (o.nolibs) return undefined;
  const dirs = o.syslibdir === undefined ? o.libdirs : [o.syslibdir, ...o.libdirs];
  const shipped = o.syslibdir === undefined ? shippedLibDir() : undefined;
  return {
    system: shipped === undefined ? undefined : { dir: shipped, read: (path) => readFileSync(path, 'latin1') },
    user: dirs.flatMap(readLibDir),
  };
}
