// Attaching loaded programs to events: tracepoints and perf software events
// through perf_event_open, raw tracepoints, kprobes/uprobes through their
// perf PMUs, fentry/fexit through BPF links. Each attachment is a Link that
// owns its fds and detaches on close().

import { readFileSync } from 'node:fs';
import {
  AttachType, BpfCmd, encodeLinkCreate, encodePerfEventAttr, encodeRawTracepointOpen, PerfAttrFlag,
  PerfIoctl, PerfType, ProgType,
} from './attrs.js';
import { onlineCpus } from './cpus.js';
import { Errno, KernelError, NotSupportedError } from './errors.js';
import { OwnedFd } from './fd.js';
import type { BpfProgram } from './program.js';
import { addressOf, bpf, cString, ioctl, perfEventOpen } from './sys.js';
import { eventId } from './tracefs.js';

/** An attachment: closing it detaches the program (link fd first, then the perf event). */
export class Link {
  readonly description: string;
  readonly #fds: OwnedFd[];
  readonly #children: Link[];
  constructor(description: string, fds: OwnedFd[], children: Link[] = []) {
    this.description = description;
    this.#fds = fds;
    this.#children = children;
  }
  /** One Link owning several (e.g. a profile probe's per-CPU perf events). */
  static group(description: string, links: Link[]): Link {
    return new Link(description, [], links);
  }
  get closed(): boolean {
    return this.#fds.every((f) => f.closed) && this.#children.every((c) => c.closed);
  }
  close(): void {
    for (const f of this.#fds) f.close();
    for (const c of this.#children) c.close();
  }
}

let perfLinkWorks: boolean | undefined;

/**
 * Tie `prog` to an open perf event: BPF_LINK_CREATE(BPF_PERF_EVENT) where
 * the kernel has it (5.15+), else PERF_EVENT_IOC_SET_BPF; then enable.
 * Takes ownership of perfFd (closed on failure).
 */
function attachToPerfEvent(prog: BpfProgram, perfFd: number, description: string, cookie?: bigint): Link {
  const pfd = new OwnedFd(perfFd, `perf_event ${description}`);
  try {
    let linkFd: OwnedFd | undefined;
    if (perfLinkWorks !== false) {
      try {
        const attr = encodeLinkCreate({ progFd: prog.fd, targetFd: pfd.fd, attachType: AttachType.PERF_EVENT, cookie: cookie ?? 0n });
        linkFd = new OwnedFd(bpf(BpfCmd.LINK_CREATE, attr), `link ${description}`);
        perfLinkWorks = true;
      } catch (e) {
        const errno = e instanceof KernelError ? e.errno : 0;
        if (perfLinkWorks === true || (errno !== Errno.EINVAL && errno !== Errno.EOPNOTSUPP && errno !== Errno.ENOTSUPP)) throw e;
        perfLinkWorks = false; // old kernel: fall back to the ioctl for good
      }
    }
    if (!linkFd) ioctl(pfd.fd, PerfIoctl.SET_BPF, prog.fd, `ioctl(PERF_EVENT_IOC_SET_BPF) ${description}`);
    ioctl(pfd.fd, PerfIoctl.ENABLE, 0, `ioctl(PERF_EVENT_IOC_ENABLE) ${description}`);
    return new Link(description, linkFd ? [linkFd, pfd] : [pfd]);
  } catch (e) {
    pfd.close();
    throw e;
  }
}

/**
 * Attach to tracefs event group:event. One perf event (pid -1, cpu 0) is
 * enough: the kernel runs tracepoint BPF programs on every CPU.
 */
export function attachTracepoint(prog: BpfProgram, group: string, event: string, cookie?: bigint): Link {
  const id = eventId(group, event);
  const attr = encodePerfEventAttr({ type: PerfType.TRACEPOINT, config: BigInt(id), samplePeriod: 1n, wakeupEvents: 1, flags: PerfAttrFlag.disabled });
  const fd = perfEventOpen(attr, -1, 0);
  return attachToPerfEvent(prog, fd, `tracepoint ${group}:${event}`, cookie);
}

export interface PerfEventOptions {
  type: number;
  config: number | bigint;
  /** Period in event units (ns for cpu-clock). */
  samplePeriod?: bigint;
  /** Or a frequency in Hz. */
  sampleFreq?: number;
  cpu: number;
  /** -1 (default) for every task on `cpu`. */
  pid?: number;
}

/** Sampling perf event (profile: one per CPU; tick: one on a single CPU) running a PERF_EVENT program. */
export function attachPerfEvent(prog: BpfProgram, o: PerfEventOptions): Link {
  const attr = encodePerfEventAttr({
    type: o.type,
    config: BigInt(o.config),
    ...(o.sampleFreq !== undefined ? { sampleFreq: o.sampleFreq } : { samplePeriod: o.samplePeriod ?? 1_000_000n }),
    flags: PerfAttrFlag.disabled,
  });
  const fd = perfEventOpen(attr, o.pid ?? -1, o.cpu);
  return attachToPerfEvent(prog, fd, `perf type ${o.type} config ${o.config} cpu ${o.cpu}`);
}

/** The same sampling event on each CPU (profile-N: default every online CPU), as one Link. */
export function attachPerfEventPerCpu(prog: BpfProgram, o: Omit<PerfEventOptions, 'cpu'>, cpus: readonly number[] = onlineCpus()): Link {
  const links: Link[] = [];
  try {
    for (const cpu of cpus) links.push(attachPerfEvent(prog, { ...o, cpu }));
  } catch (e) {
    for (const l of links) l.close();
    throw e;
  }
  return Link.group(`perf type ${o.type} config ${o.config} on ${cpus.length} CPUs`, links);
}

/** BPF_RAW_TRACEPOINT_OPEN: a RAW_TRACEPOINT program on a kernel tracepoint by name (e.g. "sched_switch"). */
export function attachRawTracepoint(prog: BpfProgram, name: string): Link {
  const nameBuf = cString(name);
  const fd = bpf(BpfCmd.RAW_TRACEPOINT_OPEN, encodeRawTracepointOpen(addressOf(nameBuf), prog.fd));
  return new Link(`raw_tracepoint ${name}`, [new OwnedFd(fd, `raw_tracepoint ${name}`)]);
}

// ------------------------------------------------------------ dynamic PMUs

export interface Pmu {
  type: number;
  /** Bit of `config` selecting the return probe. */
  retprobeBit: number;
  /** First bit of config holding the USDT semaphore offset (uprobe only). */
  refCtrShift?: number;
}

const pmuCache = new Map<string, Pmu | null>();

/** Parse a PMU format file ("config:0", "config:32-63") to its first bit. */
export function parsePmuFormatBit(text: string): number | undefined {
  const m = /^config:(\d+)/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

/** The kprobe/uprobe PMU from /sys/bus/event_source/devices, or null when the kernel lacks it. */
export function dynamicPmu(kind: 'kprobe' | 'uprobe'): Pmu | null {
  const cached = pmuCache.get(kind);
  if (cached !== undefined) return cached;
  const dir = `/sys/bus/event_source/devices/${kind}`;
  let pmu: Pmu | null = null;
  try {
    const type = Number(readFileSync(`${dir}/type`, 'latin1').trim());
    const bit = parsePmuFormatBit(readFileSync(`${dir}/format/retprobe`, 'latin1')) ?? 0;
    pmu = { type, retprobeBit: bit };
    try {
      const rc = parsePmuFormatBit(readFileSync(`${dir}/format/ref_ctr_offset`, 'latin1'));
      if (rc !== undefined) pmu.refCtrShift = rc;
    } catch {
      // no USDT semaphore support: fine unless asked for
    }
  } catch {
    pmu = null;
  }
  pmuCache.set(kind, pmu);
  return pmu;
}

/** kprobe/kretprobe on a kernel function through the kprobe PMU. */
export function attachKprobe(prog: BpfProgram, func: string, opts: { retprobe?: boolean; offset?: bigint } = {}): Link {
  const pmu = dynamicPmu('kprobe');
  if (!pmu) throw new NotSupportedError('kprobe', 'no kprobe PMU in /sys/bus/event_source/devices (kernel built without kprobes)');
  if (prog.type !== ProgType.KPROBE) throw new TypeError(`attachKprobe: program ${prog.name} is not a kprobe program`);
  const fn = cString(func);
  const attr = encodePerfEventAttr({
    type: pmu.type,
    config: opts.retprobe ? 1n << BigInt(pmu.retprobeBit) : 0n,
    config1: addressOf(fn),
    config2: opts.offset ?? 0n,
    samplePeriod: 1n,
    wakeupEvents: 1,
    flags: PerfAttrFlag.disabled,
  });
  const fd = perfEventOpen(attr, -1, 0);
  return attachToPerfEvent(prog, fd, `${opts.retprobe ? 'kretprobe' : 'kprobe'} ${func}`);
}

/**
 * uprobe/uretprobe at file offset `offset` of `path` through the uprobe PMU
 * (no tracefs entries to clean up). pid -1 probes every process.
 */
export function attachUprobe(
  prog: BpfProgram, path: string, offset: bigint, retprobe: boolean, pid: number, opts: { refCtrOffset?: bigint } = {},
): Link {
  const pmu = dynamicPmu('uprobe');
  if (!pmu) throw new NotSupportedError('uprobe', 'no uprobe PMU in /sys/bus/event_source/devices (kernel built without uprobes)');
  let config = retprobe ? 1n << BigInt(pmu.retprobeBit) : 0n;
  if (opts.refCtrOffset) {
    if (pmu.refCtrShift === undefined) throw new NotSupportedError('USDT semaphores', 'the uprobe PMU has no ref_ctr_offset');
    config |= opts.refCtrOffset << BigInt(pmu.refCtrShift);
  }
  const p = cString(path);
  const attr = encodePerfEventAttr({
    type: pmu.type, config, config1: addressOf(p), config2: offset, samplePeriod: 1n, wakeupEvents: 1, flags: PerfAttrFlag.disabled,
  });
  // perf requires a CPU when probing all processes; a pid-bound probe follows the task on any CPU.
  const fd = perfEventOpen(attr, pid, pid === -1 ? 0 : -1);
  return attachToPerfEvent(prog, fd, `${retprobe ? 'uretprobe' : 'uprobe'} ${path}+0x${offset.toString(16)}${pid === -1 ? '' : ` pid ${pid}`}`);
}

/**
 * fentry/fexit: the program was loaded as TRACING with expected_attach_type
 * and attach_btf_id naming the function; BPF_LINK_CREATE attaches it (with
 * RAW_TRACEPOINT_OPEN as the pre-5.10 fallback).
 */
export function attachFentry(prog: BpfProgram, cookie?: bigint): Link {
  if (prog.type !== ProgType.TRACING) throw new TypeError(`attachFentry: program ${prog.name} is not a tracing program`);
  const at = prog.expectedAttachType ?? AttachType.TRACE_FENTRY;
  try {
    const fd = bpf(BpfCmd.LINK_CREATE, encodeLinkCreate({ progFd: prog.fd, targetFd: 0, attachType: at, cookie: cookie ?? 0n }));
    return new Link(`tracing ${prog.name}`, [new OwnedFd(fd, `link tracing ${prog.name}`)]);
  } catch (e) {
    if (!(e instanceof KernelError) || e.errno !== Errno.EINVAL) throw e;
    const fd = bpf(BpfCmd.RAW_TRACEPOINT_OPEN, encodeRawTracepointOpen(0n, prog.fd));
    return new Link(`tracing ${prog.name}`, [new OwnedFd(fd, `raw_tp tracing ${prog.name}`)]);
  }
}
