// The consumer's side of aggregations: creates each aggregation's per-CPU
// map and keeps DTrace's consumer copy (consume/aggregate.ts) in step with
// the kernel: every printa, trunc and the final print re-read the maps
// (one batch lookup per map) and merge the CPUs. clear() and trunc() also
// reset or remove the kernel entries, so later reads do not bring the old
// values back.

import { BpfMap, MapType, type ResourceScope } from '../kernel/index.js';
import type { AggregationSpec } from '../codegen/program.js';
import type { Aggregation } from '../sema/ir.js';
import type { Type } from '../sema/types.js';
import type { ParsedFormat } from '../output/format.js';
import { AggregationSnapshot } from '../consume/aggregate.js';
import { keyString, type AggDef, type AggOptions, type KeyType, type KeyValue } from '../output/aggregation.js';

/** toDef describes an aggregation for the formatter. */
function toDef(a: Aggregation, strsize: number): AggDef {
  const key = (t: Type): KeyType => t.kind === 'string'
    ? { kind: 'string', size: strsize, signed: false }
    : { kind: 'int', size: t.kind === 'int' ? t.size : 8, signed: t.kind === 'int' ? t.signed : false };
  return { id: a.id, name: a.name, func: a.func, keys: a.keys.map(key), lq: a.lq, llq: a.llq };
}

interface Held {
  readonly spec: AggregationSpec;
  readonly def: AggDef;
  readonly map: BpfMap;
  /** Raw map keys by key string, from the last read: trunc() deletes through them. */
  rawKeys: Map<string, Buffer>;
}

/** Aggregations owns the aggregation maps of a session. */
export class Aggregations {
  private readonly held: Held[] = [];
  private readonly snap: AggregationSnapshot;

  constructor(specs: readonly AggregationSpec[], scope: ResourceScope, private readonly strsize: number, private readonly opts: AggOptions, aggsize: number) {
    for (const spec of specs) {
      const valueSize = spec.valueWords * 8;
      const maxEntries = spec.array ? 1 : Math.max(64, Math.floor(aggsize / (spec.keySize + valueSize)));
      const map = scope.add(BpfMap.create({
        name: spec.map,
        type: spec.array ? MapType.PERCPU_ARRAY : MapType.PERCPU_HASH,
        keySize: spec.array ? 4 : spec.keySize,
        valueSize,
        maxEntries,
      }));
      this.held[spec.agg.id] = { spec, def: toDef(spec.agg, strsize), map, rawKeys: new Map() };
    }
    this.snap = new AggregationSnapshot(this.held.filter(Boolean).map((h) => h.def));
  }

  /** maps lists the maps for program relocation. */
  maps(): [string, BpfMap][] {
    return this.held.filter(Boolean).map((h) => [h.spec.map, h.map]);
  }

  private decodeKeys(h: Held, key: Uint8Array): KeyValue[] {
    const out: KeyValue[] = [];
    const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
    let off = 0;
    for (const t of h.spec.agg.keys) {
      if (t.kind === 'string') {
        const size = Math.ceil(this.strsize / 8) * 8;
        const bytes = key.subarray(off, off + size);
        const end = bytes.indexOf(0);
        out.push(Buffer.from(bytes.subarray(0, end < 0 ? this.strsize : end)).toString('latin1'));
        off += size;
      } else {
        const signed = t.kind === 'int' ? t.signed : false;
        out.push(signed ? view.getBigInt64(off, true) : view.getBigUint64(off, true));
        off += 8;
      }
    }
    return out;
  }

  /** read refreshes the consumer copy of every aggregation from the kernel maps. */
  private read(): void {
    this.snap.beginSnapshot();
    for (const h of this.held) {
      if (h === undefined) continue;
      const size = h.spec.valueWords * 8;
      const split = (values: Buffer): Uint8Array[] => {
        const perCpu: Uint8Array[] = [];
        for (let off = 0; off + size <= values.length; off += size) perCpu.push(values.subarray(off, off + size));
        return perCpu;
      };
      if (h.spec.array) {
        this.snap.update(h.def.id, [], h.map.lookupPerCpu(Buffer.alloc(4)));
        continue;
      }
      h.rawKeys = new Map();
      for (const [key, values] of h.map.entries()) {
        const keys = this.decodeKeys(h, key);
        h.rawKeys.set(keyString(h.def, keys), key);
        this.snap.update(h.def.id, keys, split(values));
      }
    }
  }

  /** printa prints aggregations as they are now, as the printa() action does. */
  printa(ids: readonly number[], format: ParsedFormat | undefined): string {
    this.read();
    return this.snap.printa(ids, format, this.opts);
  }

  /** zeroKernel resets a kernel entry on every CPU (touched word included). */
  private zeroKernel(h: Held, key: Buffer): void {
    const zero = Buffer.alloc(h.spec.valueWords * 8);
    h.map.updatePerCpu(key, Array.from({ length: h.map.ncpus }, () => zero));
  }

  /** op carries out clear, trunc, normalize or denormalize. */
  op(op: 'clear' | 'trunc' | 'normalize' | 'denormalize', id: number, value: bigint | undefined): void {
    const h = this.held[id];
    switch (op) {
      case 'normalize':
        this.snap.normalize(id, value !== undefined && value !== 0n ? value : 1n);
        return;
      case 'denormalize':
        this.snap.denormalize(id);
        return;
      case 'clear':
        // The keys stay (cleared entries print as zero); the kernel values restart from nothing.
        this.read();
        this.snap.clear(id);
        if (h.spec.array) this.zeroKernel(h, Buffer.alloc(4));
        else for (const k of h.rawKeys.values()) this.zeroKernel(h, k);
        return;
      case 'trunc': {
        this.read();
        const removed = this.snap.trunc(id, value);
        for (const e of removed) {
          if (h.spec.array) {
            this.zeroKernel(h, Buffer.alloc(4));
            continue;
          }
          const raw = h.rawKeys.get(keyString(h.def, e.keys));
          if (raw !== undefined) h.map.delete(raw);
        }
        return;
      }
    }
  }

  /** atExit is what dtrace(1) prints when tracing ends: every aggregation printa did not print. */
  atExit(): string {
    if (this.held.length === 0) return '';
    this.read();
    return this.snap.formatAtExit(this.opts);
  }
}
