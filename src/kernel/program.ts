// BPF programs: load (fast path without a verifier log; on failure reload
// with a log to explain why), test-run (fires BEGIN/END/ERROR without a
// kernel event), and query run statistics.

import {
  BpfCmd, decodeTestRun, encodeObjGetInfo, encodeProgLoad, encodeTestRun, ProgInfoLayout,
  ProgLoadLayout, ProgType, sanitizeObjName, TestRunFlags,
} from './attrs.js';
import { Errno, KernelError, NotSupportedError, VerifierError } from './errors.js';
import { OwnedFd } from './fd.js';
import { addressOf, bpf, bpfRaw, cString, errorFor } from './sys.js';

export interface ProgramSpec {
  name: string;
  type: ProgType;
  /** Encoded 8-byte instructions. */
  insns: Uint8Array;
  license: string;
  expectedAttachType?: number;
  /** BTF id of the kernel function/tracepoint for TRACING programs. */
  attachBtfId?: number;
  attachBtfObjFd?: number;
  kernVersion?: number;
  progFlags?: number;
  /** Program BTF (from loadBtf) plus func_info/line_info records: needed for bpf_loop callbacks. */
  btfFd?: number;
  funcInfo?: Uint8Array;
  funcInfoRecSize?: number;
  lineInfo?: Uint8Array;
  lineInfoRecSize?: number;
}

export interface TestRunOptions {
  /** Run on this CPU (BPF_F_TEST_RUN_ON_CPU); raw_tracepoint programs only. */
  cpu?: number;
  /** Repeat count (not allowed for raw_tracepoint programs). */
  repeat?: number;
}

export interface TestRunResult {
  retval: number;
  durationNs: number;
}

export interface ProgramInfo {
  id: number;
  name: string;
  jitedLen: number;
  xlatedLen: number;
  runTimeNs: bigint;
  runCnt: bigint;
  recursionMisses: bigint;
}

const LOG_START = 1 << 20;
const LOG_MAX = 16 << 20;

function readCString(b: Buffer): string {
  const z = b.indexOf(0);
  return b.toString('utf8', 0, z < 0 ? b.length : z);
}

const EAGAIN = 11;

export class BpfProgram {
  readonly name: string;
  readonly type: ProgType;
  readonly expectedAttachType: number | undefined;
  readonly insnCount: number;
  readonly #fd: OwnedFd;

  private constructor(spec: ProgramSpec, fd: number) {
    this.name = sanitizeObjName(spec.name);
    this.type = spec.type;
    this.expectedAttachType = spec.expectedAttachType;
    this.insnCount = spec.insns.length / 8;
    this.#fd = new OwnedFd(fd, `prog ${this.name}`);
  }

