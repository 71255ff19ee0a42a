// Data model of a benchmark run: one Row per measured workload, each with a
// cell for this project (dtrace), one for bpftrace and an optional floor.
// A cell is either a measured value (the median of its samples) or "n/a"
// with the reason. Also the small statistics helpers the suites share.

/** A measured value: `value` is the median of `samples` (already in the row's unit). */
export interface ValueCell {
  readonly kind: 'value';
  readonly value: number;
  readonly samples: readonly number[];
}

/** Not measured, and why ("aggregation is not supported yet", "bpftrace not installed"). */
export interface NaCell {
  readonly kind: 'na';
  readonly reason: string;
}

export type Cell = ValueCell | NaCell;

/** What the tracer-independent baseline is, and its value. */
export interface Floor {
  readonly label: string;
  readonly cell: Cell;
}

export interface Row {
  /** Stable key used by the goals and the JSON ("perevent.count"). */
  readonly id: string;
  /** Workload group: startup, perevent, attachall, compile, throughput. */
  readonly group: string;
  /** Human label, e.g. "@ = count()". */
  readonly label: string;
  /** Unit of the three cells: "ms", "MiB", "ns/event", "records/s". */
  readonly unit: string;
  readonly dtrace: Cell;
  readonly bpftrace: Cell;
  readonly floor?: Floor;
  /** Extra facts shown under the table (events delivered, drops, slowdown). */
  readonly notes: readonly string[];
  /** Raw per-tracer extras kept in the JSON (delivered, dropped, slowdown...). */
  readonly extra?: Readonly<Record<string, number | string | null>>;
}

export interface Machine {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly kernel: string;
  readonly node: string;
  readonly bpftrace: string;
  readonly date: string;
  /** /proc/loadavg (1, 5, 15 min) when the bench started and ended: other load makes numbers noisy. */
  readonly loadStart: string;
  readonly loadEnd: string;
}

export type GoalStatus = 'met' | 'missed' | 'n/a';

export interface GoalResult {
  readonly id: string;
  readonly goal: string;
  readonly status: GoalStatus;
  /** The measured facts the verdict rests on, or why it cannot be judged. */
  readonly detail: string;
}

export interface Results {
  readonly machine: Machine;
  readonly config: Readonly<Record<string, number | string | boolean>>;
  readonly rows: readonly Row[];
  readonly goals: readonly GoalResult[];
  readonly notes: readonly string[];
  readonly wallSeconds: number;
}

/** median of a non-empty list (mean of the middle two for even lengths). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function na(reason: string): NaCell {
  return { kind: 'na', reason };
}

/** A value cell from samples, or n/a when there are none. */
export function cellOf(samples: readonly number[], whyEmpty = 'no successful run'): Cell {
  return samples.length === 0 ? na(whyEmpty) : { kind: 'value', value: median(samples), samples };
}

/** dtrace / bpftrace, or null when either side is not a value. */
export function ratio(row: Pick<Row, 'dtrace' | 'bpftrace'>): number | null {
  if (row.dtrace.kind !== 'value' || row.bpftrace.kind !== 'value' || row.bpftrace.value === 0) return null;
  return row.dtrace.value / row.bpftrace.value;
}

/** Format a number with a sensible number of digits for tables. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

export function fmtCell(c: Cell): string {
  return c.kind === 'value' ? fmt(c.value) : 'n/a';
}

/** Errors carry a message; anything else is stringified. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
