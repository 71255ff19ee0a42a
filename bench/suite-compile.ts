// Workload 4, compile time of a large generated script (hundreds of
// clauses): `dtrace -q -e -s big.d` (compile, no enabling), against a
// one-clause script as the floor. bpftrace has no exact twin: its
// `--dry-run` is used when this bpftrace has one, else `--emit-elf FILE`
// (documented by bpftrace as a dry run that writes the compiled programs),
// else the bpftrace cell is n/a.

import { join } from 'node:path';
import { cellOf, na, type Cell, type Row } from './model.js';
import { firstLine, runCommand } from './proc.js';
import { largeScript } from './scripts.js';
import { failureReason, writeScript, type SuiteContext } from './tracers.js';

interface Subject {
  readonly name: string;
  readonly cmd: string;
  readonly args: readonly string[];
  readonly wall: number[];
  readonly errors: string[];
}

/** bpftrace's compile-only mode, or undefined (with the reason) when it has none. */
function bpftraceDryRun(help: string, tmp: string): { args: string[]; how: string } | { why: string } {
  if (help.includes('--dry-run')) return { args: ['--dry-run'], how: 'bpftrace --dry-run' };
  if (help.includes('--emit-elf')) return { args: ['--emit-elf', join(tmp, 'bench-big.o')], how: 'bpftrace --emit-elf (its dry run; no --dry-run in this version)' };
  return { why: 'this bpftrace has no --dry-run (nor --emit-elf)' };
}

async function runOnce(s: Subject): Promise<void> {
  const r = await runCommand(s.cmd, s.args, 120_000);
  if (r.code === 0) s.wall.push(r.wallMs);
  else s.errors.push(s.name.startsWith('dtrace') ? failureReason(r.stderr, r.code) : `exit ${r.code ?? r.signal}: ${firstLine(r.stderr)}`);
}

function cell(s: Subject | undefined, missing: string): Cell {
  return s === undefined ? na(missing) : cellOf(s.wall, s.errors[0] ?? 'no run');
}

export async function runCompile(ctx: SuiteContext, clauses: number, syscalls: readonly string[], bpftraceHelp: string): Promise<Row[]> {
  const big = largeScript(clauses, syscalls);
  const one = largeScript(1, syscalls);
  const d: Subject = { name: 'dtrace', cmd: ctx.dtrace.cmd, args: ['-q', '-e', '-s', writeScript(ctx.tmp, 'big', big.d, 'd')], wall: [], errors: [] };
  const floor: Subject = { name: 'dtrace-1', cmd: ctx.dtrace.cmd, args: ['-q', '-e', '-s', writeScript(ctx.tmp, 'one', one.d, 'd')], wall: [], errors: [] };
  const dry = bpftraceDryRun(bpftraceHelp, ctx.tmp);
  let b: Subject | undefined;
  let bMissing = ctx.bpftraceNote;
  if (ctx.bpftrace && 'args' in dry) {
    b = { name: 'bpftrace', cmd: ctx.bpftrace.cmd, args: [...dry.args, writeScript(ctx.tmp, 'big', big.bt, 'bt')], wall: [], errors: [] };
  } else if (ctx.bpftrace && 'why' in dry) {
    bMissing = dry.why;
  }
  const all = [floor, d, ...(b ? [b] : [])];
  for (let r = 0; r < ctx.runs; r++) {
    ctx.log(`compile round ${r + 1}/${ctx.runs}`);
    for (let i = 0; i < all.length; i++) await runOnce(all[(i + r) % all.length]);
  }
  const notes = ['dtrace -q -e -s (compile only, nothing enabled)'];
  if ('how' in dry && b) notes.push(`bpftrace twin: ${dry.how}`);
  for (const s of all) if (s.errors.length > 0) notes.push(`${s.name}: ${s.errors[0]}`);
  return [{
    id: 'compile.large', group: 'compile', label: big.label, unit: 'ms',
    dtrace: cell(d, ''), bpftrace: cell(b, bMissing), floor: { label: 'dtrace -e, 1 clause', cell: cell(floor, '') }, notes,
  }];
}
