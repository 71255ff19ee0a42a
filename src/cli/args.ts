// dtrace(1) command-line parsing: the option letters DTrace accepts, in a
// table, parsed getopt-style (options may follow operands, as dtrace's
// repeated getopt passes allow). Operands become macro arguments $1...

import type { CppArg } from './cpp.js';

/** Letters that take an argument, and letters that are flags (DTrace's DTRACE_OPTSTR). */
const WITH_ARG = new Set(['3', '6', 'b', 'c', 'D', 'f', 'i', 'I', 'L', 'm', 'n', 'o', 'p', 'P', 's', 'U', 'x', 'X']);
const FLAGS = new Set(['a', 'A', 'B', 'C', 'e', 'F', 'G', 'h', 'H', 'l', 'q', 'S', 'v', 'V', 'w', 'Z']);

/**
 * Flags dtrace accepts that this implementation does not build, and why:
 * refused at once rather than accepted and ignored.
 */
export const REFUSED_FLAGS: Readonly<Record<string, string>> = {
  a: '-a is not supported: anonymous tracing state needs a DTrace kernel driver',
  A: '-A is not supported: anonymous tracing needs a DTrace kernel driver',
  B: '-B is not supported yet',
  G: '-G is not supported: linking D programs into ELF files (USDT) is not built',
  h: '-h is not supported: generating headers for USDT providers is not built',
  v: '-v is not supported yet: stability attributes are not reported',
};

/** ProgramArg is a -n description or -s script, in command-line order. */
export interface ProgramArg {
  readonly kind: 'n' | 's' | 'P' | 'm' | 'f' | 'i';
  readonly value: string;
}

export interface Args {
  readonly programs: ProgramArg[];
  readonly flags: Set<string>;
  /** -x name[=value] settings in order (also -b, -q, -w, -F, -Z mapped to options by the caller). */
  readonly xopts: { name: string; value?: string }[];
  /** -D, -U and -I for the preprocessor, in command-line order. */
  readonly cpp: CppArg[];
  readonly output?: string;
  readonly bufsize?: string;
  /** Operands: macro arguments $1, $2, ... */
  readonly operands: string[];
}

export class UsageError extends Error {}

/** parseArgs parses dtrace's argv (without the program name). */
export function parseArgs(argv: readonly string[]): Args {
  const a = {
    programs: [] as ProgramArg[], flags: new Set<string>(), xopts: [] as { name: string; value?: string }[],
    cpp: [] as CppArg[],
    output: undefined as string | undefined, bufsize: undefined as string | undefined, operands: [] as string[],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      a.operands.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      a.operands.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j];
      if (FLAGS.has(c)) {
        a.flags.add(c);
        continue;
      }
      if (!WITH_ARG.has(c)) throw new UsageError(`illegal option -- ${c}`);
      let value = arg.slice(j + 1);
      if (value === '') {
        if (i + 1 >= argv.length) throw new UsageError(`option requires an argument -- ${c}`);
        value = argv[++i];
      }
      switch (c) {
        case 'n': case 's': case 'P': case 'm': case 'f': case 'i':
          a.programs.push({ kind: c, value });
          break;
        case 'x': {
          const eq = value.indexOf('=');
          a.xopts.push(eq < 0 ? { name: value } : { name: value.slice(0, eq), value: value.slice(eq + 1) });
          break;
        }
        case 'b': a.bufsize = value; break;
        case 'o': a.output = value; break;
        case 'D': {
          const eq = value.indexOf('=');
          a.cpp.push(eq < 0 ? { kind: 'define', name: value } : { kind: 'define', name: value.slice(0, eq), value: value.slice(eq + 1) });
          break;
        }
        case 'U': a.cpp.push({ kind: 'undef', name: value }); break;
        case 'I': a.cpp.push({ kind: 'include', dir: value }); break;
        // -32 and -64 choose the data model; only 64-bit is built.
        case '3': case '6':
          if (value !== (c === '3' ? '2' : '4')) throw new UsageError(`illegal option -- ${c}${value}`);
          if (c === '3') a.flags.add('32');
          break;
        default: a.flags.add(c); a.xopts.push({ name: `-${c}`, value }); break;
      }
      break;
    }
  }
  return a;
}

/** USAGE is printed for usage errors, as dtrace -h would. */
export const USAGE = `Usage: dtrace [-32|-64] [-CeFGhHlqSvVwZ] [-b bufsz] [-c cmd] [-D name[=def]]
	[-I path] [-L path] [-o output] [-p pid] [-s script] [-U name]
	[-x opt[=val]] [-X a|c|s|t]

	[-P provider [[ predicate ] action ]]
	[-m [ provider: ] module [[ predicate ] action ]]
	[-f [[ provider: ] module: ] func [[ predicate ] action ]]
	[-n [[[ provider: ] module: ] func: ] name [[ predicate ] action ]]
	[-i probe-id [[ predicate ] action ]] [ args ... ]

	predicate -> '/' D-expression '/'
	   action -> '{' D-statements '}'

	-32 generate 32-bit D programs and ELF files
	-64 generate 64-bit D programs and ELF files

	-b  set trace buffer size
	-c  run specified command and exit upon its completion
	-C  run cpp(1) preprocessor on script files
	-D  define symbol when invoking preprocessor
	-e  exit after compiling request but prior to enabling probes
	-f  enable or list probes matching the specified function name
	-F  coalesce trace output by function
	-G  generate an ELF file containing embedded dtrace program
	-h  generate a header file with definitions for static probes
	-H  print included files when invoking preprocessor
	-i  enable or list probes matching the specified probe id
	-I  add include directory to preprocessor search path
	-l  list probes matching specified criteria
	-L  add library directory to library search path
	-m  enable or list probes matching the specified module name
	-n  enable or list probes matching the specified probe name
	-o  set output file
	-p  grab specified process-ID and cache its symbol tables
	-P  enable or list probes matching the specified provider name
	-q  set quiet mode (only output explicitly traced data)
	-s  enable or list probes according to the specified D script
	-S  print D compiler intermediate code
	-U  undefine symbol when invoking preprocessor
	-v  set verbose mode (report stability attributes, arguments)
	-V  report DTrace API version
	-w  permit destructive actions
	-x  enable or modify compiler and tracing options
	-X  specify ISO C conformance settings for preprocessor
	-Z  permit probe descriptions that match zero probes
`;
