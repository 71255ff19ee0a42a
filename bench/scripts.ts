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

export const STARTUP: ScriptPair = {
  id: 'startup',
  label: 'BEGIN { exit(0); }',
  d: 'BEGIN { exit(0); }\n',
  bt: 'BEGIN { exit(); }\n',
};

const D_GETPID = 'syscall::getpid:entry';
const BT_GETPID = 'tracepoint:syscalls:sys_enter_getpid';

/** Per-event variants on getpid() entry: D action (with predicate) and bpftrace action. */
const PER_EVENT: readonly { id: string; label: string; d: string; bt: string }[] = [
  { id: 'empty', label: 'empty clause', d: '{ }', bt: '{ }' },
  { id: 'count', label: '@ = count()', d: '{ @ = count(); }', bt: '{ @ = count(); }' },
  { id: 'execname', label: '@[execname] = count()', d: '{ @[execname] = count(); }', bt: '{ @[comm] = count(); }' },
  { id: 'quantize', label: '@q = quantize(arg0)', d: '{ @q = quantize(arg0); }', bt: '{ @q = hist(args->__syscall_nr); }' },
  { id: 'predfalse', label: 'false predicate /pid == 0/', d: '/pid == 0/ { }', bt: '/pid == 0/ { }' },
  { id: 'printf', label: 'printf("%d %d\\n", 1, 2)', d: '{ printf("%d %d\\n", 1, 2); }', bt: '{ printf("%d %d\\n", 1, 2); }' },
];

export const PER_EVENT_SCRIPTS: readonly ScriptPair[] = PER_EVENT.map((v) => ({
  id: v.id,
  label: v.label,
  d: withReady(`${D_GETPID} ${v.d}`),
  bt: withReady(`${BT_GETPID} ${v.bt}`),
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
