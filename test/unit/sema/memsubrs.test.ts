// The memory and data subroutines in the checker and code generator:
// DTrace's diagnostics for alloca( ) memory (D_ALLOCA_SIZE,
// D_ALLOCA_INCOMPAT, bcopy( )/copyinto( ) into non-alloca memory,
// pointer arithmetic across the two kinds), inet_ntoa6( )'s strict flag,
// copyout( )/copyoutstr( ) being destructive, compound assignment to an
// undeclared variable, assigning a void value, and that programs get the alloca area and the
// run-time functions only when they use them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Options } from '../../../src/sema/options.js';
import { check, rejects } from './helpers.js';
import { compileD, linkAll } from '../codegen/helpers.js';

const ALLOCA_DEST = (fn: string, n: number): string =>
  `${fn}( ) argument #${n} is incompatible with prototype:\n\tprototype: alloca pointer\n\t argument: non-alloca pointer`;

describe('alloca( ) and its memory', () => {
  it('a constant size beyond scratchsize is D_ALLOCA_SIZE, for copyin( ) too', () => {
    rejects('BEGIN { a = alloca(1000000); }', 'D_ALLOCA_SIZE', 'alloca(1000000) size larger than scratchsize 256');
    rejects('BEGIN { a = copyin(0, 300); }', 'D_ALLOCA_SIZE', 'alloca(300) size larger than scratchsize 256');
    const o = new Options();
    assert.equal(o.set('scratchsize', '64', false), undefined);
    rejects('BEGIN { a = alloca(100); }', 'D_ALLOCA_SIZE', 'alloca(100) size larger than scratchsize 64', undefined, o);
    check('BEGIN { a = alloca(256); }');
  });

  it('bcopy( ) and copyinto( ) write only into alloca memory (D_PROTO_ARG)', () => {
    rejects('BEGIN { bcopy(alloca(4), (void *)curthread, 4); }', 'D_PROTO_ARG', ALLOCA_DEST('bcopy', 2));
    rejects('int *p; BEGIN { bcopy((void *)curthread, p, 4); }', 'D_PROTO_ARG', ALLOCA_DEST('bcopy', 2));
    rejects('BEGIN { copyinto(0, 4, (void *)curthread); }', 'D_PROTO_ARG', ALLOCA_DEST('copyinto', 3));
    check('BEGIN { x = alloca(8); bcopy("abc", x, 4); copyinto(0, 4, x); }');
  });

  it('a variable holds alloca pointers or others, never both (D_ALLOCA_INCOMPAT)', () => {
    rejects('BEGIN { x = alloca(8); x = (void *)curthread; }', 'D_ALLOCA_INCOMPAT',
      'x: cannot reuse the same identifier for both alloca and non-alloca allocations');
    // The taint is known in every clause, whichever comes first; the error is at the clause's first line.
    rejects('BEGIN { b = (char *)curthread; a = b + 5; }\nBEGIN\n{\na = (char *)alloca(1); }', 'D_ALLOCA_INCOMPAT',
      'a: cannot reuse the same identifier for both alloca and non-alloca allocations', 2);
    rejects('BEGIN { y = (void *)curthread; x = arg0 ? alloca(8) : y; }', 'D_ALLOCA_INCOMPAT',
      'ternary conditional with alloca and non-alloca branches cannot be assigned to a variable');
    // 0 is both.
    check('BEGIN { x = alloca(8); x = 0; }');
  });

  it('subtracting an alloca pointer and another is D_OP_INCOMPAT', () => {
    rejects('BEGIN { x = alloca(8); y = (char *)curthread; z = x - y; }', 'D_OP_INCOMPAT',
      'operands have incompatible types: "void *" - "char *"');
  });
});

describe('other subroutines', () => {
  it("inet_ntoa6( )'s second argument must be an integer constant", () => {
    rejects('BEGIN { trace(inet_ntoa6((void *)0, arg0)); }', 'D_PROTO_ARG', 'inet_ntoa6( ) argument #2 must be an integer constant');
    check('BEGIN { trace(inet_ntoa6((void *)0, 1)); }');
  });

  it('copyout( ) and copyoutstr( ) are destructive subroutines', () => {
    assert.deepEqual(check('BEGIN { copyout(alloca(1), 0, 1); copyoutstr("a", 0, 2); }').destructive, ['copyout', 'copyoutstr']);
    assert.deepEqual(check('BEGIN { x = alloca(1); bcopy("a", x, 1); }').destructive, []);
  });

  it('compound assignment to an undeclared variable is D_VAR_UNDEF, before its value is checked', () => {
    rejects('BEGIN { p -= trace(0); }', 'D_VAR_UNDEF', 'p has not yet been declared or assigned');
    rejects('BEGIN { self->p += 1; }', 'D_VAR_UNDEF', 'self->p has not yet been declared or assigned');
    rejects('BEGIN { this->p |= 1; }', 'D_VAR_UNDEF', 'this->p has not yet been declared or assigned');
    check('BEGIN { p = 1; p -= 1; }');
  });

  it('assigning a void subroutine or an action is D_OP_INCOMPAT, the target "void" when not yet created', () => {
    rejects('BEGIN { x = bcopy("a", alloca(1), 1); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "void" = "void"');
    rejects('BEGIN { x = 1; x = bcopy("a", alloca(1), 1); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "int" = "void"');
    rejects('BEGIN { self->x = trace(0); }', 'D_OP_INCOMPAT', 'operands have incompatible types: "void" = "void"');
    rejects('BEGIN { x = (1, trace(0)); }', 'D_OP_ACT', 'operator , operands cannot be actions');
  });
});

describe('generated programs', () => {
  it('have an alloca area (twice the effective scratchsize) only when a clause uses alloca memory', () => {
    const plain = compileD('BEGIN { trace(1); }').generated;
    const used = compileD('BEGIN { x = (int *)alloca(4); *x = 1; }').generated;
    const small = compileD('BEGIN { x = (int *)alloca(4); *x = 1; }', ['scratchsize=64']).generated;
    assert.equal(used.scratch.size - plain.scratch.size >= 2 * 264, true);
    assert.equal(used.scratch.size - small.scratch.size, 2 * (264 - 72));
  });

  it('link the run-time functions of the subroutines they call, and only those', () => {
    const fns = (src: string): string[] => [...compileD(src).generated.functions.keys()].filter((n) => !n.startsWith('dt_clause'));
    assert.ok(!fns('BEGIN { trace(1); }').some((n) => n.startsWith('dt_inet') || n.startsWith('dt_d_path')));
    assert.ok(fns('BEGIN { trace(inet_ntop(2, (void *)1)); }').includes('dt_inet_ntoa6'));
    assert.ok(fns('BEGIN { trace(progenyof(1)); }').includes('dt_progenyof'));
    for (const src of ['BEGIN { x = (char *)alloca(20); trace(link_ntop(1, x)); trace(inet_ntoa((void *)x)); }', 'BEGIN { trace(rand() + htonl(1) + getmajor(1)); }']) {
      assert.ok(linkAll(compileD(src)).insns.length > 0);
    }
  });
});
