// The run-time functions of D's subroutines, by name, for the linker. A
// program gets only those its clauses call (and the ones those call), so
// that no compilation builds functions it does not use.

import type { AsmItem } from '../bpf/build.js';
import { KernFn, progenyofFn } from './kernfns.js';
import { NetFn, inetNtoa6Fn, inetNtoaFn, inetNtopFn, linkNtopFn } from './netfns.js';
import { dPathFn, dPathName } from './dpathfn.js';

const SUBR_FUNCTIONS: ReadonlyMap<string, () => AsmItem[]> = new Map([
  [NetFn.ntoa, inetNtoaFn],
  [NetFn.ntoa6, inetNtoa6Fn],
  [NetFn.ntop, inetNtopFn],
  [NetFn.link, linkNtopFn],
  [KernFn.progenyof, progenyofFn],
]);

/**
 * subrFunctions builds the subroutine functions the given function bodies
 * call, directly or not; `bufSize` is the bytes of a string buffer, for
 * those built for it.
 */
export function subrFunctions(bodies: Iterable<readonly AsmItem[]>, bufSize: number): Map<string, AsmItem[]> {
  const known = new Map(SUBR_FUNCTIONS).set(dPathName(bufSize), () => dPathFn(bufSize));
  const out = new Map<string, AsmItem[]>();
  const visit = (items: readonly AsmItem[]): void => {
    for (const it of items) {
      if (it.kind !== 'call_local' || out.has(it.target)) continue;
      const make = known.get(it.target);
      if (make === undefined) continue;
      const body = make();
      out.set(it.target, body);
      visit(body);
    }
  };
  for (const b of bodies) visit(b);
  return out;
}
