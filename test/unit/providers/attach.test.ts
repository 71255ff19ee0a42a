// The attach-kind table (src/providers/attach.ts): each kind a provider may
// name has its program type there, so the session needs no switch.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ATTACH_KINDS, hasProgram } from '../../../src/providers/attach.js';
import { ProgType } from '../../../src/kernel/index.js';

describe('attach kinds', () => {
  it('give the program type each kind loads as', () => {
    assert.equal(ATTACH_KINDS.tracepoint.progType, ProgType.TRACEPOINT);
    assert.equal(ATTACH_KINDS['raw-tracepoint'].progType, ProgType.RAW_TRACEPOINT);
    assert.equal(ATTACH_KINDS.perf.progType, ProgType.PERF_EVENT);
    assert.equal(ATTACH_KINDS['test-run'].progType, ProgType.RAW_TRACEPOINT);
  });
  it('ERROR has no program of its own; every other kind has one', () => {
    assert.equal(hasProgram({ kind: 'error' }), false);
    assert.equal(hasProgram({ kind: 'tracepoint', group: 'sched', event: 'sched_switch' }), true);
    assert.equal(hasProgram({ kind: 'raw-tracepoint', event: 'sched_switch' }), true);
  });
  it('BEGIN and END are handed to the consumer, not attached', () => {
    const got: string[] = [];
    const prog = {} as never;
    ATTACH_KINDS['test-run'].attach(prog, { kind: 'test-run', role: 'end' }, { scope: {} as never, testRun: (role) => got.push(role) });
    assert.deepEqual(got, ['end']);
  });
});
