// A tracing session: creates the maps, links and loads one program per
// probe, attaches them, fires BEGIN, consumes records until exit(), Ctrl-C
// or SIGTERM, then stops the probes, fires END, prints what remains and
// releases every kernel resource (in reverse order of creation).

import { assemble, applyRelocations, funcBtf, funcInfo, functionNames, usesCallbacks } from '../bpf/index.js';
import { linkDispatchProgram, linkProbeProgram, type GeneratedProgram } from '../codegen/program.js';
import { CpuInfoOff, DvarSpaceOff, FaultRec, Hdr, MapName, MS, ProbeDescOff, RecKind, State, StateOff, DTRACE_PROBE_IDS } from '../layout/memory.js';
import { BPF_RINGBUF_HDR_SZ } from '../bpf/helpers.js';
import type { TrampolineSpec } from '../codegen/trampoline.js';
import { decodeRecord } from '../consume/decode.js';
import { BpfMap, BpfProgram, MapType, RingBufReader, ResourceScope, onlineCpus, possibleCpus, cpuTopology, loadBtf, requireFeature } from '../kernel/index.js';
import { attachKind, hasProgram, type AttachHooks } from '../providers/attach.js';
import type { Output } from '../output/text.js';
import type { AttachSpec, Probe, SharedAttach } from '../providers/index.js';
import type { Compiled } from './compile.js';
import { Aggregations } from './aggregations.js';
import { Helper } from '../bpf/helpers.js';
import { Class, JmpOp } from '../bpf/opcode.js';
import { probeFeature } from '../kernel/index.js';
import type { AggOptions } from '../output/aggregation.js';
import { RetainedRecords } from '../consume/retain.js';
import type { BufPolicy } from '../codegen/clause.js';
import { aggEntrySize, BufferAllocationError, bufsizeFits, DropReporter, endReserve, loweredMessage, sizeRing } from './buffers.js';
import { Speculations } from './speculations.js';
import { SPEC_SCAN_MAX } from '../codegen/spec.js';

/** The opcode of a helper call. */
const CALL = Class.JMP | JmpOp.CALL;

/** ProgramListing is one linked program: of one probe, or of several probes sharing one attach point. */
export interface ProgramListing {
  readonly probe: Probe;
  /** Every probe the program serves (`probe` first). */
  readonly probes: readonly Probe[];
  readonly attach: AttachSpec;
  readonly asm: ReturnType<typeof assemble>;
}

type Enabled = ReturnType<typeof enabledProbes>[number];

/** enabledProbes lists the probes the script enables with their clauses (in clause order) and epids. */
export function enabledProbes(c: Compiled): { probe: Probe; clauses: { index: number; epid: number }[] }[] {
  const byId = new Map<number, { probe: Probe; clauses: { index: number; epid: number }[] }>();
  let epid = 1;
  c.clauseProbes.forEach((probes, index) => {
    for (const probe of probes ?? []) {
      let e = byId.get(probe.id);
      if (e === undefined) {
        e = { probe, clauses: [] };
        byId.set(probe.id, e);
      }
      e.clauses.push({ index, epid: epid++ });
    }
  });
  return [...byId.values()].sort((a, b) => a.probe.id - b.probe.id);
}

/**
 * linkPrograms builds the assembled program of every enabled probe that
 * has one; probes offering a shared attach point (see SharedAttach) get one
 * program between them there when enough of them are enabled.
 */
export function linkPrograms(c: Compiled): ProgramListing[] {
  const enabled = enabledProbes(c);
  const errorClauses = enabled.find((e) => e.probe.id === DTRACE_PROBE_IDS.ERROR)?.clauses ?? [];
  const out: ProgramListing[] = [];
  const shared = sharedGroups(enabled);
  for (const group of shared.values()) {
    const first = group[0]!;
    const a = sharedOf(first);
    if (a === undefined) continue;
    const entries = group.map((e) => ({ key: sharedOf(e)!.key, prid: e.probe.id, args: e.probe.args, clauses: e.clauses }));
    const asm = assemble(linkDispatchProgram(c.generated, { state: first.probe.state, keyOffset: a.keyOffset, entries }, errorClauses));
    out.push({ probe: first.probe, probes: group.map((e) => e.probe), attach: { kind: 'tracepoint', group: a.group, event: a.event }, asm });
  }
  for (const e of enabled) {
    if (!hasProgram(e.probe.attach) || shared.has(sharedKey(e))) continue;
    const spec: TrampolineSpec = { prid: e.probe.id, state: e.probe.state, args: e.probe.args, clauses: e.clauses };
    out.push({ probe: e.probe, probes: [e.probe], attach: e.probe.attach, asm: assemble(linkProbeProgram(c.generated, spec, errorClauses)) });
  }
  return out;
}

