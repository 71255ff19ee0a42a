// Kernel feature detection by doing, not by reading config files: each
// feature is probed by loading a tiny hand-encoded program (or creating a
// map) and cached for the life of the process. Probes run lazily, one
// feature at a time, so a script that only uses syscall probes pays only
// for what it asks.

import { AttachType, MapType, ProgType } from './attrs.js';
import { dynamicPmu } from './attach.js';
import { BtfWriter } from '../btf/index.js';
import { loadBtf, vmlinuxFuncId } from './btf.js';
import { NotSupportedError, VerifierError } from './errors.js';
import type { OwnedFd } from './fd.js';
import { Helper, I, program, R0, R1, R2, R3, R4, R10 } from './insn.js';
import { BpfMap } from './map.js';
import { BpfProgram, type ProgramSpec } from './program.js';
import { pageSize } from './sys.js';

export const FEATURES = [
  'bpf', 'ringbuf', 'rawTracepointTestRun', 'kprobe', 'uprobe', 'fentry', 'probeWriteUser', 'bpfLoop',
] as const;
export type Feature = (typeof FEATURES)[number];

export interface FeatureResult {
  available: boolean;
  /** Why not (or how it was confirmed). */
  reason: string;
}

/** The user-facing names used in NotSupportedError. */
const DISPLAY: Record<Feature, string> = {
  bpf: 'BPF', ringbuf: 'BPF ring buffer', rawTracepointTestRun: 'BPF_PROG_TEST_RUN of raw tracepoints',
  kprobe: 'kprobes (fbt)', uprobe: 'uprobes', fentry: 'fentry/fexit (fbt)',
  probeWriteUser: 'bpf_probe_write_user (copyout)', bpfLoop: 'bpf_loop',
};

const RET0 = program(I.movImm(R0, 0), I.exit());

function why(e: unknown): string {
  if (e instanceof NotSupportedError) return e.reason;
  if (e instanceof Error) return e.message.split('\n')[0]!;
  return String(e);
}

/** Load `spec` and close it again; the result says whether the kernel accepted it. */
function tryLoad(spec: ProgramSpec, ok: string, refused?: string): FeatureResult {
  try {
    BpfProgram.load(spec).close();
    return { available: true, reason: ok };
  } catch (e) {
    return { available: false, reason: refused && e instanceof VerifierError ? `${refused}: ${e.summary}` : why(e) };
  }
}

