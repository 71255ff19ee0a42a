// Resolving written types (type specifiers plus declarators) to D types,
// as libdtrace's dt_decl_type does: C's arithmetic keywords by the names
// DTrace gives them, D's predefined typedefs, the script's and the
// kernel's typedefs and struct/union/enum tags (an unknown tag becomes a
// forward declaration), pointers, arrays (D's associative `[type, ...]`
// among them) and function types. Struct, union and enum definitions met
// on the way are made by sema/definitions.ts.

import { CompileError, type Pos } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { defineEnum, defineSou } from './definitions.js';
import type { TypeEnv } from './env.js';
import {
  T, arrayOf, builtinFromWords, builtinName, isIntegral, pointerTo,
  type EnumType, type SouType, type Type,
} from './types.js';

/** ConstEval evaluates an integer constant expression (array sizes, bit-field widths, enumerators). */
export type ConstEval = (e: A.Expr) => { value: bigint; type: Type } | undefined;

/** TypeResolver turns written types into D types within one type environment. */
export class TypeResolver {
  /** How deep in struct/union definitions: tags defined inside another definition are not visible by name. */
  nesting = 0;

  constructor(readonly env: TypeEnv, readonly evalConst: ConstEval, readonly strsize: () => number) {}

  /** isGlobalName is set by the checker: whether a global identifier (variable, built-in, inline, enumerator) has `name`. */
  isGlobalName: (name: string) => boolean = () => false;

  /** spec resolves the specifier part of a declaration, defining any struct, union or enum it contains. */
  spec(spec: A.TypeSpec): Type {
    const b = spec.base;
    switch (b.kind) {
      case 'BuiltinType': {
        const t = builtinFromWords(b.words);
        if (t === undefined) throw new CompileError('D_UNKNOWN', `failed to resolve type ${builtinName(b.words)}: Unknown type name`, spec.pos);
        return t;
      }
      case 'NamedType': {
        const t = this.env.typedef(b.name, b.module);
        if (t === undefined) {
          throw new CompileError('D_UNKNOWN', `failed to resolve type ${b.module !== undefined ? `${b.module}\`` : ''}${b.name}: Unknown type name`, spec.pos);
        }
        return t;
      }
      case 'StructType': return b.members === undefined ? this.souRef(b) : defineSou(this, b);
      case 'EnumType': return b.enumerators === undefined ? this.enumRef(b) : defineEnum(this, b);
    }
  }

  /**
   * souRef is `struct name`: the script's tag or the kernel's (of `module`
   * only, when scoped); otherwise a forward declaration, under the scoped
   * name when one was written (`struct mod`name`).
   */
  private souRef(b: A.StructType): SouType {
    const name = b.name ?? '';
    const t = this.env.tag(b.tag, name, b.module);
    if (t?.kind === 'sou') return t;
    return this.env.declareSou(b.tag, b.module === undefined ? name : `${b.module}\`${name}`);
  }

  private enumRef(b: A.EnumType): EnumType {
    const name = b.name ?? '';
    const t = this.env.tag('enum', name, b.module);
    if (t?.kind === 'enum') return t;
    return this.env.declareEnum(b.module === undefined ? name : `${b.module}\`${name}`);
  }

  /**
   * declarator applies a declarator to its base type: `int *a[5]` is an
   * array of 5 int pointers. An associative array's `[type, ...]` gives
   * the value type (its keys are read by `keys`); `[]` gives an array of
   * no elements, which callers refuse where DTrace does.
   */
  declarator(t: Type, d: A.Declarator): Type {
    switch (d.kind) {
      case 'NameDecl': return t;
      case 'PointerDecl': return this.declarator(pointerTo(t), d.inner);
      case 'ArrayDecl': {
        // dt_decl_array: later dimensions of an array may not be tuples.
        if (d.keys !== undefined && d.inner.kind === 'ArrayDecl') {
          throw new CompileError('D_DECL_DYNOBJ', 'cannot declare array of associative arrays', d.end);
        }
        // Only the keyword itself: an array of a typedef of void is let through, as DTrace does.
        if (t === T.void) throw new CompileError('D_DECL_VOIDOBJ', 'cannot declare array of void', d.end);
        if (d.keys !== undefined) return this.declarator(t, d.inner);
        // The innermost dimension binds last: `int a[2][3]` is 2 arrays of 3 ints.
        return this.declarator(arrayOf(t, d.size === undefined ? 0 : this.dimension(d.size, d.end)), d.inner);
      }
      case 'FunctionDecl': {
        const params = d.params.map((p) => this.declarator(this.spec(p.spec), p.declarator));
        const ft: Type = { kind: 'func', name: `${t.name} ()`, ret: t, params: params.length === 1 && params[0].kind === 'void' ? [] : params, varargs: d.varargs };
        return this.declarator(ft, d.inner);
      }
    }
  }

  /** dimension checks an array dimension: a positive integer constant that fits in 32 bits. */
  private dimension(e: A.Expr, pos: Pos): number {
    const n = this.evalConst(e);
    if (n === undefined || !isPositive(n)) {
      throw new CompileError('D_DECL_ARRSUB', 'positive integral constant expression or tuple signature expected as array declaration subscript', pos);
    }
    if (BigInt.asUintN(64, n.value) > 0xffffffffn) throw new CompileError('D_DECL_ARRBIG', 'array dimension too big', pos);
    return Number(n.value);
  }

  /** keys gives the key types of an associative-array declarator (`int a[string, int]`), or undefined. */
  keys(d: A.Declarator): Type[] | undefined {
    const a = assocDecl(d);
    return a?.keys?.map((k) => this.typeName(k));
  }

  /** params gives the keys of an associative-array declarator with their names (inline parameters). */
  params(d: A.Declarator): { name?: string; type: Type }[] | undefined {
    const a = assocDecl(d);
    return a?.keys?.map((k) => ({ name: declName(k.declarator), type: this.typeName(k) }));
  }

  /** typeName resolves the type in a cast, sizeof, offsetof, xlate or key position. */
  typeName(tn: A.TypeName): Type {
    return this.declarator(this.spec(tn.spec), tn.declarator);
  }
}

/**
 * isPositive is dt_node_is_posconst: an integer constant other than zero,
 * and above zero when its type is signed.
 */
export function isPositive(c: { value: bigint; type: Type }): boolean {
  if (!isIntegral(c.type) || c.value === 0n) return false;
  const signed = c.type.kind === 'int' ? c.type.signed : true;
  return !signed || BigInt.asIntN(64, c.value) > 0n;
}

/** assocDecl finds the `[type, ...]` of an associative-array declarator, if it has one. */
export function assocDecl(d: A.Declarator): A.ArrayDecl | undefined {
  if (d.kind === 'NameDecl') return undefined;
  if (d.kind === 'ArrayDecl' && d.keys !== undefined) return d;
  return assocDecl(d.inner);
}

/**
 * topDecl is the part of a declarator that makes the declared type's
 * outermost constructor: the one nearest the name (`[]` in `*x[]`, `*`
 * in `(*x)[]`), what DTrace finds on top of its declaration stack.
 */
export function topDecl(d: A.Declarator): A.Declarator {
  return d.kind === 'NameDecl' || d.inner.kind === 'NameDecl' ? d : topDecl(d.inner);
}

/** declName finds the name a declarator declares, if any. */
export function declName(d: A.Declarator): string | undefined {
  return d.kind === 'NameDecl' ? d.name : declName(d.inner);
}

export { T };
