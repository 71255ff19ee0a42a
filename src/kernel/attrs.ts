// The one place where kernel ABI structs are laid out: union bpf_attr (per
// command), perf_event_attr, epoll_event, plus the constant tables (bpf
// commands, map/prog/attach types, perf types, ioctl numbers). Pure code:
// builders take pointer values as bigint addresses so this file never
// touches the OS and is unit-testable. Offsets verified against
// <linux/bpf.h> / <linux/perf_event.h> with offsetof().

export const BpfCmd = {
  MAP_CREATE: 0,
  MAP_LOOKUP_ELEM: 1,
  MAP_UPDATE_ELEM: 2,
  MAP_DELETE_ELEM: 3,
  MAP_GET_NEXT_KEY: 4,
  PROG_LOAD: 5,
  PROG_TEST_RUN: 10,
  OBJ_GET_INFO_BY_FD: 15,
  RAW_TRACEPOINT_OPEN: 17,
  BTF_LOAD: 18,
  MAP_LOOKUP_AND_DELETE_ELEM: 21,
  MAP_LOOKUP_BATCH: 24,
  LINK_CREATE: 28,
} as const;
export type BpfCmdName = keyof typeof BpfCmd;
export const BpfCmdNames: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(BpfCmd).map(([k, v]) => [v, k]),
);

export const MapType = {
  HASH: 1,
  ARRAY: 2,
  PROG_ARRAY: 3,
  PERF_EVENT_ARRAY: 4,
  PERCPU_HASH: 5,
  PERCPU_ARRAY: 6,
  STACK_TRACE: 7,
  LRU_HASH: 9,
  LRU_PERCPU_HASH: 10,
  ARRAY_OF_MAPS: 12,
  HASH_OF_MAPS: 13,
  QUEUE: 22,
  STACK: 23,
  RINGBUF: 27,
  TASK_STORAGE: 29,
} as const;
export type MapType = (typeof MapType)[keyof typeof MapType];

/** Map types whose values are one slot per possible CPU. */
export function isPerCpuMap(t: number): boolean {
  return t === MapType.PERCPU_HASH || t === MapType.PERCPU_ARRAY || t === MapType.LRU_PERCPU_HASH;
}

export const MapFlags = {
  NO_PREALLOC: 1 << 0,
  NO_COMMON_LRU: 1 << 1,
  RDONLY_PROG: 1 << 7,
  WRONLY_PROG: 1 << 8,
  MMAPABLE: 1 << 10,
} as const;

/** Flags of MAP_UPDATE_ELEM. */
export const UpdateFlags = { ANY: 0, NOEXIST: 1, EXIST: 2, F_LOCK: 4 } as const;

export const ProgType = {
  SOCKET_FILTER: 1,
  KPROBE: 2,
  TRACEPOINT: 5,
  PERF_EVENT: 7,
  RAW_TRACEPOINT: 17,
  RAW_TRACEPOINT_WRITABLE: 24,
  TRACING: 26,
  EXT: 28,
  LSM: 29,
  SYSCALL: 31,
} as const;
export type ProgType = (typeof ProgType)[keyof typeof ProgType];

export const AttachType = {
  TRACE_RAW_TP: 23,
  TRACE_FENTRY: 24,
  TRACE_FEXIT: 25,
  MODIFY_RETURN: 26,
  PERF_EVENT: 41,
  TRACE_KPROBE_MULTI: 42,
  TRACE_UPROBE_MULTI: 48,
} as const;
export type AttachType = (typeof AttachType)[keyof typeof AttachType];

export const ProgLoadFlags = { STRICT_ALIGNMENT: 1 << 0, ANY_ALIGNMENT: 1 << 1, SLEEPABLE: 1 << 4 } as const;
export const TestRunFlags = { RUN_ON_CPU: 1 << 0 } as const;

/** BPF_PSEUDO_* src_reg values of ld_imm64 / call. */
export const Pseudo = { MAP_FD: 1, MAP_VALUE: 2, BTF_ID: 3, FUNC: 4, CALL: 1, KFUNC_CALL: 2 } as const;

export const BPF_OBJ_NAME_LEN = 16;

// ---------------------------------------------------------------- bpf_attr

