// The profile provider: profile-N (every CPU) and tick-N (one CPU) probes,
// created on demand from their names with DTrace's rate suffixes, on
// cpu-clock perf events.

import { State } from '../layout/memory.js';
import { attr, type Desc, type Probe, type Provider, type ProbeIds } from './probe.js';

const NS: Record<string, bigint> = {
  ns: 1n, nsec: 1n, us: 1000n, usec: 1000n, ms: 1_000_000n, msec: 1_000_000n,
  s: 1_000_000_000n, sec: 1_000_000_000n, m: 60_000_000_000n, min: 60_000_000_000n,
  h: 3_600_000_000_000n, hour: 3_600_000_000_000n, d: 86_400_000_000_000n, day: 86_400_000_000_000n,
};

/** The shortest interval DTrace's profile provider accepts. */
const MIN_INTERVAL_NS = 200_000n;

/** The probes `profile:::` lists without naming a rate (as DTrace creates by default). */
const DEFAULTS = ['profile-97', 'profile-199', 'profile-499', 'profile-997', 'profile-1999', 'profile-4001', 'profile-4999',
  'tick-1', 'tick-10', 'tick-100', 'tick-500', 'tick-1000', 'tick-5000'];

/** parseRate gives the interval in ns of a probe name such as profile-997 or tick-10ms, or undefined. */
export function parseRate(name: string): { kind: 'profile' | 'tick'; periodNs: bigint } | undefined {
  const m = /^(profile|tick)-(\d+)([a-z]*)$/.exec(name);
  if (!m) return undefined;
  const n = BigInt(m[2]);
  const unit = m[3];
  let period: bigint;
  if (unit === '' || unit === 'hz') {
    if (n === 0n) return undefined;
    period = 1_000_000_000n / n;
  } else {
    const mult = NS[unit];
    if (mult === undefined) return undefined;
    period = n * mult;
  }
  if (period < MIN_INTERVAL_NS) return undefined;
  return { kind: m[1] as 'profile' | 'tick', periodNs: period };
}

function isGlob(s: string): boolean {
  return /[*?[\\]/.test(s);
}

/** createProfileProvider makes a provider that remembers the probes it created (ids are stable per name). */
export function createProfileProvider(): Provider {
  const made = new Map<string, Probe>();
  const make = (name: string, ids: ProbeIds): Probe | undefined => {
    const existing = made.get(name);
    if (existing !== undefined) return existing;
    const rate = parseRate(name);
    if (rate === undefined) return undefined;
    const p: Probe = {
      id: ids.take(), provider: 'profile', module: '', func: '', name,
      attach: { kind: 'perf', periodNs: rate.periodNs, allCpus: rate.kind === 'profile' },
      args: { kind: 'perf' }, state: State.ACTIVE,
    };
    made.set(name, p);
    return p;
  };
  return {
    name: 'profile',
    attrs: {
      provider: attr('Evolving', 'Evolving', 'Common'), module: attr('Unstable', 'Unstable', 'Unknown'), func: attr('Private', 'Private', 'Unknown'),
      name: attr('Evolving', 'Evolving', 'Common'), args: attr('Evolving', 'Evolving', 'Common'),
    },
    // The predefined rates are listed, with the first ids after dtrace's.
    populate(ids: ProbeIds): void {
      for (const n of DEFAULTS) make(n, ids);
    },
    match(d: Desc, ids: ProbeIds, glob): Probe[] {
      if (!glob(d.provider, 'profile') || !glob(d.module, '') || !glob(d.func, '')) return [];
      if (d.name !== '' && !isGlob(d.name)) {
        const p = make(d.name, ids);
        return p ? [p] : [];
      }
      const names = new Set([...DEFAULTS, ...made.keys()]);
      return [...names].filter((n) => glob(d.name, n)).map((n) => make(n, ids)!).filter(Boolean);
    },
  };
}
