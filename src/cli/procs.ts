// The processes dtrace traces with -c and -p. -c cmd starts the command
// stopped (a shell stops itself, then execs the command, so the pid stays
// the same), and it runs once tracing has started; -p pid names a running
// process. The first one's pid is $target; tracing stops when all of them
// have exited. A command started with -c is killed if dtrace ends first, as
// DTrace releases the processes it created.

import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';

export class ProcError extends Error {}

export interface TracedProcess {
  readonly pid: number;
  /** resume lets a process created with -c run (tracing has started). */
  resume(): void;
  /** onExit calls fn once the process has exited (now, if it already has). */
  onExit(fn: () => void): void;
  /** release ends the tracing of the process: a created one is killed. */
  release(): void;
}

/** procState is the state letter of /proc/PID/stat, or undefined when the process is gone. */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** findCommand resolves a command name as execvp does, or undefined. */
function findCommand(name: string): string | undefined {
  const dirs = name.includes('/') ? [''] : (process.env.PATH ?? '/usr/bin:/bin').split(':').map((d) => `${d || '.'}/`);
  for (const d of dirs) {
    try {
      accessSync(d + name, constants.X_OK);
      return d + name;
    } catch {
      // Not here: try the next directory.
    }
  }
  return undefined;
}

/** createProcess starts `cmd` (split on blanks, as dtrace does) stopped before it runs. */
export function createProcess(cmd: string): TracedProcess {
  const argv = cmd.split(/[ \t\n]+/).filter((w) => w !== '');
  if (argv.length === 0) throw new ProcError('failed to execute : No such file or directory');
  if (findCommand(argv[0]) === undefined) throw new ProcError(`failed to execute ${argv[0]}: No such file or directory`);
  const child: ChildProcess = spawn('/bin/sh', ['-c', 'kill -STOP $$; exec "$@"', 'sh', ...argv], { stdio: 'inherit' });
  const pid = child.pid;
  if (pid === undefined) throw new ProcError(`failed to execute ${argv[0]}: could not create the process`);
  let exited = false;
  child.on('exit', () => { exited = true; });
  // Wait until the shell has stopped itself: continuing it earlier would be lost.
  for (let i = 0; i < 5000 && procState(pid) !== 'T' && procState(pid) !== undefined; i++) sleepMs(1);
  // The child must not outlive dtrace, whatever way dtrace ends.
  const kill = (): void => {
    if (!exited) child.kill('SIGKILL');
  };
  process.on('exit', kill);
  return {
    pid,
    resume: () => { if (!exited) child.kill('SIGCONT'); },
    onExit: (fn) => { if (exited) fn(); else child.on('exit', fn); },
    release: kill,
  };
}

/** grabProcess traces the running process `arg` (a decimal pid). */
export function grabProcess(arg: string): TracedProcess {
  // strtol(arg, &end, 10) with nothing after the number.
  if (!/^\s*[+-]?\d+$/.test(arg)) throw new ProcError(`invalid pid: ${arg}`);
  const pid = Number(arg);
  const state = procState(pid);
  if (pid <= 0 || state === undefined || state === 'Z' || state === 'X') throw new ProcError('No such process');
  let timer: NodeJS.Timeout | undefined;
  return {
    pid,
    resume: () => {},
    // No parent to be told: watch /proc until the process is gone or a zombie.
    onExit: (fn) => {
      timer = setInterval(() => {
        const s = procState(pid);
        if (s === undefined || s === 'Z' || s === 'X') {
          clearInterval(timer);
          fn();
        }
      }, 50);
      timer.unref();
    },
    release: () => clearInterval(timer),
  };
}