const PROBES: Record<Feature, () => FeatureResult> = {
  bpf: () => tryLoad({ name: 'probe_bpf', type: ProgType.TRACEPOINT, insns: RET0, license: 'GPL' }, 'tracepoint program loaded'),

  ringbuf: () => {
    try {
      BpfMap.create({ name: 'probe_ringbuf', type: MapType.RINGBUF, keySize: 0, valueSize: 0, maxEntries: pageSize() }).close();
      return { available: true, reason: 'ring buffer map created' };
    } catch (e) {
      return { available: false, reason: why(e) };
    }
  },

  rawTracepointTestRun: () => {
    let p: BpfProgram | undefined;
    try {
      p = BpfProgram.load({ name: 'probe_rawtp', type: ProgType.RAW_TRACEPOINT, insns: program(I.movImm(R0, 7), I.exit()), license: 'GPL' });
      const r = p.testRun(Buffer.alloc(8), { cpu: 0 });
      return r.retval === 7
        ? { available: true, reason: 'test run returned the expected value' }
        : { available: false, reason: `test run returned ${r.retval}, expected 7` };
    } catch (e) {
      return { available: false, reason: why(e) };
    } finally {
      p?.close();
    }
  },

  kprobe: () => {
    if (!dynamicPmu('kprobe')) return { available: false, reason: 'no kprobe PMU in /sys/bus/event_source/devices (kernel built without kprobes)' };
    return tryLoad({ name: 'probe_kprobe', type: ProgType.KPROBE, insns: RET0, license: 'GPL' }, 'kprobe PMU present and kprobe program loaded');
  },

  uprobe: () => {
    if (!dynamicPmu('uprobe')) return { available: false, reason: 'no uprobe PMU in /sys/bus/event_source/devices' };
    return tryLoad({ name: 'probe_uprobe', type: ProgType.KPROBE, insns: RET0, license: 'GPL' }, 'uprobe PMU present and kprobe-type program loaded');
  },

  fentry: () => {
    // Cheap first: a kernel that refuses tracing programs outright (EPERM) does
    // so before looking at attach_btf_id, which spares the ~30 ms BTF scan.
    try {
      BpfProgram.load({ name: 'probe_fentry', type: ProgType.TRACING, expectedAttachType: AttachType.TRACE_FENTRY, attachBtfId: 0, insns: RET0, license: 'GPL' }).close();
    } catch (e) {
      if (e instanceof NotSupportedError) return { available: false, reason: e.reason };
    }
    const ids = new Map<string, number>();
    const candidates = ['bpf_fentry_test1', 'do_nanosleep', 'vfs_read', 'ksys_read'];
    try {
      for (const c of candidates) {
        const id = vmlinuxFuncId(c);
        if (id !== undefined) ids.set(c, id);
      }
    } catch (e) {
      return { available: false, reason: `no usable vmlinux BTF: ${why(e)}` };
    }
    const name = candidates.find((c) => ids.has(c));
    if (!name) return { available: false, reason: 'no probe target function found in vmlinux BTF' };
    return tryLoad(
      { name: 'probe_fentry', type: ProgType.TRACING, expectedAttachType: AttachType.TRACE_FENTRY, attachBtfId: ids.get(name)!, insns: RET0, license: 'GPL' },
      `fentry program on ${name} loaded`,
    );
  },

  probeWriteUser: () =>
    tryLoad(
      {
        name: 'probe_pwu',
        type: ProgType.TRACEPOINT,
        insns: program(
          I.st('dw', R10, -8, 0),
          I.movImm(R1, 0),
          I.mov(R2, R10),
          I.addImm(R2, -8),
          I.movImm(R3, 8),
          I.call(Helper.probe_write_user),
          I.movImm(R0, 0),
          I.exit(),
        ),
        license: 'GPL',
      },
      'program calling bpf_probe_write_user loaded',
      // The helper vanishes under kernel lockdown (or without CAP_SYS_ADMIN).
      'the kernel does not allow bpf_probe_write_user (lockdown or missing CAP_SYS_ADMIN)',
    ),

  bpfLoop: () => {
    // bpf_loop needs BTF func_info describing the callback subprogram.
    // Types: [1] int, [2] int (void), [3] main, [4] cb.
    const w = new BtfWriter();
    const proto = w.addFuncProto(w.addInt('int', 4, { signed: true }), []);
    w.addFunc('main', proto, 'global');
    w.addFunc('cb', proto, 'static');
    const btf = w.toBytes();
    const insns = program(
      I.movImm(R1, 1), // 0: nr_loops
      I.ldFunc(R2, 6), // 1-2: callback at 1 + 6 + 1 = 8
      I.movImm(R3, 0), // 3: ctx
      I.movImm(R4, 0), // 4: flags
      I.call(Helper.loop), // 5
      I.movImm(R0, 0), // 6
      I.exit(), // 7
      I.movImm(R0, 0), // 8: callback
      I.exit(), // 9
    );
    const funcInfo = Buffer.alloc(16);
    funcInfo.writeUInt32LE(0, 0);
    funcInfo.writeUInt32LE(3, 4);
    funcInfo.writeUInt32LE(8, 8);
    funcInfo.writeUInt32LE(4, 12);
    let btfFd: OwnedFd;
    try {
      btfFd = loadBtf(btf);
    } catch (e) {
      return { available: false, reason: `BTF_LOAD failed: ${why(e)}` };
    }
    try {
      return tryLoad(
        { name: 'probe_loop', type: ProgType.RAW_TRACEPOINT, insns, license: 'GPL', btfFd: btfFd.fd, funcInfo, funcInfoRecSize: 8 },
        'program calling bpf_loop (with BTF func_info) loaded',
      );
    } finally {
      btfFd.close();
    }
  },
};

const cache = new Map<Feature, FeatureResult>();

/** Probe (once) whether the kernel has `f`. */
export function probeFeature(f: Feature): FeatureResult {
  let r = cache.get(f);
  if (!r) {
    r = PROBES[f]();
    cache.set(f, r);
  }
  return r;
}

export function hasFeature(f: Feature): boolean {
  return probeFeature(f).available;
}

/** Throw NotSupportedError naming the feature and the kernel's answer when `f` is missing. */
export function requireFeature(f: Feature): void {
  const r = probeFeature(f);
  if (!r.available) throw new NotSupportedError(DISPLAY[f], r.reason);
}

/** Every feature (probing those not yet known): for `dtrace -v`-style reports and tests. */
export function detectFeatures(): Record<Feature, FeatureResult> {
  const out = {} as Record<Feature, FeatureResult>;
  for (const f of FEATURES) out[f] = probeFeature(f);
  return out;
}

/** Forget cached results (tests). */
export function resetFeatureCache(): void {
  cache.clear();
}
