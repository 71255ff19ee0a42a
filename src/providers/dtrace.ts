// The dtrace provider: BEGIN, END and ERROR, with dtrace-utils' probe ids.

import { DTRACE_PROBE_IDS, State } from '../layout/memory.js';
import { attr, probeMatches, type Desc, type Probe, type Provider, type ProbeIds } from './probe.js';

const PROBES: readonly Probe[] = [
  { id: DTRACE_PROBE_IDS.BEGIN, provider: 'dtrace', module: '', func: '', name: 'BEGIN', attach: { kind: 'test-run', role: 'begin' }, args: { kind: 'none' }, state: State.INACTIVE },
  { id: DTRACE_PROBE_IDS.END, provider: 'dtrace', module: '', func: '', name: 'END', attach: { kind: 'test-run', role: 'end' }, args: { kind: 'none' }, state: State.DRAINING },
  { id: DTRACE_PROBE_IDS.ERROR, provider: 'dtrace', module: '', func: '', name: 'ERROR', attach: { kind: 'error' }, args: { kind: 'none' }, state: State.ACTIVE },
];

export const dtraceProvider: Provider = {
  name: 'dtrace',
  attrs: {
    provider: attr('Stable', 'Stable', 'Common'), module: attr('Private', 'Private', 'Unknown'), func: attr('Private', 'Private', 'Unknown'),
    name: attr('Stable', 'Stable', 'Common'), args: attr('Stable', 'Stable', 'Common'),
  },
  match(d: Desc, _ids: ProbeIds, glob): Probe[] {
    return PROBES.filter((p) => probeMatches(p, d, glob));
  },
};
