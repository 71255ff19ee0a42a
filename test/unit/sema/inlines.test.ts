// Inlines with parameters (`inline int f[int x, int y] = x + y;`): used as
// associative arrays, checked against their key prototype with DTrace's
// D_PROTO_* messages, read-only, and able to translate their parameter.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rejects, traced } from './helpers.js';
import type { TExpr } from '../../../src/sema/ir.js';

// Not `sum`: that name is an aggregating function, which an inline may not redefine.
const SUM = 'inline int add[int x, int y] = x + y;\n';

describe('inline arrays', () => {
  it('a use is the value with the parameters bound to the keys', () => {
    const e = traced('add[10, 20]', SUM);
    assert.equal(e.k, 'int');
    assert.equal((e as TExpr & { k: 'int' }).value, 30n);
    const s = 'struct s { int s_x; };\ntranslator struct s < int T > { s_x = T + 1; };\ninline int f[int x] = (xlate < struct s > (x)).s_x;\n';
    assert.equal((traced('f[123]', s) as TExpr & { k: 'int' }).value, 124n);
  });

  it('keys are checked against the parameters', () => {
    rejects(`${SUM}BEGIN { trace(add[1]); }`, 'D_PROTO_LEN', 'add[ ] prototype mismatch: 1 key passed, 2 expected');
    rejects(`${SUM}BEGIN { trace(add["a", 2]); }`, 'D_PROTO_ARG', 'add[ ] key #1 is incompatible with prototype:\n\tprototype: int\n\t      key: string');
  });

  it('an inline array is not a scalar and cannot be assigned', () => {
    rejects(`${SUM}BEGIN { trace(add); }`, 'D_IDENT_BADREF', "associative array 'add' may not be referenced as scalar");
    rejects(`${SUM}BEGIN { add[1, 2] = 3; }`, 'D_OP_WRITE', 'operator = can only be applied to a writable variable');
  });

  it('its definition is checked with parameters of their types', () => {
    rejects('inline int bad[string s] = s;\n', 'D_OP_INCOMPAT', 'inline bad definition uses incompatible types: "int" = "string"');
  });
});
