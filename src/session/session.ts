// A tracing session: creates the maps, links and loads one program per
// probe, attaches them, fires BEGIN, consumes records until exit(), Ctrl-C
// or SIGTERM, then stops the probes, fires END, prints what remains and
// releases every kernel resource (in reverse order of creation).

import { assemble, applyRelocations } from '../bpf/index.js';
import { linkProbeProgram, type GeneratedProgram } from '../codegen/program.js';
import { CpuInfoOff, FaultRec, MapName, MS, ProbeDescOff, State, StateOff, DTRACE_PROBE_IDS } from '../layout/memory.js';
import type { TrampolineSpec } from '../codegen/trampoline.js';
import { decodeRecord } from '../consume/decode.js';
import {
  BpfMap, BpfProgram, MapType, ProgType, RingBufReader, ResourceScope, attachPerfEvent, attachTracepoint,
  onlineCpus, possibleCpus, cpuTopology, PerfType, PerfSwConfig,
} from '../kernel/index.js';
import type { Output } from '../output/text.js';
import type { Probe } from '../providers/index.js';
import type { Compiled } from './compile.js';
import { Aggregations } from './aggregations.js';
import { Helper } from '../bpf/helpers.js';
import { Class, JmpOp } from '../bpf/opcode.js';
import { probeFeature } from '../kernel/index.js';
import type { AggOptions } from '../output/aggregation.js';

/** The opcode of a helper call. */
const CALL = Class.JMP | JmpOp.CALL;

/** ProgramListing is one probe's linked program, for -S. */
export interface ProgramListing {
  readonly probe: Probe;
  readonly asm: ReturnType<typeof assemble>;
}

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

/** linkPrograms builds the assembled program of every enabled probe that has one. */
export function linkPrograms(c: Compiled): ProgramListing[] {
  const enabled = enabledProbes(c);
  const errorClauses = enabled.find((e) => e.probe.id === DTRACE_PROBE_IDS.ERROR)?.clauses ?? [];
  const out: ProgramListing[] = [];
  for (const e of enabled) {
    if (e.probe.attach.kind === 'error') continue;
    const spec: TrampolineSpec = { prid: e.probe.id, state: e.probe.state, args: e.probe.args, clauses: e.clauses };
    out.push({ probe: e.probe, asm: assemble(linkProbeProgram(c.generated, spec, errorClauses)) });
  }
  return out;
}

function progType(p: Probe): number {
  switch (p.attach.kind) {
    case 'tracepoint': return ProgType.TRACEPOINT;
    case 'perf': return ProgType.PERF_EVENT;
    default: return ProgType.RAW_TRACEPOINT;
  }
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
  /** How often the consumer reads the ring buffer (ns), when nothing wakes it. */
  readonly switchrateNs: number;
  /** The bufsize option as given (bytes). */
  readonly bufsize: number;
  readonly aggsize: number;
  /** Bytes of dynamic variable space (thread-locals and associative arrays). */
  readonly dynvarsize: number;
  readonly agg: AggOptions;
}

/** EnableError is a refusal to enable tracing, worded as DTrace words it. */
export class EnableError extends Error {}