/** Offsets inside union bpf_attr, one record per command; `size` is what we pass to bpf(). */
export const MapCreateLayout = {
  size: 72, mapType: 0, keySize: 4, valueSize: 8, maxEntries: 12, mapFlags: 16, innerMapFd: 20,
  numaNode: 24, mapName: 28, mapIfindex: 44, btfFd: 48, btfKeyTypeId: 52, btfValueTypeId: 56,
  btfVmlinuxValueTypeId: 60, mapExtra: 64,
} as const;

export const MapElemLayout = { size: 32, mapFd: 0, key: 8, value: 16, nextKey: 16, flags: 24 } as const;

export const ProgLoadLayout = {
  size: 144, progType: 0, insnCnt: 4, insns: 8, license: 16, logLevel: 24, logSize: 28, logBuf: 32,
  kernVersion: 40, progFlags: 44, progName: 48, progIfindex: 64, expectedAttachType: 68,
  progBtfFd: 72, funcInfoRecSize: 76, funcInfo: 80, funcInfoCnt: 88, lineInfoRecSize: 92,
  lineInfo: 96, lineInfoCnt: 104, attachBtfId: 108, attachBtfObjFd: 112, coreReloCnt: 116,
  fdArray: 120, coreRelos: 128, coreReloRecSize: 136, logTrueSize: 140,
} as const;

export const TestRunLayout = {
  size: 80, progFd: 0, retval: 4, dataSizeIn: 8, dataSizeOut: 12, dataIn: 16, dataOut: 24,
  repeat: 32, duration: 36, ctxSizeIn: 40, ctxSizeOut: 44, ctxIn: 48, ctxOut: 56, flags: 64,
  cpu: 68, batchSize: 72,
} as const;

export const LinkCreateLayout = {
  size: 64, progFd: 0, targetFd: 4, attachType: 8, flags: 12, targetBtfId: 16, perfEventBpfCookie: 16,
  tracingCookie: 24,
} as const;

export const MapBatchLayout = {
  size: 56, inBatch: 0, outBatch: 8, keys: 16, values: 24, count: 32, mapFd: 36, elemFlags: 40, flags: 48,
} as const;

export const RawTracepointLayout = { size: 16, name: 0, progFd: 8 } as const;

export const BtfLoadLayout = { size: 32, btf: 0, logBuf: 8, btfSize: 16, logSize: 20, logLevel: 24, logTrueSize: 28 } as const;

export const ObjInfoLayout = { size: 16, bpfFd: 0, infoLen: 4, info: 8 } as const;

/** Prefix of struct bpf_prog_info we read (id, name, run stats). */
export const ProgInfoLayout = {
  size: 232, type: 0, id: 4, tag: 8, jitedProgLen: 16, xlatedProgLen: 20, name: 64,
  runTimeNs: 192, runCnt: 200, recursionMisses: 208,
} as const;

function zeroed(size: number): Buffer {
  return Buffer.alloc(size);
}

/** Copy a name into a 16-byte char[] (NUL-terminated, truncated). */
function putName(b: Buffer, off: number, name: string): void {
  const n = Buffer.from(name, 'latin1');
  n.copy(b, off, 0, Math.min(n.length, BPF_OBJ_NAME_LEN - 1));
}

/** Kernel object names: [A-Za-z0-9_.] only, at most 15 characters. */
export function sanitizeObjName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.]/g, '_').slice(0, BPF_OBJ_NAME_LEN - 1);
}

export interface MapCreateFields {
  mapType: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  mapFlags?: number;
  innerMapFd?: number;
  name?: string;
  btfFd?: number;
  btfKeyTypeId?: number;
  btfValueTypeId?: number;
  mapExtra?: bigint;
}

