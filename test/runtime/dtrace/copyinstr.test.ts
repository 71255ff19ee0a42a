// copyinstr( ) on the real kernel: bin/dtrace traces openat() of a child
// process that then runs `cat` on a unique temporary path, and the path
// must come out of user memory: whole, cut by a length argument, and a bad
// user address must fault with DTrace's "invalid address" message. The
// child waits on its stdin until dtrace prints its BEGIN marker, so the
// probes are enabled before cat opens anything; dtrace is stopped with
// SIGINT after cat exits. Needs root: skipped with a reason otherwise.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runtimeSkip } from '../util.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DTRACE = `${ROOT}bin/dtrace`;
const skip = runtimeSkip();

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** waitFor resolves when `test()` holds, polling every 20 ms, or rejects after `ms`. */
async function waitFor(test: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function exited(p: ChildProcess): Promise<void> {
  return p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', () => r()));
}

/**
 * traceCat starts `sh -c 'read _; exec cat <path>'` (it waits on stdin),
 * runs bin/dtrace with the clauses `body(pid)` returns (plus a BEGIN
 * marker), lets the child go once dtrace is tracing, waits for cat and
 * for `done(stdout)`, then stops dtrace with SIGINT.
 */
async function traceCat(path: string, body: (pid: number) => string, done: (out: string) => boolean): Promise<Run> {
  const child = spawn('sh', ['-c', 'read _; exec cat "$0" > /dev/null', path], { stdio: ['pipe', 'ignore', 'ignore'] });
  const pid = child.pid;
  assert.ok(pid !== undefined, 'child started');
  const script = `BEGIN { printf("tracing\\n"); }\n${body(pid)}`;
  const dt = spawn(process.execPath, [DTRACE, '-q', '-n', script], { env: { ...process.env, _DTRACE_TESTING: '1' } });
  let stdout = '';
  let stderr = '';
  dt.stdout.setEncoding('latin1').on('data', (d: string) => { stdout += d; });
  dt.stderr.setEncoding('latin1').on('data', (d: string) => { stderr += d; });
  try {
    await waitFor(() => stdout.includes('tracing\n') || dt.exitCode !== null, 30_000, 'dtrace to print its BEGIN marker');
    assert.ok(dt.exitCode === null, `dtrace exited early (${dt.exitCode})\n--- stderr ---\n${stderr}`);
    child.stdin!.end('go\n');
    await exited(child);
    assert.equal(child.exitCode, 0, 'cat ran');
    // Records reach the consumer at its switchrate; give it a few seconds before stopping.
    await waitFor(() => done(stdout), 10_000, 'the traced output').catch(() => undefined);
    dt.kill('SIGINT');
    await exited(dt);
    return { stdout, stderr, status: dt.exitCode, signal: dt.signalCode };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (dt.exitCode === null && dt.signalCode === null) dt.kill('SIGKILL');
  }
}

describe('copyinstr( ) reads strings from user memory', { skip }, () => {
  let dir = '';
  let path = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dtrace-copyinstr-'));
    path = join(dir, `file-${process.pid}-${Date.now()}`);
    writeFileSync(path, 'x\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const detail = (r: Run): string => `\n--- stdout ---\n${r.stdout}--- stderr ---\n${r.stderr}--- status ${r.status} signal ${r.signal}`;

  it('the path cat opens, read with copyinstr(arg1)', { timeout: 60_000 }, async () => {
    const line = `path [${path}]\n`;
    const r = await traceCat(path, (pid) => `syscall::openat:entry /pid == ${pid}/ { printf("path [%s]\\n", copyinstr(arg1)); }`,
      (out) => out.includes(line));
    assert.ok(r.stdout.includes(line), `the path is traced${detail(r)}`);
    assert.equal(r.status, 0, `exit status after SIGINT${detail(r)}`);
    // Every record is a whole line: nothing but "path [...]" lines after the marker.
    assert.match(r.stdout, /^tracing\n(path \[[^\n]*\]\n)+\n?$/, `output${detail(r)}`);
  });

  it('copyinstr(arg1, n) stops at the length given', { timeout: 60_000 }, async () => {
    // With n = 5, this implementation keeps five characters.
    const r = await traceCat(path, (pid) => `syscall::openat:entry /pid == ${pid}/ { printf("[%s] [%s]\\n", copyinstr(arg1, 5), copyinstr(arg1)); }`,
      (out) => out.includes(`] [${path}]\n`));
    const line = r.stdout.split('\n').find((l) => l.endsWith(`] [${path}]`));
    assert.ok(line !== undefined, `the path is traced${detail(r)}`);
    const short = /^\[([^\]]*)\]/.exec(line)![1];
    assert.ok(short.length > 0 && short.length <= 5 && path.startsWith(short), `copyinstr(arg1, 5) is a prefix of at most 5 characters: ${short}`);
  });

  it('copyinstr(arg1, n) keeps n - 1 characters, as dtrace-utils does', {
    timeout: 60_000,
  }, async () => {
    const r = await traceCat(path, (pid) => `syscall::openat:entry /pid == ${pid}/ { printf("[%s] [%s]\\n", copyinstr(arg1, 5), copyinstr(arg1)); }`,
      (out) => out.includes(`] [${path}]\n`));
    assert.ok(r.stdout.includes(`[${path.slice(0, 4)}] [${path}]\n`), `copyinstr(arg1, 5)${detail(r)}`);
  });

  it('a bad user address faults with "invalid address" and the ERROR probe gets it', { timeout: 60_000 }, async () => {
    const r = await traceCat(path, (pid) => `syscall::openat:entry /pid == ${pid}/ { printf("bad %s\\n", copyinstr(1)); }\n` +
      `syscall::openat:entry /pid == ${pid}/ { printf("later clause\\n"); }\n` +
      'ERROR { printf("ERROR arg4 %d arg5 %d\\n", arg4, arg5); }',
    (out) => out.includes('later clause\n'));
    assert.ok(!r.stdout.includes('bad '), `the faulting clause records nothing${detail(r)}`);
    assert.ok(r.stdout.includes('ERROR arg4 1 arg5 1\n'), `ERROR has DTRACEFLT_BADADDR and the address${detail(r)}`);
    assert.ok(r.stdout.includes('later clause\n'), `the next clause still runs${detail(r)}`);
    assert.match(r.stderr, /^dtrace: error in dt_clause_1 for probe ID \d+ \(syscall:vmlinux:openat:entry\): invalid address \(0x1\) at BPF pc \d+$/m,
      `the fault message${detail(r)}`);
    assert.equal(r.status, 0, `exit status after SIGINT${detail(r)}`);
  });
});
