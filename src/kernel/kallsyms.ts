// Kernel data symbols from /proc/kallsyms, read once and only when a
// script names a kernel variable with a backquote. Kernels that hide
// their data symbols (kptr_restrict, or kallsyms without data) give none.

import { readFileSync } from 'node:fs';

/** KallsymEntry is one kernel data symbol: its address and module ('vmlinux' for the kernel itself). */
export interface KallsymEntry {
  readonly addr: bigint;
  readonly module: string;
}

let data: Map<string, KallsymEntry[]> | undefined;

function load(): Map<string, KallsymEntry[]> {
  const out = new Map<string, KallsymEntry[]>();
  let text = '';
  try {
    text = readFileSync('/proc/kallsyms', 'latin1');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    // "ffffffff82a0c8c0 D max_threads" or "... d foo\t[module]"
    const sp1 = line.indexOf(' ');
    const sp2 = line.indexOf(' ', sp1 + 1);
    if (sp1 < 0 || sp2 < 0) continue;
    const type = line[sp1 + 1];
    if (!'DdBbRr'.includes(type)) continue;
    const rest = line.slice(sp2 + 1);
    const tab = rest.indexOf('\t');
    const name = tab < 0 ? rest : rest.slice(0, tab);
    const module = tab < 0 ? 'vmlinux' : rest.slice(tab + 1).replace(/^\[|\]$/g, '');
    const addr = BigInt(`0x${line.slice(0, sp1)}`);
    if (addr === 0n) continue;
    let list = out.get(name);
    if (list === undefined) out.set(name, (list = []));
    list.push({ addr, module });
  }
  return out;
}

/** kernelDataSymbol finds a kernel variable's address (in `module`, or any module when undefined). */
export function kernelDataSymbol(name: string, module?: string): KallsymEntry | undefined {
  data ??= load();
  return data.get(name)?.find((s) => module === undefined || s.module === module);
}

/** KernelSymbol is what an address resolves to: the module and, when known, the symbol and its start. */
export interface KernelSymbol {
  /** Module name: 'vmlinux' for the kernel itself, as DTrace prints it. */
  readonly object: string;
  readonly name?: string;
  readonly value?: bigint;
}

/**
 * KernelSymbols resolves kernel addresses (stack frames, sym(), %a) to the
 * nearest symbol at or below them. kallsyms gives no sizes, so a symbol
 * spans up to the next one; addresses past the last symbol resolve to
 * nothing.
 */
export class KernelSymbols {
  private constructor(
    private readonly addrs: BigUint64Array,
    private readonly names: readonly string[],
    private readonly modules: readonly string[],
  ) {}

  /** fromText builds the table from the text of /proc/kallsyms. */
  static fromText(text: string): KernelSymbols {
    const rows: { addr: bigint; name: string; module: string; global: boolean }[] = [];
    for (const line of text.split('\n')) {
      const sp1 = line.indexOf(' ');
      const sp2 = line.indexOf(' ', sp1 + 1);
      if (sp1 < 0 || sp2 < 0) continue;
      const type = line[sp1 + 1];
      // Absolute and undefined symbols are not addresses in the kernel image.
      if (type === 'a' || type === 'A' || type === 'U') continue;
      const addr = BigInt(`0x${line.slice(0, sp1)}`);
      if (addr === 0n) continue;
      const rest = line.slice(sp2 + 1);
      const tab = rest.indexOf('\t');
      const name = tab < 0 ? rest : rest.slice(0, tab);
      const module = tab < 0 ? 'vmlinux' : rest.slice(tab + 1).replace(/^\[|\]$/g, '');
      rows.push({ addr, name, module, global: type === type.toUpperCase() });
    }
    // Of aliases at one address, the first global symbol names it.
    rows.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : Number(b.global) - Number(a.global)));
    const keep = rows.filter((r, i) => i === 0 || rows[i - 1].addr !== r.addr);
    return new KernelSymbols(BigUint64Array.from(keep.map((r) => r.addr)), keep.map((r) => r.name), keep.map((r) => r.module));
  }

  /** lookup finds the symbol containing addr. */
  lookup(addr: bigint): KernelSymbol | undefined {
    const a = this.addrs;
    let lo = 0;
    let hi = a.length - 1;
    if (hi < 0 || addr < a[0]) return undefined;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (a[mid] <= addr) lo = mid;
      else hi = mid - 1;
    }
    // Past the last symbol nothing is known to be there.
    if (lo === a.length - 1 && addr !== a[lo]) return undefined;
    return { object: this.modules[lo], name: this.names[lo], value: a[lo] };
  }

  /** moduleStart is the lowest symbol address of a module: mod() keys aggregate on it, as DTrace does. */
  moduleStart(module: string): bigint | undefined {
    if (this.starts === undefined) {
      this.starts = new Map();
      for (let i = this.modules.length - 1; i >= 0; i--) this.starts.set(this.modules[i], this.addrs[i]);
    }
    return this.starts.get(module);
  }

  private starts: Map<string, bigint> | undefined;
}

let table: KernelSymbols | undefined;

/** kernelSymbols reads /proc/kallsyms once, on first use (none readable: an empty table). */
export function kernelSymbols(): KernelSymbols {
  if (table === undefined) {
    let text = '';
    try {
      text = readFileSync('/proc/kallsyms', 'latin1');
    } catch {
      // No kallsyms: every address prints as hex.
    }
    table = KernelSymbols.fromText(text);
  }
  return table;
}