export function encodeMapCreate(f: MapCreateFields): Buffer {
  const L = MapCreateLayout;
  const b = zeroed(L.size);
  b.writeUInt32LE(f.mapType, L.mapType);
  b.writeUInt32LE(f.keySize, L.keySize);
  b.writeUInt32LE(f.valueSize, L.valueSize);
  b.writeUInt32LE(f.maxEntries, L.maxEntries);
  b.writeUInt32LE(f.mapFlags ?? 0, L.mapFlags);
  b.writeUInt32LE(f.innerMapFd ?? 0, L.innerMapFd);
  if (f.name) putName(b, L.mapName, sanitizeObjName(f.name));
  b.writeUInt32LE(f.btfFd ?? 0, L.btfFd);
  b.writeUInt32LE(f.btfKeyTypeId ?? 0, L.btfKeyTypeId);
  b.writeUInt32LE(f.btfValueTypeId ?? 0, L.btfValueTypeId);
  b.writeBigUInt64LE(f.mapExtra ?? 0n, L.mapExtra);
  return b;
}

/** Map element ops share one layout; `value` doubles as `next_key`. Reused per map, so it writes in place. */
export function encodeMapElem(b: Buffer, mapFd: number, key: bigint, value: bigint, flags: bigint | number = 0): Buffer {
  const L = MapElemLayout;
  b.writeUInt32LE(mapFd, L.mapFd);
  b.writeUInt32LE(0, 4);
  b.writeBigUInt64LE(key, L.key);
  b.writeBigUInt64LE(value, L.value);
  b.writeBigUInt64LE(BigInt(flags), L.flags);
  return b;
}

export interface ProgLoadFields {
  progType: number;
  insnCnt: number;
  insns: bigint;
  license: bigint;
  logLevel?: number;
  logSize?: number;
  logBuf?: bigint;
  kernVersion?: number;
  progFlags?: number;
  name?: string;
  expectedAttachType?: number;
  progBtfFd?: number;
  funcInfoRecSize?: number;
  funcInfo?: bigint;
  funcInfoCnt?: number;
  lineInfoRecSize?: number;
  lineInfo?: bigint;
  lineInfoCnt?: number;
  attachBtfId?: number;
  attachBtfObjFd?: number;
  fdArray?: bigint;
}

export function encodeProgLoad(f: ProgLoadFields): Buffer {
  const L = ProgLoadLayout;
  const b = zeroed(L.size);
  b.writeUInt32LE(f.progType, L.progType);
  b.writeUInt32LE(f.insnCnt, L.insnCnt);
  b.writeBigUInt64LE(f.insns, L.insns);
  b.writeBigUInt64LE(f.license, L.license);
  b.writeUInt32LE(f.logLevel ?? 0, L.logLevel);
  b.writeUInt32LE(f.logSize ?? 0, L.logSize);
  b.writeBigUInt64LE(f.logBuf ?? 0n, L.logBuf);
  b.writeUInt32LE(f.kernVersion ?? 0, L.kernVersion);
  b.writeUInt32LE(f.progFlags ?? 0, L.progFlags);
  if (f.name) putName(b, L.progName, sanitizeObjName(f.name));
  b.writeUInt32LE(f.expectedAttachType ?? 0, L.expectedAttachType);
  b.writeUInt32LE(f.progBtfFd ?? 0, L.progBtfFd);
  b.writeUInt32LE(f.funcInfoRecSize ?? 0, L.funcInfoRecSize);
  b.writeBigUInt64LE(f.funcInfo ?? 0n, L.funcInfo);
  b.writeUInt32LE(f.funcInfoCnt ?? 0, L.funcInfoCnt);
  b.writeUInt32LE(f.lineInfoRecSize ?? 0, L.lineInfoRecSize);
  b.writeBigUInt64LE(f.lineInfo ?? 0n, L.lineInfo);
  b.writeUInt32LE(f.lineInfoCnt ?? 0, L.lineInfoCnt);
  b.writeUInt32LE(f.attachBtfId ?? 0, L.attachBtfId);
  b.writeUInt32LE(f.attachBtfObjFd ?? 0, L.attachBtfObjFd);
  b.writeBigUInt64LE(f.fdArray ?? 0n, L.fdArray);
  return b;
}

export interface TestRunFields {
  progFd: number;
  ctxIn?: bigint;
  ctxSizeIn?: number;
  dataIn?: bigint;
  dataSizeIn?: number;
  repeat?: number;
  flags?: number;
  cpu?: number;
}

