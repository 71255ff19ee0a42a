// Kernel layer errors: typed failures of system calls (errno named and
// explained), verifier rejections with a short "why", missing kernel features
// and missing privileges. Pure code: no OS access, so it is unit-testable.

/** Linux errno numbers (x86_64/generic) → [name, strerror text]. */
const ERRNO: Readonly<Record<number, readonly [string, string]>> = {
  1: ['EPERM', 'Operation not permitted'],
  2: ['ENOENT', 'No such file or directory'],
  3: ['ESRCH', 'No such process'],
  4: ['EINTR', 'Interrupted system call'],
  5: ['EIO', 'Input/output error'],
  6: ['ENXIO', 'No such device or address'],
  7: ['E2BIG', 'Argument list too long'],
  8: ['ENOEXEC', 'Exec format error'],
  9: ['EBADF', 'Bad file descriptor'],
  10: ['ECHILD', 'No child processes'],
  11: ['EAGAIN', 'Resource temporarily unavailable'],
  12: ['ENOMEM', 'Cannot allocate memory'],
  13: ['EACCES', 'Permission denied'],
  14: ['EFAULT', 'Bad address'],
  16: ['EBUSY', 'Device or resource busy'],
  17: ['EEXIST', 'File exists'],
  18: ['EXDEV', 'Invalid cross-device link'],
  19: ['ENODEV', 'No such device'],
  20: ['ENOTDIR', 'Not a directory'],
  21: ['EISDIR', 'Is a directory'],
  22: ['EINVAL', 'Invalid argument'],
  23: ['ENFILE', 'Too many open files in system'],
  24: ['EMFILE', 'Too many open files'],
  25: ['ENOTTY', 'Inappropriate ioctl for device'],
  27: ['EFBIG', 'File too large'],
  28: ['ENOSPC', 'No space left on device'],
  29: ['ESPIPE', 'Illegal seek'],
  30: ['EROFS', 'Read-only file system'],
  31: ['EMLINK', 'Too many links'],
  32: ['EPIPE', 'Broken pipe'],
  33: ['EDOM', 'Numerical argument out of domain'],
  34: ['ERANGE', 'Numerical result out of range'],
  35: ['EDEADLK', 'Resource deadlock avoided'],
  36: ['ENAMETOOLONG', 'File name too long'],
  37: ['ENOLCK', 'No locks available'],
  38: ['ENOSYS', 'Function not implemented'],
  39: ['ENOTEMPTY', 'Directory not empty'],
  40: ['ELOOP', 'Too many levels of symbolic links'],
  42: ['ENOMSG', 'No message of desired type'],
  61: ['ENODATA', 'No data available'],
  62: ['ETIME', 'Timer expired'],
  75: ['EOVERFLOW', 'Value too large for defined data type'],
  77: ['EBADFD', 'File descriptor in bad state'],
  95: ['EOPNOTSUPP', 'Operation not supported'],
  110: ['ETIMEDOUT', 'Connection timed out'],
  114: ['EALREADY', 'Operation already in progress'],
  115: ['EINPROGRESS', 'Operation now in progress'],
  125: ['ECANCELED', 'Operation canceled'],
  // Kernel-internal codes that leak out of bpf() on some paths.
  524: ['ENOTSUPP', 'Operation is not supported'],
};

/** Numeric errno constants used by the kernel layer itself. */
export const Errno = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, E2BIG: 7, EBADF: 9, EAGAIN: 11,
  ENOMEM: 12, EACCES: 13, EFAULT: 14, EBUSY: 16, EEXIST: 17, ENODEV: 19,
  EINVAL: 22, EMFILE: 24, ENOTTY: 25, ENOSPC: 28, ENOSYS: 38, EOPNOTSUPP: 95,
  ENOTSUPP: 524,
} as const;

export function errnoName(errno: number): string {
  return ERRNO[errno]?.[0] ?? `E${errno}`;
}

export function errnoMessage(errno: number): string {
  return ERRNO[errno]?.[1] ?? `Unknown error ${errno}`;
}

/** A failed system call: `op` is e.g. "bpf(PROG_LOAD)" or "perf_event_open". */
export class KernelError extends Error {
  readonly op: string;
  readonly errno: number;
  readonly code: string;
  constructor(op: string, errno: number, detail?: string, message?: string) {
    super(message ?? `${op}: ${errnoMessage(errno)}${detail ? ` (${detail})` : ''}`);
    this.name = 'KernelError';
    this.op = op;
    this.errno = errno;
    this.code = errnoName(errno);
  }
}

/** EPERM/EACCES while not privileged: explain what tracing needs. */
export class PermissionError extends KernelError {
  constructor(op: string, errno: number) {
    super(op, errno, 'tracing needs root, or the CAP_BPF and CAP_PERFMON capabilities');
    this.name = 'PermissionError';
  }
}

