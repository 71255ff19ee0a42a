// The D library in the checker: a file is read and checked only when a
// program names something it defines (a type, a tag, an identifier or a
// translator's output), its dependencies first; its errors name the file.
// The shipped library is checked against the running kernel's BTF where it
// is readable (skipped otherwise), and sched.d's cpuinfo_t against the
// layout the loader writes for curcpu.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseBtf } from '../../../src/btf/index.js';
import { CompileError } from '../../../src/diag/diagnostic.js';
import { Library, indexFiles, systemFiles } from '../../../src/dlib/library.js';
import { CpuInfoOff } from '../../../src/layout/memory.js';
import { checkProgram } from '../../../src/sema/check.js';
import type { KernelInfo } from '../../../src/sema/env.js';
import type { CheckedProgram, TExpr, TStmt } from '../../../src/sema/ir.js';
import { KernelTypes } from '../../../src/sema/ktypes.js';
import { Options } from '../../../src/sema/options.js';
import { findMember } from '../../../src/sema/types.js';
import { parseProgram } from '../../../src/syntax/parser.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** withLibrary checks `src` against library files given as text, recording which files were read. */
function withLibrary(src: string, files: Record<string, string>, kernel?: KernelInfo): { prog: CheckedProgram; read: string[] } {
  const read: string[] = [];
  const texts = Object.entries(files).map(([name, text]) => ({ name, path: `/lib/${name}`, dir: '/lib', text }));
  const lib = new Library(indexFiles(texts).map((f) => ({ ...f, text: () => { read.push(f.name); return f.text(); } })));
  const prog = parseProgram(src, { isTypeName: (n) => lib.isTypeName(n), isIdentifier: (n) => lib.isIdent(n) });
  return { prog: checkProgram(prog, new Options(), { library: lib, kernel }), read };
}

function errorOf(fn: () => unknown): CompileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  assert.fail('expected a CompileError');
}

function lastTrace(p: CheckedProgram): TExpr {
  const c = p.clauses[p.clauses.length - 1];
  const s = c.body[c.body.length - 1] as TStmt & { k: 'trace' };
  assert.equal(s.k, 'trace');
  return s.e;
}

const LIB = {
  'base.d': 'typedef int base_t;\ninline base_t ANSWER = 42;\n',
  'point.d': [
    '#pragma D depends_on library base.d',
    'typedef struct point { base_t x; base_t y; } point_t;',
    'translator point_t < int v > { x = v; y = v * 2; };',
    'inline point_t *origin = xlate <point_t *> (0);',
  ].join('\n'),
  'unused.d': 'inline int UNUSED = 1;\n',
};

describe('D library loading', () => {
  it('a program that names nothing from the library reads no file', () => {
    assert.deepEqual(withLibrary('BEGIN { trace(1); }', LIB).read, []);
  });

  it('naming an identifier loads its file, and the files it depends on first', () => {
    const { prog, read } = withLibrary('BEGIN { trace(origin->y); }', LIB);
    assert.deepEqual(read.sort(), ['base.d', 'point.d']);
    assert.equal(lastTrace(prog).type.name, 'base_t');
  });

  it('typedef names, tags and translators load their file', () => {
    assert.deepEqual(withLibrary('BEGIN { trace(sizeof(point_t)); }', LIB).read.sort(), ['base.d', 'point.d']);
    assert.deepEqual(withLibrary('BEGIN { trace(sizeof(struct point)); }', LIB).read.sort(), ['base.d', 'point.d']);
    assert.equal(lastTrace(withLibrary('BEGIN { trace(xlate<point_t>(3).y); }', LIB).prog).type.name, 'base_t');
  });

  it('library inlines cannot be assigned, and a program cannot redeclare a library translator', () => {
    const e = errorOf(() => withLibrary('BEGIN { ANSWER = 1; }', LIB));
    assert.equal(e.diag.tag, 'D_OP_LVAL');
    const r = errorOf(() => withLibrary('translator point_t < int w > {\n\tx = w;\n};', LIB));
    assert.equal(r.diag.tag, 'D_XLATE_REDECL');
    assert.equal(r.diag.message, 'translator from int to point_t has already been declared');
  });

  it('errors in a library file name the file and its line', () => {
    const e = errorOf(() => withLibrary('BEGIN { trace(BAD); }', { 'bad.d': 'inline int OK = 1;\ninline int BAD = nosuch + 1;\n' }));
    assert.equal(e.diag.tag, 'D_IDENT_UNDEF');
    assert.equal(e.diag.file, '/lib/bad.d');
    assert.equal(e.diag.pos?.line, 2);
  });

  it('a library translator member that does not check is left undefined', () => {
    const files = { 'x.d': 'struct in { int i; };\nstruct out { int a; int b; };\ntranslator struct out < struct in *p > { a = p->i; b = p->nope; };\n' };
    const src = 'struct in *ip;\nBEGIN { trace(xlate<struct out *>(ip)->a); }';
    assert.equal(lastTrace(withLibrary(src, files).prog).type.name, 'int');
    const e = errorOf(() => withLibrary('struct in *ip;\nBEGIN { trace(xlate<struct out *>(ip)->b); }', files));
    assert.equal(e.diag.tag, 'D_XLATE_NOCONV');
  });

  it('a program may not depend on a library', () => {
    const e = errorOf(() => withLibrary('#pragma D depends_on library base.d\nBEGIN { trace(1); }', LIB));
    assert.equal(e.diag.tag, 'D_PRAGMA_DEPEND');
    assert.equal(e.diag.message, 'main program may not explicitly depend on a library');
  });
});

