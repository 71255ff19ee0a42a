// The provider registry: matches clause probe descriptions against every
// provider's probes and reports descriptions that match nothing
// (D_PDESC_ZERO), as DTrace does at compile time.

import { CompileError } from '../diag/diagnostic.js';
import type { ProbeDesc } from '../syntax/ast.js';
import { gmatch, normalizeProbeDesc, probeDescText } from '../syntax/probedesc.js';
import { dtraceProvider } from './dtrace.js';
import { createProfileProvider } from './profile.js';
import { createSyscallProvider } from './syscall.js';
import { ProbeIds, type Desc, type Probe, type Provider } from './probe.js';

export type { Probe, AttachSpec, SharedAttach } from './probe.js';

/** globMatch is DTrace's glob match of one description field; an empty pattern matches anything. */
function globMatch(pattern: string, s: string): boolean {
  return pattern === '' || gmatch(s, pattern);
}

function normalizeDesc(d: ProbeDesc): Desc {
  const n = normalizeProbeDesc(d);
  return { provider: n.provider, module: n.module, func: n.function, name: n.name };
}

/** First id after the dtrace provider's BEGIN, END and ERROR. */
const FIRST_DYNAMIC_ID = 4;

/** ProbeRegistry owns the providers and the probes created so far. */
export class ProbeRegistry {
  private readonly providers: Provider[] = [dtraceProvider, createProfileProvider(), createSyscallProvider()];
  private readonly ids = new ProbeIds(FIRST_DYNAMIC_ID);

  /** match returns the probes matching one description, in provider order. */
  match(d: ProbeDesc): Probe[] {
    const desc = normalizeDesc(d);
    const out: Probe[] = [];
    for (const p of this.providers) out.push(...p.match(desc, this.ids, globMatch));
    return out;
  }
}

/** ClauseProbes is the probes each clause is enabled on, by clause index. */
export type ClauseProbes = Probe[][];

/**
 * matchClauses resolves every clause's descriptions. With `zdefs` (-Z) a
 * description matching nothing is allowed; otherwise it is a compile error.
 */
export function matchClauses(clauses: readonly { probes: ProbeDesc[]; index: number }[], reg: ProbeRegistry, zdefs: boolean): ClauseProbes {
  const out: ClauseProbes = [];
  for (const c of clauses) {
    const seen = new Map<number, Probe>();
    for (const d of c.probes) {
      const found = reg.match(d);
      if (found.length === 0 && !zdefs) {
        throw new CompileError('D_PDESC_ZERO', `probe description ${probeDescText(normalizeProbeDesc(d))} does not match any probes`, d.pos);
      }
      for (const p of found) seen.set(p.id, p);
    }
    out[c.index] = [...seen.values()];
  }
  return out;
}
