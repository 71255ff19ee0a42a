// The D scripts of each workload and their bpftrace twins. Scripts that
// are measured while a workload runs start with a BEGIN clause printing the
// ready marker: both tools fire BEGIN only after every probe is attached,
// so the marker means "tracing is live". The large-script generator spreads
// its clauses over syscall tracepoints this kernel has.

import { READY_MARKER } from './proc.js';

export interface ScriptPair {
  readonly id: string;
  readonly label: string;
  /** D source for this project's dtrace (run with -q). */
  readonly d: string;
  /** bpftrace twin. */
  readonly bt: string;
}

const READY = `BEGIN { printf("${READY_MARKER}\\n"); }`;

/** Prefix the ready-marker clause (same text in D and bpftrace). */
export function withReady(body: string): string {
  return `${READY}\n${body}\n`;
}

/** A start-up script: its rows are `${row}.wall` and `${row}.rss`. */
export interface StartupScript extends ScriptPair {
  readonly row: string;
}

/**
 * Start-up scripts, spawn to exit. The first is the baseline the others are
 * judged against; `curthread` makes this dtrace read the kernel's BTF to
 * type `curthread` (bpftrace's `curtask` does the same).
 */
export const STARTUP: readonly StartupScript[] = [
  { id: 'exit', row: 'startup', label: 'BEGIN { exit(0); }', d: 'BEGIN { exit(0); }\n', bt: 'BEGIN { exit(); }\n' },
  {
    id: 'curthread', row: 'startup.curthread', label: 'BEGIN { trace(curthread->comm); exit(0); }',
    d: 'BEGIN { trace(curthread->comm); exit(0); }\n', bt: 'BEGIN { printf("%s", curtask->comm); exit(); }\n',
  },
];

/** The empty-program floor of a per-event variant: `r0 = 0; exit` on each tracepoint its probes fire on. */
export interface FloorSpec {
  readonly label: string;
  /** `group:event` tracepoints (arguments of floor-prog.js). */
  readonly tracepoints: readonly string[];
}

const FLOOR_ENTRY: FloorSpec = { label: 'empty BPF program', tracepoints: ['syscalls:sys_enter_getpid'] };
const FLOOR_PAIR: FloorSpec = { label: 'empty BPF programs on entry and return', tracepoints: ['syscalls:sys_enter_getpid', 'syscalls:sys_exit_getpid'] };

const D_GETPID = 'syscall::getpid:entry';
const BT_GETPID = 'tracepoint:syscalls:sys_enter_getpid';

/**
 * Per-event variants. `d` and `bt` are the clause (predicate and action)
 * put on getpid() entry, or with `whole` complete clauses with their own
 * probes. The cost is per getpid() call: a variant whose probes fire more
 * than once per call says so in its unit, label and floor.
 */
interface PerEventVariant {
  readonly id: string;
  readonly label: string;
  readonly d: string;
  readonly bt: string;
  readonly whole?: true;
  /** Default 'ns/event' (one probe firing per call). */
  readonly unit?: string;
  /** Default: one empty program on getpid() entry. */
  readonly floor?: FloorSpec;
  /** Shown under the table. */
  readonly note?: string;
}

