// Kernel stacks and symbols on the real kernel: bin/dtrace traces its own
// write() (the BEGIN clause's output makes one) and records stack( ),
// caller, stackdepth, sym( )/func( )/mod( ) and a stack( ) aggregation key.
// Stacks differ between kernels and even between runs (other tracepoint
// users add frames), so the test checks what must hold on any x86-64
// kernel: the system call entry is in the stack, every frame is printed as
// DTrace prints it, and the other values agree with the stack. Needs root:
// skipped with a reason otherwise.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runtimeSkip } from '../util.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DTRACE = `${ROOT}bin/dtrace`;
const skip = runtimeSkip();

const SCRIPT = `
BEGIN { printf("go\\n"); }
syscall::write:entry /pid == $pid/ {
  printf("[stack]");
  stack();
  printf("[depth %d]\\n", stackdepth);
  printf("[caller %a]\\n", caller);
  printf("[sym]");
  sym(caller);
  printf("\\n[func]");
  func(caller);
  printf("\\n[mod]");
  mod(caller);
  printf("\\n");
  @[stack()] = count();
  exit(0);
}
END { printf("[agg]"); }
`;

/** FRAME is one stack( ) line: 14 spaces, then module`function+0xoffset (or module`function, or hex). */
const FRAME = /^ {14}(?:[\w.-]+`[\w.$]+(?:\+0x[0-9a-f]+)?|[\w.-]+`0x[0-9a-f]+|0x[0-9a-f]+)$/;

describe('kernel stacks and symbols under a syscall probe', () => {
  it('stack( ), stackdepth, caller, sym( ), func( ), mod( ) and @[stack( )]', { skip, timeout: 60_000 }, () => {
    const r = spawnSync(process.execPath, [DTRACE, '-q', '-n', SCRIPT], { encoding: 'latin1', timeout: 50_000, env: { ...process.env, _DTRACE_TESTING: '1' } });
    if (r.error) throw r.error;
    const detail = `\n--- stdout ---\n${r.stdout}--- stderr ---\n${r.stderr}`;
    assert.equal(r.status, 0, detail);
    const lines = r.stdout.split('\n');
    const start = lines.indexOf('[stack]');
    const end = lines.findIndex((l) => l.startsWith('[depth '));
    assert.ok(start >= 0 && end > start + 1, `a stack between [stack] and [depth]${detail}`);
    const frames = lines.slice(start + 1, end);
    for (const f of frames) assert.match(f, FRAME, detail);
    assert.ok(frames.some((f) => /^ {14}vmlinux`do_syscall_64\+0x[0-9a-f]+$/.test(f)), `do_syscall_64 is in the stack${detail}`);
    assert.ok(frames.some((f) => /^ {14}vmlinux`entry_SYSCALL_64\w*\+0x[0-9a-f]+$/.test(f)), `the syscall entry is in the stack${detail}`);
    // stackdepth counts the same frames; caller is the second one.
    assert.equal(lines[end], `[depth ${frames.length}]`, detail);
    const caller = lines[end + 1];
    assert.equal(caller, `[caller ${frames[1].trim()}]`, detail);
    // sym( ) and func( ) print the caller's function without its offset, mod( ) its module, as "  %-50s".
    const fn = frames[1].trim().replace(/\+0x[0-9a-f]+$/, '');
    assert.equal(lines[end + 2], `[sym]  ${fn.padEnd(50)}`, detail);
    assert.equal(lines[end + 3], `[func]  ${fn.padEnd(50)}`, detail);
    assert.equal(lines[end + 4], `[mod]  ${'vmlinux'.padEnd(50)}`, detail);
    // The aggregation printed at exit: the same stack as a key, counted once.
    const agg = lines.indexOf('[agg]');
    assert.ok(agg > end, detail);
    assert.deepEqual(lines.slice(agg + 1, agg + 2 + frames.length), ['', ...frames], detail);
    assert.equal(lines[agg + 2 + frames.length], `${' '.repeat(16)}1`, detail);
  });
});
