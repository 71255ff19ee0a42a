// Probe listing (-l, -lv) and probe selection for -P, -m, -f and -i as
// dtrace(1) takes them: a string given with -P, -m or -f fills the
// description from that field leftwards; -i names a probe by its id.

import { writeSync } from 'node:fs';
import { ProbeRegistry, providerAttrs, type Probe } from '../providers/index.js';
import { normalizeProbeDesc, probeDescText } from '../syntax/probedesc.js';
import type { Compiled } from '../session/compile.js';
import { formatListing } from '../output/listing.js';
import { programAttrs, stabilityReport, statementInfo } from '../session/stability.js';
import { Fatal } from './errors.js';

const LEVEL = { P: 0, m: 1, f: 2 } as const;

/** specDescription turns `-m sched` into `:sched::`: the last colon-separated part is the option's field, earlier parts the fields before it. */
export function specDescription(kind: 'P' | 'm' | 'f', value: string): string {
  const parts = value.split(':');
  const fields = ['', '', '', ''];
  for (let i = parts.length - 1, f: number = LEVEL[kind]; i >= 0; i--, f--) {
    if (f < 0) throw new Fatal(`invalid probe specifier ${value}: invalid probe description`);
    fields[f] = parts[i]!;
  }
  return fields.join(':');
}

/** checkProbeIds refuses a numeric -i that no probe has, as DTrace does. */
export function checkProbeIds(values: readonly string[]): void {
  const ids = values.filter((v) => /^\d+$/.test(v));
  if (ids.length === 0) return;
  const all = new Set(new ProbeRegistry().match({ kind: 'ProbeDesc', text: ':::', parts: [], pos: { line: 0, col: 0 } }).map((p) => p.id));
  for (const s of ids) {
    if (!all.has(Number(s))) throw new Fatal(`invalid probe specifier ${s}: invalid probe identifier ${s}: Unknown probe identifier`);
  }
}

/**
 * listMatches prints the probes each clause's descriptions matched, in
 * description order, each probe once; a description matching nothing is
 * reported on stderr and listing goes on.
 */
export function listMatches(c: Compiled, verbose: boolean): void {
  const probes: Probe[] = [];
  c.checked.clauses.forEach((cl, i) => {
    const found = c.clauseProbes[cl.index] ?? c.clauseProbes[i] ?? [];
    if (found.length === 0) {
      for (const d of cl.probes) writeSync(2, `dtrace: failed to match ${probeDescText(normalizeProbeDesc(d))}: No probe matches description\n`);
    }
    probes.push(...[...found].sort((x, y) => x.id - y.id));
  });
  writeSync(1, formatListing(probes, verbose, (p) => providerAttrs(p.provider)));
}

/** descriptionPart is a -n program's probe descriptions, without predicate or actions, as dtrace(1) names it in messages. */
export function descriptionPart(text: string): string {
  const end = text.search(/[/{]/);
  return end < 0 ? text : text.slice(0, end);
}

/**
 * verboseReport is what -v prints for each program (each -s or -n): its
 * stability attributes, and with -e each clause's probe information.
 */
export function verboseReport(c: Compiled, exec: boolean): string {
  let out = '';
  let k = 0;
  c.sources.forEach((src, i) => {
    const clauses = c.checked.clauses.slice(k, k + c.clausesPerSource[i]!);
    k += c.clausesPerSource[i]!;
    const what = src.kind === 'script' ? `script ${src.name}` : `description ${descriptionPart(src.name)}`;
    out += stabilityReport(what, programAttrs(clauses, providerAttrs));
    if (exec) {
      out += '\n';
      return;
    }
    for (const cl of clauses) {
      const info = statementInfo(cl, c.clauseProbes[cl.index] ?? [], providerAttrs);
      if (info === undefined) break;
      out += info;
    }
  });
  return out;
}
