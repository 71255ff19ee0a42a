// Resolving written types (type specifiers plus declarators) to D types:
// C's arithmetic keywords, D's predefined typedefs, the script's own
// typedefs, pointers and arrays. Kernel types from BTF come later.

import { CompileError } from '../diag/diagnostic.js';
import type * as A from '../syntax/ast.js';
import { unsupported } from './check.js';
import { PREDEFINED_TYPEDEFS, arrayOf, builtinFromWords, pointerTo, type Type } from './types.js';

/** Typedefs holds the typedef names visible to the program. */
export class Typedefs {
  private readonly own = new Map<string, Type>();

  define(name: string, t: Type): void {
    this.own.set(name, { ...t, name } as Type);
  }

  lookup(name: string): Type | undefined {
    return this.own.get(name) ?? PREDEFINED_TYPEDEFS.get(name);
  }
}

/** resolveSpec resolves the specifier part of a declaration. */
export function resolveSpec(spec: A.TypeSpec, typedefs: Typedefs): Type {
  const b = spec.base;
  switch (b.kind) {
    case 'BuiltinType': {
      const t = builtinFromWords(b.words);
      if (t === undefined) {
        if (b.words.includes('float') || b.words.includes('double')) throw unsupported('floating-point types', spec.pos);
        throw new CompileError('D_UNKNOWN', `failed to resolve type ${b.words.join(' ')} : Unknown type name`, spec.pos);
      }
      return t;
    }
    case 'NamedType': {
      const t = b.module === undefined ? typedefs.lookup(b.name) : undefined;
      if (t === undefined) throw new CompileError('D_UNKNOWN', `failed to resolve type ${b.module ? `${b.module}\`` : ''}${b.name} : Unknown type name`, spec.pos);
      return t;
    }
    case 'StructType': throw unsupported(`${b.tag} types`, spec.pos);
    case 'EnumType': throw unsupported('enum types', spec.pos);
  }
}

/** resolveDeclType applies a declarator to its specifier: `int *a[5]` → array of 5 int pointers. */
export function resolveDeclType(spec: A.TypeSpec, d: A.Declarator, typedefs: Typedefs): Type {
  return applyDeclarator(resolveSpec(spec, typedefs), d);
}

function applyDeclarator(t: Type, d: A.Declarator): Type {
  switch (d.kind) {
    case 'NameDecl': return t;
    case 'PointerDecl': return applyDeclarator(pointerTo(t), d.inner);
    case 'ArrayDecl': {
      if (d.keys !== undefined) throw unsupported('associative arrays', d.pos);
      if (d.size === undefined) throw unsupported('arrays without a size', d.pos);
      if (d.size.kind !== 'IntLit') throw unsupported('array sizes that are not integer constants', d.pos);
      // The innermost dimension binds last: `int a[2][3]` is 2 arrays of 3 ints.
      return applyArray(t, d);
    }
    case 'FunctionDecl': throw unsupported('function types', d.pos);
  }
}

function applyArray(t: Type, d: A.ArrayDecl): Type {
  const n = Number((d.size as A.IntLit).value);
  return applyDeclarator(arrayOf(t, n), d.inner);
}

/** resolveTypeName resolves the type in a cast, sizeof or other type-name position. */
export function resolveTypeName(tn: A.TypeName, typedefs: Typedefs): Type {
  return resolveDeclType(tn.spec, tn.declarator, typedefs);
}
