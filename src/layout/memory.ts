// Run-time memory layout (src/layout/: what the compiler and the consumer
// share). Used by the code generator, the loader (session), the providers
// and the consumer: map names, session states, the per-CPU scratch area
// (machine state, record buffer, string temporaries), the dt_state value,
// the record header that starts every ring-buffer record, FAULT records,
// dt_probes entries and fault codes.

/** dvarMapName is the map holding dynamic variable `id` (a thread-local or an associative array). */
export function dvarMapName(id: number): string {
  return `dt_dvar_${id}`;
}

/** Map names the generated code refers to; the loader creates them. */
export const MapName = {
  /** Per-CPU scratch: machine state, record buffer, temporaries. */
  scratch: 'dt_scratch',
  /** One array value: session state and constants set at load time. */
  state: 'dt_state',
  /** One array value: global D variables at compile-time offsets. */
  globals: 'dt_globals',
  /** Read-only string constants. */
  strtab: 'dt_strtab',
  /** Probe descriptions by probe id (probeprov/probemod/probefunc/probename). */
  probes: 'dt_probes',
  /** Aggregation generations, one u64 per aggregation id: clear() moves one on. */
  aggen: 'dt_aggen',
  /** The BPF ring buffer records go through. */
  events: 'dt_events',
  /** One cpuinfo_t (CpuInfoOff) per possible CPU, by CPU id; created only for programs that read curcpu. */
  cpuinfo: 'dt_cpuinfo',
  /** Speculations: an array of one value (SpecCount, then a 32-bit SpecState per id); see specsValueSize. */
  specs: 'dt_specs',
} as const;

/** Session states stored in dt_state at offset 0 (as dtrace-utils' DTRACE_ACTIVITY_*). */
export const State = {
  INACTIVE: 0,
  ACTIVE: 1,
  DRAINING: 2,
  STOPPED: 3,
} as const;

/** Offsets in the dt_state value. */
export const StateOff = {
  state: 0,
  /** Nanoseconds to add to ktime_get_ns() for walltimestamp, set by the loader. */
  wallOffset: 8,
  /**
   * Fill levels of the ring buffer (bytes) past which a record wakes the
   * consumer: a half and three quarters of the ring, set by the loader (the
   * ring's size is chosen at load time, so compiled code stays the same).
   */
  wakeHalf: 16,
  wakeThreeQuarters: 24,
  /** bufpolicy=fill: bytes each CPU may record before its buffer is full (bufsize less the END reserve). */
  fillLimit: 32,
  size: 40,
} as const;

/** Offsets of the machine state at the start of the scratch value. */
export const MS = {
  prid: 0,
  epid: 4,
  cpu: 8,
  /** Non-zero while ERROR clauses run, so a fault in them does not recurse. */
  inError: 12,
  timestamp: 16,
  faultCode: 24,
  faultPc: 32,
  faultAddr: 40,
  faultClause: 48,
  /** Non-zero while a probe runs on this CPU: a probe firing inside another is dropped, not allowed to corrupt it. */
  busy: 56,
  /** arg0..arg9, 8 bytes each. */
  argv: 64,
  /** Records lost because the ring buffer was full (per CPU; the consumer reports increases). */
  drops: 144,
  /** Aggregation updates lost because an aggregation's map was full. */
  aggDrops: 152,
  /** Dynamic variable stores lost because a variable's map was full (dynvarsize). */
  dvarDrops: 160,
  /**
   * errno: the error a syscall return probe's return value carries (0 when
   * it succeeded), zeroed for every other probe; as dtrace-utils' mstate.
   */
  errno: 168,
  /** A word a pointer into BPF memory is stored to and read back from, to use its value as a plain integer. */
  launder: 176,
  /**
   * bufpolicy=fill: bytes recorded on this CPU; above StateOff.fillLimit
   * once the buffer is full (the consumer then stops tracing).
   */
  fillUsed: 184,
  /** Faults in ERROR clauses (DTrace's "errors in ERROR probe enabling"): counted, never recursed into. */
  dblErrors: 192,
  /** The end of the current clause's alloca() allocations: an offset into the alloca area (codegen/alloca.ts). */
  scratchTop: 200,
  /**
   * strtok()'s position in its copy of the string being split (the
   * strtok state in scratch); -1, set as each probe fires, until a
   * strtok(s, d) starts one, as dtrace-utils resets it per firing.
   */
  strtok: 208,
  size: 216,
} as const;

/**
 * A dt_cpuinfo value: the cpuinfo_t `curcpu` points to, as the D
 * library's sched.d declares it (a unit test checks that they agree).
 */
