// Translators: `translator out < in param > { member = expr; ... };` and
// `xlate < out > (expr)`. A translated value is not computed as a whole
// unless it has to be: `xlate<psinfo_t *>(curthread)->pr_pid` checks and
// generates only the pr_pid member's expression, with `param` bound to the
// input expression. A translated struct used whole (traced, assigned) is
// materialized into an `xlate` node holding every translated member.

import { CompileError, type Pos } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { argCompat, quote, type ExprChecker } from './expr.js';
import type { TExpr } from './ir.js';
import { findMember, pointerTo, sameType, type SouType, type Type } from './types.js';

/** Translator is one translator definition. */
export interface Translator {
  readonly output: SouType;
  readonly input: Type;
  readonly param: string;
  readonly members: ReadonlyMap<string, A.Expr>;
  readonly pos: Pos;
}

/** A translated value: the translator, its input, and whether it is the struct or a pointer to it. */
interface Translated {
  readonly xl: Translator;
  readonly input: TExpr;
  readonly ptr: boolean;
}

function err(tag: string, msg: string, pos: Pos): CompileError {
  return new CompileError(tag, msg, pos);
}

export class Translators {
  private readonly list: Translator[] = [];
  /** Checked expressions that are translated values, not yet computed. */
  private readonly pending = new WeakMap<TExpr, Translated>();

  /**
   * define checks and adds a translator: the output must be a complete
   * struct or union, each member one of its members, of a compatible type.
   */
  define(c: ExprChecker, d: A.TranslatorDecl): void {
    const output = c.scope.types.typeName(d.output);
    const input = c.scope.types.typeName(d.input);
    if (this.list.some((x) => sameType(x.input, input) && sameType(x.output, output))) {
      throw err('D_XLATE_REDECL', `translator from ${input.name} to ${output.name} has already been declared`, d.pos);
    }
    if (output.kind === 'sou' && !output.decl.complete) throw err('D_XLATE_SOU', `incomplete struct/union/enum ${output.name}`, d.pos);
    if (output.kind !== 'sou') throw err('D_XLATE_SOU', 'translator output type must be a struct or union', d.pos);
    const members = new Map<string, A.Expr>();
    for (const m of d.members) members.set(m.name, m.value);
    const xl: Translator = { output, input, param: d.param, members, pos: d.pos };
    // Check every member now, with the parameter bound to a value of the input type.
    const probe: TExpr = { k: 'builtin', type: input, pos: d.pos, name: d.param };
    for (const m of d.members) {
      const om = findMember(output.decl, m.name);
      if (om === undefined) throw err('D_XLATE_MEMB', `translator member ${m.name} is not a member of ${output.name}`, m.pos);
      const v = c.bind(d.param, probe, () => c.value(m.value));
      if (!argCompat(om.type, v)) {
        throw err('D_XLATE_INCOMPAT', `translator member ${m.name} definition uses incompatible types: ${quote(om.type)} = ${quote(v.type)}`, m.pos);
      }
    }
    this.list.push(xl);
  }

  /** find looks a translator up as dt_xlator_lookup does: exact input type, then any compatible one. */
  private find(input: TExpr, output: SouType): Translator | undefined {
    const outs = this.list.filter((x) => sameType(x.output, output));
    return outs.find((x) => x.input.name === input.type.name && sameType(x.input, input.type))
      ?? outs.find((x) => sameType(x.input, input.type))
      ?? outs.find((x) => argCompat(x.input, input));
  }

  /** xlate checks `xlate<T>(e)` and `xlate<T *>(e)`. */
  xlate(c: ExprChecker, e: A.Xlate): TExpr {
    const to = c.scope.types.typeName(e.type);
    const input = c.value(e.operand);
    const ptr = to.kind === 'pointer';
    const out = ptr ? to.to : to;
    const xl = out.kind === 'sou' ? this.find(input, out) : undefined;
    if (xl === undefined) throw err('D_XLATE_NONE', `cannot translate from ${quote(input.type)} to ${quote(to)}`, e.pos);
    const node: TExpr = { k: 'xlate', type: ptr ? pointerTo(xl.output) : xl.output, pos: e.pos, members: [] };
    this.pending.set(node, { xl, input, ptr });
    return node;
  }

  /** isTranslated tells whether a checked expression is a translated value. */
  isTranslated(e: TExpr): boolean {
    return this.pending.has(e);
  }

  /** deref turns `*xlate<T *>(e)` into the translated struct. */
  deref(e: TExpr, pos: Pos): TExpr | undefined {
    const t = this.pending.get(e);
    if (t === undefined || !t.ptr) return undefined;
    const node: TExpr = { k: 'xlate', type: t.xl.output, pos, members: [] };
    this.pending.set(node, { ...t, ptr: false });
    return node;
  }

  /** member checks `x.m` or `x->m` on a translated value: the translator's expression for m. */
  member(c: ExprChecker, obj: TExpr, e: A.Member): TExpr | undefined {
    const t = this.pending.get(obj);
    if (t === undefined) return undefined;
    if (e.arrow !== t.ptr) {
      if (e.arrow) throw err('D_OP_PTR', 'operator -> must be applied to a pointer', e.pos);
      throw err('D_OP_SOU', `operator . cannot be applied to type ${quote(obj.type)}; must be applied to a struct or union`, e.pos);
    }
    return this.memberValue(c, t, e.member, e.pos);
  }

  private memberValue(c: ExprChecker, t: Translated, name: string, pos: Pos): TExpr {
    const m = findMember(t.xl.output.decl, name);
    if (m === undefined) throw err('D_TYPE_MEMBER', `${name} is not a member of ${t.xl.output.name}`, pos);
    const def = t.xl.members.get(name);
    if (def === undefined) throw err('D_XLATE_NOCONV', `translator does not define conversion for member: ${name}`, pos);
    const v = c.bind(t.xl.param, t.input, () => c.value(def));
    const value = m.type.kind === 'string' ? c.toStr(v) : v;
    // The member has the output's declared type.
    return value.type === m.type || m.type.kind === 'sou' ? value : { k: 'cast', type: m.type, pos, e: value };
  }

  /**
   * materialize computes a translated struct used whole: every member the
   * translator defines. A translated pointer used as a value is its input.
   */
  materialize(e: TExpr): TExpr {
    const t = this.pending.get(e);
    if (t === undefined) return e;
    if (t.ptr) return { k: 'cast', type: e.type, pos: e.pos, e: t.input };
    return e;
  }

  /** expand fills the members of a translated struct used whole (the checker calls it with itself). */
  expand(c: ExprChecker, e: TExpr): TExpr {
    const t = this.pending.get(e);
    if (t === undefined || t.ptr) return this.materialize(e);
    const members = [...t.xl.members.keys()].map((name) => ({ m: findMember(t.xl.output.decl, name)!, value: this.memberValue(c, t, name, e.pos) }));
    return { k: 'xlate', type: t.xl.output, pos: e.pos, members };
  }
}
