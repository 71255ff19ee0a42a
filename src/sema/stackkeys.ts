// Actions that have a value: stack( ), sym( ), func( ), mod( ) and their
// user-space forms. Their value is a stack or an address the consumer
// prints as a symbol, typed so (library/stacks.ts: "stack", "_symaddr"):
// an aggregation key may be such a value; anywhere else the checks of
// its type apply and the code generator refuses it (D_CG_EXPR), as DTrace.

import type * as A from '../syntax/ast.js';
import { ACTIONS } from '../library/actions.js';
import { SYMBOLIC_FUNCS, stackType } from '../library/stacks.js';
import type { ExprChecker } from './expr.js';
import type { TExpr } from './ir.js';
import { checkArgs } from './subrs.js';

/** symbolicKey checks a key expression that calls stack( ), sym( ) and the like; undefined for any other key. */
export function symbolicKey(c: ExprChecker, x: A.Expr): TExpr | undefined {
  if (x.kind !== 'Call') return undefined;
  const kind = SYMBOLIC_FUNCS[x.callee];
  const act = ACTIONS[x.callee];
  if (kind === undefined || act === undefined) return undefined;
  let args = checkArgs(c, x.callee, act.proto, x.args.map((a) => c.value(a)), x.pos).args;
  if (act.check !== undefined) args = act.check(x.callee, args, c.scope.options, x.pos, c.scope.types.env);
  if (typeof kind !== 'string') return { k: 'call', fn: x.callee, type: kind, pos: x.pos, args };
  const frames = args[0]?.k === 'int' ? Number(args[0].value) : 0;
  return { k: 'call', fn: x.callee, type: stackType(frames, kind === 'ustack'), pos: x.pos, args };
}