// ---------------------------------------------------------------- the shipped library on this kernel

function vmlinux(): KernelInfo | string {
  try {
    const btf = parseBtf(readFileSync('/sys/kernel/btf/vmlinux'));
    const types = new KernelTypes(btf);
    return { types: () => types };
  } catch (e) {
    return `/sys/kernel/btf/vmlinux not readable (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
}

const kernel = vmlinux();
const skip = typeof kernel === 'string' ? kernel : false;

function shipped(src: string): CheckedProgram {
  const lib = new Library(systemFiles(`${ROOT}lib/dtrace`, (p) => readFileSync(p, 'latin1')));
  const k = kernel as KernelInfo;
  const isKernelType = (n: string): boolean => k.types?.()?.typedef(n) !== undefined;
  const prog = parseProgram(src, { isTypeName: (n) => lib.isTypeName(n) || isKernelType(n), isIdentifier: (n) => lib.isIdent(n) });
  return checkProgram(prog, new Options(), { library: lib, kernel: k });
}

describe('shipped D library', { skip }, () => {
  it('curpsinfo and curlwpsinfo translate the current thread', () => {
    assert.equal(lastTrace(shipped('BEGIN { trace(curpsinfo->pr_pid); }')).type.name, 'pid_t');
    assert.equal(lastTrace(shipped('BEGIN { trace(curpsinfo->pr_lwp.pr_lwpid); }')).type.name, 'id_t');
    assert.equal(lastTrace(shipped('BEGIN { trace(curlwpsinfo->pr_sname); }')).type.name, 'char');
    assert.equal(lastTrace(shipped('BEGIN { trace(xlate<psinfo_t>(curthread).pr_start.tv_sec); }')).type.name, 'long');
  });

  it('members Linux lacks are D_XLATE_NOCONV', () => {
    for (const m of ['pr_oldpri', 'pr_cpu', 'pr_pctcpu']) {
      const e = errorOf(() => shipped(`BEGIN { trace(curlwpsinfo->${m}); }`));
      assert.equal(e.diag.message, `translator does not define conversion for member: ${m}`);
    }
  });

  it('a program redeclaring a library translator is D_XLATE_REDECL', () => {
    const e = errorOf(() => shipped('translator lwpsinfo_t < struct task_struct *T > {\n\tpr_lwpid = T->pid;\n};'));
    assert.equal(e.diag.tag, 'D_XLATE_REDECL');
    assert.equal(e.diag.message, 'translator from struct task_struct * to lwpsinfo_t has already been declared');
  });

  it('curcpu points to a cpuinfo_t laid out as the loader writes it', () => {
    const e = lastTrace(shipped('BEGIN { trace(curcpu); }'));
    assert.equal(e.type.name, 'cpuinfo_t *');
    const t = e.type.kind === 'pointer' ? e.type.to : undefined;
    assert.ok(t?.kind === 'sou');
    assert.equal(t.decl.size, CpuInfoOff.size);
    const off = (m: string): number => findMember(t.decl, m)!.bitOffset / 8;
    assert.deepEqual([off('cpu_id'), off('cpu_pset'), off('cpu_chip'), off('cpu_lgrp')], [CpuInfoOff.id, CpuInfoOff.pset, CpuInfoOff.chip, CpuInfoOff.lgrp]);
  });

  it('pset, chip, lgrp and vtimestamp are library inlines', () => {
    assert.equal(lastTrace(shipped('BEGIN { trace(lgrp); }')).type.name, 'lgrp_id_t');
    assert.equal(lastTrace(shipped('BEGIN { trace(vtimestamp); }')).type.name, 'uint64_t');
  });
});
