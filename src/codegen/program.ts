// The code generator's entry: lays out variables and scratch memory,
// compiles every clause to a BPF function (twice: the first pass sizes the
// scratch area, the second uses the final offsets), and links per-probe
// programs from a trampoline plus the functions it calls. The result is
// pure data: the same script gives the same instructions on every host.

import { link, type AsmItem } from '../bpf/index.js';
import { AsmError } from '../bpf/build.js';
import type { Aggregation, CheckedProgram, Variable } from '../sema/ir.js';
import { aggMapName, keySize, keyWidths, usesArray } from './aggs.js';
import { valueWords } from '../layout/aggvalue.js';
import { alignOf, sizeOf, type Type } from '../sema/types.js';
import { compileClause, clauseName, type BufPolicy, type ClauseOptions, type CompiledClause } from './clause.js';
import { StringTable, type DVarSpec, type ScratchLayout, type VarLayout } from './context.js';
import { FaultRec, MS, ProbeDescOff, THIS_OFF, dvarMapName } from '../layout/memory.js';
import type { StatementRecord } from '../layout/records.js';
import { countDoubleError, errorFn, strcmpFn, timestampFn, type ErrorClause } from './runtime.js';
import { STRING_FNS, strGeom } from './strings.js';
import { loopFns, strtokSize } from './strloops.js';
import { dispatchTrampoline, trampoline, type DispatchSpec, type TrampolineSpec } from './trampoline.js';
import { SpecFn, specFunctions } from './spec.js';
import { subrFunctions } from './subrfns.js';

export interface GenerateOptions extends ClauseOptions {
  readonly strsize: number;
  /** The effective scratchsize (codegen/alloca.ts scratchArea). */
  readonly scratchsize: number;
  /** The nspec option: how many speculations may be in use at once (default 1). */
  readonly nspec?: number;
}

/** SpeculationSpec sizes the speculation map and the consumer's speculative buffers. */
export interface SpeculationSpec {
  readonly nspec: number;
  readonly specsize: number;
  /** How many calls of speculation( ) the program makes (each scans up to nspec ids). */
  readonly calls: number;
}

/** GeneratedProgram is everything the loader and consumer need from the compiler. */
export interface GeneratedProgram {
  /** Size of a string buffer: the strsize option plus one byte for the NUL. */
  readonly strsize: number;
  /** The bufpolicy the clauses were compiled for (dt_error's FAULT records follow it too). */
  readonly bufpolicy: BufPolicy;
  /** Clause functions and run-time support functions, by name. */
  readonly functions: ReadonlyMap<string, AsmItem[]>;
  /** Record layout of each clause, indexed by clause index (statement id). */
  readonly records: readonly StatementRecord[];
  readonly scratch: ScratchLayout;
  readonly globalsSize: number;
  /** The maps of dynamic variables (thread-locals and associative arrays). */
  readonly dvars: readonly DVarMapSpec[];
  /** Contents of the read-only string table map. */
  readonly strtab: Uint8Array;
  /** Size of one dt_probes entry. */
  readonly probeEntrySize: number;
  /** The aggregations and the maps that hold them. */
  readonly aggregations: readonly AggregationSpec[];
  /** Set when the program uses speculations (codegen/spec.ts). */
  readonly speculation?: SpeculationSpec;
  /** Indexes of the clauses that call strtok(), whose probes reset its state. */
  readonly strtokClauses: ReadonlySet<number>;
}

/** DVarMapSpec is the map of one dynamic variable, for the loader. */
export interface DVarMapSpec {
  readonly map: string;
  readonly name: string;
  readonly keySize: number;
  readonly valueSize: number;
  /** Bytes of DTrace's tuple (associative arrays) and of the value, which size its dynamic variable space. */
  readonly tupleSize: number;
  readonly dataSize: number;
}

