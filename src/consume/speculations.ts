// The consumer's side of speculations (docs/speculations.md): records
// written while speculating are parked here, per speculation id, until a
// commit( ) releases them, in the order they were written, to be printed at
// the commit's place in the output, or a discard( ) drops them. A
// speculation holds at most specsize bytes of records; a record that does
// not fit is a speculative drop, counted here as DTrace's consumer counts it.

import type { Decoded } from './decode.js';

/** DataRecord is a decoded record of a clause's data. */
export type DataRecord = Decoded & { kind: 'data' };

interface Parked {
  readonly records: DataRecord[];
  bytes: number;
}

/** SpeculativeBuffers holds the records of every speculation in use. */
export class SpeculativeBuffers {
  private readonly parked = new Map<number, Parked>();
  /** Records dropped because their speculation would have grown past specsize. */
  drops = 0n;

  constructor(private readonly specsize: number) {}

  /** park keeps a speculative record of `size` bytes (header included) for its speculation. */
  park(r: DataRecord & { spec: number }, size: number): void {
    let p = this.parked.get(r.spec);
    if (p === undefined) {
      p = { records: [], bytes: 0 };
      this.parked.set(r.spec, p);
    }
    if (p.bytes + size > this.specsize) {
      this.drops++;
      return;
    }
    p.records.push(r);
    p.bytes += size;
  }

  /**
   * release ends speculation `id`: commit returns its records in the order
   * they were written, discard returns none. Either way the id's buffer is
   * empty afterwards, ready for the id's next use.
   */
  release(id: number, op: 'commit' | 'discard'): readonly DataRecord[] {
    const p = this.parked.get(id);
    this.parked.delete(id);
    return op === 'commit' && p !== undefined ? p.records : [];
  }

  /** size is the number of records parked for speculation `id`. */
  size(id: number): number {
    return this.parked.get(id)?.records.length ?? 0;
  }
}
