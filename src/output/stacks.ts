// Printing kernel stacks and symbols as DTrace does (dt_print_stack,
// dt_print_sym, dt_print_mod): each frame on its own line, indented by the
// stackindent option, as `module`function+0xoffset; sym( ) and func( ) as
// `module`function; mod( ) as the module. Addresses are resolved by a
// lookup the session provides (kallsyms, read in src/kernel/); what it
// cannot resolve prints as hex.

import { kernelAddrToString, type SymbolInfo } from './printf.js';

/** SymbolLookup resolves a kernel address to its module and symbol. */
export type SymbolLookup = (addr: bigint) => SymbolInfo | undefined;

/** The stackindent option's default (dtrace-utils' _dtrace_stkindent). */
export const DEFAULT_STACK_INDENT = 14;

/**
 * SymbolicKey is an aggregation key that prints as symbols: a stack( ) (its
 * addresses and their text, one line per frame) or a sym( )/func( ) or
 * mod( ) address, already moved to the start of its symbol or module so
 * that addresses in one function (module) are one key, as in DTrace.
 */
export type SymbolicKey =
  | { readonly kind: 'stack'; readonly pcs: readonly bigint[]; readonly frames: readonly string[] }
  | { readonly kind: 'sym' | 'mod'; readonly addr: bigint; readonly text: string };

/** stackPcs reads the return addresses of a recorded stack; the first zero ends it. */
export function stackPcs(data: Uint8Array): bigint[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const pcs: bigint[] = [];
  for (let off = 0; off + 8 <= data.byteLength; off += 8) {
    const pc = view.getBigUint64(off, true);
    if (pc === 0n) break;
    pcs.push(pc);
  }
  return pcs;
}

/** frameText is one frame as DTrace prints it: mod`func+0xoff, mod`func at the start, mod`0xaddr, 0xaddr. */
export function frameText(pc: bigint, lookup: SymbolLookup | undefined): string {
  return kernelAddrToString(pc, lookup?.(pc));
}

/** symText is sym( ) and func( ) as printed: mod`func without the offset. */
export function symText(addr: bigint, lookup: SymbolLookup | undefined): string {
  const s = lookup?.(addr);
  if (s?.name !== undefined) return `${s.object}\`${s.name}`;
  return kernelAddrToString(addr, s);
}

/** modText is mod( ) as printed: the module, or the address when none holds it. */
export function modText(addr: bigint, lookup: SymbolLookup | undefined): string {
  return lookup?.(addr)?.object ?? `0x${addr.toString(16)}`;
}

/** stackText is a stack as the stack( ) action prints it: a newline, then each frame indented on its own line. */
export function stackText(frames: readonly string[], indent: number): string {
  const pad = ' '.repeat(Math.max(0, indent));
  return '\n' + frames.map((f) => `${pad}${f}\n`).join('');
}

/** symbolField is sym( ) and mod( ) output: DTrace's "  %-50s". */
export function symbolField(text: string): string {
  return '  ' + text.padEnd(50);
}

/** symbolicKey makes a key of a kernel map's bytes: the addresses of a stack, or a normalized sym/mod address. */
export function symbolicKey(
  kind: 'stack' | 'sym' | 'mod', bytes: Uint8Array, lookup: SymbolLookup | undefined,
  moduleStart?: (module: string) => bigint | undefined,
): SymbolicKey {
  if (kind === 'stack') {
    const pcs = stackPcs(bytes);
    return { kind, pcs, frames: pcs.map((pc) => frameText(pc, lookup)) };
  }
  const addr = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  const s = lookup?.(addr);
  if (kind === 'sym') return { kind, addr: s?.name !== undefined && s.value !== undefined ? s.value : addr, text: symText(addr, lookup) };
  const start = s !== undefined ? moduleStart?.(s.object) : undefined;
  return { kind, addr: start ?? addr, text: modText(addr, lookup) };
}
