// Translators and xlate: definitions and their D_XLATE_* errors (reported,
// as DTrace reports them, on the line of the definition's closing `;`),
// lookups, translated values used member by member and stored whole, and
// the errors DTrace gives a translated ("dynamic") value used as a plain
// one: D_TRACE_DYN, D_KEY_TYPE, D_OP_INCOMPAT, D_CAST_INVAL.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastStmt, rejects, check, traced } from './helpers.js';
import type { TExpr } from '../../../src/sema/ir.js';

const DECLS = `
struct in { int ii; char ic; };
struct out { int oi; char oc; };
translator struct out < struct in *p > {
	oi = p->ii;
	oc = p->ic;
};
struct in *ip;
struct in iv;
`;

describe('translator definitions', () => {
  it('a second translator between the same types is D_XLATE_REDECL, on the line of its end', () => {
    rejects(`${DECLS}\ntranslator struct out < struct in *q >\n{\n\toi = 1;\n};`, 'D_XLATE_REDECL',
      'translator from struct in * to struct out has already been declared', 14);
  });

  it('translators to one output from different inputs may coexist', () => {
    check(`${DECLS}\ntranslator struct out < struct in v > { oi = v.ii; };\nBEGIN { trace(xlate<struct out>(iv).oi); }`);
  });

  it('the output must be a complete struct or union: D_XLATE_SOU', () => {
    rejects('struct in { int i; };\ntranslator struct nope < struct in *p >\n{\n\tx = 1;\n};', 'D_XLATE_SOU', 'incomplete struct/union/enum struct nope', 5);
    rejects('struct in { int i; };\ntranslator int < struct in *p >\n{\n};', 'D_XLATE_SOU', 'translator output type must be a struct or union', 4);
    rejects('struct in { int i; };\nenum e { A };\ntranslator enum e < struct in *p > {\n};', 'D_XLATE_SOU', 'translator output type must be a struct or union', 4);
  });

  it('a member must be a member of the output: D_XLATE_MEMB', () => {
    rejects('struct in { int i; };\nstruct out { int o; };\ntranslator struct out < struct in *p > {\n\to = p->i;\n\tx = p->nope;\n};',
      'D_XLATE_MEMB', 'translator member x is not a member of struct out', 6);
  });

  it('a member must have a compatible type: D_XLATE_INCOMPAT', () => {
    rejects('struct in { int i; char c; };\nstruct out { int o; char *s; };\ntranslator struct out < struct in *p > {\n\to = p->i;\n\ts = p->c;\n};',
      'D_XLATE_INCOMPAT', 'translator member s definition uses incompatible types: "char *" = "char"', 6);
  });

  it('errors in a member expression keep their own line', () => {
    rejects('struct in { int i; };\nstruct out { int o; };\ntranslator struct out < struct in *p > {\n\to = p->nope;\n};',
      'D_TYPE_MEMBER', undefined, 4);
  });

  it('outputs may be unions or typedefs, inputs scalars or structs', () => {
    check('struct in { int i; char c; };\nunion u { int i; char c; };\ntranslator union u < struct in *p > { i = p->i; c = p->c; };');
    check('struct s { int x; };\ntypedef struct s s_t;\ntranslator s_t < int v > { x = v + 1; };\nBEGIN { trace(xlate<s_t>(41).x); }');
  });
});

