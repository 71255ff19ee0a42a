// Resolving written types (type specifiers plus declarators) to D types:
// C's arithmetic keywords, D's predefined typedefs, the script's and the
// kernel's typedefs and struct/union/enum tags, pointers, arrays and
// function types; and defining the script's own structs, unions and enums
// with the layout DTrace's type containers give them.

import { CompileError, type Pos } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import type { TypeEnv } from './env.js';
import {
  T, alignOf, arrayOf, builtinFromWords, isIntegral, pointerTo, sizeOf,
  type EnumType, type Member, type SouType, type Type,
} from './types.js';

/** ConstEval evaluates an integer constant expression (array sizes, bit-field widths, enumerators). */
export type ConstEval = (e: A.Expr) => { value: bigint; type: Type } | undefined;

/** TypeResolver turns written types into D types within one type environment. */
export class TypeResolver {
  constructor(readonly env: TypeEnv, private readonly evalConst: ConstEval, private readonly strsize: () => number) {}

  /** spec resolves the specifier part of a declaration, defining any struct, union or enum it contains. */
  spec(spec: A.TypeSpec): Type {
    const b = spec.base;
    switch (b.kind) {
      case 'BuiltinType': {
        const t = builtinFromWords(b.words);
        if (t === undefined) throw new CompileError('D_UNKNOWN', `failed to resolve type ${b.words.join(' ')} : Unknown type name`, spec.pos);
        return t;
      }
      case 'NamedType': {
        const t = this.env.typedef(b.name, b.module);
        if (t === undefined) {
          throw new CompileError('D_UNKNOWN', `failed to resolve type ${b.module !== undefined ? `${b.module}\`` : ''}${b.name} : Unknown type name`, spec.pos);
        }
        return t;
      }
      case 'StructType': return this.sou(b);
      case 'EnumType': return this.enumType(b);
    }
  }

  private sou(b: A.StructType): SouType {
    if (b.members === undefined) {
      // A reference: the script's or the kernel's tag, else a new forward declaration.
      if (b.name !== undefined) {
        const t = this.env.tag(b.tag, b.name, b.module);
        if (t?.kind === 'sou') return t;
        if (b.module !== undefined && b.module !== 'D' && b.module !== 'C') {
          throw new CompileError('D_UNKNOWN', `failed to resolve type ${b.tag} ${b.module}\`${b.name} : Unknown type name`, b.pos);
        }
      }
      return this.env.declareSou(b.tag, b.name ?? '');
    }
    const name = b.name ?? '';
    const have = name === '' ? undefined : this.env.ownTag(b.tag, name);
    if (have?.kind === 'sou' && have.decl.complete) {
      throw new CompileError('D_DECL_TYPERED', `type redeclared: ${b.tag} ${name}`, b.pos);
    }
    const t = this.env.declareSou(b.tag, name);
    this.defineMembers(t, b.members);
    return t;
  }

  /**
   * defineMembers lays the members out as DTrace's type containers do:
   * each member at the next offset aligned for its type, a bit-field in
   * the fewest whole bytes that hold it, and a struct's size ending at its
   * last member (a union's is rounded up to its alignment).
   */
  private defineMembers(t: SouType, decls: readonly A.MemberDecl[]): void {
    const members: Member[] = [];
    const union = t.decl.tag === 'union';
    let end = 0;
    let align = 1;
    for (const md of decls) {
      const base = this.spec(md.spec);
      const type = this.declarator(base, md.declarator);
      const name = declName(md.declarator) ?? '';
      if (md.bits === undefined && name === '') throw new CompileError('D_DECL_MNAME', 'member declaration requires a name', md.pos);
      if (type.kind === 'sou' && !type.decl.complete || type.kind === 'enum' && !type.decl.defined) {
        throw new CompileError('D_DECL_INCOMPLETE', `incomplete struct/union/enum ${type.name}: ${name}`, md.pos);
      }
      let size = sizeOf(type, this.strsize());
      if (size === 0) throw new CompileError('D_DECL_VOIDOBJ', `cannot have void member: ${name}`, md.pos);
      let bits: number | undefined;
      let a = alignOf(type);
      if (md.bits !== undefined) {
        const w = this.evalConst(md.bits);
        // `int : 0;` ends the storage unit in C; DTrace's containers ignore it.
        if (name === '' && w !== undefined && w.value === 0n) continue;
        if (w === undefined || !isIntegral(w.type) || w.value <= 0n) {
          throw new CompileError('D_DECL_BFCONST', 'positive integral constant expression expected as bit-field size', md.pos);
        }
        if (type.kind !== 'int') throw new CompileError('D_DECL_BFTYPE', `invalid type for bit-field: ${name || '(anon)'}`, md.pos);
        if (w.value > BigInt(type.size * 8)) throw new CompileError('D_DECL_BFSIZE', `bit-field too big for type: ${name || '(anon)'}`, md.pos);
        bits = Number(w.value);
        size = Math.ceil(bits / 8);
        a = size >= 8 ? 8 : size >= 4 ? 4 : size >= 2 ? 2 : 1;
      }
      if (name !== '' && members.some((m) => m.name === name)) {
        throw new CompileError('D_UNKNOWN', `failed to define member '${name}': Duplicate member or variable name`, md.pos);
      }
      const off = union ? 0 : Math.ceil(end / a) * a;
      members.push({ name, type, bitOffset: off * 8, bits });
      end = union ? Math.max(end, size) : off + size;
      align = Math.max(align, a);
    }
    t.decl.define(members, union ? Math.ceil(end / align) * align : end, align);
  }

  private enumType(b: A.EnumType): EnumType {
    if (b.enumerators === undefined) {
      if (b.name !== undefined) {
        const t = this.env.tag('enum', b.name, b.module);
        if (t?.kind === 'enum') return t;
      }
      return this.env.declareEnum(b.name ?? '');
    }
    const name = b.name ?? '';
    const have = name === '' ? undefined : this.env.ownTag('enum', name);
    if (have?.kind === 'enum' && have.decl.defined) throw new CompileError('D_DECL_TYPERED', `type redeclared: enum ${name}`, b.pos);
    const t = this.env.declareEnum(name);
    let next = 0n;
    for (const en of b.enumerators) {
      if (en.value !== undefined) {
        const prior = en.value.kind === 'Ident' ? t.decl.values.get(en.value.name) : undefined;
        if (prior !== undefined) {
          next = prior;
        } else {
          const v = this.evalConst(en.value);
          if (v === undefined || !isIntegral(v.type)) {
            throw new CompileError('D_DECL_ENCONST', `enumerator '${en.name}' must be assigned to an integral constant expression`, en.pos);
          }
          const x = BigInt.asIntN(64, v.value);
          if (x > 0x7fffffffn || x < -0x80000000n) {
            throw new CompileError('D_DECL_ENOFLOW', `enumerator '${en.name}' value overflows INT_MAX (2147483647)`, en.pos);
          }
          next = x;
        }
      }
      this.defineEnumerator(t, en.name, next, en.pos);
      next++;
    }
    t.decl.defined = true;
    return t;
  }

  /** defineEnumerator makes an enumerator a global name (an error if a global already has it). */
  private defineEnumerator(t: EnumType, name: string, value: bigint, pos: Pos): void {
    if (this.env.enumerators.has(name) || this.isGlobalName(name)) {
      throw new CompileError('D_DECL_IDRED', `identifier redeclared: ${name}`, pos);
    }
    t.decl.values.set(name, value);
    this.env.enumerators.set(name, { type: t, value });
  }

  /** isGlobalName is set by the checker: whether a global identifier (variable, built-in, inline) has `name`. */
  isGlobalName: (name: string) => boolean = () => false;

  /** declarator applies a declarator to its base type: `int *a[5]` → array of 5 int pointers. */
  declarator(t: Type, d: A.Declarator): Type {
    switch (d.kind) {
      case 'NameDecl': return t;
      case 'PointerDecl': return this.declarator(pointerTo(t), d.inner);
      case 'ArrayDecl': {
        if (d.keys !== undefined) return this.declarator(t, d.inner);
        if (d.size === undefined) throw new CompileError('D_DECL_ARRNULL', `array declaration requires array dimension or tuple signature: ${declName(d) ?? ''}`, d.pos);
        if (t.kind === 'void') throw new CompileError('D_DECL_VOIDOBJ', 'cannot declare array of void', d.pos);
        const n = this.evalConst(d.size);
        if (n === undefined || !isIntegral(n.type) || BigInt.asIntN(64, n.value) <= 0n) {
          throw new CompileError('D_DECL_ARRSUB', 'positive integral constant expression or tuple signature expected as array declaration subscript', d.pos);
        }
        if (n.value > 0xffffffffn) throw new CompileError('D_DECL_ARRBIG', 'array dimension too big', d.pos);
        // The innermost dimension binds last: `int a[2][3]` is 2 arrays of 3 ints.
        return this.declarator(arrayOf(t, Number(n.value)), d.inner);
      }
      case 'FunctionDecl': {
        const params = d.params.map((p) => this.declarator(this.spec(p.spec), p.declarator));
        const ft: Type = { kind: 'func', name: `${t.name} ()`, ret: t, params: params.length === 1 && params[0].kind === 'void' ? [] : params, varargs: d.varargs };
        return this.declarator(ft, d.inner);
      }
    }
  }

  /** keys gives the key types of an associative-array declarator (`int a[string, int]`), or undefined. */
  keys(d: A.Declarator): Type[] | undefined {
    if (d.kind === 'ArrayDecl' && d.keys !== undefined) return d.keys.map((k) => this.typeName(k));
    return d.kind === 'NameDecl' ? undefined : this.keys(d.inner);
  }

  /** typeName resolves the type in a cast, sizeof, offsetof, xlate or key position. */
  typeName(tn: A.TypeName): Type {
    return this.declarator(this.spec(tn.spec), tn.declarator);
  }
}

/** declName finds the name a declarator declares, if any. */
export function declName(d: A.Declarator): string | undefined {
  return d.kind === 'NameDecl' ? d.name : declName(d.inner);
}

export { T };
