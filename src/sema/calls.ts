// Checking action calls used as statements (trace, printf, exit): their
// prototypes and arguments, with DTrace's D_PROTO_* and D_PRINTF_* errors.

import { CompileError } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { checkPrintfArgs, parseFormat, type ArgTypeInfo } from '../format/printf.js';
import { FUNCS, PARAM_NAMES, type FuncDef, type ParamKind } from './actions.js';
import type { ClauseChecker } from './check.js';
import { unsupported } from './expr.js';
import { aggArg } from './aggs.js';
import { checkArgs, protoArg, protoLen } from './subrs.js';
import { ACTIONS } from '../library/actions.js';
import type { Aggregation, SpecOp, TExpr, TStmt } from './ir.js';
import { namedActionKind } from './specrules.js';
import { isStrCompat, type Type } from './types.js';

export { protoLen };

/**
 * cgError is an error dtrace-utils finds while generating code (dt_cg.c,
 * dt_printf.c) rather than while checking: it names no region of the clause.
 */
function cgError(tag: string, message: string, pos: A.Pos): CompileError {
  return new CompileError(tag, message, pos).inRegion('');
}

/** accepts tells whether a checked argument fits a parameter kind of an action. */
function accepts(k: ParamKind, t: Type): boolean {
  switch (k) {
    case 'int': return t.kind === 'int' || t.kind === 'enum';
    case 'string': return isStrCompat(t);
    case 'ptr': return t.kind === 'pointer' || t.kind === 'array' || t.kind === 'int';
    case 'scalar': return t.kind === 'int' || t.kind === 'enum' || t.kind === 'pointer';
    case 'any': return t.kind !== 'void';
  }
}

/** checkParams checks argument types against an action's parameters (D_PROTO_ARG). */
export function checkParams(name: string, def: FuncDef, args: readonly TExpr[], pos: A.Pos): void {
  if (def.params === undefined) return;
  args.forEach((a, i) => {
    const k = def.params![Math.min(i, def.params!.length - 1)];
    if (!accepts(k, a.type)) throw protoArg(name, i + 1, PARAM_NAMES[k], a.type, pos);
  });
}

/** argInfo describes a checked argument's type for the printf checker. */
export function argInfo(t: Type): ArgTypeInfo {
  switch (t.kind) {
    case 'int': {
      if (t.symbolic === 'stack' || t.symbolic === 'ustack') return { kind: 'stack', name: 'stack' };
      if (t.symbolic !== undefined) return { kind: t.symbolic === 'usym' ? 'usymaddr' : 'symaddr', name: t.name, size: 8, signed: false };
      const base = t.size === 8 ? 'long' : t.size === 4 ? 'int' : t.size === 2 ? 'short' : 'char';
      return { kind: 'int', name: t.name, size: t.size, signed: t.signed, baseName: t.signed ? base : `unsigned ${base}` };
    }
    case 'enum': return { kind: 'enum', name: t.name, size: t.decl.size, signed: true };
    case 'float': return { kind: 'float', name: t.name, size: t.size };
    case 'string': return { kind: 'string', name: 'string' };
    case 'pointer': return { kind: 'pointer', name: t.name, size: 8 };
    case 'array': return { kind: 'array', name: t.name, element: argInfo(t.of) };
    case 'sou': return { kind: t.decl.tag, name: t.name };
    case 'func': return { kind: 'function', name: t.name };
    case 'void': return { kind: 'void', name: 'void' };
  }
}

/** checkCallStmt checks an action call and returns its statement. */
export function checkCallStmt(c: ClauseChecker, e: A.Call): TStmt {
  const def = FUNCS[e.callee];
  if (AGG_ACTIONS.has(e.callee)) return checkAggAction(c, e, def.min, def.max);
  if (e.callee === 'trace' && e.args.length === 1 && e.args[0].kind === 'AggRef') {
    throw cgError('D_TRACE_DYN', 'trace( ) may not be applied to a dynamic expression', e.pos);
  }
  if (e.callee === 'printf') checkAggPrintfArgs(c, e);
  const args = e.args.map((a) => c.value(a));
  if (args.length < def.min || args.length > def.max) throw protoLen(e.callee, args.length, def.min, def.max, e.pos);
  switch (e.callee) {
    case 'exit':
      if (args[0].type.kind !== 'int') throw protoArg('exit', 1, 'int', args[0].type, e.pos);
      return { k: 'exit', e: args[0], pos: e.pos };
    case 'trace':
      if (args[0].type.kind === 'void') throw cgError('D_TRACE_VOID', 'trace( ) may not be applied to a void expression', e.pos);
      if (args[0].k === 'xlated') throw cgError('D_TRACE_DYN', 'trace( ) may not be applied to a dynamic expression', e.pos);
      return { k: 'trace', e: args[0], pos: e.pos };
    case 'printf':
      return checkPrintf(c, args, e.pos);
    case 'speculate': case 'commit': case 'discard':
      return { k: 'spec', op: e.callee, id: checkArgs(c, e.callee, ACTIONS[e.callee].proto, args, e.pos).args[0], pos: e.pos } satisfies TStmt & { op: SpecOp };
    default:
      return checkAction(c, e, args);
  }
}

