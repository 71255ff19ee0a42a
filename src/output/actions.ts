// What the consumer does for each generic action's record (the actions of
// library/actions.ts that are carried out in user space): print text, run
// a command, reopen the output. Keyed by action name; an action that does
// all its work in the probe (raise, stop) has no entry.

import type { ParsedFormat } from '../format/printf.js';
import { formatPrintf, printfValue } from './printf.js';
import { formatRawBytes, type TraceValue } from './trace.js';
import type { ActionDesc } from '../layout/printtype.js';
import { formatPrint, printSize } from './print.js';
import { frameText, modText, stackPcs, stackText, symbolField, symText, type SymbolLookup } from './stacks.js';

/** ActionIO is what an action may do to the consumer's output while its record is printed. */
export interface ActionIO {
  /** print appends text to the record's output. */
  print(s: string): void;
  /** flush writes out what the record has printed so far (before a command's own output). */
  flush(): void;
  /** run runs a shell command with the consumer's standard streams. */
  run(cmd: string): void;
  /** Bytes of an object print( ) shows at most (the printsize option as DTrace applies it); absent, DTrace's default. */
  readonly printsize?: number;
  /** lookupKernel resolves kernel addresses for stack( ), sym( ) and mod( ). */
  readonly lookupKernel?: SymbolLookup;
  /** The stackindent option. */
  readonly stackIndent: number;
}

/** ActionRecord is one decoded action: its recorded values and printf-like format. */
export interface ActionRecord {
  readonly name: string;
  readonly values: readonly TraceValue[];
  readonly format?: ParsedFormat;
  /** What the compiler said about the record's data (print( )'s type, tracemem( )'s sizes). */
  readonly desc?: ActionDesc;
}

export type ActionOutput = (a: ActionRecord, io: ActionIO) => void;

/** formatted is the text of an action's printf-like format with its values. */
function formatted(a: ActionRecord): string {
  if (a.format === undefined) throw new Error(`BUG: ${a.name}( ) recorded without a format`);
  return formatPrintf(a.format, a.values.map(printfValue));
}

/** address is a recorded sym( )/mod( ) argument. */
function address(a: ActionRecord): bigint {
  const v = a.values[0];
  return v?.kind === 'int' ? BigInt.asUintN(64, v.value) : 0n;
}

/** ACTION_OUTPUT lists the consumer's part of each action, by name. */
export const ACTION_OUTPUT: Readonly<Record<string, ActionOutput>> = {
  // The command's output follows what the record printed before it.
  system: (a, io) => {
    const cmd = formatted(a);
    io.flush();
    io.run(cmd);
  },
  print: (a, io) => {
    const [addr, data] = a.values;
    if (a.desc?.kind !== 'print' || addr?.kind !== 'int' || data?.kind !== 'bytes') throw new Error('BUG: malformed print( ) record');
    io.print(formatPrint(BigInt.asUintN(64, addr.value), data.data, a.desc.type, io.printsize ?? printSize(undefined)));
  },
  // tracemem(addr, size, dsize) prints dsize bytes when dsize is not negative and less than size.
  tracemem: (a, io) => {
    const [data, dsize] = a.values;
    if (data?.kind !== 'bytes') throw new Error('BUG: malformed tracemem( ) record');
    let n = data.data.length;
    if (dsize?.kind === 'int' && dsize.value >= 0n && dsize.value < BigInt(n)) n = Number(dsize.value);
    io.print(formatRawBytes(data.data.subarray(0, n)));
  },
  stack: (a, io) => {
    const v = a.values[0];
    const pcs = v?.kind === 'bytes' ? stackPcs(v.data) : [];
    io.print(stackText(pcs.map((pc) => frameText(pc, io.lookupKernel)), io.stackIndent));
  },
  sym: (a, io) => io.print(symbolField(symText(address(a), io.lookupKernel))),
  mod: (a, io) => io.print(symbolField(modText(address(a), io.lookupKernel))),
};
