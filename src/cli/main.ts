// dtrace(1): parses the command line, compiles the D programs, runs the
// tracing session and prints what DTrace prints, with DTrace's messages
// and exit statuses (0 success, 1 error, 2 usage). No logic of its own
// beyond wiring the stages together and formatting failures.

import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { formatDiagnostic } from '../diag/diagnostic.js';
import { OptionErrors, OPTIONS, Options } from '../sema/options.js';
import { compile, SourceError, type Source } from '../session/compile.js';
import { linkPrograms, Session } from '../session/session.js';
import { TextOutput } from '../output/text.js';
import type { AggOptions } from '../output/aggregation.js';
import { ByteSink } from '../output/sink.js';
import type { BufPolicy } from '../codegen/clause.js';
import { disassemble } from '../bpf/index.js';
import { parseArgs, REFUSED_FLAGS, UsageError, USAGE, type Args } from './args.js';
import { preprocess } from './cpp.js';
import { librarySources } from './libdirs.js';
import { describeKernelError, Fatal } from './errors.js';
import { checkProbeIds, descriptionPart, listMatches, specDescription, verboseReport } from './list.js';
import { ReopenableOutput } from './outfile.js';
import { PcapOutput } from './pcapout.js';
import { createProcess, grabProcess, ProcError, type TracedProcess } from './procs.js';
import type { Probe } from '../providers/index.js';
import { kernelSymbols, selfProcessIds } from '../kernel/index.js';

const E_SUCCESS = 0;
const E_ERROR = 1;
const E_USAGE = 2;


/** BufferedWriter batches output in a ByteSink so each drain of the ring costs one write. */
class BufferedWriter {
  readonly sink = new ByteSink();
  private closed = false;
  /** Called once when the reader has gone away (EPIPE): tracing stops as a C dtrace would on SIGPIPE. */
  onClosed: () => void = () => {};
  constructor(public fd: number) {}
  write = (s: string): void => {
    if (!this.closed) this.sink.str(s);
  };
  flush(): void {
    if (this.sink.len === 0) return;
    const buf = this.sink.contents();
    let off = 0;
    while (off < buf.length && !this.closed) {
      try {
        off += writeSync(this.fd, buf, off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code !== 'EPIPE') throw e;
        this.closed = true;
        this.onClosed();
      }
    }
    this.sink.clear();
  }
}

function err(msg: string): void {
  writeSync(2, `dtrace: ${msg}\n`);
}

/**
 * setEnvironmentOptions sets options from DTRACE_OPT_<NAME> variables, as
 * dtrace does before reading its flags: a bad value is ignored there too,
 * but an option this implementation refuses is still refused.
 */
function setEnvironmentOptions(o: Options): void {
  for (const name of Object.keys(OPTIONS)) {
    const value = process.env[`DTRACE_OPT_${name.toUpperCase()}`];
    if (value === undefined) continue;
    const e = o.set(name, value, 'cli');
    if (e === OptionErrors.refused) throw new Fatal(`failed to set DTRACE_OPT_${name.toUpperCase()}: ${e}`);
  }
}

function applyOptions(a: Args): Options {
  const o = new Options();
  const set = (name: string, value?: string, label = `-x ${name}`): void => {
    const e = o.set(name, value, false);
    if (e !== undefined) throw new Fatal(`failed to set ${label}: ${e}`);
  };
  setEnvironmentOptions(o);
  for (const x of a.xopts) {
    if (x.name === '-X') set('stdc', x.value, `-X ${x.value ?? ''}`);
    if (x.name.startsWith('-')) continue;
    set(x.name, x.value);
    // -xdefine, -xundef and -xincdir are the long forms of -D, -U and -I.
    if (x.name === 'define' && x.value !== undefined) {
      const eq = x.value.indexOf('=');
      a.cpp.push(eq < 0 ? { kind: 'define', name: x.value } : { kind: 'define', name: x.value.slice(0, eq), value: x.value.slice(eq + 1) });
    } else if (x.name === 'undef' && x.value !== undefined) {
      a.cpp.push({ kind: 'undef', name: x.value });
    } else if (x.name === 'incdir' && x.value !== undefined) {
      a.cpp.push({ kind: 'include', dir: x.value });
    } else if (x.name === 'cppargs' && x.value !== undefined) {
      for (const w of x.value.split(/[\f\n\r\t\v ]+/).filter((w) => w !== '')) a.cpp.push({ kind: 'raw', arg: w });
    }
  }
  if (a.flags.has('q')) set('quiet', undefined, '-q');
  if (a.flags.has('w')) set('destructive', undefined, '-w');
  if (a.flags.has('F')) set('flowindent', undefined, '-F');
  if (a.flags.has('Z')) set('zdefs', undefined, '-Z');
  if (a.flags.has('C')) set('cpp', undefined, '-C');
  if (a.bufsize !== undefined) set('bufsize', a.bufsize, `-b ${a.bufsize}`);
  return o;
}

