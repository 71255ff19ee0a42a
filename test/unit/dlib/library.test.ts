// The D library's index: the shipped files' table (src/dlib/system.ts) must
// be what the files define, and indexing user library files finds their
// typedefs, tags, identifiers, translators and dependencies, in any order.
//
// After changing lib/dtrace/*.d, regenerate the table with
//   npx tsc -p . && UPDATE_DLIB=1 node --test dist/test/unit/dlib/
// and review the diff of src/dlib/system.ts.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CompileError } from '../../../src/diag/diagnostic.js';
import { Library, indexFiles, renderIndex, systemFiles, type LibText } from '../../../src/dlib/library.js';

// Compiled to dist/test/unit/dlib/; the library and the table stay in the source tree.
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const LIB = `${ROOT}lib/dtrace/`;
const TABLE = `${ROOT}src/dlib/system.ts`;

function shipped(): LibText[] {
  return readdirSync(LIB).filter((n) => n.endsWith('.d')).sort()
    .map((name) => ({ name, path: LIB + name, dir: LIB, text: readFileSync(LIB + name, 'latin1') }));
}

function texts(files: Record<string, string>, dir = '/lib'): LibText[] {
  return Object.entries(files).map(([name, text]) => ({ name, path: `${dir}/${name}`, dir, text }));
}

describe('shipped D library', () => {
  it('src/dlib/system.ts indexes lib/dtrace/*.d', () => {
    const want = renderIndex(indexFiles(shipped()));
    if (process.env.UPDATE_DLIB === '1') writeFileSync(TABLE, want);
    assert.equal(readFileSync(TABLE, 'latin1'), want, 'stale index: regenerate it with UPDATE_DLIB=1 (see the header of this test)');
  });

  it('defines the documented names', () => {
    const lib = new Library(systemFiles(LIB, (p) => readFileSync(p, 'latin1')));
    for (const t of ['psinfo_t', 'lwpsinfo_t', 'cpuinfo_t', 'timestruc_t', 'psetid_t']) assert.ok(lib.isTypeName(t), t);
    for (const n of ['curpsinfo', 'curlwpsinfo', 'pset', 'chip', 'lgrp', 'vtimestamp', 'ENOENT', 'SIGKILL', 'SSLEEP']) assert.ok(lib.isIdent(n), n);
    assert.equal(lib.find('xlator', 'psinfo_t')?.name, 'procfs.d');
    assert.equal(lib.find('tag', 'struct cpuinfo')?.name, 'sched.d');
    assert.equal(lib.isTypeName('execname'), false);
  });

  it('reads no file until one is loaded', () => {
    const read: string[] = [];
    const lib = new Library(systemFiles(LIB, (p) => { read.push(p); return readFileSync(p, 'latin1'); }));
    assert.ok(lib.isTypeName('psinfo_t'));
    assert.deepEqual(read, []);
    const f = lib.find('ident', 'curpsinfo')!;
    lib.program(f);
    assert.deepEqual(read, [`${LIB}procfs.d`]);
  });
});

describe('indexing library files', () => {
  it('finds typedefs, tags, identifiers, translators and dependencies', () => {
    const [f] = indexFiles(texts({
      'a.d': [
        '#pragma D depends_on library a.d',
        'typedef struct foo { int x; struct bar { int y; } b; } foo_t, *foo_p;',
        'enum color { RED, GREEN };',
        'inline int answer = 42;',
        'int total;',
        'translator foo_t < int i > { x = i; };',
      ].join('\n'),
    }));
    assert.deepEqual(f.entries, {
      types: ['foo_t', 'foo_p'], tags: ['struct foo', 'struct bar', 'enum color'],
      idents: ['RED', 'GREEN', 'answer', 'total'], xlators: ['foo_t'], depends: ['a.d'],
    });
  });

  it('a file may use type names of a file indexed after it', () => {
    const files = indexFiles(texts({ 'b.d': 'inline a_t b = 1;', 'a.d': 'typedef int a_t;' }));
    assert.deepEqual(files.map((f) => f.name), ['b.d', 'a.d']);
    assert.deepEqual(files[0].entries.idents, ['b']);
  });

  it('a syntax error names the file and its line', () => {
    const e = assert.throws(() => indexFiles(texts({ 'bad.d': 'inline int foo = 1;\ninline int bar = 2 +;' })), (x: unknown) => {
      assert.ok(x instanceof CompileError);
      assert.equal(x.diag.tag, 'D_SYNTAX');
      assert.equal(x.diag.file, '/lib/bad.d');
      assert.equal(x.diag.pos?.line, 2);
      return true;
    });
    void e;
  });

  it('a dependency must be a file of the same directory', () => {
    assert.throws(() => indexFiles(texts({ 'a.d': '#pragma D depends_on library nosuch.d\ninline int x = 1;' })),
      /Invalid library dependency in \/lib\/a\.d: \/lib\/nosuch\.d/);
  });
});