function sharedOf(e: Enabled): SharedAttach | undefined {
  return e.probe.attach.kind === 'tracepoint' ? e.probe.attach.shared : undefined;
}

function sharedKey(e: Enabled): string {
  const a = sharedOf(e);
  return a === undefined ? '' : `${a.group}:${a.event}:${e.probe.state}`;
}

/** sharedGroups gathers the enabled probes that will share a program, by shared attach point, where there are enough of them. */
function sharedGroups(enabled: readonly Enabled[]): Map<string, Enabled[]> {
  const groups = new Map<string, Enabled[]>();
  for (const e of enabled) {
    const k = sharedKey(e);
    if (k === '') continue;
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [e]);
    else g.push(e);
  }
  for (const [k, g] of groups) if (g.length < sharedOf(g[0]!)!.minProbes) groups.delete(k);
  return groups;
}

function fixedString(s: string, size: number): Buffer {
  const b = Buffer.alloc(size);
  b.write(s.slice(0, size - 1), 'latin1');
  return b;
}

/** usesMap tells whether any function refers to `map`, so that maps only some programs need are made only for them. */
function usesMap(gen: GeneratedProgram, map: string): boolean {
  for (const items of gen.functions.values()) {
    for (const it of items) if (it.kind === 'ld_map' && it.map === map) return true;
  }
  return false;
}

/**
 * cpuInfo is dt_cpuinfo's value for one CPU, as sched.d's cpuinfo_t:
 * Linux has no processor sets, and a CPU's locality group is its NUMA node.
 */
function cpuInfo(cpu: number): Buffer {
  const t = cpuTopology(cpu);
  const v = Buffer.alloc(CpuInfoOff.size);
  v.writeInt32LE(cpu, CpuInfoOff.id);
  v.writeInt32LE(0, CpuInfoOff.pset);
  v.writeInt32LE(t.chip, CpuInfoOff.chip);
  v.writeInt32LE(t.node, CpuInfoOff.lgrp);
  return v;
}

/** SessionOptions are the run-time options a session needs. */
export interface SessionOptions {
  /** How often the consumer reads the ring buffer (ns) when nothing wakes it; read at every wait, as setopt( ) may change it. */
  readonly switchrateNs: () => number;
  /** How often the consumer checks the kernel's status: drops, exit(), full fill buffers (ns). */
  readonly statusrateNs?: number;
  /** The bufsize option as given (bytes): each CPU's principal buffer. */
  readonly bufsize: number;
  readonly bufpolicy?: BufPolicy;
  /** bufresize: auto lowers a buffer that cannot be had, manual refuses to run. */
  readonly bufresize?: 'auto' | 'manual';
  /** Tag drop messages with their DTRACEDROP_* kind. */
  readonly droptags?: boolean;
  /** quietresize set: no note when bufresize=auto lowers a buffer, as dtrace(1). */
  readonly quietresize?: boolean;
  readonly aggsize: number;
  /** Bytes of dynamic variable space (thread-locals and associative arrays). */
  readonly dynvarsize: number;
  readonly agg: AggOptions;
}

/** EnableError is a refusal to enable tracing, worded as DTrace words it. */
export class EnableError extends Error {}

/** checkSizes refuses buffers too small for the script's records or aggregations, as DTrace does. */
function checkSizes(g: GeneratedProgram, opts: SessionOptions): void {
  if (!bufsizeFits(opts.bufsize, g.records)) throw new EnableError('Enabling exceeds size of buffer');
  for (const a of g.aggregations) {
    if (aggEntrySize(a.agg.keys.map((k) => k.kind), a.valueWords, g.strsize - 1) > opts.aggsize) throw new EnableError('Enabling exceeds size of buffer');
  }
  if (g.dvars.length > 0 && dvarEntries(g, opts.dynvarsize) === 0) throw new EnableError('Enabling exceeds size of buffer');
  const spec = g.speculation;
  // One call counted at least: the ids must also fit the record header's 16-bit field.
  if (spec !== undefined && spec.nspec * Math.max(1, spec.calls) > SPEC_SCAN_MAX) {
    const most = Math.floor(SPEC_SCAN_MAX / Math.max(1, spec.calls));
    throw new EnableError(`nspec ${spec.nspec} is too large: at most ${most} speculations for a script calling speculation( ) ${spec.calls} time(s)`);
  }
}

