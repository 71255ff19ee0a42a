// Translators: `translator out < in param > { member = expr; ... };` and
// `xlate < out > (expr)` / `xlate < out * > (expr)`. As in DTrace, a
// translated value is "dynamic": it is not computed as a whole unless it is
// stored whole. `xlate<psinfo_t *>(curthread)->pr_pid` checks and generates
// only the pr_pid member's expression with `param` bound to the input; a
// translated struct assigned to a variable is materialized into an `xlate`
// node holding every member the translator defines. Used as a value, a
// translated pointer is its input pointer, but D does not let it be
// compared, cast to another type, stored or traced.

import { CompileError, type Pos } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { argCompat, quote, type ExprChecker } from './expr.js';
import type { TExpr } from './ir.js';
import { findMember, isChar, pointerTo, sameType, type SouType, type Type } from './types.js';

/** Translator is one translator definition: the members it defines, checked once. */
export interface Translator {
  readonly output: SouType;
  readonly input: Type;
  readonly param: string;
  readonly members: ReadonlyMap<string, A.Expr>;
  readonly pos: Pos;
}

/** The names DTrace gives dynamic values in messages (dt_idkind_name). */
const XLSOU = 'translated data';
const XLPTR = 'pointer to translated data';

function err(tag: string, msg: string, pos: Pos): CompileError {
  return new CompileError(tag, msg, pos);
}

type Xlated = TExpr & { k: 'xlated' };

/** isXlated tells whether a checked expression is a translated value (DTrace's dynamic expressions). */
export function isXlated(e: TExpr): e is Xlated {
  return e.k === 'xlated';
}

/** realType is the type a translated value stands for: the output struct or a pointer to it. */
export function realType(e: Xlated): Type {
  return e.ptr ? pointerTo(e.xl.output) : e.xl.output;
}

/** xlateCompat tells whether a translated value may initialize an inline of type `t` (its own type). */
export function xlateCompat(t: Type, e: TExpr): boolean {
  return isXlated(e) && sameType(t, realType(e));
}

export class Translators {
  private readonly list: Translator[] = [];

  /**
   * define checks and adds a translator as dt_node_xlator and
   * dt_cook_xlator do: the output must be a complete struct or union and
   * no translator may already go from the same input to the same output;
   * then each member must be a member of the output, of a compatible type.
   * Errors about the translator as a whole are reported at its end, where
   * DTrace's grammar reduces it. A library translator (`lenient`) keeps
   * the members that check on this kernel and leaves the others undefined
   * (D_XLATE_NOCONV when used), so one kernel difference does not cost the
   * whole translator.
   */
  define(c: ExprChecker, d: A.TranslatorDecl, lenient = false): void {
    const output = c.scope.types.typeName(d.output);
    const input = c.scope.types.typeName(d.input);
    const at = d.end ?? d.pos;
    if (output.kind === 'sou' && this.exact(input, output) !== undefined) {
      throw err('D_XLATE_REDECL', `translator from ${input.name} to ${output.name} has already been declared`, at);
    }
    if (output.kind === 'sou' && !output.decl.complete) throw err('D_XLATE_SOU', `incomplete struct/union/enum ${output.name}`, at);
    if (output.kind !== 'sou') throw err('D_XLATE_SOU', 'translator output type must be a struct or union', at);
    const members = new Map<string, A.Expr>();
    const xl: Translator = { output, input, param: d.param, members, pos: d.pos };
    this.list.push(xl);
    // Each member is checked with the parameter bound to a value of the input type.
    const param: TExpr = { k: 'builtin', type: input, pos: d.pos, name: d.param };
    for (const m of d.members) {
      const om = findMember(output.decl, m.name);
      if (om === undefined) throw err('D_XLATE_MEMB', `translator member ${m.name} is not a member of ${output.name}`, at);
      let v: TExpr;
      try {
        v = c.bind(d.param, param, () => c.expr(m.value));
      } catch (e) {
        if (lenient && e instanceof CompileError) continue;
        throw e;
      }
      if (!argCompat(om.type, v) && !xlateCompat(om.type, v)) {
        throw err('D_XLATE_INCOMPAT', `translator member ${m.name} definition uses incompatible types: ${quote(om.type)} = ${quote(v.type)}`, at);
      }
      members.set(m.name, m.value);
    }
  }

