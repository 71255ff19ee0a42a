// The speculation rules of a clause, as DTrace's code generator enforces
// them (dtrace-utils' clause flags): what may come before and after
// speculate( ) and commit( ) in one clause. The checker notes each action
// statement in the order of the text; the first broken rule is reported
// once the whole clause has been checked, as DTrace reports it after
// cooking the clause (docs/speculations.md).

import { CompileError, type Pos } from '../diag/diagnostic.js';
import { ACTIONS } from '../library/actions.js';
import type { TStmt } from './ir.js';

/** ActionKind is what the rules need to know of an action. */
export type ActionKind = 'speculate' | 'commit' | 'discard' | 'aggregation' | 'exit' | 'destructive' | 'data';

/** actionKind classifies a checked statement; undefined for statements that are not actions (expressions, if). */
export function actionKind(s: TStmt): ActionKind | undefined {
  switch (s.k) {
    case 'spec': return s.op;
    case 'agg': return 'aggregation';
    case 'exit': return 'exit';
    case 'trace': case 'printf': case 'printa': case 'aggop': return 'data';
    case 'action': return namedActionKind(s.name);
    // copyout( ) and copyoutstr( ) are subroutines called as statements.
    case 'expr': return s.e.k === 'call' && DESTRUCTIVE_SUBRS.has(s.e.fn) ? 'destructive' : undefined;
    default: return undefined;
  }
}

/** The subroutines DTrace treats as destructive actions in these rules (they write user memory). */
const DESTRUCTIVE_SUBRS: ReadonlySet<string> = new Set(['copyout', 'copyoutstr']);

/** namedActionKind classifies any other action by name: destructive ones (DTrace's destructive classes) or data-recording. */
export function namedActionKind(name: string): ActionKind {
  return ACTIONS[name]?.destructive === true || DESTRUCTIVE_SUBRS.has(name) ? 'destructive' : 'data';
}

const SPECULATE = 1;
const COMMIT = 2;
const DATAREC = 4;
const AGGREGATION = 8;

/** RULES: for each kind of action, the flags before it that are an error, with DTrace's tag and words; first match wins. */
const RULES: Readonly<Record<ActionKind, readonly (readonly [number, string, string])[]>> = {
  speculate: [
    [SPECULATE, 'D_SPEC_SPEC', 'speculate( ) may not follow speculate( )'],
    [COMMIT, 'D_SPEC_COMM', 'speculate( ) may not follow commit( )'],
    [DATAREC | AGGREGATION, 'D_SPEC_DREC', 'speculate( ) may not follow data-recording action(s)'],
  ],
  commit: [[DATAREC | AGGREGATION, 'D_COMM_DREC', 'commit( ) may not follow data-recording action(s)']],
  discard: [],
  aggregation: [
    [COMMIT, 'D_AGG_COMM', 'aggregating actions may not follow commit( )'],
    [SPECULATE, 'D_AGG_SPEC', 'aggregating actions may not follow speculate( )'],
  ],
  destructive: [
    [SPECULATE, 'D_ACT_SPEC', 'destructive actions may not follow speculate( )'],
    [COMMIT, 'D_DREC_COMM', 'data-recording actions may not follow commit( )'],
  ],
  exit: [
    [SPECULATE, 'D_EXIT_SPEC', 'exit( ) may not follow speculate( )'],
    [COMMIT, 'D_DREC_COMM', 'data-recording actions may not follow commit( )'],
  ],
  data: [[COMMIT, 'D_DREC_COMM', 'data-recording actions may not follow commit( )']],
};

/** What each kind of action adds to the clause's flags. */
const SETS: Readonly<Record<ActionKind, number>> = {
  speculate: SPECULATE, commit: COMMIT, discard: 0, aggregation: AGGREGATION, destructive: DATAREC, exit: DATAREC, data: DATAREC,
};

/** SpecRules follows one clause's actions in text order and keeps the first rule they break. */
export class SpecRules {
  private flags = 0;
  private error: CompileError | undefined;

  /** note records an action; a broken rule is kept for `check`. */
  note(kind: ActionKind, pos: Pos): void {
    if (this.error !== undefined) return;
    const broken = RULES[kind].find(([flags]) => (this.flags & flags) !== 0);
    if (broken !== undefined) this.error = new CompileError(broken[1], broken[2], pos);
    this.flags |= SETS[kind];
  }

  /** noteStmt records a checked statement if it is an action. */
  noteStmt(s: TStmt): void {
    const kind = actionKind(s);
    const pos = 'pos' in s ? s.pos : s.k === 'expr' ? s.e.pos : undefined;
    if (kind !== undefined && pos !== undefined) this.note(kind, pos);
  }

  /** check throws the first broken rule, if any. */
  check(): void {
    if (this.error !== undefined) throw this.error;
  }
}
