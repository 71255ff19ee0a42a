// The syntax stage's public surface: D source text in, AST (ast.ts) out, plus
// the probe-description helpers later stages use to match probes.

export { parseProgram, Parser } from './parser.js';
export type { ParseOptions } from './parser.js';
export { Lexer, tokenize } from './lexer.js';
export type { LexerHost, LexerOptions, LexMode } from './lexer.js';
export type { MacroOptions } from './macros.js';
export {
  gmatch, makeProbeDesc, matchProbe, normalizeProbeDesc, probeDescText, splitProbeDesc,
} from './probedesc.js';
export type { ProbeName, ProbeSpecKind } from './probedesc.js';
export { dumpExpr, dumpProgram } from './dump.js';
export type * from './ast.js';
