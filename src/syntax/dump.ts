// A stable, indented text dump of the AST for golden tests and debugging:
// one node per line, `Kind attributes` then its children indented; positions
// are left out so that layout changes in a test input do not churn goldens.

import type {
  BaseType, Declarator, Expr, ParamDecl, Program, Stmt, TopLevel, TypeName, TypeSpec,
} from './ast.js';

type Line = [depth: number, text: string];

function q(s: string): string {
  return JSON.stringify(s);
}

function baseLabel(b: BaseType): string {
  switch (b.kind) {
    case 'BuiltinType':
      return b.words.length > 0 ? b.words.join(' ') : '(implicit int)';
    case 'NamedType':
      return `typedef ${b.name}`;
    case 'StructType':
      return `${b.tag} ${b.name ?? '(anon)'}${b.members !== undefined ? ' {}' : ''}`;
    case 'EnumType':
      return `enum ${b.name ?? '(anon)'}${b.enumerators !== undefined ? ' {}' : ''}`;
  }
}

class Dumper {
  readonly lines: Line[] = [];

  put(depth: number, text: string): void {
    this.lines.push([depth, text]);
  }

  item(d: number, it: TopLevel): void {
    switch (it.kind) {
      case 'Clause':
        this.put(d, 'Clause');
        for (const p of it.probes) this.put(d + 1, `Probe ${q(p.text)} [${p.parts.map(q).join(' ')}]${p.id !== undefined ? ` id=${p.id}` : ''}`);
        if (it.predicate !== undefined) {
          this.put(d + 1, 'Predicate');
          this.expr(d + 2, it.predicate);
        }
        if (it.body !== undefined) {
          this.put(d + 1, 'Body');
          for (const s of it.body) this.stmt(d + 2, s);
        }
        return;
      case 'Declaration':
        this.put(d, `Declaration${it.storage !== undefined ? ' ' + it.storage : ''}`);
        this.spec(d + 1, it.spec);
        for (const id of it.declarators) this.declarator(d + 1, id.declarator);
        return;
      case 'InlineDecl':
        this.put(d, `Inline${it.storage !== undefined ? ' ' + it.storage : ''}`);
        this.spec(d + 1, it.spec);
        this.declarator(d + 1, it.declarator);
        this.expr(d + 1, it.value);
        return;
      case 'TranslatorDecl':
        this.put(d, `Translator param=${it.param}`);
        this.typeName(d + 1, it.output);
        this.typeName(d + 1, it.input);
        for (const m of it.members) {
          this.put(d + 1, `Member ${m.name}`);
          this.expr(d + 2, m.value);
        }
        return;
      case 'ProviderDecl':
        this.put(d, `Provider ${it.name}`);
        for (const p of it.probes) {
          this.put(d + 1, `Probe ${p.name}`);
          for (const a of p.params) this.param(d + 2, a);
          if (p.xparams !== undefined) {
            this.put(d + 2, 'Translated');
            for (const a of p.xparams) this.param(d + 3, a);
          }
        }
        return;
      case 'Pragma':
        this.put(d, `Pragma ${it.words.map(q).join(' ')}`);
        return;
    }
  }

  stmt(d: number, s: Stmt): void {
    switch (s.kind) {
      case 'ExprStmt':
        this.put(d, 'ExprStmt');
        this.expr(d + 1, s.expr);
        return;
      case 'EmptyStmt':
        this.put(d, 'EmptyStmt');
        return;
      case 'BlockStmt':
        this.put(d, 'Block');
        for (const b of s.body) this.stmt(d + 1, b);
        return;
      case 'IfStmt':
        this.put(d, 'If');
        this.expr(d + 1, s.cond);
        this.stmt(d + 1, s.then);
        if (s.else !== undefined) {
          this.put(d + 1, 'Else');
          this.stmt(d + 2, s.else);
        }
        return;
    }
  }

