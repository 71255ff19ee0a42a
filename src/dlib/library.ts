// The D library: .d files of types, inlines and translators that scripts use
// without including them (psinfo_t, curpsinfo, cpuinfo_t, ...). A file is
// parsed and checked only when a script names something it defines. An
// index from names to files answers the parser (is `psinfo_t` a type
// name?) and the checker (which file defines `curpsinfo`?) without reading
// any file: the shipped library's index is a table (system.ts) that a unit
// test rebuilds from the files; directories added with -L or -xlibdir are
// read and indexed at start-up, as DTrace reads its library directories.
// Pure: file text comes from the caller (cli/ reads it).

import { CompileError } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { parseProgram } from '../syntax/parser.js';
import { PREDEFINED_TYPEDEFS } from '../sema/types.js';
import { SYSTEM_LIBRARY } from './system.js';

/** The kinds of names a library file defines. */
export type LibKind = 'type' | 'tag' | 'ident' | 'xlator';

/** LibEntries is what one library file defines, by kind, and the library files it depends on. */
export interface LibEntries {
  /** Typedef names (`psinfo_t`). */
  readonly types: readonly string[];
  /** struct, union and enum tags as written (`struct psinfo`). */
  readonly tags: readonly string[];
  /** Inlines, variables and enumerators (`curpsinfo`, `SSLEEP`). */
  readonly idents: readonly string[];
  /** Output types of its translators as written (`psinfo_t`, `struct timestruc`). */
  readonly xlators: readonly string[];
  /** Files named by `#pragma D depends_on library`, in the same directory. */
  readonly depends: readonly string[];
}

/** LibFile is one library file: where it is, what it defines, and how to read it. */
export interface LibFile {
  /** The file name (`procfs.d`), as `depends_on library` names it. */
  readonly name: string;
  /** The path DTrace prints in messages about the file. */
  readonly path: string;
  /** The directory it was found in: dependencies are looked up there. */
  readonly dir: string;
  readonly entries: LibEntries;
  /** The file's text, read on first use. */
  readonly text: () => string;
}

/** LibraryOptions tell the library's parser what the program's parser knows. */
export interface LibraryOptions {
  /** Type names known outside the library (kernel typedefs). */
  readonly isTypeName?: (name: string) => boolean;
  /** Identifiers known outside the library (built-in variables and functions). */
  readonly isIdentifier?: (name: string) => boolean;
}

const KINDS: readonly LibKind[] = ['type', 'tag', 'ident', 'xlator'];

function entriesOf(e: LibEntries, kind: LibKind): readonly string[] {
  switch (kind) {
    case 'type': return e.types;
    case 'tag': return e.tags;
    case 'ident': return e.idents;
    case 'xlator': return e.xlators;
  }
}

/** Library indexes library files by the names they define and parses them on demand. */
export class Library {
  private readonly index = new Map<string, LibFile>();
  private readonly programs = new Map<string, A.Program>();

  constructor(readonly files: readonly LibFile[], private readonly opts: LibraryOptions = {}) {
    // A later directory's file wins a name, as -L directories come after the system one.
    for (const f of files) for (const k of KINDS) for (const n of entriesOf(f.entries, k)) this.index.set(`${k} ${n}`, f);
  }

  /** find gives the file defining `name` as a `kind`, if any. */
  find(kind: LibKind, name: string): LibFile | undefined {
    return this.index.get(`${kind} ${name}`);
  }

  /** isTypeName tells the parser whether a library file defines typedef `name`. */
  isTypeName(name: string): boolean {
    return this.index.has(`type ${name}`);
  }

  /** isIdent tells the parser whether a library file defines identifier `name`. */
  isIdent(name: string): boolean {
    return this.index.has(`ident ${name}`);
  }

  /** dependency finds the file `name` that `from` depends on, in from's directory. */
  dependency(from: LibFile, name: string): LibFile {
    const f = this.files.find((x) => x.dir === from.dir && x.name === name);
    if (f === undefined) throw new CompileError('D_PRAGMA_DEPEND', `Invalid library dependency in ${from.path}: ${joinPath(from.dir, name)}`);
    return f;
  }

