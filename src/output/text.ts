// Text output: prints decoded records exactly as dtrace(1) does — the
// CPU/ID/FUNCTION:NAME prefix unless quiet, trace() and printf() data, the
// newline that ends a record, and probe-time errors on stderr.

import type { Decoded } from '../consume/decode.js';
import { formatPrintf } from './printf.js';
import type { ParsedFormat } from '../format/printf.js';
import { RecordPrinter, formatTrace, OUTPUT_END } from './trace.js';
import { ACTION_OUTPUT, type ActionIO } from './actions.js';
import { printSize } from './print.js';
import { DEFAULT_STACK_INDENT, type SymbolLookup } from './stacks.js';
import { compileFastPrinter, type FastPrinter } from './fast.js';
import type { ByteSink } from './sink.js';
import type { PcapCapture } from './pcap.js';
import type { StatementRecord } from '../layout/records.js';
import { Hdr } from '../layout/memory.js';

/** ProbeName is what output needs to know of a probe. */
export interface ProbeName {
  readonly id: number;
  readonly provider: string;
  readonly module: string;
  readonly func: string;
  readonly name: string;
}

/** AggregationHost carries out the aggregation actions a record asks for, in record order. */
export interface AggregationHost {
  /** printa: returns the text of the aggregations as they are now. */
  printa(ids: readonly number[], format: ParsedFormat | undefined): string;
  op(op: 'clear' | 'trunc' | 'normalize' | 'denormalize', id: number, value: bigint | undefined): void;
}

/** Output consumes decoded records; text is one implementation, machine-readable formats can be others. */
export interface Output {
  record(r: Decoded, probe: ProbeName | undefined, aggs?: AggregationHost): void;
  /**
   * fastRecord prints the data record at `off` straight from the buffer
   * when a compiled printer covers its statement, and tells whether it
   * did; otherwise the caller decodes it and calls record().
   */
  fastRecord?(v: DataView, u8: Uint8Array, off: number, probe: (prid: number) => ProbeName | undefined): boolean;
  /** text prints text produced outside records (aggregations printed at exit). */
  text(s: string): void;
  /** error prints a message on the error stream (drops). */
  error(s: string): void;
  /** flush writes out what has been printed so far. */
  flush(): void;
  /** end is called once when tracing has stopped. */
  end(): void;
}

export interface TextOutputOptions {
  readonly quiet: boolean;
  /** The rawbytes option: trace() prints every value as a hex dump of its bytes. */
  readonly rawbytes?: boolean;
  /** _DTRACE_TESTING is set: omit the CPU and ID columns, as dtrace-utils does. */
  readonly testing: boolean;
  readonly write: (s: string) => void;
  readonly writeErr: (s: string) => void;
  /** Writes buffered output out (called once per batch of records). */
  readonly flush?: () => void;
  /** The printsize option (bytes print( ) shows at most); absent, DTrace's default. */
  readonly printsize?: number;
  /** Runs a shell command for system( ); absent, system( ) records are an error. */
  readonly run?: (cmd: string) => void;
  /** -F / flowindent: indent entry and return probes by call depth. */
  readonly flowindent?: boolean;
  /** The output file, for freopen( ) and ftruncate( ); absent, they do nothing. */
  readonly file?: OutputFile;
  /** Where pcap( ) packets go (a capture file, tshark); absent, they print as bytes. */
  readonly pcap?: PcapCapture;
  /** The options, for setopt( ); absent, setopt( ) says tracing is active. */
  readonly options?: LiveOptions;
  /**
   * DTrace's number for each clause's function in fault messages, by clause
   * index: dtrace-utils compiles a clause once per probe description, so a
   * clause is numbered after the descriptions of the clauses before it.
   * Absent: the clause index.
   */
  readonly clauseNumbers?: readonly number[];
  /** Resolves kernel addresses: stack( ), sym( ), mod( ) and printf's %a. Absent: they print as hex. */
  readonly lookupKernel?: SymbolLookup;
  /** The stackindent option (default 14). */
  readonly stackIndent?: number;
  /**
   * The buffer `write` appends to, given together with the statements'
   * record layouts: records the fast path covers (output/fast.ts) are then
   * printed into it directly, in order with everything else.
   */
  readonly sink?: ByteSink;
  readonly records?: readonly StatementRecord[];
}

