// The type environment of one compilation: D's predefined types, the
// script's own typedefs, struct/union/enum tags and enumerators, and the
// kernel's types and symbols, looked up in that order as DTrace searches
// its C and D containers before the kernel's. Kernel types are asked for
// only when a name is not D's own, so a script that names no kernel type
// never reads BTF.

import type { LibKind } from '../dlib/library.js';
import type { KernelSymbol, KernelTypes } from './ktypes.js';
import {
  EnumDecl, PREDEFINED_TYPEDEFS, SouDecl, T, builtinFromWords, enumType, pointerTo, souType,
  type EnumType, type SouType, type Type,
} from './types.js';

/** KernelInfo is what the compiler may learn about the running kernel; every part is optional and lazy. */
export interface KernelInfo {
  /** Kernel types from BTF (undefined when the kernel has none). */
  types?: () => KernelTypes | undefined;
  /** Kernel variables by name (kallsyms plus BTF); undefined when not exported. */
  symbol?: (module: string | undefined, name: string) => KernelSymbol | undefined;
}

/** Enumerator is a name an enum defines, usable as an integer constant. */
export interface Enumerator {
  readonly type: EnumType;
  readonly value: bigint;
}

/** TypeEnv resolves type names for the checker. */
export class TypeEnv {
  private readonly typedefs = new Map<string, Type>();
  private readonly tags = new Map<string, SouType | EnumType>();
  readonly enumerators = new Map<string, Enumerator>();
  private ktypes: KernelTypes | undefined | null = null;

  constructor(private readonly kernel: KernelInfo = {}) {}

  /**
   * need brings in the D library file defining `name` as a `kind` (a
   * typedef, tag, identifier or translator output) if there is one not yet
   * loaded, and tells whether it did; the checker sets it (sema/check.ts).
   */
  need: (kind: LibKind, name: string) => boolean = () => false;

  /** isLibraryType tells whether a D library file defines typedef `name`; the checker sets it. */
  isLibraryType: (name: string) => boolean = () => false;

  /** kernelTypes loads the kernel's types on first use (null: not asked yet). */
  kernelTypes(): KernelTypes | undefined {
    if (this.ktypes === null) this.ktypes = this.kernel.types?.();
    return this.ktypes;
  }

  /** typedef finds a type name: the script's typedefs, D's, the D library's, then the kernel's (or only `module`'s). */
  typedef(name: string, module?: string): Type | undefined {
    if (module === undefined || module === 'D' || module === 'C') {
      // `` C`int ``: C's keyword types are the C container's.
      let own = this.typedefs.get(name) ?? PREDEFINED_TYPEDEFS.get(name) ?? (module === 'C' ? builtinFromWords([name]) : undefined);
      if (own === undefined && module !== 'C' && this.need('type', name)) own = this.typedefs.get(name);
      if (own !== undefined || module !== undefined) return own;
    }
    return this.kernelTypes()?.typedef(name);
  }

  /** isTypeName tells the parser whether an identifier names a type; `` mod`name `` names one of that module's. */
  isTypeName(name: string): boolean {
    const tick = name.lastIndexOf('`');
    if (tick >= 0) return this.typedef(name.slice(tick + 1), tick > 0 ? name.slice(0, tick) : undefined) !== undefined;
    return this.typedefs.has(name) || PREDEFINED_TYPEDEFS.has(name) || this.isLibraryType(name) || this.kernelTypes()?.typedef(name) !== undefined;
  }

  /** isOwnTypedef tells whether the script itself declared typedef `name`. */
  isOwnTypedef(name: string): boolean {
    return this.typedefs.has(name);
  }

  defineTypedef(name: string, t: Type): void {
    this.typedefs.set(name, t);
  }

  /** tag finds `struct|union|enum name`: the script's first, then the kernel's. */
  tag(kind: 'struct' | 'union' | 'enum', name: string, module?: string): SouType | EnumType | undefined {
    if (module === undefined || module === 'D' || module === 'C') {
      let own = this.tags.get(`${kind} ${name}`);
      if (own === undefined && module !== 'C' && this.need('tag', `${kind} ${name}`)) own = this.tags.get(`${kind} ${name}`);
      if (own !== undefined || module !== undefined) return own;
    }
    const k = this.kernelTypes();
    if (k === undefined) return undefined;
    const t = kind === 'enum' ? k.enum(name) : k.sou(kind, name);
    return t?.kind === 'sou' || t?.kind === 'enum' ? t : undefined;
  }

  /** ownTag finds a tag the script declared. */
  ownTag(kind: 'struct' | 'union' | 'enum', name: string): SouType | EnumType | undefined {
    return this.tags.get(`${kind} ${name}`);
  }

  /** declareSou creates (or finds) the script's `struct|union name`, initially a forward declaration. */
  declareSou(tag: 'struct' | 'union', name: string): SouType {
    const key = `${tag} ${name}`;
    const have = this.tags.get(key);
    if (have?.kind === 'sou') return have;
    const t = souType(new SouDecl(tag, name, 'D'));
    if (name !== '') this.tags.set(key, t);
    return t;
  }

  /** declareEnum creates (or finds) the script's `enum name`. */
  declareEnum(name: string): EnumType {
    const key = `enum ${name}`;
    const have = this.tags.get(key);
    if (have?.kind === 'enum') return have;
    const t = enumType(new EnumDecl(name, 'D'));
    if (name !== '') this.tags.set(key, t);
    return t;
  }

  /** symbol finds a kernel variable. */
  symbol(module: string | undefined, name: string): KernelSymbol | undefined {
    return this.kernel.symbol?.(module, name);
  }

  /** taskStruct is `struct task_struct`, curthread's target type (void when the kernel has no BTF). */
  taskPtr(): Type {
    const t = this.tag('struct', 'task_struct');
    return pointerTo(t ?? T.void);
  }
}
