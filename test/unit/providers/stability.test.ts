// `dtrace -v` stability attributes (src/session/stability.ts): a
// description's attributes from the fields it names, a statement's from
// what it uses, and the report's text.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { providerAttrs } from '../../../src/providers/index.js';
import { attr } from '../../../src/providers/probe.js';
import { clauseAttrs, descriptionAttr, stabilityReport } from '../../../src/session/stability.js';
import type { CheckedClause } from '../../../src/sema/ir.js';
import type { ProbeDesc } from '../../../src/syntax/ast.js';

function desc(text: string): ProbeDesc {
  return { kind: 'ProbeDesc', text, parts: text.split(':'), pos: { line: 1, col: 1 } };
}

const pos = { line: 1, col: 1 };

function clause(d: string, body: unknown[]): CheckedClause {
  return { index: 0, pos, probes: [desc(d)], defaultAction: false, body } as unknown as CheckedClause;
}

describe('description attributes', () => {
  it('an empty or glob provider is Unstable', () => {
    assert.deepEqual(descriptionAttr(desc('BEGIN'), providerAttrs), attr('Unstable', 'Unstable', 'Common'));
    assert.deepEqual(descriptionAttr(desc('dt*:::BEGIN'), providerAttrs), attr('Unstable', 'Unstable', 'Common'));
  });
  it('a named provider gives its attributes for the fields named', () => {
    assert.deepEqual(descriptionAttr(desc('dtrace:::BEGIN'), providerAttrs), attr('Stable', 'Stable', 'Common'));
    assert.deepEqual(descriptionAttr(desc('syscall:::entry'), providerAttrs), attr('Evolving', 'Evolving', 'Common'));
    assert.deepEqual(descriptionAttr(desc('syscall::read:entry'), providerAttrs), attr('Private', 'Private', 'ISA'));
    assert.deepEqual(descriptionAttr(desc('sdt:sched::sched_switch'), providerAttrs), attr('Private', 'Private', 'Unknown'));
  });
});

describe('statement attributes', () => {
  const int = (v: bigint): unknown => ({ k: 'int', value: v, type: {}, pos });
  it('constants and most variables are Stable', () => {
    const c = clause('BEGIN', [{ k: 'trace', e: int(1n), pos }, { k: 'trace', e: { k: 'builtin', name: 'execname', pos }, pos }]);
    assert.deepEqual(clauseAttrs(c, providerAttrs).stmt, attr('Stable', 'Stable', 'Common'));
  });
  it('curthread, args[] and kernel symbols lower them', () => {
    const cur = clause('BEGIN', [{ k: 'trace', e: { k: 'builtin', name: 'curthread', pos }, pos }]);
    assert.deepEqual(clauseAttrs(cur, providerAttrs).stmt, attr('Stable', 'Private', 'Common'));
    const args = clause('syscall::read:entry', [{ k: 'trace', e: { k: 'args', idx: int(0n), pos }, pos }]);
    assert.deepEqual(clauseAttrs(args, providerAttrs).stmt, attr('Private', 'Private', 'ISA'));
    const sym = clause('BEGIN', [{ k: 'trace', e: { k: 'sym', sym: { name: 'max_pfn' }, pos }, pos }]);
    assert.deepEqual(clauseAttrs(sym, providerAttrs).stmt, attr('Private', 'Private', 'Unknown'));
  });
});

describe('report', () => {
  it('is printed as dtrace -v prints it', () => {
    const text = stabilityReport('script x.d', { desc: attr('Unstable', 'Unstable', 'Common'), stmt: attr('Stable', 'Stable', 'Common') });
    assert.equal(text, [
      '', 'Stability attributes for script x.d:', '',
      '\tMinimum Probe Description Attributes', '\t\tIdentifier Names: Unstable', '\t\tData Semantics:   Unstable', '\t\tDependency Class: Common', '',
      '\tMinimum Statement Attributes', '\t\tIdentifier Names: Stable', '\t\tData Semantics:   Stable', '\t\tDependency Class: Common', '',
    ].join('\n'));
  });
});