describe('xlate', () => {
  it('a member of a translated value is the translator\'s expression with the input bound', () => {
    const e = traced('xlate<struct out *>(ip)->oi', DECLS);
    assert.equal(e.type.name, 'int');
    assert.equal(e.k, 'member');
    const obj = (e as TExpr & { k: 'member' }).obj;
    assert.equal(obj.k, 'deref');
    assert.equal((obj as TExpr & { k: 'deref' }).ptr.k, 'var');
    assert.equal(traced('xlate<struct out>(ip).oc', DECLS).type.name, 'char');
    assert.equal(traced('(*xlate<struct out *>(ip)).oc', DECLS).type.name, 'char');
  });

  it('without a translator it is D_XLATE_NONE', () => {
    rejects(`${DECLS}\nBEGIN { trace(xlate<struct out>(1).oi); }`, 'D_XLATE_NONE', 'cannot translate from "int" to "struct out"');
    rejects(`${DECLS}\nBEGIN { trace(xlate<int>(ip)); }`, 'D_XLATE_NONE', 'cannot translate from "struct in *" to "int"');
    rejects(`${DECLS}\nBEGIN { trace(xlate<struct in>(ip).ii); }`, 'D_XLATE_NONE', 'cannot translate from "struct in *" to "struct in"');
  });

  it('a member the translator leaves out is D_XLATE_NOCONV, before the operator is checked', () => {
    const partial = 'struct in { int i; };\nstruct out { int o; int p; };\ntranslator struct out < struct in *q > { o = q->i; };\nstruct in *ip;\n';
    rejects(`${partial}BEGIN { trace(xlate<struct out *>(ip)->p); }`, 'D_XLATE_NOCONV', 'translator does not define conversion for member: p');
    rejects(`${partial}BEGIN { trace(xlate<struct out>(ip)->p); }`, 'D_XLATE_NOCONV', 'translator does not define conversion for member: p');
    rejects(`${partial}BEGIN { trace(xlate<struct out *>(ip)->nope); }`, 'D_XLATE_NOCONV', 'translator does not define conversion for member: nope');
  });

  it('-> and . must suit the translated type', () => {
    rejects(`${DECLS}\nBEGIN { trace(xlate<struct out>(ip)->oi); }`, 'D_OP_PTR', 'operator -> must be applied to a pointer');
    rejects(`${DECLS}\nBEGIN { trace(xlate<struct out *>(ip).oi); }`, 'D_OP_SOU',
      'operator . cannot be applied to type "struct out *"; must be applied to a struct or union');
  });

  it('a translated value is dynamic: not traced, not a key, not compared, not stored as a pointer', () => {
    rejects(`${DECLS}\nBEGIN { trace(xlate<struct out *>(ip)); }`, 'D_TRACE_DYN', 'trace( ) may not be applied to a dynamic expression');
    rejects(`${DECLS}\nBEGIN { trace(xlate<struct out>(ip)); }`, 'D_TRACE_DYN', 'trace( ) may not be applied to a dynamic expression');
    rejects(`${DECLS}\nBEGIN { @a[xlate<struct out *>(ip)] = count(); }`, 'D_KEY_TYPE',
      'pointer to translated data expression may not be used as aggregation index: key #1');
    rejects(`${DECLS}\nBEGIN { a[1, xlate<struct out>(ip)] = 1; }`, 'D_KEY_TYPE',
      'translated data expression may not be used as associative array index: key #2');
    rejects(`${DECLS}\nBEGIN { x = xlate<struct out *>(ip) == 0; }`, 'D_OP_INCOMPAT',
      'operands have incompatible types: "pointer to translated data" == "int"');
    rejects(`${DECLS}\nBEGIN { x = xlate<struct out *>(ip); }`, 'D_OP_INCOMPAT',
      'operands have incompatible types: "struct out *" = "pointer to translated data"');
  });

  it('a translated pointer casts to pointers only, as its input; the error is on the line after the cast', () => {
    rejects(`${DECLS}\nBEGIN\n{\n\taddr = (uintptr_t)xlate<struct out *>(ip)\n}`, 'D_CAST_INVAL',
      'invalid cast expression: "pointer to translated data" to "uintptr_t"', 14);
    const e = traced('(void *)xlate<struct out *>(ip)', DECLS);
    assert.equal(e.k, 'cast');
    assert.equal((e as TExpr & { k: 'cast' }).e.k, 'var');
  });

  it('a translated struct assigned to a variable is computed whole', () => {
    const p = check(`${DECLS}\nBEGIN { x = xlate<struct out>(ip); }`);
    const s = lastStmt(p);
    assert.equal(s.k, 'expr');
    const a = (s as { e: TExpr }).e as TExpr & { k: 'assign' };
    assert.equal(a.target.type.name, 'struct out');
    assert.equal(a.value.k, 'xlate');
    assert.deepEqual((a.value as TExpr & { k: 'xlate' }).members.map((m) => m.m.name), ['oi', 'oc']);
  });

  it('an inline may be a translated pointer; assigning it is refused', () => {
    const decls = `${DECLS}\ninline struct out *cur = xlate<struct out *>(ip);\n`;
    assert.equal(traced('cur->oc', decls).type.name, 'char');
    rejects(`${decls}BEGIN { cur = 0; }`, 'D_OP_INCOMPAT', 'operands have incompatible types: "pointer to translated data" = "int"');
    rejects('inline int k = 1;\nBEGIN { k = 2; }', 'D_OP_LVAL', 'operator = requires modifiable lvalue as an operand');
    rejects('inline int k = 1;\nBEGIN { k = "a"; }', 'D_OP_INCOMPAT', 'operands have incompatible types: "int" = "string"');
  });
});