/**
 * checkActionValue checks an action called where a value is expected (its
 * type is void, and the caller reports the misuse): as DTrace does, only
 * against its prototype; its format and other checks belong to the statement.
 */
export function checkActionValue(c: ClauseChecker, e: A.Call): void {
  const def = FUNCS[e.callee];
  if (AGG_ACTIONS.has(e.callee)) {
    checkCallStmt(c, e);
    return;
  }
  const args = e.args.map((a) => c.value(a));
  const act = ACTIONS[e.callee];
  if (act !== undefined) {
    checkArgs(c, e.callee, act.proto, args, e.pos);
    return;
  }
  if (args.length < def.min || args.length > def.max) throw protoLen(e.callee, args.length, def.min, def.max, e.pos);
  checkParams(e.callee, def, args, e.pos);
}

/** checkAction checks a call of a generic action of library/actions.ts against its prototype. */
function checkAction(c: ClauseChecker, e: A.Call, args: TExpr[]): TStmt {
  const act = ACTIONS[e.callee];
  if (act?.refused !== undefined) {
    checkParams(e.callee, FUNCS[e.callee], args, e.pos);
    // DTrace checks the action's place in the clause first, and refuses it while generating code.
    c.specRules.note(namedActionKind(e.callee), e.pos);
    c.specRules.check();
    throw cgError('D_UNKNOWN', `${e.callee}( ) is not available: ${act.refused}`, e.pos);
  }
  if (act?.gen === undefined) {
    if (act?.check !== undefined) act.check(e.callee, checkArgs(c, e.callee, act.proto, args, e.pos).args, c.scope.options, e.pos);
    checkParams(e.callee, FUNCS[e.callee], args, e.pos);
    // Where DTrace would refuse the action's place in the clause, say so rather than that it is not built.
    c.specRules.note(namedActionKind(e.callee), e.pos);
    c.specRules.check();
    throw unsupported(`action ${e.callee}( )`, e.pos);
  }
  let checked = checkArgs(c, e.callee, act.proto, args, e.pos).args;
  if (act.check !== undefined) checked = act.check(e.callee, checked, c.scope.options, e.pos);
  if (act.destructive === true) c.scope.destructive.add(e.callee);
  if (act.format !== true) return { k: 'action', name: e.callee, args: checked, pos: e.pos };
  // An empty freopen( ) format restores the original output; "." is what dtrace-utils uses to mean that, so it is refused.
  if (e.callee === 'freopen' && checked[0]?.k === 'str' && checked[0].value === '.') {
    throw cgError('D_FREOPEN_INVALID', 'freopen( ) argument #1 cannot be "."', e.pos);
  }
  // freopen("") (no format to print) restores the original output.
  if (e.callee === 'freopen' && checked.length === 1 && checked[0].k === 'str' && checked[0].value === '') {
    return { k: 'action', name: e.callee, args: [], pos: e.pos };
  }
  const p = checkPrintf(c, checked, e.pos, e.callee);
  return { k: 'action', name: e.callee, args: p.args, fmt: p.fmt, pos: e.pos };
}

const AGG_ACTIONS: ReadonlySet<string> = new Set(['printa', 'clear', 'trunc', 'normalize', 'denormalize']);

/** checkAggAction checks the actions that take aggregations: printa, clear, trunc, normalize, denormalize. */
function checkAggAction(c: ClauseChecker, e: A.Call, min: number, max: number): TStmt {
  const n = e.args.length;
  if (e.callee === 'printa') return checkPrinta(c, e);
  if (n < min || n > max) throw protoLen(e.callee, n, min, max, e.pos);
  const tag = e.callee === 'clear' ? 'D_CLEAR_AGGARG' : e.callee === 'trunc' ? 'D_TRUNC_AGGARG' : e.callee === 'normalize' ? 'D_NORMALIZE_AGGARG' : 'D_NORMALIZE_AGGARG';
  const agg = aggArg(c, e.args[0], e.callee, 1, tag);
  let arg: TExpr | undefined;
  if (n > 1) {
    arg = c.value(e.args[1]);
    if (arg.type.kind !== 'int') {
      throw new CompileError(e.callee === 'trunc' ? 'D_TRUNC_SCALAR' : 'D_NORMALIZE_SCALAR', `${e.callee}( ) argument #2 must be of scalar type`, e.pos);
    }
  }
  return { k: 'aggop', op: e.callee as 'clear' | 'trunc' | 'normalize' | 'denormalize', agg, arg, pos: e.pos };
}