  expr(d: number, e: Expr): void {
    switch (e.kind) {
      case 'IntLit':
        return this.put(d, `Int ${e.value}${e.suffix !== '' ? ' ' + e.suffix : ''}`);
      case 'CharLit':
        return this.put(d, `Char ${e.value} ${e.text}`);
      case 'StrLit':
        return this.put(d, `Str ${q(e.value)}`);
      case 'Ident':
        return this.put(d, `Ident ${e.backquote ? (e.module ?? '') + '`' : ''}${e.name}`);
      case 'ScopedVar':
        return this.put(d, `${e.scope}->${e.name}`);
      case 'AggRef':
        return this.put(d, `@${e.name}`);
      case 'Binary':
      case 'Assign':
        this.put(d, e.kind === 'Binary' ? `Binary ${e.op}` : `Assign ${e.op}`);
        this.expr(d + 1, e.kind === 'Binary' ? e.left : e.target);
        return this.expr(d + 1, e.kind === 'Binary' ? e.right : e.value);
      case 'Unary':
        this.put(d, `Unary ${e.op}`);
        return this.expr(d + 1, e.operand);
      case 'IncDec':
        this.put(d, `${e.prefix ? 'Pre' : 'Post'} ${e.op}`);
        return this.expr(d + 1, e.target);
      case 'Ternary':
        this.put(d, 'Ternary');
        this.expr(d + 1, e.cond);
        this.expr(d + 1, e.then);
        return this.expr(d + 1, e.else);
      case 'Cast':
      case 'Xlate':
        this.put(d, e.kind);
        this.typeName(d + 1, e.type);
        return this.expr(d + 1, e.operand);
      case 'SizeofType':
        this.put(d, 'SizeofType');
        return this.typeName(d + 1, e.type);
      case 'Offsetof':
        this.put(d, `Offsetof ${e.member}`);
        return this.typeName(d + 1, e.type);
      case 'Call':
        this.put(d, `Call ${e.callee}`);
        for (const a of e.args) this.expr(d + 1, a);
        return;
      case 'Index':
        this.put(d, 'Index');
        this.expr(d + 1, e.base);
        this.put(d + 1, 'Keys');
        for (const a of e.index) this.expr(d + 2, a);
        return;
      case 'Member':
        this.put(d, `Member ${e.arrow ? '->' : '.'}${e.member}`);
        return this.expr(d + 1, e.object);
      case 'Comma':
        this.put(d, 'Comma');
        for (const a of e.exprs) this.expr(d + 1, a);
        return;
    }
  }

  typeName(d: number, t: TypeName): void {
    this.put(d, 'TypeName');
    this.spec(d + 1, t.spec);
    this.declarator(d + 1, t.declarator);
  }

  param(d: number, p: ParamDecl): void {
    this.put(d, 'Param');
    this.spec(d + 1, p.spec);
    this.declarator(d + 1, p.declarator);
  }

  spec(d: number, s: TypeSpec): void {
    const quals = s.qualifiers.length > 0 ? ' ' + s.qualifiers.join(' ') : '';
    this.put(d, `Spec${quals} ${baseLabel(s.base)}`);
    this.baseBody(d + 1, s.base);
  }

  /** baseBody lists a struct's fields or an enum's enumerators below its Spec line. */
  private baseBody(d: number, b: BaseType): void {
    if (b.kind === 'StructType') {
      for (const m of b.members ?? []) {
        this.put(d, `Field${m.bits !== undefined ? ' bits' : ''}`);
        this.spec(d + 1, m.spec);
        this.declarator(d + 1, m.declarator);
        if (m.bits !== undefined) this.expr(d + 1, m.bits);
      }
    } else if (b.kind === 'EnumType') {
      for (const en of b.enumerators ?? []) {
        this.put(d, `Enumerator ${en.name}`);
        if (en.value !== undefined) this.expr(d + 1, en.value);
      }
    }
  }

  declarator(d: number, x: Declarator): void {
    switch (x.kind) {
      case 'NameDecl':
        return this.put(d, x.name !== undefined ? `Name ${x.name}` : 'Abstract');
      case 'PointerDecl':
        this.put(d, `Pointer${x.qualifiers.length > 0 ? ' ' + x.qualifiers.join(' ') : ''}`);
        return this.declarator(d + 1, x.inner);
      case 'ArrayDecl':
        this.put(d, x.keys !== undefined ? 'Array assoc' : x.size !== undefined ? 'Array sized' : 'Array');
        if (x.size !== undefined) this.expr(d + 1, x.size);
        for (const k of x.keys ?? []) this.typeName(d + 1, k);
        return this.declarator(d + 1, x.inner);
      case 'FunctionDecl':
        this.put(d, `Function${x.varargs ? ' varargs' : ''}`);
        for (const p of x.params) this.param(d + 1, p);
        return this.declarator(d + 1, x.inner);
    }
  }
}

/** dumpProgram renders a program as indented text, two spaces per level. */
export function dumpProgram(prog: Program): string {
  const dumper = new Dumper();
  for (const it of prog.items) dumper.item(0, it);
  return dumper.lines.map(([depth, text]) => '  '.repeat(depth) + text).join('\n') + '\n';
}

/** dumpExpr renders one expression the same way. */
export function dumpExpr(e: Expr): string {
  const dumper = new Dumper();
  dumper.expr(0, e);
  return dumper.lines.map(([depth, text]) => '  '.repeat(depth) + text).join('\n') + '\n';
}
