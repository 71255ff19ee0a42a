// The consumer's side of aggregations: creates each aggregation's per-CPU
// map and keeps DTrace's consumer copy (consume/aggregate.ts) in step with
// the kernel: every printa, trunc and the final print re-read the maps
// (one batch lookup per map) and merge the CPUs. clear() moves the
// aggregation's generation on: the kernel restarts an entry of an older
// generation at its next update, and the consumer reads such entries as
// cleared, so no update is lost or counted twice. trunc() deletes the
// entries it removes from the kernel maps.

import { BpfMap, MapType, type ResourceScope } from '../kernel/index.js';
import { MapName } from '../layout/memory.js';
import type { AggregationSpec } from '../codegen/program.js';
import type { Aggregation } from '../sema/ir.js';
import type { Type } from '../sema/types.js';
import type { ParsedFormat } from '../format/printf.js';
import { AggregationSnapshot } from '../consume/aggregate.js';
import { kernelSymbols } from '../kernel/index.js';
import { DEFAULT_STACK_INDENT, symbolicKey } from '../output/stacks.js';
import { keyString, type AggDef, type AggOptions, type KeyType, type KeyValue } from '../output/aggregation.js';

/** toDef describes an aggregation for the formatter. */
function toDef(a: Aggregation, strsize: number, stackindent: number): AggDef {
  const key = (t: Type): KeyType => t.kind === 'string'
    ? { kind: 'string', size: strsize, signed: false }
    : t.kind === 'int' && t.symbolic === 'stack' ? { kind: 'stack', size: 8 * (t.frames ?? 1), signed: false, indent: stackindent }
    : t.kind === 'int' && (t.symbolic === 'sym' || t.symbolic === 'mod') ? { kind: t.symbolic, size: 8, signed: false }
    : { kind: 'int', size: t.kind === 'int' ? t.size : t.kind === 'enum' ? t.decl.size : 8, signed: t.kind === 'int' ? t.signed : false };
  return { id: a.id, name: a.name, func: a.func, keys: a.keys.map(key), lq: a.lq, llq: a.llq };
}

/** lookupKernel resolves kernel addresses of keys and %a conversions (kallsyms is read on first use). */
function lookupKernel(addr: bigint): ReturnType<ReturnType<typeof kernelSymbols>['lookup']> {
  return kernelSymbols().lookup(addr);
}

interface Held {
  readonly spec: AggregationSpec;
  readonly def: AggDef;
  readonly map: BpfMap;
  /** Raw map keys by key string, from the last read: trunc() deletes through them (sym( ) keys: several per key). */
  rawKeys: Map<string, Buffer[]>;
}

