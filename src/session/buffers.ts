// The session's principal buffers and drop accounting (docs/buffers.md):
// how large the BPF ring that carries every CPU's records is, what
// bufresize does when it cannot be had, the room bufpolicy=fill keeps for
// END, and which kernel counters become which of DTrace's drop reports.

import { MS, principalSize } from '../layout/memory.js';
import type { StatementRecord } from '../layout/records.js';
import { DROPS, formatDrop, type DropKind } from '../output/drops.js';

/** The largest ring this session asks the kernel for (the kernel's own limit is higher; memory is not). */
export const RING_MAX = 1 << 30;

/**
 * The smallest bufsize DTrace accepts: it always carries its ERROR
 * probe's records (five 64-bit values after a record header), and a
 * principal buffer must hold one (dtrace-utils counts 60 bytes with the
 * header of its perf ring).
 */
export const MIN_BUFSIZE = 60;

/** bufsizeFits tells whether a principal buffer of `bufsize` bytes holds each of the records. */
export function bufsizeFits(bufsize: number, records: readonly StatementRecord[]): boolean {
  return bufsize >= Math.max(MIN_BUFSIZE, ...records.map((r) => principalSize(r.size)));
}

/**
 * aggEntrySize is the room one entry of an aggregation takes in DTrace's
 * aggregation buffer, by which aggsize is judged: its key tuple as DTrace
 * lays it out (8 bytes an integer, strsize a string, and an 8-byte slot),
 * the value words, and 16 bytes of bookkeeping. (The maps here hold keys
 * more compactly; this is only what aggsize must be able to hold.)
 */
export function aggEntrySize(keyKinds: readonly string[], valueWords: number, strsize: number): number {
  return keyKinds.reduce((n, k) => n + (k === 'string' ? strsize : 8), 8) + valueWords * 8 + 16;
}

/** ringSize rounds a byte count to the power of two a BPF ring buffer needs (at least one page, at most RING_MAX). */
export function ringSize(bytes: number): number {
  let n = 4096;
  while (n < bytes && n < RING_MAX) n *= 2;
  return n;
}

/**
 * endReserve is the room bufpolicy=fill keeps in each CPU's buffer for
 * END's records, so that END's output appears however full the buffer is.
 */
export function endReserve(records: readonly StatementRecord[], endClauses: readonly number[]): number {
  return endClauses.reduce((sum, i) => sum + principalSize(records[i]?.size ?? 0), 0);
}

/** What sizeRing settled on. */
export interface RingChoice {
  /** Bytes of the BPF ring. */
  readonly ring: number;
  /** The bufsize in force: each CPU's principal buffer, lowered when bufresize=auto had to. */
  readonly bufsize: number;
}

/**
 * sizeRing makes the ring that holds `ncpus` principal buffers of
 * `bufsize` bytes (and at least `minRing`), through `create` (which throws
 * when the kernel refuses the size). With bufresize=auto a buffer that cannot be had is halved
 * until one can, as DTrace lowers it; with manual the refusal stands.
 */
export function sizeRing(bufsize: number, ncpus: number, resize: 'auto' | 'manual', create: (ring: number) => void, minRing = 0): RingChoice {
  let per = bufsize;
  for (;;) {
    const want = per * ncpus;
    if (want <= RING_MAX) {
      const ring = ringSize(Math.max(want, minRing));
      try {
        create(ring);
        return { ring, bufsize: per };
      } catch (e) {
        if (resize === 'manual' || ring <= 4096) throw e;
      }
    } else if (resize === 'manual') {
      throw new BufferAllocationError();
    }
    per = Math.floor(per / 2);
  }
}

/** BufferAllocationError is bufresize=manual refusing a buffer larger than can be had. */
export class BufferAllocationError extends Error {
  constructor() {
    super('Memory allocation failure');
  }
}

/**
 * loweredMessage is dtrace(1)'s note that a buffer option was lowered
 * (`what` is "buffer size"...), or undefined when it was not: the size
 * in the largest unit it is a whole multiple of, else in bytes.
 */
export function loweredMessage(what: string, asked: number, got: number): string | undefined {
  if (got >= asked - 8) return undefined;
  let j = 0;
  let mul = 10;
  while (2 ** mul <= got) {
    j++;
    mul += 10;
  }
  const unit = 2 ** (mul - 10);
  return got % unit === 0
    ? `dtrace: ${what} lowered to ${got / unit}${' kmgtpe'[j]}\n`
    : `dtrace: ${what} lowered to ${got} bytes\n`;
}

/**
 * DROP_COUNTERS says where the kernel counts each kind of drop the session
 * reports: an offset of the per-CPU machine state (layout/memory.ts MS).
 * Kinds DROPS marks per CPU are reported per CPU, the others summed over
 * CPUs, in DROPS order (dtrace(1)'s). Other counters (speculations) add
 * rows here (or, when kept outside the machine state, pass their totals
 * to DropReporter.report); their wording is in output/drops.ts.
 */
export const DROP_COUNTERS: readonly { readonly kind: DropKind; readonly off: number }[] = [
  { kind: 'PRINCIPAL', off: MS.drops },
  { kind: 'AGGREGATION', off: MS.aggDrops },
  { kind: 'DYNAMIC', off: MS.dvarDrops },
  { kind: 'DBLERROR', off: MS.dblErrors },
];

/** DropReporter turns the counters' growth since the last report into dtrace(1)'s drop messages. */
export class DropReporter {
  private readonly seen: bigint[][] = [];
  private readonly seenElsewhere = new Map<DropKind, bigint>();

  constructor(private readonly droptags: boolean) {}

  /**
   * report reads each CPU's machine state (index = CPU) and returns the
   * messages for new drops. `elsewhere` gives running totals of
   * system-wide kinds counted outside the machine state (a kind kept in
   * a map of its own); they are reported with the others, in DROPS order.
   */
  report(states: readonly Buffer[], elsewhere: ReadonlyMap<DropKind, bigint> = new Map()): string[] {
    const out: string[] = [];
    const total = new Map<DropKind, bigint>();
    states.forEach((v, cpu) => {
      const seen = this.seen[cpu] ?? [];
      const now = DROP_COUNTERS.map((c) => v.readBigUInt64LE(c.off));
      DROP_COUNTERS.forEach((c, i) => {
        const n = now[i] - (seen[i] ?? 0n);
        if (n <= 0n) return;
        if (DROPS[c.kind].perCpu) out.push(formatDrop(c.kind, n, this.droptags, cpu));
        else total.set(c.kind, (total.get(c.kind) ?? 0n) + n);
      });
      this.seen[cpu] = now;
    });
    for (const [kind, now] of elsewhere) {
      const n = now - (this.seenElsewhere.get(kind) ?? 0n);
      this.seenElsewhere.set(kind, now);
      if (n > 0n) total.set(kind, (total.get(kind) ?? 0n) + n);
    }
    for (const kind of Object.keys(DROPS) as DropKind[]) {
      const n = total.get(kind);
      if (n !== undefined) out.push(formatDrop(kind, n, this.droptags));
    }
    return out;
  }
}
