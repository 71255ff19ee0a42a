// The compiler pipeline as one ordered list of passes: parse each source,
// merge them into one program, type-check, generate BPF functions, and
// match clauses to probes. Compilation stops at the first error.

import { CompileError } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { parseProgram, type ParseOptions } from '../syntax/parser.js';
import { ProgramChecker } from '../sema/check.js';
import type { CheckedProgram } from '../sema/ir.js';
import type { Options } from '../sema/options.js';
import { generate, type GeneratedProgram } from '../codegen/program.js';
import { scratchArea } from '../codegen/alloca.js';
import type { BufPolicy } from '../codegen/clause.js';
import { matchClauses, ProbeRegistry, type Probe } from '../providers/index.js';
import type { KernelInfo } from '../sema/env.js';
import type { ClauseArgs } from '../sema/expr.js';
import { KernelTypes } from '../sema/ktypes.js';
import { kernelDataSymbol, vmlinuxTypes } from '../kernel/index.js';
import { normalizeProbeDesc, probeDescText } from '../syntax/probedesc.js';
import { BUILTIN_VARS, FAULT_CONSTANTS } from '../library/vars.js';
import { FUNCS } from '../sema/actions.js';
import { Library, indexFiles, systemFiles, type LibText } from '../dlib/library.js';

/** Source is one D program text given on the command line (-s file or -n description). */
export interface Source {
  readonly kind: 'script' | 'description';
  /** The script path or the description text, as DTrace names it in messages. */
  readonly name: string;
  readonly text: string;
}

/** SourceError is a compile error tied to the source it came from. */
export class SourceError extends Error {
  constructor(readonly source: Source, readonly error: CompileError) {
    super(error.message);
    this.name = 'SourceError';
  }
}

/** Compiled is the result of the pipeline: everything the session needs to run. */
export interface Compiled {
  readonly sources: readonly Source[];
  readonly checked: CheckedProgram;
  readonly generated: GeneratedProgram;
  /** Probes of each clause, by clause index. */
  readonly clauseProbes: readonly Probe[][];
  /** Number of clauses contributed by each source, in order. */
  readonly clausesPerSource: readonly number[];
}

export interface CompileOptions {
  readonly options: Options;
  readonly parse: ParseOptions;
  /** The kernel's types and symbols; by default the running kernel's, read on first use. */
  readonly kernel?: KernelInfo;
  /** Skip probe matching (compile-only tests); probes then match nothing. */
  readonly noProbes?: boolean;
  /** The D library's files; none when absent (-xnolibs). */
  readonly library?: LibrarySources;
}

/** LibrarySources are where the D library comes from: only -L directories are read before use. */
export interface LibrarySources {
  /** The shipped library's directory, and how to read one of its files when it is first needed. */
  readonly system?: { readonly dir: string; readonly read: (path: string) => string };
  /** The files of -L and -xlibdir directories, in order. */
  readonly user?: readonly LibText[];
}

/** compile runs every pass over the sources. */
export function compile(sources: readonly Source[], opts: CompileOptions): Compiled {
  const items: A.TopLevel[] = [];
  const owner: Source[] = [];
  const clausesPerSource: number[] = [];
  const kernel = opts.kernel ?? kernelInfo();
  let library: Library | undefined;
  try {
    library = makeLibrary(opts.library, kernel);
  } catch (e) {
    throw wrap(e, sources[0]);
  }
  // Definitions are checked as the parser completes them, as DTrace does;
  // clauses once every source is read.
  const checker = new ProgramChecker(opts.options, { kernel, library });
  for (const src of sources) {
    let prog: A.Program;
    try {
      prog = parseProgram(src.text, {
        ...opts.parse,
        source: src.kind === 'script' ? 'file' : 'string',
        isTypeName: (name) => checker.isTypeName(name),
        isIdentifier: (name) => checker.isIdentifier(name),
        onPragma: (p) => checker.pragma(p),
        onItem: (item) => checker.item(item),
      });
    } catch (e) {
      throw wrap(e, src);
    }
    clausesPerSource.push(prog.items.filter((i) => i.kind === 'Clause').length);
    for (const it of prog.items) {
      items.push(it);
      owner.push(src);
    }
  }
  const where = (e: unknown): unknown => wrap(e, e instanceof CompileError ? sourceOfError(e, items, owner) ?? sources[0] : sources[0]);
  // Probes are matched first, so that args[] is typed by the provider.
  const clauses = items.filter((i): i is A.Clause => i.kind === 'Clause').map((c, index) => ({ probes: c.probes, index }));
  let clauseProbes: Probe[][] = [];
  if (!opts.noProbes) {
    try {
      clauseProbes = matchClauses(clauses, new ProbeRegistry(), opts.options.bool('zdefs'));
    } catch (e) {
      throw where(e);
    }
  }
  let checked: CheckedProgram;
  try {
    checked = checker.finish((i) => clauseArgs(clauses[i].probes, clauseProbes[i]));
  } catch (e) {
    throw where(e);
  }
  let generated: GeneratedProgram;
  try {
    generated = generate(checked, {
      strsize: opts.options.num('strsize'),
      scratchsize: scratchArea(opts.options),
      quiet: opts.options.bool('quiet'),
      bufpolicy: opts.options.str('bufpolicy') as BufPolicy,
      nspec: opts.options.num('nspec'),
      specsize: opts.options.num('specsize'),
    });
  } catch (e) {
    throw where(e);
  }
  return { sources, checked, generated, clauseProbes, clausesPerSource };
}

