// The speculation rules of a clause (src/sema/specrules.ts), with DTrace's
// tags and words: what may come before and after speculate( ), commit( )
// and discard( ) in one clause, reported at the offending action.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { check, rejects } from './helpers.js';

const pre = 'int s; void *p; BEGIN { s = speculation(); }\n';
const body = (b: string): string => `${pre}BEGIN {\n${b}\n}`;

describe('speculation rules: errors', () => {
  const cases: readonly (readonly [string, string, string])[] = [
    ['speculate(s); speculate(s);', 'D_SPEC_SPEC', 'speculate( ) may not follow speculate( )'],
    ['commit(s); speculate(s);', 'D_SPEC_COMM', 'speculate( ) may not follow commit( )'],
    ['trace(1); speculate(s);', 'D_SPEC_DREC', 'speculate( ) may not follow data-recording action(s)'],
    ['@a = count(); speculate(s);', 'D_SPEC_DREC', 'speculate( ) may not follow data-recording action(s)'],
    ['printf("x"); commit(s);', 'D_COMM_DREC', 'commit( ) may not follow data-recording action(s)'],
    ['@a = sum(1); commit(s);', 'D_COMM_DREC', 'commit( ) may not follow data-recording action(s)'],
    ['commit(s); trace(1);', 'D_DREC_COMM', 'data-recording actions may not follow commit( )'],
    ['commit(s); exit(0);', 'D_DREC_COMM', 'data-recording actions may not follow commit( )'],
    ['commit(s); @a = count();', 'D_AGG_COMM', 'aggregating actions may not follow commit( )'],
    ['speculate(s); @a = count();', 'D_AGG_SPEC', 'aggregating actions may not follow speculate( )'],
    ['speculate(s); @a[1] = quantize(1);', 'D_AGG_SPEC', 'aggregating actions may not follow speculate( )'],
    ['speculate(s); exit(0);', 'D_EXIT_SPEC', 'exit( ) may not follow speculate( )'],
    ['speculate(s); raise(9);', 'D_ACT_SPEC', 'destructive actions may not follow speculate( )'],
    ['speculate(s); stop();', 'D_ACT_SPEC', 'destructive actions may not follow speculate( )'],
    ['speculate(s); system("true");', 'D_ACT_SPEC', 'destructive actions may not follow speculate( )'],
    ['speculate(s); freopen("/tmp/x");', 'D_ACT_SPEC', 'destructive actions may not follow speculate( )'],
    ['speculate(s); chill(1);', 'D_ACT_SPEC', 'destructive actions may not follow speculate( )'],
    ['speculate(s); panic();', 'D_ACT_SPEC', 'destructive actions may not follow speculate( )'],
    ['speculate(s); breakpoint();', 'D_ACT_SPEC', 'destructive actions may not follow speculate( )'],
    ['speculate(s); copyout(p, 0, 1);', 'D_ACT_SPEC', 'destructive actions may not follow speculate( )'],
    ['speculate(s); copyoutstr("a", 0, 1);', 'D_ACT_SPEC', 'destructive actions may not follow speculate( )'],
  ];
  for (const [b, tag, message] of cases) {
    it(`${b} -> ${tag}`, () => rejects(body(b), tag, message, 3));
  }

  it('the first broken rule of the clause is the one reported', () => {
    rejects(body('trace(1);\nspeculate(s);\nspeculate(s);'), 'D_SPEC_DREC', undefined, 4);
  });

  it('a type error anywhere in the clause comes first, as DTrace checks rules after typing the clause', () => {
    rejects(body('speculate(s); speculate(s); trace(nosuchvar);'), 'D_IDENT_UNDEF');
  });

  it('rules are per clause', () => {
    check(`${pre}BEGIN { trace(1); } BEGIN { speculate(s); trace(2); } BEGIN { commit(s); }`);
  });
});

describe('speculation rules: allowed', () => {
  const ok = [
    'speculate(s); trace(1); printf("x"); self->x = 1;',
    'speculate(s);',
    'commit(s); commit(s);',
    'commit(s); discard(s);',
    'discard(s); trace(1);',
    'trace(1); discard(s);',
    'discard(s); speculate(s); trace(1);',
    'discard(s); exit(0);',
    'speculate(s); discard(s);',
    'speculate(s); commit(s);',
    '@a = count(); discard(s);',
    'raise(9); discard(s);',
  ];
  for (const b of ok) it(b, () => { check(body(b)); });
});

describe('speculation actions: prototypes', () => {
  it('speculate( ) needs its id', () => rejects(body('speculate();'), 'D_PROTO_LEN'));
  it('commit( ) takes one argument', () => rejects(body('commit(s, 1);'), 'D_PROTO_LEN'));
  it('discard( ) takes an integer', () => rejects(body('discard("a");'), 'D_PROTO_ARG'));
  it('speculation( ) takes none', () => rejects('BEGIN { x = speculation(1); }', 'D_PROTO_LEN'));
  it('the statements carry their id', () => {
    const c = check(body('speculate(s); trace(1);')).clauses[1];
    assert.deepEqual(c?.body.map((s) => s.k), ['spec', 'trace']);
  });
});
