// Probe descriptions: splitting `provider:module:function:name` the way
// dtrace_xstr2desc does (fields filled from the right, `$N`/`$name` macro
// references substituted, more than four fields rejected), the text form
// DTrace prints, and gmatch-style glob matching of probe names.

import { CompileError } from '../diag/diagnostic.js';
import type { Pos } from '../diag/diagnostic.js';
import type { ProbeDesc } from './ast.js';

/** Which field a description's last (or only) component names: -n/-P/-m/-f. */
export type ProbeSpecKind = 'provider' | 'module' | 'function' | 'name';

/** ProbeName is a fully specified description; an empty field matches anything. */
export interface ProbeName {
  readonly provider: string;
  readonly module: string;
  readonly function: string;
  readonly name: string;
}

const SPEC_INDEX: Readonly<Record<ProbeSpecKind, number>> = { provider: 0, module: 1, function: 2, name: 3 };

/** Substitutes a macro reference (digits or a variable name, without `$`); undefined if undefined. */
export type MacroLookup = (ref: string) => string | undefined;

/** Why a description was refused, in dtrace_errmsg's words. */
const OVERSPECIFIED = 'Overspecified probe description';
const BAD_MACRO = 'Undefined macro variable in probe description';

/** substitute replaces the first `$` reference in a field, as dtrace_xstr2desc. */
function substitute(field: string, lookup: MacroLookup): string | typeof BAD_MACRO {
  const d = field.indexOf('$');
  if (d < 0) return field;
  let ref = field.slice(d + 1);
  if (ref.length > 1 && ref[0] === '$') ref = ref.slice(1); // $$ and $ are alike here
  const digits = /^[0-9]+/.exec(ref);
  let value: string | undefined;
  let rest = '';
  if (digits !== null) {
    value = lookup(String(Number(digits[0])));
    rest = ref.slice(digits[0].length);
  } else if (ref !== '') {
    value = lookup(ref);
  }
  return value === undefined ? BAD_MACRO : field.slice(0, d) + value + rest;
}

/**
 * splitProbeDesc returns the four fields of a description, or the reason it
 * is invalid. Fields are taken right to left starting at `spec`.
 */
export function splitProbeDesc(
  text: string,
  spec: ProbeSpecKind = 'name',
  lookup: MacroLookup = () => undefined,
): string[] | string {
  const fields = ['', '', '', ''];
  const written = text.split(':');
  let slot = SPEC_INDEX[spec];
  for (let k = written.length - 1; k >= 0; k--, slot--) {
    const value = substitute(written[k] as string, lookup);
    if (value === BAD_MACRO) return BAD_MACRO;
    if (slot < 0) return OVERSPECIFIED;
    fields[slot] = value;
  }
  return fields;
}

/**
 * makeProbeDesc builds the ProbeDesc node for a description token, raising
 * DTrace's D_PDESC_INVAL when it cannot be split. `parts` keeps the fields as
 * written (after macro substitution); for -P/-m/-f all four are given.
 */
export function makeProbeDesc(
  text: string,
  pos: Pos,
  errLine: number,
  spec: ProbeSpecKind = 'name',
  lookup?: MacroLookup,
): ProbeDesc {
  const fields = splitProbeDesc(text, spec, lookup);
  if (typeof fields === 'string') {
    throw new CompileError('D_PDESC_INVAL', `invalid probe description "${text}": ${fields}`, {
      line: errLine,
      col: pos.col,
    });
  }
  const count = Math.min(text.split(':').length, 4);
  const parts = spec === 'name' ? fields.slice(4 - count) : fields;
  return { kind: 'ProbeDesc', pos, text, parts };
}

/** normalizeProbeDesc fills a description's missing leading fields with empty strings. */
export function normalizeProbeDesc(pd: Pick<ProbeDesc, 'parts'>): ProbeName {
  const p = pd.parts.length >= 4 ? pd.parts.slice(-4) : [...Array<string>(4 - pd.parts.length).fill(''), ...pd.parts];
  return { provider: p[0] ?? '', module: p[1] ?? '', function: p[2] ?? '', name: p[3] ?? '' };
}

/** probeDescText is the form DTrace prints in messages: `::BEGIN:tick-1`. */
export function probeDescText(n: ProbeName): string {
  return `${n.provider}:${n.module}:${n.function}:${n.name}`;
}

/** bracket matches one `[...]` class at p[start] (just after `[`); returns the index after `]` or -1. */
function bracket(c: string, p: string, start: number): number {
  let i = start;
  let negate = false;
  if (p[i] === '!') {
    negate = true;
    i++;
  }
  let ok = false;
  let last: string | undefined;
  while (i < p.length) {
    let ch = p[i++] as string;
    if (ch === ']') return ok !== negate && c !== '' ? i : -1;
    if (ch === '-' && last !== undefined && p[i] !== ']' && i < p.length) {
      let hi = p[i++] as string;
      if (hi === '\\') hi = p[i++] ?? '';
      if (last <= c && c <= hi) ok = true;
      last = undefined;
      continue;
    }
    if (ch === '\\') ch = p[i++] ?? '';
    last = ch;
    if (ch === c) ok = true;
  }
  return -1; // unterminated class never matches
}

function gmatchAt(s: string, si: number, p: string, pi: number): boolean {
  while (pi < p.length) {
    const c = p[pi] as string;
    if (c === '*') {
      while (p[pi] === '*') pi++;
      if (pi === p.length) return true;
      for (let k = si; k < s.length; k++) if (gmatchAt(s, k, p, pi)) return true;
      return false;
    }
    const sc = s[si] ?? '';
    if (c === '?') {
      if (sc === '') return false;
      pi++;
    } else if (c === '[') {
      const next = bracket(sc, p, pi + 1);
      if (next < 0) return false;
      pi = next;
    } else {
      const lit = c === '\\' ? p[pi + 1] : c;
      if (lit === undefined || lit !== sc) return false;
      pi += c === '\\' ? 2 : 1;
    }
    si++;
  }
  return si === s.length;
}

/** gmatch is gmatch(3GEN): `*`, `?`, `[a-z]`, `[!x]` and `\` escapes; whole-string match. */
export function gmatch(s: string, pattern: string): boolean {
  return gmatchAt(s, 0, pattern, 0);
}

/** matchProbe tells whether a probe is selected by a description (empty fields match anything). */
export function matchProbe(desc: ProbeName, probe: ProbeName): boolean {
  const field = (pat: string, v: string): boolean => pat === '' || gmatch(v, pat);
  return (
    field(desc.provider, probe.provider) &&
    field(desc.module, probe.module) &&
    field(desc.function, probe.function) &&
    field(desc.name, probe.name)
  );
}