/**
 * checkPermitted refuses what this kernel does not let a script do: writing user memory
 * (copyout, copyoutstr) where the kernel forbids bpf_probe_write_user
 * (under lockdown, as on the machines this project tests on): said
 * plainly instead of the verifier's refusal.
 */
function checkPermitted(g: GeneratedProgram): void {
  if (callsHelper(g, Helper.probe_write_user)) {
    // The feature probe's reason holds the verifier's words, which differ between kernels: the message names the cause only.
    if (!probeFeature('probeWriteUser').available) {
      throw new EnableError('copyout( ) and copyoutstr( ) need bpf_probe_write_user, which this kernel does not allow (kernel lockdown, or no CAP_SYS_ADMIN)');
    }
  }
}

/** callsHelper tells whether any function of the program calls BPF helper `id`. */
function callsHelper(g: GeneratedProgram, id: number): boolean {
  for (const items of g.functions.values()) {
    for (const it of items) if (it.kind === 'insn' && it.insn.code === CALL && it.insn.src === 0 && it.insn.imm === id) return true;
  }
  return false;
}

/** dvarEntries is how many dynamic variables dynvarsize bytes hold, each as large as the largest tuple plus the largest value. */
function dvarEntries(g: GeneratedProgram, dynvarsize: number): number {
  const tuple = Math.max(0, ...g.dvars.map((d) => d.tupleSize));
  const data = Math.max(0, ...g.dvars.map((d) => d.dataSize));
  return Math.floor(dynvarsize / (tuple + data));
}

/** endReserveOf is the room bufpolicy=fill keeps for END's records (session/buffers.ts). */
function endReserveOf(c: Compiled): number {
  const end = enabledProbes(c).find((e) => e.probe.id === DTRACE_PROBE_IDS.END);
  return endReserve(c.generated.records, (end?.clauses ?? []).map((cl) => cl.index));
}

/** Records decoded per batch before the consumer lets signals and timers run. */
const BATCH = 4096;

export class Session {
  private readonly scope = new ResourceScope();
  private readonly maps = new Map<string, BpfMap>();
  private ring!: RingBufReader;
  private state!: BpfMap;
  private begin?: BpfProgram;
  private end?: BpfProgram;
  private readonly probes = new Map<number, Probe>();
  private exitStatus: number | undefined;
  private readonly drops: DropReporter;
  /** The bufsize in force (bufresize=auto may have lowered it). */
  private bufsize: number;
  /** bufpolicy=fill: bytes each CPU may record before its buffer is full. */
  private fillLimit = 0;
  private aggs!: Aggregations;
  private specs: Speculations | undefined;
  /** Records kept for printing at exit (bufpolicy ring and fill); undefined for switch. */
  private retained: RetainedRecords | undefined;
  private stopRequested = false;
  private wakeStop: (() => void) | undefined;

  constructor(private readonly c: Compiled, private readonly output: Output, private readonly opts: SessionOptions) {
    this.drops = new DropReporter(opts.droptags ?? false);
    this.bufsize = opts.bufsize;
  }