/** AggregationSpec describes one aggregation's map for the loader and its layout for the consumer. */
export interface AggregationSpec {
  readonly agg: Aggregation;
  readonly map: string;
  /** Per-CPU array (keyless) or per-CPU hash. */
  readonly array: boolean;
  readonly keySize: number;
  /** Bytes of each key in the map key (see codegen/aggs.ts keyWidths). */
  readonly keyWidths: number[];
  readonly valueWords: number;
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** storageSize is a variable's footprint; strings get whole 8-byte words so dt_strcmp can read them by word. */
function storageSize(t: Type, strsize: number): number {
  return Math.max(1, sizeOf(t, align(strsize, 8)));
}

/** layoutVars assigns storage to globals (dt_globals), clause-locals (scratch) and dynamic variables (maps). */
function layoutVars(vars: readonly Variable[], strsize: number): VarLayout & { thisSize: number } {
  const offsets = new Map<Variable, number>();
  const dvars = new Map<Variable, DVarSpec>();
  let globals = 0;
  let locals = 0;
  for (const v of vars) {
    const size = storageSize(v.type, strsize);
    if (v.scope === 'self' || v.keys !== undefined) {
      const keyWidths = (v.keys ?? []).map((k) => k.kind === 'int' || k.kind === 'enum' || k.kind === 'pointer' ? 8 : align(storageSize(k, strsize), 8));
      const tls = v.scope === 'self';
      const keySize = Math.max(8, (tls ? 8 : 0) + keyWidths.reduce((x, y) => x + y, 0));
      dvars.set(v, { v, map: dvarMapName(v.id), tls, keyWidths, keySize, valueSize: align(size, 8) });
      continue;
    }
    const a = Math.min(8, alignOf(v.type), size >= 8 ? 8 : size >= 4 ? 4 : size >= 2 ? 2 : 1) || 1;
    if (v.scope === 'global') {
      globals = align(globals, a);
      offsets.set(v, globals);
      globals += size;
    } else {
      locals = align(locals, a);
      offsets.set(v, locals);
      locals += size;
    }
  }
  return { offsets, globalsSize: Math.max(8, align(globals, 8)), dvars, thisSize: align(locals, 8) };
}

/** generate compiles a checked program's clauses to BPF functions. */
export function generate(prog: CheckedProgram, opts: GenerateOptions): GeneratedProgram {
  // A string buffer holds strsize characters and the terminating NUL.
  const strsize = opts.strsize + 1;
  const vars = layoutVars(prog.variables, strsize);
  const tmpOff = THIS_OFF + vars.thisSize;
  const probeEntrySize = ProbeDescOff.name + align(Math.max(64, strsize), 8);
  const compileAll = (scratch: ScratchLayout, strtab: StringTable): CompiledClause[] =>
    prog.clauses.map((c) => compileClause(c, { index: c.index, strsize, scratchsize: opts.scratchsize, strtab, vars, scratch, probeEntrySize }, opts));
  const dvarList = [...vars.dvars.values()];

  // Pass 1 finds how many temporaries and how large a record each clause needs.
  const allocaSize = 2 * opts.scratchsize;
  const provisional = { tmpOff, keyOff: tmpOff, dkeyOff: tmpOff, zeroOff: tmpOff, strtokOff: tmpOff, recOff: tmpOff, allocaOff: tmpOff, allocaSize: 0, size: 0 };
  let sizing: CompiledClause[];
  try {
    sizing = compileAll(provisional, new StringTable(strsize));
  } catch (e) {
    // Offsets past what an instruction can hold mean the data cannot fit in scratch.
    if (e instanceof AsmError) throw new RangeError(`clause data needs more than the 32 KiB of scratch memory per CPU the kernel allows; lower strsize`);
    throw e;
  }
  const tmpBytes = Math.max(0, ...sizing.map((c) => c.tmpBytes));
  const recSize = Math.max(FaultRec.size, ...sizing.map((c) => c.record.size));
  const keyOff = align(tmpOff + tmpBytes, 8);
  const dkeyOff = keyOff + Math.max(8, ...prog.aggregations.map((a) => keySize(a, strsize)));
  const zeroOff = dkeyOff + Math.max(8, ...dvarList.map((d) => d.keySize));
  const zeroSize = Math.max(8, 8 * Math.max(1, ...prog.aggregations.map((a) => valueWords(a))), ...dvarList.map((d) => d.valueSize));
  const strtokOff = zeroOff + align(zeroSize, 8);
  const geom = strGeom(opts.strsize);
  const recOff = strtokOff + (sizing.some((c) => c.usesStrtok) ? strtokSize(geom) : 0);
  // String functions write `dst + n` with up to strsize + 1 - n bytes: the
  // verifier adds the largest n to the largest size, so the value gets that
  // much room past the record (docs/strings.md).
  const slack = sizing.some((c) => c.usesStrings) ? geom.BW + 16 : 0;
  // The alloca area comes last, and only when some clause uses it (every clause then resets it).
  const allocaOff = align(recOff + recSize + slack, 8);
  const alloca = sizing.some((c) => c.usesAlloca) ? allocaSize : 0;
  const scratch: ScratchLayout = { tmpOff, keyOff, dkeyOff, zeroOff, strtokOff, recOff, allocaOff, allocaSize: alloca, size: allocaOff + alloca };
  if (scratch.size > 32 << 10) {
    throw new RangeError(`clause data needs ${scratch.size} bytes of scratch memory, more than the 32 KiB per CPU the kernel allows; lower strsize${alloca > 0 ? ' or scratchsize' : ''}`);
  }

  const strtab = new StringTable(strsize);
  const clauses = compileAll(scratch, strtab);
  const functions = new Map<string, AsmItem[]>();
  for (const c of clauses) functions.set(c.name, c.items);
  functions.set('dt_strcmp', strcmpFn(strsize));
  functions.set('dt_timestamp', timestampFn());
  for (const [name, items] of subrFunctions(clauses.map((c) => c.items), strsize)) functions.set(name, items);
  for (const [name, fn] of Object.entries(STRING_FNS)) functions.set(name, fn(geom));
  for (const [name, items] of loopFns(geom, strtokOff)) functions.set(name, items);
  const nspec = opts.nspec ?? 1;
  const specFns = specFunctions(nspec);
  const specCalls = clauses.flatMap((c) => c.items.filter((it) => it.kind === 'call_local' && specFns.has(it.target)));
  const speculation = specCalls.length > 0
    ? { nspec, specsize: opts.specsize ?? Infinity, calls: specCalls.filter((it) => it.kind === 'call_local' && it.target === SpecFn.speculation).length }
    : undefined;
  if (speculation !== undefined) for (const [name, fn] of specFns) functions.set(name, fn);
  return {
    speculation,
    strsize,
    bufpolicy: opts.bufpolicy ?? 'switch',
    functions,
    records: clauses.map((c) => c.record),
    scratch,
    globalsSize: vars.globalsSize,
    dvars: dvarList.map((d) => ({
      map: d.map, name: d.v.name, keySize: d.keySize, valueSize: d.valueSize,
      // As DTrace counts them: an associative array's tuple holds its variable id and keys.
      tupleSize: d.keyWidths.length === 0 ? 0 : 8 + d.keyWidths.reduce((x, y) => x + y, 0),
      dataSize: Math.max(1, sizeOf(d.v.type, opts.strsize)),
    })),
    strtab: strtab.bytes(),
    probeEntrySize,
    strtokClauses: new Set(clauses.filter((c) => c.usesStrtok).map((c) => c.record.stid)),
    aggregations: prog.aggregations.map((a) => ({ agg: a, map: aggMapName(a.id), array: usesArray(a), keySize: keySize(a, strsize), keyWidths: keyWidths(a, strsize), valueWords: valueWords(a) })),
  };
}

/**
 * linkProbeProgram builds the instruction list of one probe's program: its
 * trampoline, the clauses it calls, dt_error with the ERROR clauses, and
 * the support functions any of them use.
 */
export function linkProbeProgram(gen: GeneratedProgram, spec: TrampolineSpec, errorClauses: readonly ErrorClause[]): AsmItem[] {
  const resetStrtok = usesStrtok(gen, [spec.clauses, errorClauses]);
  return linkMain(gen, trampoline({ ...spec, resetStrtok }), errorClauses);
}

/** linkDispatchProgram builds the instruction list of a program serving many probes (see dispatchTrampoline). */
export function linkDispatchProgram(gen: GeneratedProgram, spec: DispatchSpec, errorClauses: readonly ErrorClause[]): AsmItem[] {
  const resetStrtok = usesStrtok(gen, [...spec.entries.map((e) => e.clauses), errorClauses]);
  return linkMain(gen, dispatchTrampoline({ ...spec, resetStrtok }), errorClauses);
}

/** usesStrtok tells whether a program's clauses (ERROR's, linked into every program, included) call strtok(). */
function usesStrtok(gen: GeneratedProgram, lists: readonly (readonly { readonly index: number }[])[]): boolean {
  return lists.some((l) => l.some((c) => gen.strtokClauses.has(c.index)));
}

function linkMain(gen: GeneratedProgram, main: AsmItem[], errorClauses: readonly ErrorClause[]): AsmItem[] {
  const fns = new Map(gen.functions);
  // A fault inside an ERROR clause is counted, not handed to dt_error again:
  // dt_error calls a variant of the clause whose fault stubs only count.
  const called = errorClauses.map((c) => {
    const items = gen.functions.get(clauseName(c.index)) ?? [];
    if (!items.some(isErrorCall)) return { ...c, fn: clauseName(c.index) };
    const fn = `${clauseName(c.index)}_in_error`;
    fns.set(fn, items.flatMap((it) => isErrorCall(it) ? countDoubleError() : [it]));
    return { ...c, fn };
  });
  fns.set('dt_error', errorFn(called, gen.scratch.recOff, gen.bufpolicy));
  return link(main, fns);
}

function isErrorCall(it: AsmItem): boolean {
  return it.kind === 'call_local' && it.target === 'dt_error';
}

export { clauseName, MS };
