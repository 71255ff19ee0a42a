// DTrace's drop reports, one entry per kind of drop: the tag -x droptags
// prints and dtrace(1)'s wording (libdtrace's dt_handle_cpudrop() and
// dt_handle_status()). Per-CPU kinds name the CPU; the others are counted
// for the whole system. The session decides when each kind is reported
// and where its counter lives (session/session.ts DROP_COUNTERS).

/** The kinds of drop DTrace reports (DTRACEDROP_*). */
export type DropKind =
  | 'PRINCIPAL' | 'AGGREGATION' | 'DYNAMIC' | 'DYNRINSE' | 'DYNDIRTY'
  | 'SPEC' | 'SPECBUSY' | 'SPECUNAVAIL' | 'STKSTROVERFLOW' | 'DBLERROR';

export interface DropText {
  /** Reported per CPU ("... on CPU n") rather than for the system. */
  readonly perCpu: boolean;
  /** What was dropped, singular; an 's' is added for more than one. */
  readonly what: string;
  /** Text after the (pluralised) noun. */
  readonly suffix?: string;
}

/** DROPS words every kind of drop as dtrace(1) does. */
export const DROPS: Readonly<Record<DropKind, DropText>> = {
  PRINCIPAL: { perCpu: true, what: 'drop' },
  AGGREGATION: { perCpu: true, what: 'aggregation drop' },
  DYNAMIC: { perCpu: false, what: 'dynamic variable drop' },
  DYNRINSE: { perCpu: false, what: 'dynamic variable drop', suffix: ' with non-empty rinsing list' },
  DYNDIRTY: { perCpu: false, what: 'dynamic variable drop', suffix: ' with non-empty dirty list' },
  SPEC: { perCpu: false, what: 'speculative drop' },
  SPECBUSY: { perCpu: false, what: 'failed speculation', suffix: ' (available buffer(s) still busy)' },
  SPECUNAVAIL: { perCpu: false, what: 'failed speculation', suffix: ' (no speculative buffer available)' },
  STKSTROVERFLOW: { perCpu: false, what: 'jstack()/ustack() string table overflow' },
  DBLERROR: { perCpu: false, what: 'error', suffix: ' in ERROR probe enabling' },
};

/**
 * formatDrop is the line dtrace(1) prints for `count` (> 0) new drops of a
 * kind, with the [DTRACEDROP_*] tag when the droptags option is set; `cpu`
 * is needed for per-CPU kinds.
 */
export function formatDrop(kind: DropKind, count: bigint, droptags: boolean, cpu?: number): string {
  const d = DROPS[kind];
  const tag = droptags ? `[DTRACEDROP_${kind}] ` : '';
  const where = d.perCpu ? ` on CPU ${cpu ?? 0}` : '';
  return `dtrace: ${tag}${count} ${d.what}${count > 1n ? 's' : ''}${d.suffix ?? ''}${where}\n`;
}
