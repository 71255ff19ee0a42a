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