/** FAULT_TEXT gives DTrace's wording of each fault code; address faults show the address. */
const FAULT_TEXT: Readonly<Record<number, (addr: bigint) => string>> = {
  0: () => 'unknown fault',
  1: (a) => `invalid address (0x${a.toString(16)})`,
  2: (a) => `invalid alignment (0x${a.toString(16)})`,
  3: () => 'illegal operation',
  4: () => 'divide-by-zero',
  5: () => 'out of scratch space',
  6: (a) => `invalid kernel access (0x${a.toString(16)})`,
  7: (a) => `invalid user access (0x${a.toString(16)})`,
  8: () => 'out of tuple stack space',
  9: () => 'bad stack',
  10: (a) => `invalid size (0x${a.toString(16)})`,
  11: (a) => `index out of bounds (${a})`,
};

/** OutputFile is the consumer's output stream as freopen( ) and ftruncate( ) change it. */
export interface OutputFile {
  reopen(path: string | undefined): string | undefined;
  truncate(): void;
}

/** LiveOptions are the options as setopt( ) changes them while tracing. */
export interface LiveOptions {
  /** set returns DTrace's error message when the option cannot be set now. */
  set(name: string, value: string): string | undefined;
  bool(name: string): boolean;
  num(name: string): number;
}

export class TextOutput implements Output {
  private readonly printer: RecordPrinter;
  /** The options that decide how records print; setopt( ) may change them. */
  private readonly listing: { quiet: boolean; testing: boolean; flowindent: boolean; rawbytes: boolean };
  /**
   * How trace( ) prints values. DTrace's library reads quiet once per pass
   * over the buffers while dtrace(1) reads it for each record's prefix, so
   * after setopt("quiet") the prefix changes at once and trace( ) output with
   * the next batch of records.
   */
  private readonly traceOpts: { quiet: boolean; rawbytes: boolean };
  /** Compiled printers by statement id: null when the statement has none. */
  private readonly fast: (FastPrinter | null | undefined)[] = [];
  /** Probe prefixes (not quiet) by probe id and CPU. */
  private readonly prefixes = new Map<number, Uint8Array>();

  /** Appends text to the output: to the sink when there is one. */
  private readonly write: (s: string) => void;
  /** The stackindent and printsize options, which setopt( ) may change. */
  private stackIndent: number;
  private printsize: number | undefined;

  constructor(private readonly opts: TextOutputOptions) {
    this.listing = { quiet: opts.quiet, testing: opts.testing, flowindent: opts.flowindent ?? false, rawbytes: opts.rawbytes ?? false };
    this.printer = new RecordPrinter(this.listing);
    this.traceOpts = { quiet: opts.quiet, rawbytes: opts.rawbytes ?? false };
    const sink = opts.sink;
    this.write = sink !== undefined ? (s) => sink.str(s) : opts.write;
    this.stackIndent = opts.stackIndent ?? DEFAULT_STACK_INDENT;
    this.printsize = opts.printsize;
  }

  /** clauseError prints a failure in a probe's clause as DTrace's error handler does. */
  private clauseError(r: Decoded, p: ProbeName, msg: string): void {
    this.opts.writeErr(`dtrace: error in dt_clause_${this.opts.clauseNumbers?.[r.stid] ?? r.stid} for probe ID ${p.id} (${p.provider}:${p.module}:${p.func}:${p.name}): ${msg}\n`);
  }

  private setopt(name: string, value: string): string | undefined {
    const live = this.opts.options;
    if (live === undefined) return 'Operation illegal when tracing is active';
    const e = live.set(name, value);
    if (e === undefined) {
      for (const k of ['quiet', 'flowindent', 'rawbytes'] as const) this.listing[k] = live.bool(k);
      this.traceOpts.rawbytes = this.listing.rawbytes;
      this.stackIndent = live.num('stackindent');
      this.printsize = live.num('printsize');
      this.forgetPrinters();
    }
    return e;
  }

