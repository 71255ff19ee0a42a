// Subroutines: one table entry per D subroutine with its prototype as
// DTrace writes it ("string(uintptr_t, [size_t])": return type, parameter
// types, [optional] ones, "..." and "@" for any type). Arguments are
// checked against the prototype with D's assignment rules and DTrace's
// D_PROTO_LEN / D_PROTO_ARG messages; the code generator has the entry's
// code (codegen/subrs.ts) under the same name.

import { CompileError } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { argCompat, unsupported, type ExprChecker } from './expr.js';
import type { FuncDef } from './actions.js';
import type { TExpr } from './ir.js';
import { PREDEFINED_TYPEDEFS, T, builtinFromWords, pointerTo, type Type } from './types.js';

/** SubrDef is a subroutine's prototype and whether its code exists yet. */
export interface SubrDef {
  readonly proto: string;
  readonly supported: boolean;
}

function s(proto: string, supported = false): SubrDef {
  return { proto, supported };
}

/** SUBRS lists every D subroutine. */
export const SUBRS: Readonly<Record<string, SubrDef>> = {
  alloca: s('void *(size_t)'),
  basename: s('string(const char *)'),
  bcopy: s('void(void *, void *, size_t)'),
  cleanpath: s('string(const char *)'),
  copyin: s('void *(uintptr_t, size_t)', true),
  copyinstr: s('string(uintptr_t, [size_t])', true),
  copyinto: s('void(uintptr_t, size_t, void *)'),
  copyout: s('void(void *, uintptr_t, size_t)'),
  copyoutstr: s('void(char *, uintptr_t, size_t)'),
  d_path: s('string(struct path *)'),
  dirname: s('string(const char *)'),
  getmajor: s('dev_t(dev_t)'),
  getminor: s('dev_t(dev_t)'),
  htonl: s('uint32_t(uint32_t)'),
  htonll: s('uint64_t(uint64_t)'),
  htons: s('uint16_t(uint16_t)'),
  index: s('int(const char *, const char *, [int])'),
  inet_ntoa: s('string(ipaddr_t *)'),
  inet_ntoa6: s('string(struct in6_addr *, [int])'),
  inet_ntop: s('string(int, void *)'),
  link_ntop: s('string(int, void *)'),
  lltostr: s('string(int64_t, [int])'),
  mutex_owned: s('int(struct mutex *)'),
  mutex_owner: s('struct task_struct *(struct mutex *)'),
  mutex_type_adaptive: s('int(struct mutex *)'),
  mutex_type_spin: s('int(struct mutex *)'),
  ntohl: s('uint32_t(uint32_t)'),
  ntohll: s('uint64_t(uint64_t)'),
  ntohs: s('uint16_t(uint16_t)'),
  progenyof: s('int(pid_t)'),
  rand: s('int()'),
  rindex: s('int(const char *, const char *, [int])'),
  rw_iswriter: s('int(rwlock_t *)'),
  rw_read_held: s('int(rwlock_t *)'),
  rw_write_held: s('int(rwlock_t *)'),
  speculation: s('int()'),
  strchr: s('string(const char *, char)'),
  strjoin: s('string(const char *, const char *)'),
  strlen: s('size_t(const char *)'),
  strrchr: s('string(const char *, char)'),
  strstr: s('string(const char *, const char *)'),
  strtok: s('string(const char *, const char *)'),
  strtoll: s('int64_t(const char *, [int])'),
  substr: s('string(const char *, int, [int])'),
  tolower: s('string(const char *)'),
  toupper: s('string(const char *)'),
  getpid: s('pid_t()'),
};

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

/** checkSubrCall checks a subroutine call against its prototype and gives its value. */
export function checkSubrCall(c: ExprChecker, e: A.Call, def: FuncDef): TExpr {
  const args = e.args.map((a) => c.value(a));
  if (def.kind === 'agg') {
    if (args.length < def.min || args.length > def.max) throw protoLen(e.callee, args.length, def.min, def.max, e.pos);
    throw new CompileError('D_AGG_FUNC', `${e.callee}( ) may only be used to assign a value to an aggregation`, e.pos);
  }
  const sub = SUBRS[e.callee];
  if (sub === undefined) throw unsupported(`subroutine ${e.callee}( )`, e.pos);
  const proto = parseProto(sub.proto, c);
  const min = proto.params.filter((p) => !p.optional).length;
  const max = proto.varargs ? Infinity : proto.params.length;
  if (args.length < min || args.length > max) throw protoLen(e.callee, args.length, min, max, e.pos);
  const checked = args.map((a, i) => {
    const p = proto.params[Math.min(i, proto.params.length - 1)];
    if (a.type.kind === 'void') throw protoArg(e.callee, i + 1, p.text, a.type, e.pos);
    if (p.type === '@' || p.type === undefined) return a;
    if (!argCompat(p.type, a)) throw protoArg(e.callee, i + 1, p.text, a.type, e.pos);
    return p.type.kind === 'string' ? c.toStr(a) : a;
  });
  // copyinto( ) writes only into scratch memory from alloca( ).
  if (e.callee === 'copyinto') {
    throw new CompileError('D_PROTO_ARG', 'copyinto( ) argument #3 is incompatible with prototype:\n\tprototype: alloca pointer\n\t argument: non-alloca pointer', e.pos);
  }
  if (!sub.supported) throw unsupported(`subroutine ${e.callee}( )`, e.pos);
  return { k: 'call', type: proto.ret, pos: e.pos, fn: e.callee, args: checked };
}