/** checkSizes refuses buffers too small for the script's records or aggregations, as DTrace does. */
function checkSizes(g: GeneratedProgram, opts: SessionOptions): void {
  const largest = Math.max(FaultRec.size, ...g.records.map((r) => r.size));
  // A record goes into the ring with an 8-byte header; DTrace's smallest buffer is 64 bytes.
  if (opts.bufsize < 64 || opts.bufsize < largest + 8) throw new EnableError('Enabling exceeds size of buffer');
  for (const a of g.aggregations) {
    if (a.keySize + a.valueWords * 8 > opts.aggsize) throw new EnableError('Enabling exceeds size of buffer');
  }
  if (g.dvars.length > 0 && dvarEntries(g, opts.dynvarsize) === 0) throw new EnableError('Enabling exceeds size of buffer');
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
  private readonly dropsSeen: bigint[][] = [];
  private aggs!: Aggregations;
  private stopRequested = false;
  private wakeStop: (() => void) | undefined;

  constructor(private readonly c: Compiled, private readonly output: Output, private readonly opts: SessionOptions) {}

  /** load creates the maps and loads and attaches every probe's program (probes stay idle until BEGIN has run). */
  load(): void {
    const g = this.c.generated;
    checkSizes(g, this.opts);
    checkPermitted(g);
    const listings = linkPrograms(this.c);
    for (const e of enabledProbes(this.c)) this.probes.set(e.probe.id, e.probe);
    this.createMaps(g);
    const fds = new Map([...this.maps].map(([name, m]) => [name, m.fd]));
    for (const l of listings) {
      const insns = applyRelocations(l.asm.bytes, l.asm.relocations, fds);
      const prog = this.scope.add(BpfProgram.load({ name: `dt_${l.probe.name}`, type: progType(l.probe) as never, insns, license: 'GPL' }));
      const a = l.probe.attach;
      if (a.kind === 'test-run') {
        if (l.probe.id === DTRACE_PROBE_IDS.BEGIN) this.begin = prog;
        else this.end = prog;
      } else if (a.kind === 'tracepoint') {
        this.scope.add(attachTracepoint(prog, a.group, a.event));
      } else if (a.kind === 'perf') {
        const cpus = a.allCpus ? onlineCpus() : [onlineCpus()[0]];
        for (const cpu of cpus) {
          this.scope.add(attachPerfEvent(prog, { type: PerfType.SOFTWARE, config: PerfSwConfig.CPU_CLOCK, samplePeriod: a.periodNs, cpu }));
        }
      }
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
    this.state = this.map({ name: MapName.state, type: MapType.ARRAY, keySize: 4, valueSize: StateOff.size, maxEntries: 1 });
    const st = Buffer.alloc(StateOff.size);
    st.writeUInt32LE(State.INACTIVE, StateOff.state);
    const wallOffset = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
    st.writeBigInt64LE(wallOffset, StateOff.wallOffset);
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
    this.aggs = new Aggregations(g.aggregations, this.scope, g.strsize, this.opts.agg, this.opts.aggsize);
    for (const [name, m] of this.aggs.maps()) this.maps.set(name, m);
    this.ring = this.scope.add(new RingBufReader(this.map({ name: MapName.events, type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: g.bufsize })));
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

  /** drain decodes and prints every record in the ring buffer. */
  /**
   * drain decodes and prints the records in the ring buffer, at most
   * `max` of them, and tells whether it stopped at that limit (more are
   * waiting). Output is flushed once per drain, not per record.
   */
  private drain(max = Infinity): boolean {
    const records = this.c.generated.records;
    const n = this.ring.consume((view, off) => {
      const d = decodeRecord(view, off, records);
      if (d.kind === 'data') {
        // The last exit() wins: END may override the status of an earlier exit().
        for (const it of d.items) if (it.kind === 'exit') this.exitStatus = it.status;
      }
      this.output.record(d, this.probes.get(d.prid), this.aggs);
    }, max);
    this.output.flush();
    return n >= max;
  }

  /**
   * reportDrops prints DTrace's drop messages for the records and
   * aggregation updates each CPU lost since the last report.
   */
  private reportDrops(): void {
    const scratch = this.maps.get(MapName.scratch);
    if (scratch === undefined) return;
    const perCpu = scratch.lookupPerCpu(Buffer.alloc(4));
    let dyn = 0n;
    perCpu.forEach((v, cpu) => {
      const seen = this.dropsSeen[cpu] ?? [0n, 0n, 0n];
      const now = [v.readBigUInt64LE(MS.drops), v.readBigUInt64LE(MS.aggDrops), v.readBigUInt64LE(MS.dvarDrops)];
      const kinds = ['', 'aggregation '];
      for (let i = 0; i < kinds.length; i++) {
        const n = now[i] - seen[i];
        if (n > 0n) this.output.error(`dtrace: ${n} ${kinds[i]}drop${n === 1n ? '' : 's'} on CPU ${cpu}\n`);
      }
      dyn += now[2] - seen[2];
      this.dropsSeen[cpu] = now;
    });
    // Dynamic variable drops are counted for the whole system, as DTrace reports them.
    if (dyn > 0n) this.output.error(`dtrace: ${dyn} dynamic variable drop${dyn === 1n ? '' : 's'}\n`);
  }

  /** requestStop asks the run loop to stop tracing (Ctrl-C, SIGTERM). */
  requestStop(): void {
    this.stopRequested = true;
    this.wakeStop?.();
  }

  /** run fires BEGIN, traces until exit() or a stop request, fires END and returns the exit status. */
  async run(): Promise<number> {
    this.begin?.testRun(Buffer.alloc(8));
    this.drain();
    if (this.getState() === State.INACTIVE) this.setState(State.ACTIVE);
    const pollMs = Math.max(1, Math.min(this.opts.switchrateNs / 1e6, 1000));
    const stopped = new Promise<void>((resolve) => { this.wakeStop = resolve; });
    let busy = false;
    while (!this.stopRequested && this.exitStatus === undefined && this.getState() === State.ACTIVE) {
      // When records keep coming, yield to the event loop between batches so
      // that Ctrl-C and SIGTERM are still heard; otherwise sleep until woken.
      if (busy) await new Promise((resolve) => setImmediate(resolve));
      else await Promise.race([this.ring.wait(pollMs), stopped]);
      busy = this.drain(BATCH);
      this.reportDrops();
    }
    // DRAINING stops every probe at once (trampolines check the state), so the
    // output can be printed before the links are closed: detaching hundreds
    // of tracepoints waits for RCU grace periods (see docs/performance.md).
    this.setState(State.DRAINING);
    this.drain();
    this.end?.testRun(Buffer.alloc(8));
    this.drain();
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