export function encodeTestRun(f: TestRunFields): Buffer {
  const L = TestRunLayout;
  const b = zeroed(L.size);
  b.writeUInt32LE(f.progFd, L.progFd);
  b.writeUInt32LE(f.dataSizeIn ?? 0, L.dataSizeIn);
  b.writeBigUInt64LE(f.dataIn ?? 0n, L.dataIn);
  b.writeUInt32LE(f.repeat ?? 0, L.repeat);
  b.writeUInt32LE(f.ctxSizeIn ?? 0, L.ctxSizeIn);
  b.writeBigUInt64LE(f.ctxIn ?? 0n, L.ctxIn);
  b.writeUInt32LE(f.flags ?? 0, L.flags);
  b.writeUInt32LE(f.cpu ?? 0, L.cpu);
  return b;
}

export function decodeTestRun(b: Buffer): { retval: number; durationNs: number } {
  return { retval: b.readUInt32LE(TestRunLayout.retval), durationNs: b.readUInt32LE(TestRunLayout.duration) };
}

export interface LinkCreateFields {
  progFd: number;
  targetFd: number;
  attachType: number;
  flags?: number;
  targetBtfId?: number;
  /** bpf_cookie for perf-event links, cookie for tracing links. */
  cookie?: bigint;
}

export function encodeLinkCreate(f: LinkCreateFields): Buffer {
  const L = LinkCreateLayout;
  const b = zeroed(L.size);
  b.writeUInt32LE(f.progFd, L.progFd);
  b.writeUInt32LE(f.targetFd, L.targetFd);
  b.writeUInt32LE(f.attachType, L.attachType);
  b.writeUInt32LE(f.flags ?? 0, L.flags);
  if (f.attachType === AttachType.PERF_EVENT) {
    b.writeBigUInt64LE(f.cookie ?? 0n, L.perfEventBpfCookie);
  } else {
    b.writeUInt32LE(f.targetBtfId ?? 0, L.targetBtfId);
    b.writeBigUInt64LE(f.cookie ?? 0n, L.tracingCookie);
  }
  return b;
}

export interface MapBatchFields {
  mapFd: number;
  inBatch: bigint;
  outBatch: bigint;
  keys: bigint;
  values: bigint;
  count: number;
}

export function encodeMapBatch(f: MapBatchFields): Buffer {
  const L = MapBatchLayout;
  const b = zeroed(L.size);
  b.writeBigUInt64LE(f.inBatch, L.inBatch);
  b.writeBigUInt64LE(f.outBatch, L.outBatch);
  b.writeBigUInt64LE(f.keys, L.keys);
  b.writeBigUInt64LE(f.values, L.values);
  b.writeUInt32LE(f.count, L.count);
  b.writeUInt32LE(f.mapFd, L.mapFd);
  return b;
}

export function encodeRawTracepointOpen(name: bigint, progFd: number): Buffer {
  const b = zeroed(RawTracepointLayout.size);
  b.writeBigUInt64LE(name, RawTracepointLayout.name);
  b.writeUInt32LE(progFd, RawTracepointLayout.progFd);
  return b;
}

export function encodeBtfLoad(btf: bigint, btfSize: number, logBuf: bigint, logSize: number, logLevel: number): Buffer {
  const L = BtfLoadLayout;
  const b = zeroed(L.size);
  b.writeBigUInt64LE(btf, L.btf);
  b.writeBigUInt64LE(logBuf, L.logBuf);
  b.writeUInt32LE(btfSize, L.btfSize);
  b.writeUInt32LE(logSize, L.logSize);
  b.writeUInt32LE(logLevel, L.logLevel);
  return b;
}

export function encodeObjGetInfo(fd: number, info: bigint, infoLen: number): Buffer {
  const b = zeroed(ObjInfoLayout.size);
  b.writeUInt32LE(fd, ObjInfoLayout.bpfFd);
  b.writeUInt32LE(infoLen, ObjInfoLayout.infoLen);
  b.writeBigUInt64LE(info, ObjInfoLayout.info);
  return b;
}

// ------------------------------------------------------- perf_event_attr

export const PerfType = { HARDWARE: 0, SOFTWARE: 1, TRACEPOINT: 2, HW_CACHE: 3, RAW: 4, BREAKPOINT: 5 } as const;

export const PerfSwConfig = {
  CPU_CLOCK: 0,
  TASK_CLOCK: 1,
  PAGE_FAULTS: 2,
  CONTEXT_SWITCHES: 3,
  CPU_MIGRATIONS: 4,
  DUMMY: 9,
  BPF_OUTPUT: 10,
} as const;