/** Aggregations owns the aggregation maps of a session. */
export class Aggregations {
  private readonly held: Held[] = [];
  private readonly snap: AggregationSnapshot;
  /** dt_aggen: one generation per aggregation id. */
  private readonly gens: BpfMap | undefined;

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
      this.held[spec.agg.id] = { spec, def: toDef(spec.agg, strsize, opts.stackindent ?? DEFAULT_STACK_INDENT), map, rawKeys: new Map() };
    }
    this.snap = new AggregationSnapshot(this.held.filter(Boolean).map((h) => h.def));
    if (specs.length > 0) {
      // One value holding a u64 per aggregation: code reads it at a constant offset.
      this.gens = scope.add(BpfMap.create({ name: MapName.aggen, type: MapType.ARRAY, keySize: 4, valueSize: 8 * Math.max(...specs.map((s) => s.agg.id + 1)), maxEntries: 1 }));
    }
  }

  /** maps lists the maps for program relocation. */
  maps(): [string, BpfMap][] {
    const out: [string, BpfMap][] = this.held.filter(Boolean).map((h) => [h.spec.map, h.map]);
    if (this.gens !== undefined) out.push([MapName.aggen, this.gens]);
    return out;
  }

  /** generation reads aggregation id's current generation. */
  private generation(id: number): bigint {
    return this.gens?.lookup(Buffer.alloc(4))?.readBigUInt64LE(8 * id) ?? 0n;
  }

  /** current keeps the CPUs whose copy of an entry belongs to the current generation (touched word = generation + 1). */
  private current(perCpu: Uint8Array[], gen: bigint): Uint8Array[] {
    return perCpu.map((b) => (new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true) === gen + 1n ? b : new Uint8Array(b.byteLength)));
  }

  private decodeKeys(h: Held, key: Uint8Array): KeyValue[] {
    const out: KeyValue[] = [];
    const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
    let off = 0;
    h.spec.agg.keys.forEach((t, i) => {
      const kt = h.def.keys[i];
      if (kt.kind === 'stack' || kt.kind === 'sym' || kt.kind === 'mod') {
        const size = h.spec.keyWidths[i];
        const syms = kernelSymbols();
        out.push(symbolicKey(kt.kind, key.subarray(off, off + size), lookupKernel, (m) => syms.moduleStart(m)));
        off += size;
      } else if (t.kind === 'string') {
        const size = h.spec.keyWidths[i];
        const bytes = key.subarray(off, off + size);
        const end = bytes.indexOf(0);
        out.push(Buffer.from(bytes.subarray(0, end < 0 ? Math.min(size, this.strsize) : end)).toString('latin1'));
        off += size;
      } else {
        const signed = t.kind === 'int' ? t.signed : false;
        out.push(signed ? view.getBigInt64(off, true) : view.getBigUint64(off, true));
        off += 8;
      }
    });
    return out;
  }

  /** read refreshes the consumer copy of every aggregation from the kernel maps. */
  private read(): void {
    this.snap.beginSnapshot();
    for (const h of this.held) {
      if (h === undefined) continue;
      const size = h.spec.valueWords * 8;
      const gen = this.generation(h.def.id);
      const split = (values: Buffer): Uint8Array[] => {
        const perCpu: Uint8Array[] = [];
        for (let off = 0; off + size <= values.length; off += size) perCpu.push(values.subarray(off, off + size));
        return this.current(perCpu, gen);
      };
      if (h.spec.array) {
        this.snap.update(h.def.id, [], this.current(h.map.lookupPerCpu(Buffer.alloc(4)), gen));
        continue;
      }
      h.rawKeys = new Map();
      // Kernel entries whose keys print alike (sym( ) of two addresses in
      // one function) are one entry: their CPUs are merged together.
      const groups = new Map<string, { keys: KeyValue[]; perCpu: Uint8Array[] }>();
      for (const [key, values] of h.map.entries()) {
        const keys = this.decodeKeys(h, key);
        const ks = keyString(h.def, keys);
        const raw = h.rawKeys.get(ks);
        if (raw === undefined) h.rawKeys.set(ks, [key]);
        else raw.push(key);
        const g = groups.get(ks);
        if (g === undefined) groups.set(ks, { keys, perCpu: split(values) });
        else g.perCpu.push(...split(values));
      }
      for (const g of groups.values()) this.snap.update(h.def.id, g.keys, g.perCpu);
    }
  }

  /** printa prints aggregations as they are now, as the printa() action does. */
  printa(ids: readonly number[], format: ParsedFormat | undefined): string {
    this.read();
    return this.snap.printa(ids, format, this.opts, { lookupKernel });
  }

  /** nextGeneration makes every kernel entry of aggregation id stale: each restarts at its next update. */
  private nextGeneration(id: number): void {
    if (this.gens === undefined) return;
    // Only the consumer writes this value; the kernel only reads it.
    const key = Buffer.alloc(4);
    const v = this.gens.lookup(key) ?? Buffer.alloc(this.gens.spec.valueSize);
    v.writeBigUInt64LE(v.readBigUInt64LE(8 * id) + 1n, 8 * id);
    this.gens.update(key, v);
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
        // The keys stay (cleared entries print as zero); the kernel values restart lazily.
        this.read();
        this.snap.clear(id);
        this.nextGeneration(id);
        return;
      case 'trunc': {
        this.read();
        const removed = this.snap.trunc(id, value);
        for (const e of removed) {
          if (h.spec.array) {
            this.nextGeneration(id);
            continue;
          }
          for (const raw of h.rawKeys.get(keyString(h.def, e.keys)) ?? []) h.map.delete(raw);
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