  /** load creates the maps and loads and attaches every probe's program (probes stay idle until BEGIN has run). */
  load(): void {
    const g = this.c.generated;
    const policy = this.opts.bufpolicy ?? 'switch';
    // A fill buffer always keeps room for END's records (checked first, as DTrace does).
    const reserve = policy === 'fill' ? endReserveOf(this.c) : 0;
    if (reserve > this.opts.bufsize) throw new EnableError('END enablings exceed size of principal buffer');
    checkSizes(g, this.opts);
    checkPermitted(g);
    const listings = linkPrograms(this.c);
    for (const e of enabledProbes(this.c)) this.probes.set(e.probe.id, e.probe);
    this.createMaps(g);
    const fds = new Map([...this.maps].map(([name, m]) => [name, m.fd]));
    // Programs passing callbacks to bpf_loop (string functions) load with
    // BTF describing their functions; one blob serves them all.
    let btf: { fd: number; info: ReturnType<typeof funcBtf> } | undefined;
    if (listings.some((l) => usesCallbacks(l.asm))) {
      requireFeature('bpfLoop');
      const info = funcBtf(listings.flatMap((l) => [...functionNames(l.asm).values()]));
      btf = { fd: this.scope.add(loadBtf(info.blob)).fd, info };
    }
    const hooks: AttachHooks = {
      scope: this.scope,
      testRun: (role, prog) => { if (role === 'begin') this.begin = prog; else this.end = prog; },
    };
    for (const l of listings) {
      const insns = applyRelocations(l.asm.bytes, l.asm.relocations, fds);
      const withBtf = btf !== undefined && usesCallbacks(l.asm) ? { btfFd: btf.fd, funcInfo: funcInfo(l.asm, btf.info), funcInfoRecSize: 8 } : {};
      const how = attachKind(l.attach);
      const prog = this.scope.add(BpfProgram.load({ name: `dt_${l.probe.name}`, type: how.progType as never, insns, license: 'GPL', ...withBtf }));
      how.attach(prog, l.attach, hooks);
    }
  }

  private map(spec: Parameters<typeof BpfMap.create>[0]): BpfMap {
    // bpf() takes 32-bit sizes: a larger declared variable (int x[4294967295]) cannot have a map.
    if (spec.keySize > 0xffffffff || spec.valueSize > 0xffffffff) throw new EnableError(`failed to create BPF map '${spec.name}': Too big`);
    const m = this.scope.add(BpfMap.create(spec));
    this.maps.set(spec.name, m);
    return m;
  }

  private createMaps(g: GeneratedProgram): void {
    const key0 = Buffer.alloc(4);
    // One ring carries every CPU's records: as large as DTrace's per-CPU principal buffers together.
    let ringMap: BpfMap | undefined;
    let ring: number;
    try {
      // The ring must also carry the largest record as this implementation lays it out, twice over.
      const largest = Math.max(FaultRec.size, ...g.records.map((r) => r.size)) + BPF_RINGBUF_HDR_SZ;
      ({ ring, bufsize: this.bufsize } = sizeRing(this.opts.bufsize, Math.max(1, onlineCpus().length), this.opts.bufresize ?? 'auto', (size) => {
        ringMap = this.map({ name: MapName.events, type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: size });
      }, 2 * largest));
    } catch (e) {
      throw e instanceof BufferAllocationError ? new EnableError(e.message) : e;
    }
    const lowered = loweredMessage('buffer size', this.opts.bufsize, this.bufsize);
    if (lowered !== undefined && this.opts.quietresize !== true) this.output.error(lowered);
    const policy = this.opts.bufpolicy ?? 'switch';
    this.fillLimit = policy === 'fill' ? Math.max(0, this.bufsize - endReserveOf(this.c)) : 0;
    if (policy !== 'switch') this.retained = new RetainedRecords(policy === 'ring' ? this.bufsize : Infinity);
    this.state = this.map({ name: MapName.state, type: MapType.ARRAY, keySize: 4, valueSize: StateOff.size, maxEntries: 1 });
    const st = Buffer.alloc(StateOff.size);
    st.writeUInt32LE(State.INACTIVE, StateOff.state);
    const wallOffset = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
    st.writeBigInt64LE(wallOffset, StateOff.wallOffset);
    st.writeBigUInt64LE(BigInt(ring / 2), StateOff.wakeHalf);
    st.writeBigUInt64LE(BigInt((ring * 3) / 4), StateOff.wakeThreeQuarters);
    st.writeBigUInt64LE(BigInt(this.fillLimit), StateOff.fillLimit);
    this.state.update(key0, st);
    this.map({ name: MapName.scratch, type: MapType.PERCPU_ARRAY, keySize: 4, valueSize: g.scratch.size, maxEntries: 1 });
    this.map({ name: MapName.globals, type: MapType.ARRAY, keySize: 4, valueSize: g.globalsSize, maxEntries: 1 });
    const strtab = this.map({ name: MapName.strtab, type: MapType.ARRAY, keySize: 4, valueSize: g.strtab.length, maxEntries: 1 });
    strtab.update(key0, Buffer.from(g.strtab));
    const maxId = Math.max(DTRACE_PROBE_IDS.ERROR, ...this.probes.keys());
    const probes = this.map({ name: MapName.probes, type: MapType.ARRAY, keySize: 4, valueSize: g.probeEntrySize, maxEntries: maxId + 1 });
    for (const p of this.probes.values()) {
      const v = Buffer.alloc(g.probeEntrySize);
      fixedString(p.provider, 64).copy(v, ProbeDescOff.prov);
      fixedString(p.module, 64).copy(v, ProbeDescOff.mod);
      fixedString(p.func, 128).copy(v, ProbeDescOff.func);
      fixedString(p.name, g.probeEntrySize - ProbeDescOff.name).copy(v, ProbeDescOff.name);
      const k = Buffer.alloc(4);
      k.writeUInt32LE(p.id);
      probes.update(k, v);
    }
    if (usesMap(g, MapName.cpuinfo)) {
      const cpus = possibleCpus();
      const m = this.map({ name: MapName.cpuinfo, type: MapType.ARRAY, keySize: 4, valueSize: CpuInfoOff.size, maxEntries: Math.max(1, ...cpus.map((c) => c + 1)) });
      for (const cpu of cpus) {
        const k = Buffer.alloc(4);
        k.writeUInt32LE(cpu);
        m.update(k, cpuInfo(cpu));
      }
    }
    // DTrace keeps every dynamic variable in one space of dynvarsize bytes, sized for the
    // largest entry; each variable's map here holds as many entries as that space would.
    const maxEntries = dvarEntries(g, this.opts.dynvarsize);
    for (const d of g.dvars) this.map({ name: d.map, type: MapType.HASH, keySize: d.keySize, valueSize: d.valueSize, maxEntries });
    if (usesMap(g, MapName.dvarSpace)) {
      const space = this.map({ name: MapName.dvarSpace, type: MapType.ARRAY, keySize: 4, valueSize: DvarSpaceOff.size, maxEntries: 1 });
      const v = Buffer.alloc(DvarSpaceOff.size);
      v.writeBigUInt64LE(BigInt(maxEntries), DvarSpaceOff.capacity);
      space.update(Buffer.alloc(4), v);
    }
    if (g.speculation !== undefined) this.specs = new Speculations(g.speculation, (spec) => this.map(spec), g.records);
    this.aggs = new Aggregations(g.aggregations, this.scope, g.strsize, this.opts.agg, this.opts.aggsize);
    for (const [name, m] of this.aggs.maps()) this.maps.set(name, m);
    this.ring = this.scope.add(new RingBufReader(ringMap!));
  }