function checkPrinta(c: ClauseChecker, e: A.Call): TStmt {
  if (e.args.length === 0) throw protoLen('printa', 0, 1, Infinity, e.pos);
  const first = e.args[0];
  const joined = (aggs: Aggregation[]): void => {
    const base = aggs[0];
    const keys = (x: Aggregation): string => `${x.keys.length} key${x.keys.length === 1 ? '' : 's'}`;
    for (const a of aggs.slice(1)) {
      if (a.keys.length !== base.keys.length) {
        throw new CompileError('D_PRINTA_AGGKEY', `printa( ): @${base.name} and @${a.name} do not have matching key signatures: @${base.name} has ${keys(base)}, @${a.name} has ${keys(a)}`, e.pos);
      }
      const i = a.keys.findIndex((t, k) => t.kind !== base.keys[k].kind);
      if (i >= 0) {
        throw new CompileError('D_PRINTA_AGGPROTO', `printa( ): @${base.name} and @${a.name} do not have matching key signatures: @${base.name} key #${i + 1} is ${base.keys[i].name}, @${a.name} key #${i + 1} is ${a.keys[i].name}`, e.pos);
      }
    }
  };
  if (first.kind === 'AggRef') {
    // printa(@a, @b, ...) prints aggregations joined on their keys in the default format.
    const aggs = e.args.map((a, i) => aggArg(c, a, 'printa', i + 1, 'D_PRINTA_AGGARG'));
    joined(aggs);
    return { k: 'printa', aggs, pos: e.pos };
  }
  const fmt = c.value(first);
  if (fmt.k !== 'str') {
    throw cgError('D_PRINTA_AGGARG', `printa( ) argument #1 is incompatible with prototype:\n\tprototype: aggregation\n\t argument: ${fmt.type.name}`, e.pos);
  }
  if (e.args.length < 2) throw new CompileError('D_PRINTA_PROTO', `printa( ) prototype mismatch: ${e.args.length} args passed, 2 expected`, e.pos);
  const aggs = e.args.slice(1).map((a, i) => aggArg(c, a, 'printa', i + 2, 'D_PRINTA_AGGARG'));
  joined(aggs);
  const base = aggs[0];
  const parsed = parseFormat(fmt.value);
  if (parsed.error !== undefined) throw cgError(parsed.error.tag, parsed.error.message, e.pos);
  const diags = checkPrintfArgs(parsed, base.keys.map(argInfo), 'printa', { aggregation: true, exactLength: false, aggIsCount: base.func === 'count' });
  if (diags.length > 0) throw cgError(diags[0].tag, diags[0].message, e.pos);
  return { k: 'printa', aggs, fmt: parsed, pos: e.pos };
}

/**
 * checkAggPrintfArgs: an aggregation given as a printf( ) value is an
 * argument of type "aggregation" that no conversion accepts, as DTrace
 * reports it (before the other arguments are checked as values).
 */
function checkAggPrintfArgs(c: ClauseChecker, e: A.Call): void {
  const [fmt, ...values] = e.args;
  if (fmt?.kind !== 'StrLit' || !values.some((v) => v.kind === 'AggRef')) return;
  const parsed = parseFormat(fmt.value);
  if (parsed.error !== undefined) return;
  const infos = values.map((v): ArgTypeInfo => v.kind === 'AggRef' ? { kind: 'other', name: 'aggregation' } : argInfo(c.value(v).type));
  const diags = checkPrintfArgs(parsed, infos, 'printf');
  if (diags.length > 0) throw cgError(diags[0].tag, diags[0].message, e.pos);
}

/** checkPrintf checks printf( ) and the actions that take a printf( ) format (system, freopen). */
function checkPrintf(c: ClauseChecker, args: TExpr[], pos: A.Pos, name = 'printf'): TStmt & { k: 'printf' } {
  const fmtArg = args[0];
  // printf's prototype wants a string; system( ) and freopen( ) take any first argument ("@") until the format is read.
  if (fmtArg.type.kind !== 'string' && name === 'printf') throw protoArg(name, 1, 'string', fmtArg.type, pos);
  if (fmtArg.k !== 'str') {
    const e = protoArg(name, 1, 'string constant', fmtArg.type, pos);
    throw cgError('D_PRINTF_ARG_FMT', e.message, pos);
  }
  const parsed = parseFormat(fmtArg.value);
  if (parsed.error !== undefined) throw cgError(parsed.error.tag, parsed.error.message, pos);
  const values = args.slice(1);
  const diags = checkPrintfArgs(parsed, values.map((v) => argInfo(v.type)), name);
  if (diags.length > 0) throw cgError(diags[0].tag, diags[0].message, pos);
  // A char array printed with %s is read as a string.
  let j = 0;
  for (const conv of parsed.conversions) {
    if (conv.spec.print === 'pct') continue;
    if (conv.width === '*') j++;
    if (conv.precision === '*') j++;
    if (conv.spec.argClass === 'string' && values[j] !== undefined) values[j] = c.toStr(values[j]);
    j++;
  }
  return { k: 'printf', fmt: parsed, fmtText: fmtArg.value, args: values, pos };
}