/** Bits of the flags word at offset 40 of perf_event_attr. */
export const PerfAttrFlag = {
  disabled: 1n << 0n,
  inherit: 1n << 1n,
  pinned: 1n << 2n,
  exclude_user: 1n << 4n,
  exclude_kernel: 1n << 5n,
  exclude_hv: 1n << 6n,
  exclude_idle: 1n << 7n,
  freq: 1n << 10n,
  watermark: 1n << 14n,
} as const;

export const PerfSampleType = { RAW: 1n << 10n } as const;

/** 128 bytes = PERF_ATTR_SIZE_VER7 (through sig_data); accepted by every kernel since 5.13. */
export const PerfEventAttrLayout = {
  size: 128, type: 0, sizeField: 4, config: 8, samplePeriod: 16, sampleFreq: 16, sampleType: 24,
  readFormat: 32, flags: 40, wakeupEvents: 48, bpType: 52, config1: 56, config2: 64,
  branchSampleType: 72, sigData: 120,
} as const;

export const PERF_FLAG_FD_CLOEXEC = 8;

export interface PerfEventAttrFields {
  type: number;
  config: bigint;
  samplePeriod?: bigint;
  sampleFreq?: number;
  sampleType?: bigint;
  flags?: bigint;
  wakeupEvents?: number;
  config1?: bigint;
  config2?: bigint;
}

export function encodePerfEventAttr(f: PerfEventAttrFields): Buffer {
  const L = PerfEventAttrLayout;
  const b = zeroed(L.size);
  b.writeUInt32LE(f.type, L.type);
  b.writeUInt32LE(L.size, L.sizeField);
  b.writeBigUInt64LE(f.config, L.config);
  let flags = f.flags ?? 0n;
  if (f.sampleFreq !== undefined) {
    b.writeBigUInt64LE(BigInt(f.sampleFreq), L.sampleFreq);
    flags |= PerfAttrFlag.freq;
  } else {
    b.writeBigUInt64LE(f.samplePeriod ?? 0n, L.samplePeriod);
  }
  b.writeBigUInt64LE(f.sampleType ?? 0n, L.sampleType);
  b.writeBigUInt64LE(flags, L.flags);
  b.writeUInt32LE(f.wakeupEvents ?? 0, L.wakeupEvents);
  b.writeBigUInt64LE(f.config1 ?? 0n, L.config1);
  b.writeBigUInt64LE(f.config2 ?? 0n, L.config2);
  return b;
}

// ---------------------------------------------------------------- ioctls

// _IO('$', 0), _IO('$', 1), _IOW('$', 8, __u32)
export const PerfIoctl = { ENABLE: 0x2400, DISABLE: 0x2401, SET_BPF: 0x40042408 } as const;

// ---------------------------------------------------------------- epoll

export const EPOLL_CLOEXEC = 0x80000;
export const EpollOp = { ADD: 1, DEL: 2, MOD: 3 } as const;
export const EpollEvents = { IN: 0x1, ERR: 0x8, HUP: 0x10 } as const;
/** struct epoll_event is packed on x86_64: u32 events, u64 data. */
export const EpollEventLayout = { size: 12, events: 0, data: 4 } as const;

export function encodeEpollEvent(events: number, data: bigint): Buffer {
  const b = zeroed(EpollEventLayout.size);
  b.writeUInt32LE(events, EpollEventLayout.events);
  b.writeBigUInt64LE(data, EpollEventLayout.data);
  return b;
}

// ---------------------------------------------------------------- mmap

export const Prot = { READ: 1, WRITE: 2 } as const;
export const MAP_SHARED = 1;

// ---------------------------------------------------------------- ring buffer

/** Header of each BPF ring buffer record: u32 len (with BUSY/DISCARD bits), u32 pg_off. */
export const RingbufHdr = { size: 8, BUSY: 0x80000000, DISCARD: 0x40000000 } as const;
/** Flags for bpf_ringbuf_output/submit. */
export const RingbufFlags = { NO_WAKEUP: 1, FORCE_WAKEUP: 2 } as const;
