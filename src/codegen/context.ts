// What the code generator knows while it compiles one clause: where each
// variable lives, the string table, the scratch layout, and the labels of
// the clause's exits (predicate false, faults).

import type { Variable } from '../sema/ir.js';

/** StringTable collects string constants into the read-only dt_strtab map value. */
export class StringTable {
  private readonly offsets = new Map<string, number>();
  private size = 0;

  constructor(private readonly strsize: number) {
    this.offsetOf('');
  }

  /** offsetOf returns the offset of a NUL-terminated copy of s (strings longer than strsize are cut). */
  offsetOf(s: string): number {
    const text = s.length >= this.strsize ? s.slice(0, this.strsize - 1) : s;
    let off = this.offsets.get(text);
    if (off === undefined) {
      off = this.size;
      this.offsets.set(text, off);
      this.size += Buffer.byteLength(text, 'latin1') + 1;
    }
    return off;
  }

  /**
   * bytes is the map value: the strings, then strsize bytes of zeros so that
   * code reading a whole strsize-byte string from any offset stays in bounds.
   */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size + Math.ceil(this.strsize / 8) * 8);
    for (const [s, off] of this.offsets) out.set(Buffer.from(s, 'latin1'), off);
    return out;
  }
}

/**
 * DVarSpec is the map of one dynamic variable (a thread-local or an
 * associative array): its key is the thread id (thread-locals) followed
 * by the key tuple, each key in a fixed-width slot.
 */
export interface DVarSpec {
  readonly v: Variable;
  readonly map: string;
  /** Thread-locals key on the thread id first. */
  readonly tls: boolean;
  /** Bytes of each key of the tuple (8 for scalars, strings and structs rounded up to words). */
  readonly keyWidths: readonly number[];
  readonly keySize: number;
  readonly valueSize: number;
}

/** VarLayout says where each variable is stored. */
export interface VarLayout {
  /** Offsets of globals in dt_globals and of clause-locals in scratch. */
  readonly offsets: ReadonlyMap<Variable, number>;
  readonly globalsSize: number;
  /** Dynamic variables (thread-locals and associative arrays), each in its own map. */
  readonly dvars: ReadonlyMap<Variable, DVarSpec>;
}

/** ScratchLayout places the parts of the per-CPU scratch value. */
export interface ScratchLayout {
  readonly tmpOff: number;
  /** Where aggregation key tuples are assembled. */
  readonly keyOff: number;
  /** Where dynamic-variable key tuples are assembled. */
  readonly dkeyOff: number;
  /** An area that is never written: the empty value inserted for a new aggregation key or dynamic variable. */
  readonly zeroOff: number;
  /** strtok()'s state (codegen/strloops.ts TOK), when a clause calls strtok(). */
  readonly strtokOff: number;
  readonly recOff: number;
  /** The alloca() area (codegen/alloca.ts): twice the effective scratchsize, or 0 bytes when no clause uses it. */
  readonly allocaOff: number;
  readonly allocaSize: number;
  readonly size: number;
}

/** ClauseContext is the compile-time environment of one clause function. */
export interface ClauseContext {
  readonly index: number;
  readonly strsize: number;
  /** The effective scratchsize: alloca offsets run from 8 to this (codegen/alloca.ts). */
  readonly scratchsize: number;
  readonly strtab: StringTable;
  readonly vars: VarLayout;
  readonly scratch: ScratchLayout;
  /** probeEntrySize is the size of one dt_probes entry (for probefunc & co.). */
  readonly probeEntrySize: number;
  /** Returns the label that raises fault `code` from BPF pc `pc`; `withAddr` keeps the address stored in the machine state. */
  faultLabel(code: number, pc: number, withAddr?: boolean): string;
  /** Allocates a strsize-byte string temporary in scratch, returning its offset; temporaries live until the statement ends. */
  tmpString(): number;
  /** Allocates a temporary of `size` bytes in scratch (8-byte aligned), living until the statement ends. */
  tmp(size: number): number;
  /** Set when the clause allocates or reaches alloca memory, which needs the alloca area. */
  usesAlloca: boolean;
  /** Set when the clause calls a string function whose accesses need slack past the last temporary (docs/strings.md). */
  usesStrings: boolean;
  /** Set when the clause calls strtok(), which needs its state in scratch. */
  usesStrtok: boolean;
  /** The label that leaves the clause without recording anything. */
  readonly outLabel: string;
}
