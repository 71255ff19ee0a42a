// The consumer's side of aggregations: creates each aggregation's per-CPU
// map, snapshots it (one batch lookup per map), merges the CPUs, and
// carries out printa, clear, trunc, normalize and denormalize as DTrace
// does, printing through the aggregation formatter.

import { BpfMap, MapType, type ResourceScope } from '../kernel/index.js';
import type { AggregationSpec } from '../codegen/program.js';
import type { Aggregation } from '../sema/ir.js';
import type { Type } from '../sema/types.js';
import type { ParsedFormat } from '../output/format.js';
import {
  formatAggregation, formatPrinta, mergePerCpu, scalarOf, sortEntries,
  type AggDef, type AggEntry, type AggOptions, type AggValue, type KeyType, type KeyValue,
} from '../output/aggregation.js';

/** toDef describes an aggregation for the formatter. */
function toDef(a: Aggregation, strsize: number): AggDef {
  const key = (t: Type): KeyType => t.kind === 'string'
    ? { kind: 'string', size: strsize, signed: false }
    : { kind: 'int', size: t.kind === 'int' ? t.size : 8, signed: t.kind === 'int' ? t.signed : false };
  return { id: a.id, name: a.name, func: a.func, keys: a.keys.map(key), lq: a.lq, llq: a.llq };
}

function isZero(b: Uint8Array): boolean {
  for (const x of b) if (x !== 0) return false;
  return true;
}

interface Held {
  readonly spec: AggregationSpec;
  readonly def: AggDef;
  readonly map: BpfMap;
  /** normalize() factor (1 when not normalized). */
  normal: bigint;
  /** Set once printa printed it: DTrace then does not print it again at exit. */
  printed: boolean;
}

/** Aggregations owns the aggregation maps of a session. */
export class Aggregations {
  private readonly held: Held[] = [];

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
      this.held[spec.agg.id] = { spec, def: toDef(spec.agg, strsize), map, normal: 1n, printed: false };
    }
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

  /**
   * merge combines one entry's per-CPU values. min and max carry an update
   * count after the value: CPUs that never updated the entry are left out.
   */
  private merge(h: Held, perCpu: Uint8Array[]): AggValue | undefined {
    if (h.def.func === 'min' || h.def.func === 'max') {
      const used = perCpu.filter((b) => new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(8, true) !== 0n).map((b) => b.subarray(0, 8));
      return used.length === 0 ? undefined : mergePerCpu(h.def, used);
    }
    return mergePerCpu(h.def, perCpu);
  }

  /** snapshot reads one aggregation from the kernel, merged across CPUs. */
  snapshot(id: number): AggEntry[] {
    const h = this.held[id];
    const size = h.spec.valueWords * 8;
    if (h.spec.array) {
      const perCpu = h.map.lookupPerCpu(Buffer.alloc(4));
      if (perCpu.every(isZero)) return [];
      const value = this.merge(h, perCpu);
      return value === undefined ? [] : [{ keys: [], value }];
    }
    const out: AggEntry[] = [];
    for (const [key, values] of h.map.entries()) {
      const perCpu: Uint8Array[] = [];
      for (let off = 0; off + size <= values.length; off += size) perCpu.push(values.subarray(off, off + size));
      const value = this.merge(h, perCpu);
      if (value !== undefined) out.push({ keys: this.decodeKeys(h, key), value });
    }
    return out;
  }

  private sorted(id: number): AggEntry[] {
    const h = this.held[id];
    return sortEntries(h.def, this.normalized(h, this.snapshot(id)), this.opts);
  }

  private normalized(h: Held, entries: AggEntry[]): AggEntry[] {
    if (h.normal === 1n) return entries;
    return entries.map((e) => (e.value.kind === 'scalar' ? { ...e, value: { kind: 'scalar', value: scalarOf(h.def, e.value, h.normal) } } : e));
  }

  /** printa prints aggregations now, as the printa() action does. */
  printa(ids: readonly number[], format: ParsedFormat | undefined): string {
    for (const id of ids) this.held[id].printed = true;
    if (format === undefined) return formatAggregation(this.held[ids[0]].def, this.sorted(ids[0]), this.opts);
    return formatPrinta(format, ids.map((id) => this.held[id].def), ids.map((id) => this.sorted(id)), this.opts);
  }

  /** op carries out clear, trunc, normalize or denormalize. */
  op(op: 'clear' | 'trunc' | 'normalize' | 'denormalize', id: number, value: bigint | undefined): void {
    const h = this.held[id];
    switch (op) {
      case 'normalize': h.normal = value !== undefined && value !== 0n ? value : 1n; return;
      case 'denormalize': h.normal = 1n; return;
      case 'clear': {
        // Keep the keys, as DTrace does: cleared entries print as zero.
        const zero = Buffer.alloc(h.spec.valueWords * 8);
        const zeros = Array.from({ length: h.map.ncpus }, () => zero);
        if (h.spec.array) h.map.updatePerCpu(Buffer.alloc(4), zeros);
        else for (const k of [...h.map.keys()]) h.map.updatePerCpu(k, zeros);
        return;
      }
      case 'trunc': {
        if (h.spec.array) {
          if (value === undefined || value === 0n) h.map.updatePerCpu(Buffer.alloc(4), Array.from({ length: h.map.ncpus }, () => Buffer.alloc(h.spec.valueWords * 8)));
          return;
        }
        // Keep the n largest (n > 0) or smallest (n < 0) entries; trunc(@a) removes all.
        const n = value ?? 0n;
        const entries = [...h.map.entries()];
        const size = h.spec.valueWords * 8;
        const withValues = entries.map(([key, values]) => {
          const perCpu: Uint8Array[] = [];
          for (let off = 0; off + size <= values.length; off += size) perCpu.push(values.subarray(off, off + size));
          return { key, entry: { keys: this.decodeKeys(h, key), value: this.merge(h, perCpu) ?? { kind: 'scalar' as const, value: 0n } } };
        });
        const order = sortEntries(h.def, withValues.map((w) => w.entry), { ...this.opts, aggsortkey: false, aggsortrev: false });
        const keep = new Set(n > 0n ? order.slice(-Number(n)) : n < 0n ? order.slice(0, Number(-n)) : []);
        for (const w of withValues) if (!keep.has(w.entry)) h.map.delete(w.key);
        return;
      }
    }
  }

  /** atExit prints every aggregation that printa did not print, as dtrace(1) does when tracing ends. */
  atExit(): string {
    let s = '';
    for (const h of this.held) {
      if (h === undefined || h.printed) continue;
      const entries = this.sorted(h.spec.agg.id);
      if (entries.length === 0) continue;
      s += formatAggregation(h.def, entries, this.opts);
    }
    return s;
  }
}
