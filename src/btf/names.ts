// C-style type names for BTF types ("struct task_struct *", "char [16]",
// "int (*)(void *, long)"), spelled the way DTrace prints CTF type names so
// diagnostics and typeof-style output read the same. The declarator is built
// inside-out, as C's grammar requires, so pointers to arrays and functions get
// their parentheses.

import { BTF_KIND, BtfError } from './types.js';
import type { Btf } from './btf.js';

/** Nesting bound: only a cyclic (malformed) chain could exceed it. */
const MAX_DEPTH = 256;

function join(base: string, inner: string): string {
  return inner === '' ? base : `${base} ${inner}`;
}

function tagged(kw: string, name: string): string {
  return `${kw} ${name === '' ? '(anon)' : name}`;
}

/** decl renders type `id` declaring `inner` (the declarator text built so far). */
function decl(btf: Btf, id: number, inner: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new BtfError(`BTF type ${id}: type chain too deep to name`);
  const t = btf.type(id);
  switch (t.kind) {
    case 'void':
      return join('void', inner);
    case 'int':
    case 'float':
    case 'typedef':
      return join(t.name, inner);
    case 'struct':
    case 'union':
      return join(tagged(t.kind, t.name), inner);
    case 'enum':
    case 'enum64':
      return join(tagged('enum', t.name), inner);
    case 'fwd':
      return join(tagged(t.union ? 'union' : 'struct', t.name), inner);
    case 'ptr': {
      // Type tags (__user, __rcu) are invisible in C syntax; look past them to
      // decide whether the pointee needs "(*)".
      let target = t.type;
      for (let n = 0; n < MAX_DEPTH && btf.kindNum(target) === BTF_KIND.TYPE_TAG; n++) target = btfRef(btf, target);
      const tk = btf.kindNum(target);
      const needParens = tk === BTF_KIND.ARRAY || tk === BTF_KIND.FUNC_PROTO;
      return decl(btf, target, needParens ? `(*${inner})` : `*${inner}`, depth + 1);
    }
    case 'const':
    case 'volatile':
    case 'restrict': {
      // A qualified pointer puts the qualifier after the '*': "char *const".
      if (btf.kindNum(t.type) === BTF_KIND.PTR) return decl(btf, t.type, join(t.kind, inner), depth + 1);
      return `${t.kind} ${decl(btf, t.type, inner, depth + 1)}`;
    }
    case 'type_tag':
    case 'decl_tag':
      return decl(btf, t.type, inner, depth + 1);
    case 'array':
      return decl(btf, t.elemType, `${inner}[${t.nelems}]`, depth + 1);
    case 'func_proto': {
      const params = t.params.map((p) => decl(btf, p.typeId, '', depth + 1));
      if (t.variadic) params.push('...');
      const list = params.length === 0 ? 'void' : params.join(', ');
      return decl(btf, t.returnType, `${inner}(${list})`, depth + 1);
    }
    case 'func':
      return decl(btf, t.type, `${t.name}${inner}`, depth + 1);
    case 'var':
      return decl(btf, t.type, join(t.name, inner), depth + 1);
    case 'datasec':
      return join(`datasec ${t.name}`, inner);
  }
}

/** btfRef returns the target of a reference kind (ptr/typedef/qualifier/tag). */
function btfRef(btf: Btf, id: number): number {
  const t = btf.type(id);
  return 'type' in t ? t.type : 0;
}

/** typeName renders a BTF type the way C (and DTrace) writes it. */
export function typeName(btf: Btf, id: number): string {
  return decl(btf, id, '', 0);
}