/** clauseArgs says what a clause's probes give args[]: untyped 64-bit arguments, as many as the probes have. */
function clauseArgs(descs: readonly A.ProbeDesc[], probes: readonly Probe[] | undefined): ClauseArgs {
  const count = Math.max(0, ...(probes ?? []).map((p) => p.args.kind === 'ctx' ? p.args.fields.length : p.args.kind === 'perf' ? 2 : 0));
  return { desc: descs.length > 0 ? probeDescText(normalizeProbeDesc(descs[0])) : '', count };
}

/** kernelInfo gives the checker the running kernel's types and symbols, each read on first use. */
function kernelInfo(): KernelInfo {
  let types: KernelTypes | undefined | null = null;
  const getTypes = (): KernelTypes | undefined => {
    if (types === null) {
      try {
        types = new KernelTypes(vmlinuxTypes());
      } catch {
        types = undefined;
      }
    }
    return types;
  };
  return {
    types: getTypes,
    symbol: (module, name) => {
      const s = kernelDataSymbol(name, module);
      if (s === undefined) return undefined;
      const k = getTypes();
      const id = k?.btf.findType(name, 'var');
      const v = id === undefined ? undefined : k!.btf.type(id);
      return { name, module: s.module, addr: s.addr, type: v?.kind === 'var' ? k!.typeOf(v.type) : undefined };
    },
  };
}

/**
 * makeLibrary indexes the D library: the shipped files from their table,
 * -L directories by parsing their files (their errors are reported now,
 * as DTrace reports them when it loads its libraries).
 */
function makeLibrary(src: LibrarySources | undefined, kernel: KernelInfo): Library | undefined {
  if (src === undefined) return undefined;
  const opts = { isTypeName: kernelTypeName(kernel), isIdentifier: isDName };
  const system = src.system === undefined ? [] : systemFiles(src.system.dir, src.system.read);
  if (src.user === undefined || src.user.length === 0) return new Library(system, opts);
  // User files may use the shipped library's names.
  const shipped = new Library(system);
  const user = indexFiles(src.user, {
    isTypeName: (n) => shipped.isTypeName(n) || opts.isTypeName(n),
    isIdentifier: (n) => shipped.isIdent(n) || isDName(n),
  });
  return new Library([...system, ...user], opts);
}

/** isDName tells the parser a name is one of D's own identifiers, never a kernel type (so BTF is not read for it). */
function isDName(name: string): boolean {
  return name in BUILTIN_VARS || name in FUNCS || name in FAULT_CONSTANTS;
}

/**
 * kernelTypeName tells the parser whether an identifier is a kernel
 * typedef (`u32`), reading BTF only for names D itself does not know.
 */
function kernelTypeName(kernel: KernelInfo): (name: string) => boolean {
  return (name) => {
    // A scoped name (`` vmlinux`u32 ``, `` `u32 ``) is the kernel's type of that name.
    const tick = name.lastIndexOf('`');
    const mod = tick < 0 ? undefined : name.slice(0, tick);
    if (mod !== undefined && mod !== '' && mod !== 'vmlinux') return false;
    return kernel.types?.()?.typedef(name.slice(tick + 1)) !== undefined;
  };
}

/**
 * sourceOfError finds the source an error belongs to. Positions are per
 * source, so with several sources this takes the last item starting at or
 * before the error's line (exact for the usual single -s or -n).
 */
function sourceOfError(e: CompileError, items: readonly A.TopLevel[], owner: readonly Source[]): Source | undefined {
  const pos = e.diag.pos;
  if (pos === undefined) return undefined;
  let best: Source | undefined;
  for (let i = 0; i < items.length; i++) if (items[i].pos.line <= pos.line) best = owner[i];
  return best;
}

function wrap(e: unknown, src: Source): unknown {
  return e instanceof CompileError ? new SourceError(src, e) : e;
}
