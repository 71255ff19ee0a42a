// The consumer's copy of the aggregations (DTrace's aggregation hash in
// dt_aggregate.c): per aggregation id, the entries by key, each holding the
// value merged over all CPUs, plus what DTrace keeps per aggregation (the
// normalize() factor and whether a printa() has printed it, which decides
// what is printed at exit).  The session feeds it (keys, per-CPU values)
// pairs read from the kernel maps; printing is delegated to
// src/output/aggregation.ts.

import {
  type AggDef, type AggEntry, type AggOptions, type AggValue, type KeyValue,
  clearedValue, cpuHasData, formatAggregationsAtExit, formatPrinta, formatPrintaDefault,
  keyString, mergePerCpu, truncEntries,
} from '../output/aggregation.js';
import type { ParsedFormat } from '../format/printf.js';
import type { PrintfOptions } from '../output/printf.js';

interface AggState {
  readonly def: AggDef;
  readonly entries: Map<string, AggEntry>;
  normal: bigint;
  printed: boolean;
}

export class AggregationSnapshot {
  private readonly aggs = new Map<number, AggState>();

  constructor(defs: readonly AggDef[]) {
    for (const def of defs) {
      this.aggs.set(def.id, { def, entries: new Map(), normal: 1n, printed: false });
    }
  }

  private state(id: number): AggState {
    const s = this.aggs.get(id);
    if (s === undefined) throw new Error(`BUG: unknown aggregation id ${id}`);
    return s;
  }

  def(id: number): AggDef {
    return this.state(id).def;
  }

  /** All aggregation definitions, in id order. */
  defs(): AggDef[] {
    return [...this.aggs.values()].map((s) => s.def).sort((a, b) => a.id - b.id);
  }

  /**
   * DTrace resets its copy before reading the kernel maps again
   * (dtrace_aggregate_clear in dtrace_aggregate_snap): every known entry
   * keeps its key and gets clearedValue(); update() then merges the kernel
   * data in.  Entries the kernel no longer has data for thus print as
   * cleared.  Optional when every entry is updated at each snapshot.
   */
  beginSnapshot(): void {
    for (const s of this.aggs.values()) {
      for (const e of s.entries.values()) e.value = clearedValue(s.def);
    }
  }

  /**
   * Record one kernel entry: its keys and its per-CPU values (layout as for
   * mergePerCpu).  When no CPU has data (all generation words 0) an
   * existing entry is left as it is and no new one is created.
   */
  update(id: number, keys: readonly KeyValue[], perCpu: readonly Uint8Array[]): void {
    const s = this.state(id);
    if (!perCpu.some((b) => cpuHasData(s.def, b))) return;
    this.set(id, keys, mergePerCpu(s.def, perCpu));
  }

  /** Set an entry's merged value directly. */
  set(id: number, keys: readonly KeyValue[], value: AggValue): void {
    const s = this.state(id);
    const ks = keyString(s.def, keys);
    const e = s.entries.get(ks);
    if (e !== undefined) e.value = value;
    else s.entries.set(ks, { keys: [...keys], value });
  }

  get(id: number, keys: readonly KeyValue[]): AggEntry | undefined {
    const s = this.state(id);
    return s.entries.get(keyString(s.def, keys));
  }

  remove(id: number, keys: readonly KeyValue[]): void {
    const s = this.state(id);
    s.entries.delete(keyString(s.def, keys));
  }

  /** One aggregation's entries (unsorted). */
  entries(id: number): AggEntry[] {
    return [...this.state(id).entries.values()];
  }

  size(id: number): number {
    return this.state(id).entries.size;
  }

  /**
   * clear(@a): every entry keeps its key; values go back to zero (min() to
   * INT64_MAX and max() to INT64_MIN, as dt_aggregate_clear_one does), so a
   * printa() before new data prints the keys with cleared values.
   */
  clear(id: number): void {
    const s = this.state(id);
    for (const e of s.entries.values()) e.value = clearedValue(s.def);
  }

  /**
   * trunc(@a, n): keep the n entries with the highest values (ties: the
   * highest keys); a negative n keeps the -n lowest; no n (or 0) removes
   * every entry (dt_trunc).  Returns the removed entries, so the caller can
   * delete them from the kernel maps too.
   */
  trunc(id: number, n?: bigint): AggEntry[] {
    const s = this.state(id);
    const all = [...s.entries.values()];
    const keep = new Set(truncEntries(s.def, all, n));
    const removed: AggEntry[] = [];
    for (const [ks, e] of s.entries) {
      if (!keep.has(e)) {
        s.entries.delete(ks);
        removed.push(e);
      }
    }
    return removed;
  }

  /** normalize(@a, n): printed values are divided by n from now on. */
  normalize(id: number, n: bigint): void {
    this.state(id).normal = n;
  }

  /** denormalize(@a): back to raw values (normal = 1). */
  denormalize(id: number): void {
    this.state(id).normal = 1n;
  }

  normal(id: number): bigint {
    return this.state(id).normal;
  }

  /** Has a printa() printed this aggregation (so it is not printed at exit)? */
  printed(id: number): boolean {
    return this.state(id).printed;
  }

  markPrinted(id: number): void {
    this.state(id).printed = true;
  }

  /**
   * printa(@a, ...) / printa(fmt, @a, ...): the text DTrace prints for the
   * current data.  Marks the aggregations printed as DTrace does: a single
   * aggregation only if it had an entry to print, several ones all together
   * if any row was printed.
   */
  printa(ids: readonly number[], format: ParsedFormat | undefined, opts: AggOptions, printfOpts: PrintfOptions = {}): string {
    const states = ids.map((id) => this.state(id));
    const defs = states.map((s) => s.def);
    const tables = states.map((s) => [...s.entries.values()]);
    const normals = states.map((s) => s.normal);
    // A joined walk has a row for every key of every table.
    const rows = tables.reduce((n, t) => n + t.length, 0);
    const text = format === undefined
      ? formatPrintaDefault(defs, tables, opts, normals)
      : formatPrinta(format, defs, tables, opts, printfOpts, normals);
    if (rows > 0) for (const s of states) s.printed = true;
    return text;
  }

  /**
   * What dtrace(1) prints at exit after its final newline: every aggregation
   * no printa() has printed, in id order, in the default layout.
   */
  formatAtExit(opts: AggOptions): string {
    const states = [...this.aggs.values()].filter((s) => !s.printed);
    return formatAggregationsAtExit(
      states.map((s) => s.def),
      states.map((s) => [...s.entries.values()]),
      opts,
      states.map((s) => s.normal),
    );
  }
}
