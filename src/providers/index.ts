// The provider registry: matches clause probe descriptions against every
// provider's probes and reports descriptions that match nothing
// (D_PDESC_ZERO), as DTrace does at compile time.

import { CompileError } from '../diag/diagnostic.js';
import type { ProbeDesc } from '../syntax/ast.js';
import { gmatch, normalizeProbeDesc, probeDescText } from '../syntax/probedesc.js';
import { dtraceProvider } from './dtrace.js';
import { createProfileProvider } from './profile.js';
import { createSyscallProvider } from './syscall.js';
import { createRawtpProvider, createSdtProvider, type EventSource } from './tracepoint.js';
import { ProbeIds, type Desc, type Probe, type Provider, type ProviderAttrs } from './probe.js';

export type { Probe, AttachSpec, SharedAttach, Provider, ProviderAttrs, Attr, ArgType } from './probe.js';

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
  private readonly providers: Provider[];
  private readonly ids = new ProbeIds(FIRST_DYNAMIC_ID);
  private populated = false;

  /** `events` lists the kernel's tracepoints (tracefs by default; a fixture in tests). */
  constructor(events?: EventSource) {
    this.providers = allProviders(events);
  }

  /** populate has every provider list its probes, once: ids follow provider order, as DTrace numbers them. */
  private populate(): void {
    if (this.populated) return;
    this.populated = true;
    for (const p of this.providers) p.populate?.(this.ids);
  }

  /** providerOf finds a probe's provider (for its attributes). */
  providerOf(p: Probe): Provider | undefined {
    return this.providers.find((v) => v.name === p.provider);
  }

  /** match returns the probes matching one description, in provider order. */
  match(d: ProbeDesc): Probe[] {
    this.populate();
    // A description that is a number names the probe of that id.
    if (d.id !== undefined) return this.providers.flatMap((p) => p.match({ provider: '', module: '', func: '', name: '' }, this.ids, globMatch)).filter((p) => BigInt(p.id) === d.id);
    const desc = normalizeDesc(d);
    const out: Probe[] = [];
    for (const p of this.providers) out.push(...p.match(desc, this.ids, globMatch));
    return out;
  }
}

/** providerAttrs gives a provider's stability attributes by name (constant per provider). */
export function providerAttrs(name: string): ProviderAttrs | undefined {
  return ATTRS.get(name);
}

/** allProviders makes every provider, in dtrace-utils' order, which numbers their probes. */
function allProviders(events?: EventSource): Provider[] {
  return [dtraceProvider, createProfileProvider(), createRawtpProvider(events), createSdtProvider(events), createSyscallProvider(events)];
}

const ATTRS = new Map<string, ProviderAttrs>(allProviders().map((p) => [p.name, p.attrs]));

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