function readSources(a: Args, o: Options): Source[] {
  const sources: Source[] = [];
  for (const p of a.programs) {
    if (p.kind === 's') {
      let text: string;
      try {
        text = readFileSync(p.value, 'latin1');
      } catch (e) {
        throw new Fatal(`failed to open ${p.value}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
      }
      if (text.startsWith('#!')) text = `//${text.slice(2)}`;
      if (o.bool('cpp')) {
        const r = preprocess(text, {
          args: a.cpp, printHeaders: a.flags.has('H') || o.bool('cpphdrs'), stdc: o.str('stdc') as 'a' | 'c' | 's' | 't' | undefined,
          version: o.has('version') ? o.version() : undefined, path: o.str('cpppath'),
        });
        if (r.stderr !== '') writeSync(2, r.stderr.endsWith('\n') ? r.stderr : `${r.stderr}\n`);
        if (!r.ok) throw new Fatal(`failed to compile script ${p.value}: ${r.message}`);
        text = r.text;
      }
      sources.push({ kind: 'script', name: p.value, text });
    } else if (p.kind === 'n') {
      sources.push({ kind: 'description', name: p.value, text: p.value });
    } else if (p.kind === 'P' || p.kind === 'm' || p.kind === 'f') {
      sources.push({ kind: 'description', name: p.value, text: specDescription(p.kind, p.value) });
    } else if (p.kind === 'i') {
      // A number names a probe by id; anything else is a probe name.
      sources.push({ kind: 'description', name: p.value, text: /^\d+$/.test(p.value) ? p.value : `:::${p.value}` });
    } else {
      throw new Fatal(`-${p.kind} is not supported yet`);
    }
  }
  return sources;
}

function macroVars(target: number): Record<string, string> {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const { pgid, sid } = selfProcessIds();
  return {
    pid: String(process.pid), ppid: String(process.ppid), uid: String(uid), gid: String(gid),
    euid: String(process.geteuid?.() ?? uid), egid: String(process.getegid?.() ?? gid),
    sid: String(sid), pgid: String(pgid), projid: '0', taskid: '0', target: String(target),
  };
}

/** clauseNumbers numbers each clause after the probe descriptions of the clauses before it, as dtrace-utils names clause functions. */
function clauseNumbers(descs: readonly number[]): number[] {
  let n = 0;
  return descs.map((d) => {
    const first = n;
    n += Math.max(1, d);
    return first;
  });
}

/** aggOptions are the options that decide how aggregations print. */
function aggOptions(o: Options): AggOptions {
  return {
    aggsortkey: o.bool('aggsortkey'), aggsortkeypos: o.num('aggsortkeypos'), aggsortpos: o.num('aggsortpos'),
    aggsortrev: o.bool('aggsortrev'), aggpercpu: o.bool('aggpercpu'), quiet: o.bool('quiet'),
    stackindent: o.num('stackindent'),
  };
}

function compileError(e: SourceError, errtags: boolean): string {
  const what = e.source.kind === 'script' ? `failed to compile script ${e.source.name}` : `invalid probe specifier ${e.source.name}`;
  // Text given with -n has no line numbers in DTrace's messages; a library file's errors keep theirs.
  const diag = e.source.kind === 'script' || e.error.diag.file !== undefined ? e.error.diag : { ...e.error.diag, pos: undefined };
  return `${what}: ${formatDiagnostic(diag, errtags)}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const a = parseArgs(argv);
  if (a.flags.has('V')) {
    writeSync(1, 'dtrace: Oracle D 2.0\n');
    return E_SUCCESS;
  }
  for (const [f, why] of Object.entries(REFUSED_FLAGS)) if (a.flags.has(f)) throw new Fatal(why);
  if (a.flags.has('32')) throw new Fatal('-32 is not supported: only the 64-bit data model is built');
  if (a.programs.length === 0 && !a.flags.has('l')) {
    writeSync(2, USAGE);
    return E_USAGE;
  }
  // `dtrace -l` alone lists every probe: the description that matches all.
  if (a.flags.has('l') && a.programs.length === 0) a.programs.push({ kind: 'n', value: ':::' });
  // Listing reports descriptions that match nothing and goes on, as -Z lets a script.
  if (a.flags.has('l')) a.flags.add('Z');
  const o = applyOptions(a);
  // -c and -p, in command-line order, before the programs are compiled (their pid is $target).
  let procs: TracedProcess[];
  try {
    procs = a.xopts.filter((x) => x.name === '-c' || x.name === '-p').map((x) => x.name === '-c' ? createProcess(x.value ?? '') : grabProcess(x.value ?? ''));
  } catch (e) {
    if (e instanceof ProcError) throw new Fatal(e.message);
    throw e;
  }
  const sources = readSources(a, o);
  checkProbeIds(a.programs.filter((p) => p.kind === 'i').map((p) => p.value));
  // Matching probes reads tracefs and tracing needs bpf(): both need root.
  if ((process.getuid?.() ?? 0) !== 0) throw new Fatal('failed to initialize dtrace: DTrace requires additional privileges');
  const scriptName = a.programs.find((p) => p.kind === 's')?.value ?? process.argv[1] ?? 'dtrace';
  let compiled;
  try {
    compiled = compile(sources, {
      options: o,
      parse: {
        macros: { args: [scriptName, ...a.operands], vars: macroVars(procs[0]?.pid ?? 0) },
        defaultArgs: o.bool('defaultargs'), argref: o.bool('argref'), pspec: o.bool('pspec'), allowEmpty: o.bool('empty'),
      },
      library: librarySources({
        nolibs: o.bool('nolibs'),
        syslibdir: o.str('syslibdir'),
        // -L and -xlibdir add directories, in command-line order.
        libdirs: a.xopts.filter((x) => (x.name === '-L' || x.name === 'libdir') && x.value !== undefined).map((x) => x.value!),
      }),
    });
  } catch (e) {
    if (e instanceof SourceError) throw new Fatal(compileError(e, o.bool('errtags')));
    if (e instanceof RangeError) throw new Fatal(`failed to compile: ${e.message}`);
    throw new Fatal(describeKernelError(e));
  }
  if (a.flags.has('l')) {
    listMatches(compiled, a.flags.has('v'));
    return E_SUCCESS;
  }
  // -S and the verbose option both list the compiled code (DTRACE_C_DIFV).
  if (a.flags.has('S') || o.bool('verbose')) {
    for (const l of linkPrograms(compiled)) {
      const what = l.probes.length > 1 && l.attach.kind === 'tracepoint'
        ? `${l.probes.length} probes on tracepoint ${l.attach.group}:${l.attach.event}`
        : `${l.probe.provider}:${l.probe.module}:${l.probe.func}:${l.probe.name}`;
      writeSync(1, `\nDisassembly of ${what}:\n`);
      writeSync(1, disassemble(l.asm.insns, { labels: l.asm.labels, relocations: l.asm.relocations }) + '\n');
    }
  }
  if (a.flags.has('e')) {
    if (a.flags.has('v')) writeSync(1, verboseReport(compiled, false));
    return E_SUCCESS;
  }

  const outFd = a.output !== undefined ? openSync(a.output, 'a') : 1;
  const out = new BufferedWriter(outFd);
  const errOut = new BufferedWriter(2);
  const file = new ReopenableOutput(out);
  const pcap = new PcapOutput(() => file.path, out.write);
  const aggOpts = aggOptions(o);
  const output = new TextOutput({
    flowindent: o.bool('flowindent'), file, pcap,
    // setopt( ) while tracing: the printer rereads its options, and printa( ) its sort options.
    options: { set: (n, v) => { const e = o.set(n, v, 'tracing'); Object.assign(aggOpts, aggOptions(o)); return e; }, bool: (n) => o.bool(n), num: (n) => o.num(n) },
    quiet: o.bool('quiet'), rawbytes: o.bool('rawbytes'), printsize: o.num('printsize'), testing: process.env._DTRACE_TESTING !== undefined, write: out.write, writeErr: errOut.write,
    // DTrace's stderr is unbuffered and its stdout flushed after each pass: a pass's errors come first.
    flush: () => { errOut.flush(); out.flush(); },
    run: (cmd) => { spawnSync('/bin/sh', ['-c', cmd], { stdio: ['inherit', file.stdout(), 'inherit'] }); },
    clauseNumbers: clauseNumbers(compiled.checked.clauses.map((c) => c.probes.length)),
    lookupKernel: (addr) => kernelSymbols().lookup(addr),
    stackIndent: o.num('stackindent'),
    sink: out.sink, records: compiled.generated.records,
  });
  const session = new Session(compiled, output, {
    switchrateNs: () => o.num('switchrate'), statusrateNs: o.num('statusrate'), bufsize: o.num('bufsize'),
    bufpolicy: o.str('bufpolicy') as BufPolicy, bufresize: o.str('bufresize') === 'manual' ? 'manual' : 'auto', droptags: o.bool('droptags'), quietresize: o.has('quietresize'),
    aggsize: o.num('aggsize'), dynvarsize: o.num('dynvarsize'), agg: aggOpts,
  });
  out.onClosed = () => session.requestStop();
  try {
    let total = 0;
    if (!o.bool('quiet')) {
      let k = 0;
      for (let i = 0; i < sources.length; i++) {
        // DTrace counts enablings: each clause's matching probes.
        const n = compiled.clauseProbes.slice(k, k + compiled.clausesPerSource[i]).reduce((sum, ps) => sum + (ps?.length ?? 0), 0);
        k += compiled.clausesPerSource[i];
        total += n;
        const what = sources[i].kind === 'script' ? `script '${sources[i].name}'` : `description '${descriptionPart(sources[i].name)}'`;
        err(`${what} matched ${n} probe${n === 1 ? '' : 's'}`);
      }
    } else {
      total = compiled.clauseProbes.reduce((sum, ps) => sum + (ps?.length ?? 0), 0);
    }
    if (a.flags.has('v')) writeSync(outFd, verboseReport(compiled, true));
    if (total === 0) throw new Fatal('no probes matched');
    if (compiled.checked.destructive.length > 0 && !o.bool('destructive')) throw new Fatal('could not enable tracing: Destructive actions not allowed');
    try {
      session.load();
    } catch (e) {
      throw new Fatal(describeKernelError(e));
    }
    if (o.bool('destructive') && !o.bool('quiet')) err('allowing destructive actions');
    let signals = 0;
    const onSignal = (): void => {
      if (++signals > 1) process.exit(E_ERROR);
      session.requestStop();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // Tracing stops when every process of -c and -p has exited.
    let live = procs.length;
    for (const p of procs) p.onExit(() => { if (--live === 0) session.requestStop(); });
    return await session.run(() => { for (const p of procs) p.resume(); });
  } finally {
    // Print everything before detaching, which can take a while with many probes; tshark's last lines too.
    await pcap.close();
    out.flush();
    errOut.flush();
    file.close();
    session.close();
    if (outFd !== 1) closeSync(outFd);
  }
}

process.title = 'dtrace';
main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (e: unknown) => {
    if (e instanceof UsageError) {
      err(e.message);
      writeSync(2, USAGE);
      process.exit(E_USAGE);
    }
    if (e instanceof Fatal) {
      err(e.message);
      process.exit(e.status);
    }
    err(`internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exit(E_ERROR);
  },
);