const PER_EVENT: readonly PerEventVariant[] = [
  { id: 'empty', label: 'empty clause', d: '{ }', bt: '{ }' },
  { id: 'count', label: '@ = count()', d: '{ @ = count(); }', bt: '{ @ = count(); }' },
  { id: 'execname', label: '@[execname] = count()', d: '{ @[execname] = count(); }', bt: '{ @[comm] = count(); }' },
  { id: 'curthread', label: '@[curthread->comm] = count()', d: '{ @[curthread->comm] = count(); }', bt: '{ @[curtask->comm] = count(); }' },
  { id: 'quantize', label: '@q = quantize(arg0)', d: '{ @q = quantize(arg0); }', bt: '{ @q = hist(args->__syscall_nr); }' },
  { id: 'predfalse', label: 'false predicate /pid == 0/', d: '/pid == 0/ { }', bt: '/pid == 0/ { }' },
  { id: 'printf', label: 'printf("%d %d\\n", 1, 2)', d: '{ printf("%d %d\\n", 1, 2); }', bt: '{ printf("%d %d\\n", 1, 2); }' },
  {
    id: 'pair',
    label: 'entry/return pair: self->ts = timestamp; @ = quantize(timestamp - self->ts)',
    whole: true,
    d: 'syscall::getpid:entry { self->ts = timestamp; }\n'
      + 'syscall::getpid:return /self->ts/ { @ = quantize(timestamp - self->ts); self->ts = 0; }',
    bt: 'tracepoint:syscalls:sys_enter_getpid { @start[tid] = nsecs; }\n'
      + 'tracepoint:syscalls:sys_exit_getpid /@start[tid]/ { @ = hist(nsecs - @start[tid]); delete(@start[tid]); }',
    unit: 'ns/call',
    floor: FLOOR_PAIR,
    note: 'each getpid() call fires both probes: the cost is per call (entry + return), against a floor of empty programs on both',
  },
];

export interface PerEventScript extends ScriptPair {
  readonly unit: string;
  readonly floor: FloorSpec;
  readonly note: string | undefined;
}

export const PER_EVENT_SCRIPTS: readonly PerEventScript[] = PER_EVENT.map((v) => ({
  id: v.id,
  label: v.label,
  d: withReady(v.whole ? v.d : `${D_GETPID} ${v.d}`),
  bt: withReady(v.whole ? v.bt : `${BT_GETPID} ${v.bt}`),
  unit: v.unit ?? 'ns/event',
  floor: v.floor ?? FLOOR_ENTRY,
  note: v.note,
}));

/** Attach to every syscall entry, stop after 100 ms: start-to-exit wall time. */
export const ATTACH_ALL: readonly ScriptPair[] = [
  {
    id: 'empty',
    label: 'syscall:::entry { } + tick-100ms exit',
    d: 'syscall:::entry { }\ntick-100ms { exit(0); }\n',
    bt: 'tracepoint:syscalls:sys_enter_* { }\ninterval:ms:100 { exit(); }\n',
  },
  {
    id: 'count',
    label: 'syscall:::entry { @ = count(); } + tick-100ms exit',
    d: 'syscall:::entry { @ = count(); }\ntick-100ms { exit(0); }\n',
    bt: 'tracepoint:syscalls:sys_enter_* { @ = count(); }\ninterval:ms:100 { exit(); }\n',
  },
];

/** Syscalls the large script prefers (common to most kernels); filtered by what exists. */
const PREFERRED = [
  'read', 'write', 'openat', 'close', 'getpid', 'getppid', 'mmap', 'munmap', 'brk', 'ioctl', 'nanosleep',
  'futex', 'clock_gettime', 'epoll_wait', 'newfstat', 'lseek', 'pread64', 'pwrite64', 'sendto', 'recvfrom',
];

/** A script of `clauses` clauses (predicate + printf each) spread over available syscalls. */
export function largeScript(clauses: number, available: readonly string[]): ScriptPair {
  const have = new Set(available);
  let names = PREFERRED.filter((n) => have.has(n));
  if (names.length === 0) names = available.slice(0, 20);
  if (names.length === 0) names = ['getpid'];
  const d: string[] = [];
  const bt: string[] = [];
  for (let i = 0; i < clauses; i++) {
    const s = names[i % names.length];
    d.push(`syscall::${s}:entry /pid == ${1000 + i}/ { printf("%d %d %s\\n", ${i}, tid, execname); }`);
    bt.push(`tracepoint:syscalls:sys_enter_${s} /pid == ${1000 + i}/ { printf("%d %d %s\\n", ${i}, tid, comm); }`);
  }
  return { id: `clauses${clauses}`, label: `${clauses} clauses (predicate + printf) over ${Math.min(clauses, names.length)} syscalls`, d: `${d.join('\n')}\n`, bt: `${bt.join('\n')}\n` };
}
