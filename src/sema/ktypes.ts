// Kernel types for the checker: turns BTF type ids into D types, lazily
// and once each. A struct's members are converted only when a script looks
// inside it, so `curthread->pid` converts task_struct's member list and
// pid_t, not the thousands of types task_struct can reach. Pure: the BTF
// bytes come from the caller (kernel/ reads them; tests build their own).

import type { Btf } from '../btf/index.js';
import {
  EnumDecl, SouDecl, T, arrayOf, enumType, named, pointerTo, souType,
  type FuncType, type Member, type Type,
} from './types.js';

/** KernelSymbol is a kernel variable a script names with a backquote. */
export interface KernelSymbol {
  readonly name: string;
  readonly module: string;
  readonly addr: bigint;
  /** Undefined when the kernel has no type information for the symbol. */
  readonly type: Type | undefined;
  /** Size in bytes from the symbol table, when known. */
  readonly size?: number;
}

/** lazyMember is a struct member whose type is converted on first use. */
function lazyMember(name: string, bitOffset: number, bits: number, type: () => Type): Member {
  let t: Type | undefined;
  return {
    name, bitOffset, bits: bits > 0 ? bits : undefined,
    get type(): Type {
      t ??= type();
      return t;
    },
  };
}

/** KernelTypes answers the checker's questions about kernel types from one BTF. */
export class KernelTypes {
  private readonly cache = new Map<number, Type>();
  readonly module = 'vmlinux';

  constructor(readonly btf: Btf) {}

  /** typeOf converts BTF type `id` to a D type. */
  typeOf(id: number): Type {
    let t = this.cache.get(id);
    if (t === undefined) {
      t = this.convert(id);
      this.cache.set(id, t);
    }
    return t;
  }

  /** typedef finds a kernel typedef (or base type) by name, e.g. `u32`, `pid_t`. */
  typedef(name: string): Type | undefined {
    const id = this.btf.findType(name, 'typedef') ?? this.btf.findType(name, 'int') ?? this.btf.findType(name, 'float');
    return id === undefined ? undefined : this.typeOf(id);
  }

  /** sou finds `struct name` or `union name`; a forward declaration only if nothing defines it. */
  sou(tag: 'struct' | 'union', name: string): Type | undefined {
    const id = this.btf.findType(name, tag);
    if (id !== undefined) return this.typeOf(id);
    return undefined;
  }

  /** enum finds `enum name`. */
  enum(name: string): Type | undefined {
    const id = this.btf.findType(name, 'enum') ?? this.btf.findType(name, 'enum64');
    return id === undefined ? undefined : this.typeOf(id);
  }

  private enumerators: Map<string, { id: number; value: bigint }> | undefined;

  /**
   * enumerator finds a kernel enum constant by name (`PIDTYPE_PGID`), typed
   * by its enum. The index of every enumerator is built on first use, which
   * only a name nothing else defines leads to.
   */
  enumerator(name: string): { type: Type; value: bigint } | undefined {
    if (this.enumerators === undefined) {
      const m = new Map<string, { id: number; value: bigint }>();
      for (let id = 1; id < this.btf.typeCount; id++) {
        const k = this.btf.kindOf(id);
        if (k !== 'enum' && k !== 'enum64') continue;
        const t = this.btf.type(id);
        if (t.kind !== 'enum' && t.kind !== 'enum64') continue;
        for (const v of t.values) if (!m.has(v.name)) m.set(v.name, { id, value: v.value });
      }
      this.enumerators = m;
    }
    const e = this.enumerators.get(name);
    return e === undefined ? undefined : { type: this.typeOf(e.id), value: e.value };
  }

  /** funcType gives the prototype of kernel function `name` (fbt arguments). */
  funcType(name: string): FuncType | undefined {
    const id = this.btf.findType(name, 'func');
    if (id === undefined) return undefined;
    const f = this.btf.type(id);
    if (f.kind !== 'func') return undefined;
    const t = this.typeOf(f.type);
    return t.kind === 'func' ? t : undefined;
  }

  private convert(id: number): Type {
    const bt = this.btf.type(id);
    switch (bt.kind) {
      case 'void': return T.void;
      case 'int': {
        if (bt.bool) return named(T.bool, bt.name);
        const size = bt.size === 1 || bt.size === 2 || bt.size === 4 || bt.size === 8 ? bt.size : 8;
        // pahole writes plain char without a sign; it is signed on the architectures DTrace runs on.
        return { kind: 'int', name: bt.name, size, signed: bt.signed || bt.name === 'char' };
      }
      case 'float': return { kind: 'float', name: bt.name, size: bt.size };
      case 'ptr': {
        // A type tag "user" (__user with BTF type tags) marks a user-space pointer.
        const user = this.btf.kindOf(bt.type) === 'type_tag' && this.btf.nameOf(bt.type) === 'user';
        return pointerTo(this.typeOf(bt.type), user);
      }
      case 'typedef': return named(this.typeOf(bt.type), bt.name);
      case 'const': case 'volatile': case 'restrict': {
        const inner = this.typeOf(bt.type);
        return inner.kind === 'pointer' || inner.kind === 'void' ? inner : named(inner, `${bt.kind} ${inner.name}`);
      }
      case 'type_tag': return this.typeOf(bt.type);
      case 'array': return arrayOf(this.typeOf(bt.elemType), bt.nelems);
      case 'struct': case 'union': {
        const decl = new SouDecl(bt.kind, bt.name, this.module, () => ({
          // A member's type is converted when it is used, not when its struct is entered.
          members: bt.members.map((m) => lazyMember(m.name, m.bitOffset, m.bitfieldSize, () => this.typeOf(m.typeId))),
          size: bt.size,
        }));
        return souType(decl);
      }
      case 'fwd': {
        // A forward declaration: use the definition if the kernel has one.
        const tag = bt.union ? 'union' : 'struct';
        const def = this.btf.findType(bt.name, tag);
        if (def !== undefined && def !== id) return this.typeOf(def);
        return souType(new SouDecl(tag, bt.name, this.module));
      }
      case 'enum': case 'enum64': {
        const decl = new EnumDecl(bt.name, this.module, bt.size);
        for (const v of bt.values) decl.values.set(v.name, v.value);
        decl.defined = true;
        return enumType(decl);
      }
      case 'func_proto': {
        const ret = this.typeOf(bt.returnType);
        const params = bt.params.map((p) => this.typeOf(p.typeId));
        return { kind: 'func', name: `${ret.name} (*)()`, ret, params, varargs: bt.variadic };
      }
      case 'func': return this.typeOf(bt.type);
      default: return T.void;
    }
  }
}
