// Checking action calls used as statements (trace, printf, exit): their
// prototypes and arguments, with DTrace's D_PROTO_* and D_PRINTF_* errors.

import { CompileError } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { checkPrintfArgs, parseFormat, type ArgTypeInfo } from '../output/format.js';
import { FUNCS } from './actions.js';
import { unsupported, type ClauseChecker } from './check.js';
import type { TExpr, TStmt } from './ir.js';
import type { Type } from './types.js';

function protoLen(name: string, passed: number, min: number, max: number, pos: A.Pos): CompileError {
  const want = min === max ? `${min}` : passed < min ? `at least ${min}` : `no more than ${max}`;
  return new CompileError('D_PROTO_LEN', `${name}( ) prototype mismatch: ${passed} arg${passed === 1 ? '' : 's'} passed, ${want} expected`, pos);
}

function protoArg(name: string, n: number, proto: string, got: Type, pos: A.Pos): CompileError {
  return new CompileError('D_PROTO_ARG', `${name}( ) argument #${n} is incompatible with prototype:\n\tprototype: ${proto}\n\t argument: ${got.name}`, pos);
}

/** argInfo describes a checked argument's type for the printf checker. */
export function argInfo(t: Type): ArgTypeInfo {
  switch (t.kind) {
    case 'int': return { kind: 'int', name: t.name, size: t.size, signed: t.signed };
    case 'string': return { kind: 'string', name: 'string' };
    case 'pointer': return { kind: 'pointer', name: t.name, size: 8 };
    case 'array': return { kind: 'array', name: t.name };
    case 'void': return { kind: 'void', name: 'void' };
  }
}

/** checkCallStmt checks an action call and returns its statement. */
export function checkCallStmt(c: ClauseChecker, e: A.Call): TStmt {
  const def = FUNCS[e.callee];
  const args = e.args.map((a) => c.expr(a));
  if (args.length < def.min || args.length > def.max) throw protoLen(e.callee, args.length, def.min, def.max, e.pos);
  switch (e.callee) {
    case 'exit':
      if (args[0].type.kind !== 'int') throw protoArg('exit', 1, 'int', args[0].type, e.pos);
      return { k: 'exit', e: args[0], pos: e.pos };
    case 'trace':
      if (args[0].type.kind === 'void') throw protoArg('trace', 1, 'vmlinux`void', args[0].type, e.pos);
      if (args[0].type.kind === 'array') throw unsupported('trace( ) of an array', e.pos);
      return { k: 'trace', e: args[0], pos: e.pos };
    case 'printf':
      return checkPrintf(args, e.pos);
    default:
      throw unsupported(`action ${e.callee}( )`, e.pos);
  }
}

function checkPrintf(args: TExpr[], pos: A.Pos): TStmt {
  const fmtArg = args[0];
  if (fmtArg.type.kind !== 'string') throw protoArg('printf', 1, 'string', fmtArg.type, pos);
  if (fmtArg.k !== 'str') throw new CompileError('D_PRINTF_FMT', 'printf( ) format must be a string constant', pos);
  const parsed = parseFormat(fmtArg.value);
  if (parsed.error !== undefined) throw new CompileError(parsed.error.tag, parsed.error.message, pos);
  const values = args.slice(1);
  for (const v of values) if (v.type.kind === 'void') throw protoArg('printf', values.indexOf(v) + 2, 'vmlinux`void', v.type, pos);
  const diags = checkPrintfArgs(parsed, values.map((v) => argInfo(v.type)), 'printf');
  if (diags.length > 0) throw new CompileError(diags[0].tag, diags[0].message, pos);
  return { k: 'printf', fmt: parsed, fmtText: fmtArg.value, args: values, pos };
}