  /** forgetPrinters drops the compiled printers and prefixes, made for options that have changed. */
  private forgetPrinters(): void {
    this.fast.length = 0;
    this.prefixes.clear();
  }

  fastRecord(v: DataView, u8: Uint8Array, off: number, probe: (prid: number) => ProbeName | undefined): boolean {
    const sink = this.opts.sink;
    if (sink === undefined || !this.printer.plainPrefix) return false;
    const stid = v.getUint32(off + Hdr.stid, true);
    let f = this.fast[stid];
    if (f === undefined) {
      const rec = this.opts.records?.[stid];
      f = (rec && compileFastPrinter(rec, { ...this.traceOpts })) || null;
      this.fast[stid] = f;
    }
    if (f === null) return false;
    if (!this.listing.quiet) {
      const prid = v.getUint32(off + Hdr.prid, true);
      const cpu = v.getUint32(off + Hdr.cpu, true);
      const key = prid * 65536 + cpu;
      let pre = this.prefixes.get(key);
      if (pre === undefined) {
        const p = probe(prid) ?? { id: prid, provider: '', module: '', func: '', name: '' };
        pre = Buffer.from(this.printer.begin({ cpu, id: p.id, provider: p.provider, func: p.func, name: p.name }), 'latin1');
        this.prefixes.set(key, pre);
      }
      sink.bytes(pre);
      f(v, u8, off, sink);
      sink.str(this.printer.end());
      return true;
    }
    f(v, u8, off, sink);
    return true;
  }

  record(r: Decoded, probe: ProbeName | undefined, aggs?: AggregationHost): void {
    const p = probe ?? { id: r.prid, provider: '', module: '', func: '', name: '' };
    // commit( ) and discard( ) print nothing themselves: the records they release are printed as records.
    if (r.kind === 'spec') return;
    if (r.kind === 'fault') {
      const text = (FAULT_TEXT[r.code] ?? FAULT_TEXT[0])(r.addr);
      this.clauseError(r, p, `${text} at BPF pc ${r.pc}`);
      return;
    }
    let s = this.printer.begin({ cpu: r.cpu, id: p.id, provider: p.provider, func: p.func, name: p.name });
    const self = this;
    const io: ActionIO = {
      print: (text) => { s += text; },
      flush: () => {
        this.write(s);
        s = '';
        this.flush();
      },
      run: (cmd) => {
        if (this.opts.run === undefined) throw new Error('BUG: no command runner for system( )');
        this.opts.run(cmd);
      },
      // Read when used: a setopt( ) earlier in the same record applies to the actions after it.
      get printsize(): number { return printSize(self.printsize); },
      lookupKernel: this.opts.lookupKernel,
      get stackIndent(): number { return self.stackIndent; },
      reopen: (path) => this.opts.file?.reopen(path),
      truncate: () => this.opts.file?.truncate(),
      setopt: (name, value) => this.setopt(name, value),
      pcap: this.opts.pcap,
      error: (msg) => this.clauseError(r, p, msg),
    };
    for (const it of r.items) {
      if (it.kind === 'trace') s += formatTrace(it.value, this.traceOpts);
      else if (it.kind === 'printf') s += formatPrintf(it.format, it.args, { lookupKernel: this.opts.lookupKernel });
      else if (it.kind === 'printa' && aggs !== undefined) s += aggs.printa(it.aggs, it.format);
      else if (it.kind === 'aggop' && aggs !== undefined) aggs.op(it.op, it.agg, it.value);
      else if (it.kind === 'action') ACTION_OUTPUT[it.name]?.(it, io);
    }
    s += this.printer.end();
    this.write(s);
  }

  text(s: string): void {
    this.write(s);
  }

  error(s: string): void {
    this.opts.writeErr(s);
  }

  flush(): void {
    if (this.traceOpts.quiet !== this.listing.quiet) {
      this.traceOpts.quiet = this.listing.quiet;
      this.forgetPrinters();
    }
    this.opts.flush?.();
  }

  end(): void {
    this.write(OUTPUT_END);
  }
}
