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
  // The consumer's controls; a consumer without them (tests, other outputs) ignores the actions.
  /** reopen sends later output to a file opened for appending (undefined: back to the original output); returns why it failed. */
  readonly reopen?: (path: string | undefined) => string | undefined;
  /** truncate empties the output file (nothing when it is not a file). */
  readonly truncate?: () => void;
  /** setopt sets an option while tracing; returns DTrace's error message. */
  readonly setopt?: (name: string, value: string) => string | undefined;
  /** error reports a consumer-side failure of the record's clause, as DTrace's library errors are reported. */
  readonly error?: (msg: string) => void;
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

/** text is a recorded value read as a string. */
function text(v: TraceValue | undefined): string {
  if (v === undefined) return '';
  const p = printfValue(v);
  return p.kind === 'string' ? p.value : '';
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
  // setopt(name) sets a toggle: DTrace passes "1" as its value.
  setopt: (a, io) => {
    const name = text(a.values[0]);
    const value = a.values.length > 1 ? text(a.values[1]) : '1';
    const e = io.setopt?.(name, value);
    if (e !== undefined) io.error?.(`couldn't set option "${name}" to "${value}": ${e}\n`);
  },
  // What the record printed before freopen( ) goes to the old output.
  freopen: (a, io) => {
    const path = a.format === undefined ? '' : formatted(a);
    io.flush();
    const e = io.reopen?.(path === '' ? undefined : path);
    if (e !== undefined) io.error?.(`couldn't freopen() "${path}": ${e}`);
  },
  ftruncate: (_a, io) => {
    io.flush();
    io.truncate?.();
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
