// `#pragma D option name[=value]`: sets an option while the program is
// compiled; `#pragma D depends_on library` is refused in a program. The
// lexer (syntax/pragma.ts) has already checked the other pragmas (#error,
// attributes, binding, depends_on) as DTrace does while reading them.

import { CompileError } from '../diag/diagnostic.js';
import type { Pragma } from '../syntax/ast.js';
import type { Options } from './options.js';

function unquote(w: string): string {
  return w.length >= 2 && w.startsWith('"') && w.endsWith('"') ? w.slice(1, -1) : w;
}

/**
 * applyPragma carries out one #pragma of the program; only `#pragma D
 * option` changes anything here. Library dependencies are for D library
 * files (sema/check.ts loads them), never the program.
 */
export function applyPragma(p: Pragma, options: Options): void {
  const [ns, verb, ...args] = p.words;
  if (ns === 'D' && verb === 'depends_on' && args[0] === 'library') {
    throw new CompileError('D_PRAGMA_DEPEND', 'main program may not explicitly depend on a library', p.pos);
  }
  if (ns !== 'D' || verb !== 'option') return;
  if (args.length === 0) throw new CompileError('D_PRAGMA_MALFORM', 'malformed #pragma option <option>=<val>', p.pos);
  if (args.length > 1) throw new CompileError('D_PRAGMA_MALFORM', 'superfluous arguments specified for #pragma option', p.pos);
  const eq = args[0].indexOf('=');
  const name = eq < 0 ? args[0] : args[0].slice(0, eq);
  const value = eq < 0 ? undefined : unquote(args[0].slice(eq + 1));
  const err = options.set(name, value, true);
  if (err !== undefined) {
    const what = value === undefined ? `'${name}'` : `'${name}' to '${value}'`;
    throw new CompileError('D_PRAGMA_OPTSET', `failed to set option ${what}: ${err}`, p.pos);
  }
}
