// A session's speculations (docs/speculations.md): creates the dt_specs
// array, routes speculative records to the consumer's buffers and the
// records commit( ) releases to the output, and counts speculation drops
// for the session's drop reports (worded in output/drops.ts).

import type { SpeculationSpec } from '../codegen/program.js';
import { SpeculativeBuffers } from '../consume/speculations.js';
import type { Decoded } from '../consume/decode.js';
import type { DropKind } from '../output/drops.js';
import { MapName, SpecCount, specsValueSize } from '../layout/memory.js';
import type { StatementRecord } from '../layout/records.js';
import { MapType, type BpfMap, type MapSpec } from '../kernel/index.js';

/** Where each speculation drop kind is counted in the dt_specs value (words: output/drops.ts). */
const SPEC_DROPS: readonly { readonly kind: DropKind; readonly field: number }[] = [
  { kind: 'SPEC', field: SpecCount.drops },
  { kind: 'SPECBUSY', field: SpecCount.busy },
  { kind: 'SPECUNAVAIL', field: SpecCount.unavail },
];

/** Speculations is the session's part of speculative tracing. */
export class Speculations {
  private readonly buffers: SpeculativeBuffers;
  private readonly specs: BpfMap;

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

  /** dropTotals are the running totals of speculation drops, for the session's DropReporter. */
  dropTotals(): Map<DropKind, bigint> {
    const totals = new Map<DropKind, bigint>();
    const v = this.specs.lookup(Buffer.alloc(4));
    if (v === undefined) return totals;
    for (const d of SPEC_DROPS) totals.set(d.kind, v.readBigUInt64LE(d.field));
    // Records the consumer could not keep within specsize are speculative drops too.
    totals.set('SPEC', (totals.get('SPEC') ?? 0n) + this.buffers.drops);
    return totals;
  }
}
