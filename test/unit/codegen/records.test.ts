// Code generator: record layouts (generated.records). Each clause's record
// starts with the 16-byte header; trace/printf/exit values follow at offsets
// aligned to their size (strings are strsize + 1 bytes: strsize characters
// and the NUL, byte-aligned); actions
// under `if` get a presence byte allocated just before their value.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordItem, StatementRecord } from '../../../src/layout/records.js';
import { Hdr } from '../../../src/layout/memory.js';
import { compileD } from './helpers.js';

/** shape renders a record's items compactly: kind@offset:size(s|u|str)[?flag]. */
function shape(r: StatementRecord): string[] {
  const slot = (s: { offset: number; size: number; kind: string; signed: boolean }): string =>
    `${s.offset}:${s.size}${s.kind === 'string' ? 'str' : s.signed ? 's' : 'u'}`;
  return r.items.map((it: RecordItem) => {
    const flag = it.flag === undefined ? '' : `?${it.flag}`;
    if (it.kind === 'printf') return `printf(${it.args.map(slot).join(',')})${flag}`;
    if (it.kind === 'trace' || it.kind === 'exit') return `${it.kind}@${slot(it.value)}${flag}`;
    return `${(it as { kind: string }).kind}${flag}`;
  });
}

describe('record layouts', () => {
  it('the header is 16 bytes and a clause with nothing to record has an empty record', () => {
    assert.equal(Hdr.size, 16);
    const r = compileD('BEGIN { x = 1; }').generated.records;
    assert.deepEqual(r, [{ stid: 0, size: 16, items: [] }]);
  });

  it('trace() of each integer size is aligned to its size', () => {
    const r = compileD('BEGIN { trace((char)1); trace(2l); trace((short)3); trace(4); trace((unsigned char)5); trace((unsigned short)6); trace(7u); trace(8ul); }').generated.records[0];
    assert.deepEqual(shape(r), [
      'trace@16:1s', 'trace@24:8s', 'trace@32:2s', 'trace@36:4s', 'trace@40:1u', 'trace@42:2u', 'trace@44:4u', 'trace@48:8u',
    ]);
    assert.equal(r.size, 56);
    assert.equal(r.stid, 0);
  });

  it('strings take strsize + 1 bytes with no alignment', () => {
    const r = compileD('BEGIN { trace((char)1); trace("abc"); trace(2); }', ['strsize=32']).generated.records[0];
    assert.deepEqual(shape(r), ['trace@16:1s', 'trace@17:33str', 'trace@52:4s']);
    assert.equal(r.size, 56);
  });

  it('printf arguments are laid out in order; the format is kept in the record', () => {
    const r = compileD('BEGIN { printf("%d %s %d\\n", (short)1, execname, 3l); }', ['strsize=16']).generated.records[0];
    assert.deepEqual(shape(r), ['printf(16:2s,18:17str,40:8s)']);
    assert.equal(r.size, 48);
    const it0 = r.items[0];
    assert.equal(it0.kind, 'printf');
    assert.equal(it0.kind === 'printf' ? it0.format.error : 'x', undefined);
  });

  it('a printf with no arguments records nothing but its presence', () => {
    const r = compileD('BEGIN { printf("hello\\n"); }').generated.records[0];
    assert.deepEqual(shape(r), ['printf()']);
    assert.equal(r.size, 16);
  });

  it('exit() records its status as an int', () => {
    const r = compileD('BEGIN { exit(3); }').generated.records[0];
    assert.deepEqual(shape(r), ['exit@16:4s']);
  });

  it('actions under if/else get presence flags; unconditional ones do not', () => {
    const r = compileD('BEGIN { trace(1); if (pid) { trace(2l); exit(2); } else { trace("no"); } exit(0); }', ['strsize=16']).generated.records[0];
    assert.deepEqual(shape(r), [
      'trace@16:4s', 'trace@24:8s?20', 'exit@36:4s?32', 'trace@41:17str?40', 'exit@60:4s',
    ]);
    assert.equal(r.size, 64);
  });

  it('nested ifs flag every action inside them', () => {
    const r = compileD('BEGIN { if (pid) { if (tid) { trace((char)1); } trace((char)2); } }').generated.records[0];
    assert.deepEqual(shape(r), ['trace@17:1s?16', 'trace@19:1s?18']);
  });

  it('each clause has its own record, indexed by statement id', () => {
    const r = compileD('BEGIN { trace(1); }\nBEGIN { trace(2l); }\nEND { printf("%d", 1); }').generated.records;
    assert.deepEqual(r.map((x) => [x.stid, x.size, shape(x)]), [
      [0, 20, ['trace@16:4s']],
      [1, 24, ['trace@16:8s']],
      [2, 20, ['printf(16:4s)']],
    ]);
  });

  it('trace() of a string variable, a built-in and this-> values', () => {
    const r = compileD('BEGIN { s = "x"; this->v = (short)1; trace(s); trace(pid); trace(this->v); trace(timestamp); }', ['strsize=8']).generated.records[0];
    assert.deepEqual(shape(r), ['trace@16:9str', 'trace@28:4s', 'trace@32:2s', 'trace@40:8u']);
  });

  it('the scratch area has room for the largest record after the temporaries', () => {
    const g = compileD('BEGIN { trace("a"); }\nEND { trace(1); }', ['strsize=64']).generated;
    assert.ok(g.scratch.recOff >= g.scratch.tmpOff);
    assert.ok(g.scratch.size >= g.scratch.recOff + Math.max(...g.records.map((r) => r.size)));
    assert.equal(g.scratch.size % 8, 0);
    assert.equal(g.strsize, 65); // the string buffer size: 64 characters and the NUL
  });

  it('a strsize too large for the 32 KiB scratch area is a RangeError, not a bad program', () => {
    assert.throws(() => compileD('BEGIN { trace(execname); trace(execname); trace(execname); }', ['strsize=16k']), RangeError);
  });
});