  /** program parses a library file once; its errors name the file. */
  program(f: LibFile): A.Program {
    let p = this.programs.get(f.path);
    if (p === undefined) {
      p = parseLibrary(f.text(), f.path, {
        isTypeName: (n) => this.isTypeName(n) || (this.opts.isTypeName?.(n) ?? false),
        isIdentifier: (n) => this.isIdent(n) || (this.opts.isIdentifier?.(n) ?? false),
      });
      this.programs.set(f.path, p);
    }
    return p;
  }
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/**
 * parseLibrary parses one library file as DTrace compiles libraries:
 * declarations only, no clause needed. D's predefined typedefs (uid_t,
 * processorid_t...) are type names without asking the kernel.
 */
function parseLibrary(text: string, path: string, opts: LibraryOptions): A.Program {
  const isTypeName = (n: string): boolean => PREDEFINED_TYPEDEFS.has(n) || (opts.isTypeName?.(n) ?? false);
  try {
    return parseProgram(text, { source: 'file', allowEmpty: true, isTypeName, isIdentifier: opts.isIdentifier });
  } catch (e) {
    throw e instanceof CompileError ? e.inFile(path) : e;
  }
}

// ---------------------------------------------------------------- indexing

/** scanEntries lists what a parsed library file defines. */
export function scanEntries(prog: A.Program): LibEntries {
  const types: string[] = [];
  const tags: string[] = [];
  const idents: string[] = [];
  const xlators: string[] = [];
  const depends: string[] = [];
  const spec = (s: A.TypeSpec): void => {
    const b = s.base;
    if (b.kind === 'StructType' && b.members !== undefined) {
      if (b.name !== undefined) tags.push(`${b.tag} ${b.name}`);
      for (const m of b.members) spec(m.spec);
    } else if (b.kind === 'EnumType' && b.enumerators !== undefined) {
      if (b.name !== undefined) tags.push(`enum ${b.name}`);
      for (const en of b.enumerators) idents.push(en.name);
    }
  };
  for (const it of prog.items) {
    switch (it.kind) {
      case 'Declaration':
        spec(it.spec);
        for (const d of it.declarators) {
          const n = declaredName(d.declarator);
          if (n !== undefined) (it.storage === 'typedef' ? types : idents).push(n);
        }
        break;
      case 'InlineDecl': {
        const n = declaredName(it.declarator);
        if (n !== undefined) idents.push(n);
        break;
      }
      case 'TranslatorDecl': xlators.push(typeNameText(it.output)); break;
      case 'Pragma':
        if (it.words[0] === 'D' && it.words[1] === 'depends_on' && it.words[2] === 'library' && it.words[3] !== undefined) depends.push(it.words[3]);
        break;
      default: break;
    }
  }
  return { types, tags, idents, xlators, depends };
}

function declaredName(d: A.Declarator): string | undefined {
  return d.kind === 'NameDecl' ? d.name : declaredName(d.inner);
}

/** typeNameText names a translator's output type as the index keys it: a typedef name or `struct tag`. */
export function typeNameText(t: A.TypeName): string {
  const b = t.spec.base;
  switch (b.kind) {
    case 'NamedType': return b.name;
    case 'StructType': return `${b.tag} ${b.name ?? ''}`;
    case 'EnumType': return `enum ${b.name ?? ''}`;
    case 'BuiltinType': return b.words.join(' ');
  }
}

/** LibText is a library file read from a directory. */
export interface LibText {
  readonly name: string;
  readonly path: string;
  readonly dir: string;
  readonly text: string;
}

/**
 * indexFiles parses library files to learn what each defines. A file may
 * use type names another defines, in any order, so files that fail to
 * parse are tried again once others have been indexed; a file that still
 * fails reports its first error. Dependencies must name files of the same
 * directory.
 */
export function indexFiles(texts: readonly LibText[], opts: LibraryOptions = {}): LibFile[] {
  const types = new Set<string>();
  const idents = new Set<string>();
  const done = new Map<LibText, LibFile>();
  let pending = [...texts];
  let firstError: unknown;
  while (pending.length > 0) {
    const failed: LibText[] = [];
    firstError = undefined;
    for (const t of pending) {
      try {
        const prog = parseLibrary(t.text, t.path, {
          isTypeName: (n) => types.has(n) || (opts.isTypeName?.(n) ?? false),
          isIdentifier: (n) => idents.has(n) || (opts.isIdentifier?.(n) ?? false),
        });
        const entries = scanEntries(prog);
        entries.types.forEach((n) => types.add(n));
        entries.idents.forEach((n) => idents.add(n));
        done.set(t, { name: t.name, path: t.path, dir: t.dir, entries, text: () => t.text });
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        failed.push(t);
        firstError ??= e;
      }
    }
    if (failed.length === pending.length) throw firstError;
    pending = failed;
  }
  const files = texts.map((t) => done.get(t)!);
  const lib = new Library(files);
  for (const f of files) for (const d of f.entries.depends) lib.dependency(f, d);
  return files;
}

/**
 * systemFiles describes the shipped library in `dir` from its index,
 * without reading it: `read` is called for a file only when it is loaded.
 */
export function systemFiles(dir: string, read: (path: string) => string): LibFile[] {
  return Object.entries(SYSTEM_LIBRARY).map(([name, entries]) => {
    const path = joinPath(dir, name);
    return { name, path, dir, entries, text: () => read(path) };
  });
}

/** renderIndex writes the source of system.ts for the given files (the index test regenerates it). */
export function renderIndex(files: readonly LibFile[]): string {
  const list = (xs: readonly string[]): string => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
  const body = [...files].sort((a, b) => a.name.localeCompare(b.name)).map((f) => {
    const e = f.entries;
    return [
      `  '${f.name}': {`,
      `    types: ${list(e.types)},`,
      `    tags: ${list(e.tags)},`,
      `    idents: ${list(e.idents)},`,
      `    xlators: ${list(e.xlators)},`,
      `    depends: ${list(e.depends)},`,
      '  },',
    ].join('\n');
  });
  return [
    "// The shipped D library's index: what each file of lib/dtrace/ defines, so",
    '// that a script naming none of it reads none of it. Generated from the',
    '// files by `UPDATE_DLIB=1 node --test dist/test/unit/dlib/`; the same test',
    '// fails when this table and the files disagree.',
    '',
    "import type { LibEntries } from './library.js';",
    '',
    'export const SYSTEM_LIBRARY: Readonly<Record<string, LibEntries>> = {',
    ...body,
    '};',
    '',
  ].join('\n');
}
