// Probe descriptions as matching sees them: the four fields filled from the
// right, the text DTrace prints in messages, and glob matching.

import type { ProbeDesc } from '../syntax/ast.js';
import type { Desc } from './probe.js';

/** normalizeDesc fills a description's missing leading fields with "" (match anything). */
export function normalizeDesc(d: ProbeDesc): Desc {
  const parts = [...d.parts];
  while (parts.length < 4) parts.unshift('');
  const [provider, module, func, name] = parts;
  return { provider, module, func, name };
}

/** describe gives the four-field form DTrace prints, e.g. `::BEGIN:tick-1`. */
export function describe(d: ProbeDesc): string {
  const n = normalizeDesc(d);
  return `${n.provider}:${n.module}:${n.func}:${n.name}`;
}

/** globMatch matches s against a shell-style pattern as DTrace's gmatch does; "" matches anything. */
export function globMatch(pattern: string, s: string): boolean {
  if (pattern === '' || pattern === '*') return true;
  return matchAt(pattern, 0, s, 0);
}

function matchAt(p: string, pi: number, s: string, si: number): boolean {
  while (pi < p.length) {
    const c = p[pi];
    if (c === '*') {
      for (let k = s.length; k >= si; k--) if (matchAt(p, pi + 1, s, k)) return true;
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      const end = p.indexOf(']', pi + 2);
      if (end < 0) return false;
      let set = p.slice(pi + 1, end);
      const negate = set.startsWith('!') || set.startsWith('^');
      if (negate) set = set.slice(1);
      let hit = false;
      for (let k = 0; k < set.length; k++) {
        if (set[k + 1] === '-' && k + 2 < set.length) {
          if (s[si] >= set[k] && s[si] <= set[k + 2]) hit = true;
          k += 2;
        } else if (set[k] === s[si]) {
          hit = true;
        }
      }
      if (hit === negate) return false;
      pi = end + 1;
      si++;
      continue;
    }
    const lit = c === '\\' && pi + 1 < p.length ? p[++pi] : c;
    if (lit !== s[si]) return false;
    pi++;
    si++;
  }
  return si === s.length;
}
