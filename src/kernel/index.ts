// Public API of the kernel layer: the only module that talks to the OS
// (bpf(), perf_event_open, tracefs, mmap). Everything above it goes through
// these exports. Importing this does not load koffi; the first call does.

export {
  AttachType, BpfCmd, isPerCpuMap, MapFlags, MapType, PerfSwConfig, PerfType, ProgType, RingbufFlags,
  sanitizeObjName, UpdateFlags, Pseudo,
} from './attrs.js';
export { KernelError, NotSupportedError, PermissionError, VerifierError, summarizeVerifierLog, errnoName, errnoMessage, Errno } from './errors.js';
export type { VerifierSummary } from './errors.js';
export { OwnedFd, ResourceScope } from './fd.js';
export type { Closeable } from './fd.js';
export { possibleCpus, possibleCpuCount, onlineCpus, parseCpuList, cpuTopology } from './cpus.js';
export type { CpuTopology } from './cpus.js';
export { BpfMap } from './map.js';
export type { MapSpec } from './map.js';
export { BpfProgram } from './program.js';
export type { ProgramSpec, TestRunOptions, TestRunResult, ProgramInfo } from './program.js';
export {
  Link, attachTracepoint, attachPerfEvent, attachPerfEventPerCpu, attachRawTracepoint, attachKprobe, attachUprobe, attachFentry, dynamicPmu,
} from './attach.js';
export type { PerfEventOptions, Pmu } from './attach.js';
export { RingBufReader } from './ringbuf.js';
export type { RecordCallback } from './ringbuf.js';
export { tracefsRoot, eventId, eventFormat, parseEventFormat, listEvents, syscallNames } from './tracefs.js';
export type { EventField, EventFormat, EventName } from './tracefs.js';
export { FEATURES, probeFeature, hasFeature, requireFeature, detectFeatures } from './features.js';
export type { Feature, FeatureResult } from './features.js';
export { loadBtf, vmlinuxBtf, vmlinuxFuncId, vmlinuxTypes } from './btf.js';
export { getpid, gettid, pageSize } from './sys.js';
export { kernelDataSymbol, kernelSymbols, KernelSymbols } from './kallsyms.js';
export { selfProcessIds } from './self.js';
export type { ProcessIds } from './self.js';
export type { KallsymEntry, KernelSymbol } from './kallsyms.js';