  /** exact finds a translator from exactly `input` to `output` (DT_XLATE_EXACT). */
  private exact(input: Type, output: SouType): Translator | undefined {
    return this.list.find((x) => sameType(x.input, input) && sameType(x.output, output));
  }

  /** find looks a translator up as dt_xlator_lookup does: exact input type, then any compatible one. */
  private find(input: TExpr, output: SouType): Translator | undefined {
    const outs = this.list.filter((x) => sameType(x.output, output));
    return outs.find((x) => x.input.name === input.type.name && sameType(x.input, input.type))
      ?? outs.find((x) => sameType(x.input, input.type))
      ?? outs.find((x) => argCompat(x.input, input));
  }

  /** xlate checks `xlate<T>(e)` and `xlate<T *>(e)`: a translated value, computed only as it is used. */
  xlate(c: ExprChecker, e: A.Xlate): TExpr {
    const to = c.scope.types.typeName(e.type);
    const input = c.expr(e.operand);
    const ptr = to.kind === 'pointer';
    const out = ptr ? to.to : to;
    let xl: Translator | undefined;
    if (out.kind === 'sou' && !isXlated(input)) {
      xl = this.find(input, out);
      // A library file may define the translator without naming the type the script wrote.
      const env = c.scope.types.env;
      if (xl === undefined && (env.need('xlator', out.name) || env.need('xlator', `${out.decl.tag} ${out.decl.tagName}`))) xl = this.find(input, out);
    }
    if (xl === undefined) throw err('D_XLATE_NONE', `cannot translate from ${quote(input.type)} to ${quote(to)}`, e.pos);
    return this.node(xl, input, ptr, e.pos);
  }

  private node(xl: Translator, input: TExpr, ptr: boolean, pos: Pos): Xlated {
    const type: Type = ptr ? { kind: 'pointer', name: XLPTR, to: xl.output, user: false } : { ...xl.output, name: XLSOU };
    return { k: 'xlated', type, pos, xl, input, ptr };
  }

  /** deref turns `*xlate<T *>(e)` into the translated struct. */
  deref(e: TExpr, pos: Pos): TExpr | undefined {
    if (!isXlated(e) || !e.ptr) return undefined;
    return this.node(e.xl, e.input, false, pos);
  }

  /**
   * member checks `x.m` or `x->m` on a translated value as dt_cook_op2
   * does: the translator must define m (D_XLATE_NOCONV, checked first),
   * then the operator must suit the translated type; the value is the
   * translator's expression for m with the input bound.
   */
  member(c: ExprChecker, obj: TExpr, e: A.Member): TExpr | undefined {
    if (!isXlated(obj)) return undefined;
    const def = obj.xl.members.get(e.member);
    if (def === undefined) throw err('D_XLATE_NOCONV', `translator does not define conversion for member: ${e.member}`, e.pos);
    if (e.arrow && !obj.ptr) throw err('D_OP_PTR', 'operator -> must be applied to a pointer', e.pos);
    if (!e.arrow && obj.ptr) {
      throw err('D_OP_SOU', `operator . cannot be applied to type ${quote(realType(obj))}; must be applied to a struct or union`, e.pos);
    }
    return this.memberValue(c, obj, e.member, def, e.pos);
  }

  /**
   * memberValue is one member's value, of the member's declared type. A
   * string given to a char array member stays a string (it is read as one).
   */
  private memberValue(c: ExprChecker, t: Xlated, name: string, def: A.Expr, pos: Pos): TExpr {
    const m = findMember(t.xl.output.decl, name)!;
    const v = c.bind(t.xl.param, t.input, () => c.expr(def));
    if (isXlated(v)) return v;
    if (m.type.kind === 'string') return c.toStr(v);
    if (v.type.kind === 'string' && m.type.kind === 'array' && isChar(m.type.of)) return v;
    if (sameType(v.type, m.type)) return v.type === m.type ? v : { ...v, type: m.type };
    return { k: 'cast', type: m.type, pos, e: v };
  }

  /**
   * materialize computes a translated struct stored whole: every member
   * the translator defines, nested translated structs included. Other
   * values are returned as they are.
   */
  materialize(c: ExprChecker, e: TExpr): TExpr {
    if (!isXlated(e) || e.ptr) return e;
    const members = [...e.xl.members].map(([name, def]) => ({
      m: findMember(e.xl.output.decl, name)!,
      value: this.materialize(c, this.memberValue(c, e, name, def, e.pos)),
    }));
    return { k: 'xlate', type: e.xl.output, pos: e.pos, members };
  }
}
