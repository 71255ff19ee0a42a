// The two tracers under test as uniform "tools": how to run a script file
// with each, and how to tell that a dtrace script uses a feature that is not
// built yet (dtrace -e exits non-zero with "... not supported yet"), so the
// workload prints n/a with the reason and starts counting once it lands.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstLine, runCommand } from './proc.js';

export type ToolName = 'dtrace' | 'bpftrace';

export interface Tool {
  readonly name: ToolName;
  readonly cmd: string;
  /** argv to run a script file. */
  args(scriptFile: string): string[];
}

export function dtraceTool(bin: string): Tool {
  return { name: 'dtrace', cmd: bin, args: (f) => ['-q', '-s', f] };
}

export function bpftraceTool(bin: string): Tool {
  return { name: 'bpftrace', cmd: bin, args: (f) => [f] };
}

/** What every suite gets: temp dir, round count, the tools, a logger. */
export interface SuiteContext {
  readonly tmp: string;
  readonly runs: number;
  readonly dtrace: Tool;
  /** undefined when bpftrace is skipped; `bpftraceNote` says why. */
  readonly bpftrace: Tool | undefined;
  readonly bpftraceNote: string;
  readonly log: (s: string) => void;
}

let seq = 0;

/** Write a script into the bench's temp dir and return its path. */
export function writeScript(dir: string, stem: string, text: string, ext: string): string {
  const p = join(dir, `${stem}-${++seq}.${ext}`);
  writeFileSync(p, text);
  return p;
}

/** Why a failed dtrace run means "not measurable", from its stderr. */
export function failureReason(stderr: string, code: number | null): string {
  const line = firstLine(stderr.replace(/^dtrace: /gm, ''));
  const m = /([^:]*not supported yet.*)$/.exec(line);
  if (m) return m[1].trim();
  return `failed (exit ${code ?? 'signal'}): ${line || 'no message'}`;
}

/**
 * Compile-only check with `dtrace -q -e -s file`: undefined when the script
 * compiles, else the reason (e.g. "aggregation is not supported yet").
 */
export async function dtraceUnsupported(dtrace: string, scriptFile: string): Promise<string | undefined> {
  const r = await runCommand(dtrace, ['-q', '-e', '-s', scriptFile], 60_000);
  if (r.code === 0) return undefined;
  return failureReason(r.stderr, r.code);
}
