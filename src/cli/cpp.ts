// The -C preprocessor: runs the system cpp over a D script the way
// libdtrace's dt_preproc does (same predefined macros, -std=c99, the script
// read as /dev/stdin so cpp's line markers name it so), and returns the text
// with `# N "file"` markers the lexer honours, or cpp's complaint.

import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CppOptions {
  /** -D name[=value], -U name and -I dir, in command-line order. */
  readonly args?: readonly CppArg[];
  /** -H: cpp prints each included file's name on stderr. */
  readonly printHeaders?: boolean;
  /** -xstdc mode: 'a' (default, -std=c99), 's' (-traditional-cpp), 'c'/'t' (no flag). */
  readonly stdc?: 'a' | 'c' | 's' | 't';
  /** The D version as __SUNW_D_VERSION (DT_VERSION_NUMBER); defaults to 2.0.4. */
  readonly version?: number;
  /** The preprocessor to run (-xcpppath); /usr/bin/cpp by default. */
  readonly path?: string;
}

export type CppArg =
  | { readonly kind: 'define'; readonly name: string; readonly value?: string }
  | { readonly kind: 'undef'; readonly name: string }
  | { readonly kind: 'include'; readonly dir: string }
  /** One word of -xcppargs, passed as it is. */
  | { readonly kind: 'raw'; readonly arg: string };

export type CppResult =
  | { readonly ok: true; readonly text: string; readonly stderr: string }
  /** `message` is DTrace's wording ("Preprocessor failed to process input program"). */
  | { readonly ok: false; readonly message: string; readonly stderr: string };

/** DT_VERSION_NUMBER(2, 0, 4), the latest D version dtrace-utils knows. */
export const DEFAULT_D_VERSION = (2 << 24) | (0 << 12) | 4;

/** predefinedArgs are the -D/-U flags dtrace_open adds for every cpp run. */
export function predefinedArgs(): string[] {
  const out = ['-D__linux', '-D__unix', '-D__SVR4', '-D__SUNW_D=1', '-U__GNUC__', '-D__SUNW_D_64', '-D__Linux'];
  if (arch() === 'x64') out.push('-D__amd64');
  return out;
}

function userArg(a: CppArg): string {
  switch (a.kind) {
    case 'define':
      return a.value === undefined ? `-D${a.name}` : `-D${a.name}=${a.value}`;
    case 'undef':
      return `-U${a.name}`;
    case 'include':
      return `-I${a.dir}`;
    case 'raw':
      return a.arg;
  }
}

/** cppArgv builds cpp's argument list (without the program name), as dt_preproc orders it. */
export function cppArgv(opts: CppOptions = {}): string[] {
  const argv = [...predefinedArgs(), ...(opts.args ?? []).map(userArg)];
  // cpp's diagnostics go to the user as DTrace shows them: one line each, no column or caret.
  argv.unshift('-fno-show-column', '-fno-diagnostics-show-caret');
  if (opts.printHeaders === true) argv.push('-H');
  const version = opts.version ?? DEFAULT_D_VERSION;
  argv.push(`-D__SUNW_D_VERSION=0x${version.toString(16).padStart(8, '0')}`);
  const stdc = opts.stdc ?? 'a';
  if (stdc === 'a') argv.push('-std=c99');
  if (stdc === 's') argv.push('-traditional-cpp');
  argv.push('/dev/stdin');
  return argv;
}

/**
 * stripInterpreter blanks a leading `#!` line but keeps its newline, so cpp
 * does not choke on it and line numbers stay right (dt_preproc seeks past it).
 */
function stripInterpreter(src: string): string {
  if (!src.startsWith('#!')) return src;
  const nl = src.indexOf('\n');
  return nl < 0 ? '' : src.slice(nl);
}

/**
 * runCpp gives cpp the script as its standard input. A file, not a pipe:
 * Node's stdio pipes are sockets, which cpp cannot open as /dev/stdin.
 */
function runCpp(text: string, opts: CppOptions): SpawnSyncReturns<string> {
  const dir = mkdtempSync(join(tmpdir(), 'dtrace-cpp-'));
  const file = join(dir, 'input.d');
  writeFileSync(file, text);
  const fd = openSync(file, 'r');
  try {
    return spawnSync(opts.path ?? '/usr/bin/cpp', cppArgv(opts), {
      stdio: [fd, 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** preprocess runs cpp over a script's text. */
export function preprocess(source: string, opts: CppOptions = {}): CppResult {
  const r = runCpp(stripInterpreter(source), opts);
  const stderr = r.stderr ?? '';
  if (r.error !== undefined) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, message: missing ? 'Preprocessor not found' : 'Failed to exec preprocessor', stderr };
  }
  if (r.status !== 0) return { ok: false, message: 'Preprocessor failed to process input program', stderr };
  return { ok: true, text: r.stdout, stderr };
}