  /** Load; throws VerifierError (with log + summary) when the verifier rejects it. */
  static load(spec: ProgramSpec): BpfProgram {
    if (spec.insns.length === 0 || spec.insns.length % 8 !== 0) {
      throw new RangeError(`program ${spec.name}: instruction bytes (${spec.insns.length}) not a positive multiple of 8`);
    }
    // Keep every buffer referenced until the syscall returns: the attr holds raw addresses.
    const insns = spec.insns;
    const license = cString(spec.license);
    const funcInfo = spec.funcInfo;
    const lineInfo = spec.lineInfo;
    const fields = {
      progType: spec.type,
      insnCnt: insns.length / 8,
      insns: addressOf(insns),
      license: addressOf(license),
      kernVersion: spec.kernVersion ?? 0,
      progFlags: spec.progFlags ?? 0,
      name: spec.name,
      expectedAttachType: spec.expectedAttachType ?? 0,
      progBtfFd: spec.btfFd ?? 0,
      attachBtfId: spec.attachBtfId ?? 0,
      attachBtfObjFd: spec.attachBtfObjFd ?? 0,
      ...(funcInfo && funcInfo.length > 0
        ? { funcInfo: addressOf(funcInfo), funcInfoRecSize: spec.funcInfoRecSize ?? 8, funcInfoCnt: funcInfo.length / (spec.funcInfoRecSize ?? 8) }
        : {}),
      ...(lineInfo && lineInfo.length > 0
        ? { lineInfo: addressOf(lineInfo), lineInfoRecSize: spec.lineInfoRecSize ?? 16, lineInfoCnt: lineInfo.length / (spec.lineInfoRecSize ?? 16) }
        : {}),
    };
    const attr = encodeProgLoad(fields);
    let r = bpfRaw(BpfCmd.PROG_LOAD, addressOf(attr), attr.length);
    // The verifier gives up with EAGAIN when a signal is pending: try again, as libbpf does.
    for (let tries = 0; r === -EAGAIN && tries < 5; tries++) r = bpfRaw(BpfCmd.PROG_LOAD, addressOf(attr), attr.length);
    if (r >= 0) return new BpfProgram(spec, r);
    const errno = -r;

    // Reload with a verifier log to learn why. Kernels >= 6.4 keep the log's
    // tail when it overflows and report the size needed (log_true_size).
    let logSize = LOG_START;
    let log = '';
    for (;;) {
      const logBuf = Buffer.alloc(logSize);
      const a = encodeProgLoad({ ...fields, logLevel: 1, logSize, logBuf: addressOf(logBuf) });
      const r2 = bpfRaw(BpfCmd.PROG_LOAD, addressOf(a), a.length);
      if (r2 >= 0) return new BpfProgram(spec, r2); // transient failure (e.g. ENOMEM) went away
      log = readCString(logBuf);
      if (-r2 === Errno.ENOSPC && logSize < LOG_MAX) {
        const want = a.readUInt32LE(ProgLoadLayout.logTrueSize);
        logSize = Math.min(LOG_MAX, Math.max(logSize * 4, want + 1));
        continue;
      }
      break;
    }
    if (log.trim() !== '') throw new VerifierError(sanitizeObjName(spec.name), errno, log);
    const root = typeof process.geteuid === 'function' && process.geteuid() === 0;
    if (root && errno === Errno.EPERM && spec.type === ProgType.TRACING) {
      throw new NotSupportedError('fentry/fexit', 'the kernel refuses to load tracing programs (BPF_PROG_LOAD returned EPERM)');
    }
    if (errno === Errno.EINVAL || errno === Errno.E2BIG) {
      throw new KernelError(`bpf(PROG_LOAD) ${sanitizeObjName(spec.name)}`, errno, 'rejected without a verifier log: program type or attributes not supported by this kernel?');
    }
    throw errorFor(`bpf(PROG_LOAD) ${sanitizeObjName(spec.name)}`, errno);
  }

  get fd(): number {
    return this.#fd.fd;
  }
  get closed(): boolean {
    return this.#fd.closed;
  }

  /**
   * BPF_PROG_TEST_RUN. For RAW_TRACEPOINT programs `ctxIn` holds the u64
   * arguments the program sees; with `cpu` it runs on that CPU.
   */
  testRun(ctxIn: Buffer | undefined, opts: TestRunOptions = {}): TestRunResult {
    const ctx = ctxIn && ctxIn.length > 0 ? ctxIn : undefined;
    const attr = encodeTestRun({
      progFd: this.fd,
      ...(ctx ? { ctxIn: addressOf(ctx), ctxSizeIn: ctx.length } : {}),
      repeat: opts.repeat ?? 0,
      flags: opts.cpu !== undefined ? TestRunFlags.RUN_ON_CPU : 0,
      cpu: opts.cpu ?? 0,
    });
    bpf(BpfCmd.PROG_TEST_RUN, attr);
    return decodeTestRun(attr);
  }

  /** Kernel-side info: id, run counts (run stats need kernel.bpf_stats_enabled=1). */
  info(): ProgramInfo {
    const L = ProgInfoLayout;
    const info = Buffer.alloc(L.size);
    bpf(BpfCmd.OBJ_GET_INFO_BY_FD, encodeObjGetInfo(this.fd, addressOf(info), info.length));
    return {
      id: info.readUInt32LE(L.id),
      name: readCString(info.subarray(L.name, L.name + 16)),
      jitedLen: info.readUInt32LE(L.jitedProgLen),
      xlatedLen: info.readUInt32LE(L.xlatedProgLen),
      runTimeNs: info.readBigUInt64LE(L.runTimeNs),
      runCnt: info.readBigUInt64LE(L.runCnt),
      recursionMisses: info.readBigUInt64LE(L.recursionMisses),
    };
  }

  close(): void {
    this.#fd.close();
  }
}
