// Checking subroutine calls against their prototypes (library/subrs.ts has
// one entry per subroutine: its prototype and its code). Arguments are
// checked with D's assignment rules and DTrace's D_PROTO_LEN / D_PROTO_ARG
// messages.

import { CompileError } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { argCompat, unsupported, type ExprChecker } from './expr.js';
import type { FuncDef } from './actions.js';
import { SUBRS } from '../library/subrs.js';
import type { TExpr } from './ir.js';
import { PREDEFINED_TYPEDEFS, T, builtinFromWords, pointerTo, type Type } from './types.js';

/** Param is one parameter of a prototype: its type ('@' any), optional, and its text for messages. */
interface Param {
  readonly type: Type | '@' | undefined;
  readonly optional: boolean;
  readonly text: string;
}

interface Proto {
  readonly ret: Type;
  readonly params: readonly Param[];
  readonly varargs: boolean;
}

/** protoType resolves a type in a prototype string; kernel types that do not resolve accept any pointer. */
function protoType(text: string, c: ExprChecker): Type | undefined {
  let t = text.replace(/\bconst\b/g, '').trim();
  let stars = 0;
  while (t.endsWith('*')) { stars++; t = t.slice(0, -1).trim(); }
  let base: Type | undefined;
  if (t === 'string') base = T.string;
  else {
    const m = /^(struct|union)\s+(\w+)$/.exec(t);
    if (m) base = c.scope.types.env.tag(m[1] as 'struct', m[2]);
    else base = builtinFromWords(t.split(/\s+/)) ?? PREDEFINED_TYPEDEFS.get(t) ?? c.scope.types.env.typedef(t);
  }
  if (base === undefined) return stars > 0 ? pointerTo(T.void) : undefined;
  for (let i = 0; i < stars; i++) base = pointerTo(base);
  return base;
}

const protoCache = new Map<string, { ret: string; params: { text: string; optional: boolean }[]; varargs: boolean }>();

function parseProto(proto: string, c: ExprChecker): Proto {
  let p = protoCache.get(proto);
  if (p === undefined) {
    const open = proto.indexOf('(');
    const inner = proto.slice(open + 1, proto.lastIndexOf(')')).trim();
    const parts = inner === '' ? [] : inner.split(',').map((x) => x.trim());
    const varargs = parts[parts.length - 1] === '...';
    if (varargs) parts.pop();
    p = {
      ret: proto.slice(0, open).trim(),
      params: parts.map((x) => x.startsWith('[') ? { text: x.slice(1, -1).trim(), optional: true } : { text: x, optional: false }),
      varargs,
    };
    protoCache.set(proto, p);
  }
  return {
    ret: protoType(p.ret, c) ?? T.void,
    params: p.params.map((x) => ({ type: x.text === '@' ? '@' : protoType(x.text, c), optional: x.optional, text: x.text.replace(/\bconst\s+/g, '') })),
    varargs: p.varargs,
  };
}

/** protoLen is DTrace's D_PROTO_LEN error for a call with the wrong number of arguments. */
export function protoLen(name: string, passed: number, min: number, max: number, pos: A.Pos): CompileError {
  const want = min === max ? `${min}` : passed < min ? `at least ${min}` : `at most ${max}`;
  return new CompileError('D_PROTO_LEN', `${name}( ) prototype mismatch: ${passed} arg${passed === 1 ? '' : 's'} passed, ${want} expected`, pos);
}

/** protoArg is DTrace's D_PROTO_ARG error for an argument that does not fit its parameter. */
export function protoArg(name: string, n: number, proto: string, got: Type, pos: A.Pos): CompileError {
  return new CompileError('D_PROTO_ARG', `${name}( ) argument #${n} is incompatible with prototype:\n\tprototype: ${proto}\n\t argument: ${got.name}`, pos);
}

/**
 * checkArgs checks the arguments of a call to `name` against DTrace's
 * prototype `proto` (subroutines and actions alike): their number
 * (D_PROTO_LEN) and types (D_PROTO_ARG); string parameters take strings.
 */
export function checkArgs(c: ExprChecker, name: string, proto: string, args: readonly TExpr[], pos: A.Pos): { args: TExpr[]; ret: Type } {
  const p = parseProto(proto, c);
  const min = p.params.filter((x) => !x.optional).length;
  const max = p.varargs ? Infinity : p.params.length;
  if (args.length < min || args.length > max) throw protoLen(name, args.length, min, max, pos);
  const checked = args.map((a, i) => {
    // Arguments past the named parameters of a "..." prototype may be of any type.
    const q = p.params[i];
    if (q === undefined) return a;
    if (a.type.kind === 'void') throw protoArg(name, i + 1, q.text, a.type, pos);
    if (q.type === '@' || q.type === undefined) return a;
    if (!argCompat(q.type, a)) throw protoArg(name, i + 1, q.text, a.type, pos);
    return q.type.kind === 'string' ? c.toStr(a) : a;
  });
  return { args: checked, ret: p.ret };
}

/** checkSubrCall checks a subroutine call against its prototype and gives its value. */
export function checkSubrCall(c: ExprChecker, e: A.Call, def: FuncDef): TExpr {
  const args = e.args.map((a) => c.value(a));
  if (def.kind === 'agg') {
    if (args.length < def.min || args.length > def.max) throw protoLen(e.callee, args.length, def.min, def.max, e.pos);
    throw new CompileError('D_AGG_FUNC', `${e.callee}( ) may only be used to assign a value to an aggregation`, e.pos);
  }
  const sub = SUBRS[e.callee];
  if (sub === undefined) throw unsupported(`subroutine ${e.callee}( )`, e.pos);
  const { args: checked, ret } = checkArgs(c, e.callee, sub.proto, args, e.pos);
  if (sub.gen === undefined) throw unsupported(`subroutine ${e.callee}( )`, e.pos);
  const hidden = sub.check?.(c, checked, e.pos) ?? [];
  return { k: 'call', type: ret, pos: e.pos, fn: e.callee, args: [...checked, ...hidden] };
}
