// Probe selection for -P, -m, -f and -i as dtrace(1) takes them: a string
// given with -P, -m or -f fills the description from that field leftwards;
// -i names a probe by its id.

import { ProbeRegistry, type Probe } from '../providers/index.js';
import { Fatal } from './errors.js';

const LEVEL = { P: 0, m: 1, f: 2 } as const;

/** specDescription turns `-m sched` into `:sched::`: the last colon-separated part is the option's field, earlier parts the fields before it. */
export function specDescription(kind: 'P' | 'm' | 'f', value: string): string {
  const parts = value.split(':');
  const last = LEVEL[kind];
  const fields = ['', '', '', ''];
  for (let i = parts.length - 1, f = last; i >= 0; i--, f--) {
    if (f < 0) throw new Fatal(`invalid probe specifier ${value}: invalid probe description`);
    fields[f] = parts[i]!;
  }
  return fields.join(':');
}

/** probesById finds the probes named with -i; an id no probe has is an error, as in DTrace. */
export function probesById(ids: readonly string[]): Probe[] {
  if (ids.length === 0) return [];
  const all = new ProbeRegistry().match({ kind: 'ProbeDesc', text: ':::', parts: [], pos: { line: 0, col: 0 } } as never);
  const byId = new Map(all.map((p) => [p.id, p]));
  return ids.map((s) => {
    const n = /^\d+$/.test(s) ? Number(s) : NaN;
    const p = byId.get(n);
    if (p === undefined) throw new Fatal(`invalid probe specifier ${s}: invalid probe identifier ${s}: Unknown probe identifier`);
    return p;
  });
}
