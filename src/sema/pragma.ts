// `#pragma D ...` directives: options, #error, attributes, bindings and
// dependencies, applied in program order with DTrace's diagnostics.

import { CompileError } from '../diag/diagnostic.js';
import type { Pragma } from '../syntax/ast.js';
import type { Options } from './options.js';

const STABILITY = ['Internal', 'Private', 'Obsolete', 'External', 'Unstable', 'Evolving', 'Stable', 'Standard'];
const CLASS = ['Unknown', 'CPU', 'Platform', 'Group', 'ISA', 'Common'];

function unquote(w: string): string {
  return w.length >= 2 && w.startsWith('"') && w.endsWith('"') ? w.slice(1, -1) : w;
}

/** validAttributes checks a name/data/class triple such as Stable/Stable/Common. */
function validAttributes(s: string): boolean {
  const parts = s.split('/');
  if (parts.length === 0 || parts.length > 3) return false;
  const ok = [STABILITY, STABILITY, CLASS];
  return parts.every((p, i) => ok[i].some((x) => x.toLowerCase() === p.toLowerCase()));
}

/** applyPragma carries out one #pragma; pragmas other than `D ...` and `ident` are ignored as in C. */
export function applyPragma(p: Pragma, options: Options): void {
  const [ns, verb, ...args] = p.words;
  if (ns !== 'D') return;
  switch (verb) {
    case 'option': {
      if (args.length === 0) throw new CompileError('D_PRAGMA_MALFORM', 'malformed #pragma option', p.pos);
      if (args.length > 1) throw new CompileError('D_PRAGMA_MALFORM', 'superfluous arguments specified for #pragma option', p.pos);
      const eq = args[0].indexOf('=');
      const name = eq < 0 ? args[0] : args[0].slice(0, eq);
      const value = eq < 0 ? undefined : unquote(args[0].slice(eq + 1));
      const err = options.set(name, value, true);
      if (err !== undefined) {
        throw new CompileError('D_PRAGMA_OPTSET', `failed to set option '${name}' to '${value ?? ''}': ${err}`, p.pos);
      }
      return;
    }
    case 'error':
      throw new CompileError('D_PRAGERR', `#error: ${args.map((a) => `${unquote(a)} `).join('')}`, p.pos);
    case 'attributes':
      if (args.length !== 2) throw new CompileError('D_PRAGMA_MALFORM', 'malformed #pragma attributes <attributes> <ident>', p.pos);
      if (!validAttributes(args[0])) throw new CompileError('D_PRAGMA_INVAL', 'invalid attributes specified by #pragma attributes', p.pos);
      return;
    case 'binding':
      if (args.length !== 2) throw new CompileError('D_PRAGMA_MALFORM', 'malformed #pragma binding "version" <ident>', p.pos);
      return;
    case 'depends_on':
      if (args.length !== 2) throw new CompileError('D_PRAGMA_MALFORM', 'malformed #pragma depends_on <class> <name>', p.pos);
      if (!['provider', 'module', 'library'].includes(args[0])) {
        throw new CompileError('D_PRAGMA_INVAL', `invalid class ${args[0]} specified by #pragma depends_on`, p.pos);
      }
      return;
    case 'ident':
    case 'line':
      return;
    default:
      throw new CompileError('D_PRAGMA_INVAL', `unknown control directive: #pragma D ${verb ?? ''}`, p.pos);
  }
}