/** The kernel lacks a facility (kprobes, fentry, ...): providers turn this into a clear message. */
export class NotSupportedError extends Error {
  readonly feature: string;
  readonly reason: string;
  constructor(feature: string, reason: string) {
    super(`${feature} is not supported by this kernel: ${reason}`);
    this.name = 'NotSupportedError';
    this.feature = feature;
    this.reason = reason;
  }
}

/** Why the verifier said no, extracted from its log. */
export interface VerifierSummary {
  /** A few lines, e.g. "insn 12: r1 = *(u32 *)(r0 +0): R0 invalid mem access 'map_value_or_null'". */
  text: string;
  /** Index of the instruction the error refers to, when the log names one. */
  insnIndex?: number;
  /** The source line annotation (from BTF line info) just before that instruction, if any. */
  sourceLine?: string;
}

export class VerifierError extends KernelError {
  /** The full verifier log (kept for -v style diagnostics, never shown by default). */
  readonly log: string;
  readonly summary: string;
  readonly insnIndex: number | undefined;
  readonly sourceLine: string | undefined;
  constructor(progName: string, errno: number, log: string) {
    const s = summarizeVerifierLog(log);
    const op = `bpf(PROG_LOAD) ${progName}`;
    // EACCES/EINVAL from the verifier are not permission problems: say "verifier".
    super(op, errno, undefined, `${op}: rejected by the verifier (${errnoName(errno)})${s.text ? `: ${s.text}` : ''}`);
    this.name = 'VerifierError';
    this.log = log;
    this.summary = s.text;
    this.insnIndex = s.insnIndex;
    this.sourceLine = s.sourceLine;
  }
}

// Lines that are statistics or precision-tracking chatter, never the reason.
const NOISE = [
  /^processed \d+ insns/,
  /^verification time/,
  /^stack depth/,
  /^max_states_per_insn/,
  /^-- (BEGIN|END) PROG LOAD LOG --/,
  /^last_idx \d+ first_idx/,
  /^regs=/,
  /^parent (didn't|already)/,
  /^mark_precise/,
  /^propagating /,
  /^func#\d+ @\d+/,
  /^Live regs before insn/,
  /^\s*\d+: \.+ \(/, // liveness dump lines (6.x "0: .......... (b7) r0 = 0")
  /^Validating /,
  /^Func#\d+ \('/,
];

const INSN_LINE = /^(\d+): \(([0-9a-f]{2})\) (.*)$/;
// "12: R0=... R1=..." or "from 3 to 5: R0=..." state dumps.
const STATE_LINE = /^(\d+: |from \d+ to \d+: )?(frame\d+: )?R\d+(_\w+)?=/;

/**
 * Extract the reason from a verifier log: the lines after the last
 * instruction line (the error text), attributed to that instruction.
 * Falls back to the last meaningful lines when no instruction is named
 * (CFG errors like "back-edge from insn 3 to 1", "unknown opcode").
 */
export function summarizeVerifierLog(log: string): VerifierSummary {
  const lines = log.split('\n').map((l) => l.replace(/\s+$/, '')).filter((l) => l.length > 0);
  const meaningful: string[] = [];
  for (const l of lines) if (!NOISE.some((re) => re.test(l))) meaningful.push(l);
  if (meaningful.length === 0) return { text: '' };

  let lastInsn = -1;
  for (let i = meaningful.length - 1; i >= 0; i--) {
    if (INSN_LINE.test(meaningful[i]!)) {
      lastInsn = i;
      break;
    }
  }
  const tailFrom = lastInsn + 1;
  const errLines = meaningful.slice(tailFrom).filter((l) => !STATE_LINE.test(l) && !l.startsWith('; '));
  if (lastInsn < 0 || errLines.length === 0) {
    // No instruction trace (or nothing after it): the last lines are the story.
    const tail = meaningful.filter((l) => !STATE_LINE.test(l)).slice(-3);
    const m = /insn (\d+)/.exec(tail[tail.length - 1] ?? '');
    const out: VerifierSummary = { text: tail.join('\n') };
    if (m) out.insnIndex = Number(m[1]);
    return out;
  }
  const insn = INSN_LINE.exec(meaningful[lastInsn]!)!;
  const idx = Number(insn[1]);
  const reason = errLines.slice(-4).join('; ');
  // Drop the register-state annotation the kernel appends ("   ; R1=ctx()", " 10: R0=0").
  const text = insn[3]!.replace(/\s+(;|\d+: (frame\d+: )?R\d).*$/, '');
  const out: VerifierSummary = { text: `insn ${idx}: ${text}: ${reason}`, insnIndex: idx };
  for (let i = lastInsn - 1; i >= 0 && i >= lastInsn - 3; i--) {
    const l = meaningful[i]!;
    if (l.startsWith('; ')) {
      out.sourceLine = l.slice(2).replace(/ @ \S+:\d+$/, '');
      break;
    }
    if (INSN_LINE.test(l)) break;
  }
  return out;
}