  private setState(s: number): void {
    const v = Buffer.alloc(StateOff.size);
    const key0 = Buffer.alloc(4);
    const cur = this.state.lookup(key0);
    if (cur !== undefined) cur.copy(v);
    v.writeUInt32LE(s, StateOff.state);
    this.state.update(key0, v);
  }

  private getState(): number {
    return this.state.lookup(Buffer.alloc(4))?.readUInt32LE(StateOff.state) ?? State.STOPPED;
  }

  /**
   * drain decodes and prints the records in the ring buffer, at most
   * `max` of them, and tells whether it stopped at that limit (more are
   * waiting). Output is flushed once per drain, not per record. With
   * bufpolicy ring or fill the records are kept to be printed at exit.
   */
  private drain(max = Infinity): boolean {
    const bytes = this.ring.bytes;
    const kept = this.retained;
    const n = this.ring.consume((view, off, len) => {
      if (kept !== undefined) kept.add(view, bytes, off, len);
      else this.print(view, bytes, off);
    }, max);
    this.output.flush();
    return n >= max;
  }

  /** print prints one record: through the output's compiled fast path when it has one for the record. */
  private print(view: DataView, bytes: Uint8Array, off: number): void {
    // A speculative record's 32-bit kind word carries its speculation id (Hdr.spec) too, so it never takes the fast path.
    if (view.getUint32(off + Hdr.kind, true) === RecKind.DATA && this.output.fastRecord?.(view, bytes, off, this.probeOf)) return;
    const d = decodeRecord(view, off, this.c.generated.records);
    if (this.specs?.consume(d, (r) => this.output.record(r, this.probes.get(r.prid), this.aggs))) return;
    if (d.kind === 'data') {
      // The last exit() wins: END may override the status of an earlier exit().
      for (const it of d.items) if (it.kind === 'exit') this.exitStatus = it.status;
    }
    this.output.record(d, this.probes.get(d.prid), this.aggs);
  }

