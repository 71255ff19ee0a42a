// Stability attributes of a compiled program, for `dtrace -v`: the lowest
// attributes of its clauses' probe descriptions and of their statements,
// as DTrace reports them per program ("Stability attributes for script
// x.d"). A description's attributes are those of the fields it names (an
// empty or glob provider counts as Unstable); a statement's are the lowest
// of what it uses: D's variables and subroutines (Stable unless DTrace
// rates them lower), the probe's args[] (its provider's argument
// attributes), kernel symbols (Private).

import { attr, STABILITY, type Attr, type ProviderAttrs, type Probe } from '../providers/probe.js';
import type { ProbeDesc } from '../syntax/ast.js';
import { normalizeProbeDesc } from '../syntax/probedesc.js';
import { minAttr, probeInfo } from '../output/listing.js';
import type { CheckedClause } from '../sema/ir.js';

const STABLE = attr('Stable', 'Stable', 'Common');
const EVOLVING = attr('Evolving', 'Evolving', 'Common');
/** What DTrace gives a description whose provider is empty or a glob. */
const UNSPECIFIED = attr('Unstable', 'Unstable', 'Common');
/** Kernel symbols and types. */
const KERNEL = attr('Private', 'Private', 'Unknown');

/** Variables DTrace rates below Stable/Stable/Common. */
const VAR_ATTRS: Readonly<Record<string, Attr>> = {
  curthread: attr('Stable', 'Private', 'Common'),
};

/** Subroutines DTrace rates Evolving. */
const EVOLVING_SUBRS: ReadonlySet<string> = new Set([
  'd_path', 'ddi_pathname', 'getmajor', 'getminor', 'htonl', 'htonll', 'htons', 'mutex_owned', 'mutex_owner',
  'mutex_type_adaptive', 'mutex_type_spin', 'ntohl', 'ntohll', 'ntohs', 'rw_iswriter', 'rw_read_held', 'rw_write_held',
]);

const isGlob = (s: string): boolean => s === '' || /[*?[\\]/.test(s);

/**
 * descriptionAttr is a description's attributes: its provider's for each
 * field it names (the Unstable set when the provider is empty or a glob).
 */
export function descriptionAttr(d: ProbeDesc, attrsOf: (provider: string) => ProviderAttrs | undefined): Attr {
  const n = normalizeProbeDesc(d);
  const pa = isGlob(n.provider) ? undefined : attrsOf(n.provider);
  const of = (k: keyof ProviderAttrs): Attr => pa?.[k] ?? UNSPECIFIED;
  let r = of('provider');
  if (!isGlob(n.module)) r = minAttr(r, of('module'));
  if (!isGlob(n.function)) r = minAttr(r, of('func'));
  if (!isGlob(n.name)) r = minAttr(r, of('name'));
  return r;
}

/** usedAttr is the lowest attribute of what a statement tree uses (every node object is visited). */
function usedAttr(node: unknown, argsAttr: Attr, seen = new Set<object>()): Attr {
  let r = STABLE;
  const visit = (x: unknown): void => {
    if (x === null || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const y of x) visit(y);
      return;
    }
    const o = x as Record<string, unknown>;
    if (o['k'] === 'builtin' && typeof o['name'] === 'string') r = minAttr(r, VAR_ATTRS[o['name']] ?? STABLE);
    else if (o['k'] === 'args') r = minAttr(r, argsAttr);
    else if (o['k'] === 'sym') r = minAttr(r, KERNEL);
    else if (o['k'] === 'call' && typeof o['fn'] === 'string' && EVOLVING_SUBRS.has(o['fn'])) r = minAttr(r, EVOLVING);
    // Types, aggregations and translators are data, not uses.
    for (const [k, v] of Object.entries(o)) if (k !== 'type' && k !== 'agg' && k !== 'aggs' && k !== 'xl' && k !== 'v' && k !== 'm') visit(v);
  };
  visit(node);
  return r;
}

/** ProgramAttrs are the minimum attributes of one program's clauses. */
export interface ProgramAttrs {
  readonly desc: Attr;
  readonly stmt: Attr;
}

/** clauseAttrs is one clause's description and statement attributes, as DTrace takes them from its first description. */
export function clauseAttrs(c: CheckedClause, attrsOf: (provider: string) => ProviderAttrs | undefined): ProgramAttrs {
  const d = c.probes[0];
  const desc = d === undefined ? STABLE : descriptionAttr(d, attrsOf);
  const n = d === undefined ? undefined : normalizeProbeDesc(d);
  const args = n === undefined || isGlob(n.provider) ? UNSPECIFIED : attrsOf(n.provider)?.args ?? UNSPECIFIED;
  const stmt = usedAttr([c.predicate, c.body], args);
  return { desc, stmt };
}

/** programAttrs is the minimum over a program's clauses (Stable for a program without clauses). */
export function programAttrs(clauses: readonly CheckedClause[], attrsOf: (provider: string) => ProviderAttrs | undefined): ProgramAttrs {
  let desc = STABLE;
  let stmt = STABLE;
  for (const c of clauses) {
    const a = clauseAttrs(c, attrsOf);
    desc = minAttr(desc, a.desc);
    stmt = minAttr(stmt, a.stmt);
  }
  return { desc, stmt };
}

function block(title: string, a: Attr): string {
  return `\n\t${title}\n\t\tIdentifier Names: ${a.name}\n\t\tData Semantics:   ${a.data}\n\t\tDependency Class: ${a.dep}\n`;
}

/** stabilityReport is what `dtrace -v` prints for one program: `what` is "script x.d" or "description 'BEGIN'". */
export function stabilityReport(what: string, a: ProgramAttrs): string {
  return `\nStability attributes for ${what}:\n${block('Minimum Probe Description Attributes', a.desc)}${block('Minimum Statement Attributes', a.stmt)}`;
}

/**
 * statementInfo is what `dtrace -ev` prints for each clause: its first
 * description and the probe information of the probes it matched, the
 * attributes taken from the description. Undefined where DTrace gives no
 * information: no match, or several probes of a provider whose arguments
 * may differ between them.
 */
export function statementInfo(c: CheckedClause, probes: readonly Probe[], attrsOf: (provider: string) => ProviderAttrs | undefined): string | undefined {
  const d = c.probes[0];
  const p = probes[0];
  if (d === undefined || p === undefined) return undefined;
  const n = normalizeProbeDesc(d);
  const pa = attrsOf(p.provider);
  if (pa === undefined) return undefined;
  if (probes.length > 1) {
    const evolving = (a: Attr): boolean => STABILITY_RANK(a.name) >= STABILITY_RANK('Evolving');
    if ((STABILITY_RANK(pa.args.data) < STABILITY_RANK('Evolving') && isGlob(n.provider)) || (evolving(pa.module) && isGlob(n.module))
      || (evolving(pa.func) && isGlob(n.function)) || (evolving(pa.name) && isGlob(n.name))) return undefined;
  }
  const args = isGlob(n.provider) ? UNSPECIFIED : pa.args;
  return `\n${n.provider}:${n.module}:${n.function}:${n.name}\n${probeInfo(descriptionAttr(d, attrsOf), args, p.argTypes ?? [])}`;
}

const STABILITY_RANK = (s: Attr['name']): number => STABILITY.indexOf(s);
