// A session's speculations (docs/speculations.md): creates the dt_specs
// array, routes speculative records to the consumer's buffers and the
// records commit( ) releases to the output, and reports speculation drops
// in DTrace's words.

import type { SpeculationSpec } from '../codegen/program.js';
import { SpeculativeBuffers } from '../consume/speculations.js';
import type { Decoded } from '../consume/decode.js';
import { MapName, SpecCount, specsValueSize } from '../layout/memory.js';
import type { StatementRecord } from '../layout/records.js';
import { MapType, type BpfMap, type MapSpec } from '../kernel/index.js';

/** DTrace's speculation drop messages (its drop table): count field, drop tag, words, and what follows the count's plural. */
const SPEC_DROPS = [
  { field: SpecCount.drops, tag: 'DTRACEDROP_SPEC', what: 'speculative drop', suffix: '' },
  { field: SpecCount.busy, tag: 'DTRACEDROP_SPECBUSY', what: 'failed speculation', suffix: ' (available buffer(s) still busy)' },
  { field: SpecCount.unavail, tag: 'DTRACEDROP_SPECUNAVAIL', what: 'failed speculation', suffix: ' (no speculative buffer available)' },
] as const;

/** specDropMessage is DTrace's message for `n` new drops of one kind, with its tag under the droptags option. */
export function specDropMessage(i: number, n: bigint, droptags: boolean): string {
  const d = SPEC_DROPS[i];
  return `dtrace: ${droptags ? `[${d.tag}] ` : ''}${n} ${d.what}${n === 1n ? '' : 's'}${d.suffix}\n`;
}

/** Speculations is the session's part of speculative tracing. */
export class Speculations {
  private readonly buffers: SpeculativeBuffers;
  private readonly specs: BpfMap;
  private readonly seen = [0n, 0n, 0n];

  /** The map is made with `map` (the session's, which owns it). */
  constructor(spec: SpeculationSpec, map: (s: MapSpec) => BpfMap, private readonly records: readonly StatementRecord[]) {
    this.buffers = new SpeculativeBuffers(spec.specsize);
    this.specs = map({ name: MapName.specs, type: MapType.ARRAY, keySize: 4, valueSize: specsValueSize(spec.nspec), maxEntries: 1 });
  }

  /**
   * consume takes the records speculations are about: a speculative record
   * is parked; a commit prints what it releases through `print`, at its
   * place in the output. Returns false for every other record.
   */
  consume(d: Decoded, print: (r: Decoded & { kind: 'data' }) => void): boolean {
    if (d.kind === 'spec') {
      for (const r of this.buffers.release(d.id, d.op)) print(r);
      return true;
    }
    if (d.kind !== 'data' || d.spec === undefined) return false;
    // DTrace counts each record against specsize as its buffer holds it: header included, rounded up to 8 bytes.
    const size = this.records[d.stid]?.size ?? 0;
    this.buffers.park({ ...d, spec: d.spec }, Math.ceil(size / 8) * 8);
    return true;
  }

  /** reportDrops prints the speculation drops counted since the last report, in DTrace's order. */
  reportDrops(error: (s: string) => void, droptags: boolean): void {
    const v = this.specs.lookup(Buffer.alloc(4));
    if (v === undefined) return;
    const now = SPEC_DROPS.map((d) => v.readBigUInt64LE(d.field));
    // Records the consumer could not keep within specsize are speculative drops too.
    now[0] += this.buffers.drops;
    now.forEach((n, i) => {
      if (n > this.seen[i]) error(specDropMessage(i, n - this.seen[i], droptags));
      this.seen[i] = n;
    });
  }
}
