// The consumer's part of setopt( ), freopen( ) and ftruncate( ) (output/actions.ts
// through TextOutput): DTrace's "couldn't set option" and "couldn't freopen()"
// messages as errors of the clause, quiet changing the prefix at once and
// trace( ) output with the next batch, the output switched after what the
// record printed so far.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Decoded, DecodedItem } from '../../../src/consume/decode.js';
import { parseFormat } from '../../../src/format/printf.js';
import { Options } from '../../../src/sema/options.js';
import { TextOutput, type ProbeName } from '../../../src/output/text.js';
import type { TraceValue } from '../../../src/output/trace.js';

const BEGIN: ProbeName = { id: 1, provider: 'dtrace', module: '', func: '', name: 'BEGIN' };
const data = (items: DecodedItem[]): Decoded => ({ kind: 'data', prid: 1, stid: 0, cpu: 0, items });
const s = (value: string): TraceValue => ({ kind: 'string', value });
const action = (name: string, values: TraceValue[], fmt?: string): DecodedItem => ({ kind: 'action', name, values, format: fmt === undefined ? undefined : parseFormat(fmt) });
const printf = (fmt: string): DecodedItem => ({ kind: 'printf', format: parseFormat(fmt), args: [] });

function output(events: string[], o = new Options()): TextOutput {
  return new TextOutput({
    quiet: false, testing: true,
    write: (t) => events.push(`out:${t}`), writeErr: (t) => events.push(`err:${t}`), flush: () => events.push('flush'),
    options: { set: (n, v) => o.set(n, v, 'tracing'), bool: (n) => o.bool(n), num: (n) => o.num(n) },
    file: { reopen: (p) => { events.push(`reopen:${p ?? '-'}`); return p === '/bad' ? 'No such file or directory' : undefined; }, truncate: () => events.push('truncate') },
  });
}

const prefix = 'dtrace: error in dt_clause_0 for probe ID 1 (dtrace:::BEGIN): ';

describe('setopt( )', () => {
  it('reports bad names, bad values and run-time options as DTrace does; a name alone is set to "1"', () => {
    const events: string[] = [];
    output(events).record(data([
      action('setopt', [s('Nixon')]), action('setopt', [s('quiet'), s('um, no')]), action('setopt', [s('bufsize'), s('1m')]),
    ]), BEGIN);
    assert.deepEqual(events.filter((e) => e.startsWith('err:')), [
      `err:${prefix}couldn't set option "Nixon" to "1": Invalid option name\n\n`,
      `err:${prefix}couldn't set option "quiet" to "um, no": Invalid value for specified option\n\n`,
      `err:${prefix}couldn't set option "bufsize" to "1m": Operation illegal when tracing is active\n\n`,
    ]);
  });
  it('quiet drops the prefix of the next record at once, and trace( )\'s padding from the next batch', () => {
    const events: string[] = [];
    const o = new Options();
    const t = output(events, o);
    t.record(data([action('setopt', [s('quiet')])]), BEGIN);
    assert.equal(o.bool('quiet'), true);
    t.record(data([{ kind: 'trace', value: s('x') }]), BEGIN);
    t.flush();
    t.record(data([{ kind: 'trace', value: s('y') }]), BEGIN);
    const out = events.filter((e) => e.startsWith('out:')).map((e) => e.slice(4)).join('');
    assert.equal(out, `${'FUNCTION:NAME'.padStart(32)}\n${':BEGIN'.padStart(32)}   ${'x'.padEnd(33)}y`);
  });
});

describe('freopen( ) and ftruncate( )', () => {
  it('switch the output after what the record printed; "" goes back; a failure is an error of the clause', () => {
    const events: string[] = [];
    const t = output(events);
    t.record(data([
      printf('a'), action('freopen', [s('/x'), { kind: 'int', value: 3n, size: 4, signed: true }], '%s.%d'), printf('b'),
      action('ftruncate', []), action('freopen', [s('/bad')], '%s'), action('freopen', []),
    ]), BEGIN);
    assert.deepEqual(events.filter((e) => !e.startsWith('out:') || e.includes('a') || e.includes('b')), [
      `out:${'FUNCTION:NAME'.padStart(32)}\n${':BEGIN'.padStart(32)} a`, 'flush', 'reopen:/x.3',
      'out:b', 'flush', 'truncate', 'flush', 'reopen:/bad', `err:${prefix}couldn't freopen() "/bad": No such file or directory\n`, 'flush', 'reopen:-',
    ]);
  });
});