export const CpuInfoOff = {
  id: 0,
  /** Processor set: Linux has none, always 0. */
  pset: 4,
  /** Physical package (socket). */
  chip: 8,
  /** Locality group: the CPU's NUMA node. */
  lgrp: 12,
  size: 16,
} as const;

/** Clause-local (this->) variables start here in the scratch value, after the machine state. */
export const THIS_OFF = 256;

/** Fixed slots at the top of every clause function's stack frame. */
export const Frame = {
  /** The probe context pointer (r1 of the program), needed by helpers such as get_stack. */
  ctx: -8,
  /** A 16-byte map key. */
  key: -24,
  /** An 8-byte value buffer for map updates. */
  value: -32,
  /** 8 bytes a kernel or user read lands in before it is loaded into a register. */
  load: -40,
  reserved: 40,
} as const;

/** Record header: every record in the ring buffer starts with these 16 bytes. */
export const Hdr = {
  prid: 0,
  /** Clause index (statement id) whose record this is. */
  stid: 4,
  cpu: 8,
  /** The record kind (RecKind), 16 bits. */
  kind: 12,
  /**
   * The speculation a DATA record belongs to (16 bits; 0: none): its data
   * goes to the consumer's buffer for that speculation, printed at commit( ).
   * Records written with a 32-bit kind store leave it 0.
   */
  spec: 14,
  size: 16,
} as const;

/** Bytes of the EPID that starts a record in DTrace's principal buffers. */
export const EPID_SIZE = 4;

/**
 * principalSize is the room a record of `size` bytes (our header
 * included) takes in a DTrace principal buffer: its data after an EPID,
 * 8-byte aligned. bufsize is measured in these units, so that a buffer
 * holds as many records as DTrace's does (docs/buffers.md).
 */
export function principalSize(size: number): number {
  return Math.ceil((Math.max(0, size - Hdr.size) + EPID_SIZE) / 8) * 8;
}

/** Record kinds in the header's kind field. */
export const RecKind = {
  DATA: 0,
  /** A probe-time fault; body: pc u64, fault code u64, address u64. */
  FAULT: 1,
  /** commit( ) or discard( ) of a speculation; body: SpecRec. */
  SPEC: 2,
} as const;

/** Offsets in a SPEC record: the speculation id and what happens to it (SpecState.COMMITTING or DISCARDING). */
export const SpecRec = {
  id: Hdr.size,
  op: Hdr.size + 4,
  size: Hdr.size + 8,
} as const;

/** States of a speculation (32 bits at SpecCount.states + 4 * id in the dt_specs value). */
export const SpecState = {
  INACTIVE: 0,
  /** Returned by speculation( ): speculate( ) may write to it. */
  ACTIVE: 1,
  /** commit( ) or discard( ) has taken it; it is free again once its SPEC record is written. */
  COMMITTING: 2,
  DISCARDING: 3,
} as const;

/** Offsets in the dt_specs value: DTrace's speculation drop counts (u64, updated atomically), how many speculations are being released, and the states. */
export const SpecCount = {
  /** Speculative records larger than specsize. */
  drops: 0,
  /** speculation( ) failures while some speculation was being committed or discarded. */
  busy: 8,
  /** speculation( ) failures with every speculation in use. */
  unavail: 16,
  /** Speculations between commit( )/discard( ) and their release. */
  draining: 24,
  /** The state of speculation id (1..nspec) is the u32 at states + 4 * id. */
  states: 32,
} as const;

/** specsValueSize is the size of the dt_specs value for nspec speculations. */
export function specsValueSize(nspec: number): number {
  return Math.ceil((SpecCount.states + 4 * (nspec + 1)) / 8) * 8;
}

/** Offsets in a FAULT record's body. */
export const FaultRec = {
  pc: Hdr.size,
  code: Hdr.size + 8,
  addr: Hdr.size + 16,
  size: Hdr.size + 24,
} as const;

/** Offsets of the fields of a dt_probes entry; the name field runs to the end (its size depends on strsize). */
export const ProbeDescOff = { prov: 0, mod: 64, func: 128, name: 256 } as const;

/** Well-known probe ids of the dtrace provider (as in dtrace-utils). */
export const DTRACE_PROBE_IDS = { BEGIN: 1, END: 2, ERROR: 3 } as const;

/** Fault codes (DTRACEFLT_*) raised by generated code. */
export const Fault = {
  BADADDR: 1,
  ILLOP: 3,
  DIVZERO: 4,
  NOSCRATCH: 5,
  BADSTACK: 9,
  BADSIZE: 10,
  BADINDEX: 11,
} as const;