  private readonly probeOf = (prid: number): Probe | undefined => this.probes.get(prid);

  /** printRetained prints the records ring and fill buffers kept, as dtrace(1) prints stopped buffers. */
  private printRetained(): void {
    const kept = this.retained;
    if (kept === undefined) return;
    for (const r of kept.inOrder()) this.print(r.v, r.u8, r.off);
    kept.clear();
    this.output.flush();
  }

  /** machineStates reads every CPU's machine state (drop counters, fill level). */
  private machineStates(): Buffer[] {
    const scratch = this.maps.get(MapName.scratch);
    return scratch === undefined ? [] : scratch.lookupPerCpu(Buffer.alloc(4));
  }

  /**
   * reportDrops prints DTrace's drop messages for what was dropped since
   * the last report: per-CPU kinds for each CPU, then the others summed
   * (DROP_COUNTERS), on stderr.
   */
  private reportDrops(states = this.machineStates()): void {
    for (const m of this.drops.report(states, this.specs?.dropTotals())) this.output.error(m);
  }

  /** fillFull tells whether some CPU's fill buffer is full (bufpolicy=fill): tracing then stops, as in DTrace. */
  private fillFull(states: readonly Buffer[]): boolean {
    if (this.opts.bufpolicy !== 'fill') return false;
    const limit = BigInt(this.fillLimit);
    return states.some((v) => v.readBigUInt64LE(MS.fillUsed) > limit);
  }

  /** pollMs is how long the consumer sleeps when nothing wakes it: switchrate, capped at a second. */
  private pollMs(): number {
    return Math.max(1, Math.min(this.opts.switchrateNs() / 1e6, 1000));
  }

  /** requestStop asks the run loop to stop tracing (Ctrl-C, SIGTERM). */
  requestStop(): void {
    this.stopRequested = true;
    this.wakeStop?.();
  }

  /**
   * run fires BEGIN, calls onStarted, traces until a stop request or until a
   * status check (every statusrate, the first at once) finds that exit() was
   * called or a fill buffer is full, as dtrace(1) checks; then it fires END
   * and returns the exit status.
   */
  async run(onStarted?: () => void): Promise<number> {
    this.begin?.testRun(Buffer.alloc(8));
    // Tracing is on before BEGIN's records are consumed, as in DTrace: a
    // command system( ) runs from BEGIN is traced.
    if (this.getState() === State.INACTIVE) this.setState(State.ACTIVE);
    // dtrace(1) lets the processes of -c run now, as DTrace does after BEGIN.
    onStarted?.();
    this.drain();
    const statusMs = Math.max(1, (this.opts.statusrateNs ?? 1e9) / 1e6);
    const stopped = new Promise<void>((resolve) => { this.wakeStop = resolve; });
    let nextStatus = performance.now();
    let busy = false;
    while (!this.stopRequested) {
      const now = performance.now();
      if (now >= nextStatus) {
        nextStatus = Math.max(nextStatus + statusMs, now);
        const states = this.machineStates();
        this.reportDrops(states);
        if (this.getState() !== State.ACTIVE || this.fillFull(states)) break;
      }
      // When records keep coming, yield to the event loop between batches so
      // that Ctrl-C and SIGTERM are still heard; otherwise sleep until woken.
      if (busy) await new Promise((resolve) => setImmediate(resolve));
      else await Promise.race([this.ring.wait(Math.min(this.pollMs(), Math.max(1, nextStatus - now))), stopped]);
      busy = this.drain(BATCH);
    }
    // DRAINING stops every probe at once (trampolines check the state), so the
    // output can be printed before the links are closed: detaching hundreds
    // of tracepoints waits for RCU grace periods (see docs/performance.md).
    this.setState(State.DRAINING);
    this.drain();
    this.end?.testRun(Buffer.alloc(8));
    this.drain();
    this.printRetained();
    this.reportDrops();
    this.setState(State.STOPPED);
    // dtrace(1) prints its final newline, then the aggregations printa did not print.
    this.output.end();
    this.output.text(this.aggs.atExit());
    return this.exitStatus ?? 0;
  }

  /** close releases every map, program, link and mapping. */
  close(): void {
    this.scope.closeAll();
  }
}
