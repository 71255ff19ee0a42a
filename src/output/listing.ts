// `dtrace -l` and `-lv` text: one line per probe in id order, and with -v
// each probe's stability attributes and argument types, as dtrace(1)
// prints them.

import { DEP_CLASS, STABILITY, type Attr, type Probe, type ProviderAttrs } from '../providers/probe.js';

/** LIST_HEADER is the column heading `dtrace -l` prints first. */
export const LIST_HEADER = `${'ID'.padStart(5)} ${'PROVIDER'.padStart(10)} ${'MODULE'.padStart(17)} ${'FUNCTION'.padStart(33)} NAME\n`;

/** probeLine is one probe's line under LIST_HEADER. */
export function probeLine(p: Probe): string {
  return `${String(p.id).padStart(5)} ${p.provider.padStart(10)} ${p.module.padStart(17)} ${p.func.padStart(33)} ${p.name}\n`;
}

/** minAttr is the lower of two attributes, part by part, as DTrace combines them. */
export function minAttr(a: Attr, b: Attr): Attr {
  const s = (x: Attr['name'], y: Attr['name']): Attr['name'] => STABILITY.indexOf(x) <= STABILITY.indexOf(y) ? x : y;
  return { name: s(a.name, b.name), data: s(a.data, b.data), dep: DEP_CLASS.indexOf(a.dep) <= DEP_CLASS.indexOf(b.dep) ? a.dep : b.dep };
}

/** descAttr is a probe's description attributes: its provider's and name's, and its module's and function's where it has them. */
export function descAttr(p: Probe, a: ProviderAttrs): Attr {
  let r = minAttr(a.provider, a.name);
  if (p.module !== '') r = minAttr(r, a.module);
  if (p.func !== '') r = minAttr(r, a.func);
  return r;
}

function attrBlock(title: string, a: Attr): string {
  return `\t${title}\n\t\tIdentifier Names: ${a.name}\n\t\tData Semantics:   ${a.data}\n\t\tDependency Class: ${a.dep}\n\n`;
}

/** probeInfo is DTrace's probe information block: description and argument attributes, argument types. */
export function probeInfo(desc: Attr, args: Attr, types: readonly { readonly native: string }[]): string {
  const list = types.length === 0 ? '\t\tNone\n' : types.map((t, i) => `\t\targs[${i}]: ${t.native}\n`).join('');
  return `\n${attrBlock('Probe Description Attributes', desc)}${attrBlock('Argument Attributes', args)}\tArgument Types\n${list}\n`;
}

/** verboseBlock is what -v adds after a probe's line. */
export function verboseBlock(p: Probe, a: ProviderAttrs): string {
  return probeInfo(descAttr(p, a), a.args, p.argTypes ?? []);
}

/** formatListing lists probes in the order given, each once; `attrsOf` gives a probe's provider attributes when verbose. */
export function formatListing(probes: readonly Probe[], verbose: boolean, attrsOf: (p: Probe) => ProviderAttrs | undefined): string {
  const byId = new Map(probes.map((p) => [p.id, p]));
  let out = LIST_HEADER;
  for (const p of byId.values()) {
    out += probeLine(p);
    const a = verbose ? attrsOf(p) : undefined;
    if (a !== undefined) out += verboseBlock(p, a);
  }
  return out;
}
