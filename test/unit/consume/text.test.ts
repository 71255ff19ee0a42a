// Text output (src/output/text.ts) of decoded records, as dtrace(1) prints
// them: the CPU/ID/FUNCTION:NAME header and prefix unless quiet, only
// FUNCTION:NAME under _DTRACE_TESTING, trace() widths by size, printf
// output, the final newline, and the probe-time error message on stderr.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Decoded, DecodedItem } from '../../../src/consume/decode.js';
import { parseFormat } from '../../../src/format/printf.js';
import { TextOutput, type ProbeName } from '../../../src/output/text.js';

const BEGIN: ProbeName = { id: 1, provider: 'dtrace', module: '', func: '', name: 'BEGIN' };
const TICK: ProbeName = { id: 5, provider: 'profile', module: '', func: '', name: 'tick-1s' };
const READ: ProbeName = { id: 812, provider: 'syscall', module: 'vmlinux', func: 'read', name: 'entry' };

function run(mode: { quiet: boolean; testing: boolean }, records: [Decoded, ProbeName | undefined][]): { out: string; err: string } {
  let out = '';
  let err = '';
  const o = new TextOutput({ ...mode, write: (s) => { out += s; }, writeErr: (s) => { err += s; } });
  for (const [r, p] of records) o.record(r, p);
  o.end();
  return { out, err };
}

/** pad32 is "%32s": how dtrace right-aligns FUNCTION:NAME. */
const pad32 = (s: string): string => s.padStart(32);
const data = (prid: number, cpu: number, items: DecodedItem[], stid = 0): Decoded => ({ kind: 'data', prid, stid, cpu, items });
const int = (value: bigint, size: 1 | 2 | 4 | 8, signed = true): DecodedItem => ({ kind: 'trace', value: { kind: 'int', value, size, signed } });
const str = (value: string): DecodedItem => ({ kind: 'trace', value: { kind: 'string', value } });
const printf = (fmt: string, args: { kind: 'int'; value: bigint; size: 1 | 2 | 4 | 8; signed: boolean }[] | { kind: 'string'; value: string }[] = []): DecodedItem =>
  ({ kind: 'printf', format: parseFormat(fmt), args });

describe('quiet', () => {
  it('prints only the data; end() adds one newline', () => {
    const { out, err } = run({ quiet: true, testing: false }, [
      [data(1, 0, [printf('hello %s\n', [{ kind: 'string', value: 'world' }])]), BEGIN],
      [data(1, 0, [int(-1n, 1), int(255n, 1, false), int(42n, 8), str('s')]), BEGIN],
      [data(1, 0, [{ kind: 'exit', status: 0 }]), BEGIN],
    ]);
    assert.equal(out, 'hello world\n-1255' + '42s\n');
    assert.equal(err, '');
  });
  it('testing mode changes nothing when quiet', () => {
    const a = run({ quiet: true, testing: true }, [[data(1, 0, [printf('x\n')]), BEGIN]]);
    assert.equal(a.out, 'x\n\n');
  });
});

describe('not quiet', () => {
  it('prints the CPU/ID/FUNCTION:NAME header once and a prefix per record', () => {
    const { out } = run({ quiet: false, testing: false }, [
      [data(1, 2, [int(1n, 4)]), BEGIN],
      [data(812, 11, [str('abc')]), READ],
    ]);
    assert.equal(out,
      'CPU     ID                    FUNCTION:NAME\n' +
      `  2      1 ${pad32(':BEGIN')}           1\n` +
      ` 11    812 ${pad32('read:entry')}   abc${' '.repeat(30)}\n` +
      '\n');
  });

  it('a record with no data prints just the probe (the default action)', () => {
    const { out } = run({ quiet: false, testing: false }, [[data(5, 0, []), TICK]]);
    assert.equal(out, `CPU     ID                    FUNCTION:NAME\n  0      5 ${pad32(':tick-1s')} \n\n`);
  });

  it('trace() widths depend on the size and sign of the value', () => {
    const { out } = run({ quiet: false, testing: true }, [[data(1, 0, [
      int(-1n, 1), int(255n, 1, false), int(-2n, 2), int(65535n, 2, false), int(-3n, 4), int(4294967295n, 4, false), int(-4n, 8), int((1n << 64n) - 1n, 8, false),
    ]), BEGIN]]);
    // " %3d", " %3u", " %5d", " %5u", " %10d", " %10u", " %19d", " %20u"
    assert.equal(out.split('\n')[1],
      `${pad32(':BEGIN')}   -1 255    -2 65535         -3 4294967295                  -4 18446744073709551615`);
  });

  it('printf output follows the prefix on the same line; the record still ends with a newline', () => {
    const { out } = run({ quiet: false, testing: true }, [[data(1, 0, [
      printf('%5d|%-4s|', [{ kind: 'int', value: 42n, size: 4, signed: true }, { kind: 'string', value: 'ab' }] as never),
      str('t'),
    ]), BEGIN]]);
    assert.equal(out, `${pad32('FUNCTION:NAME')}\n${pad32(':BEGIN')}    42|ab  |  t${' '.repeat(32)}\n\n`);
  });
});

describe('_DTRACE_TESTING', () => {
  it('omits the CPU and ID columns in the header and the prefix', () => {
    const { out } = run({ quiet: false, testing: true }, [
      [data(1, 3, [int(7n, 4)]), BEGIN],
      [data(812, 0, [printf('%d-%s\n', [{ kind: 'int', value: 1n, size: 4, signed: true }, { kind: 'string', value: 'x' }] as never)]), READ],
    ]);
    assert.equal(out,
      `${pad32('FUNCTION:NAME')}\n` +
      `${pad32(':BEGIN')}           7\n` +
      `${pad32('read:entry')} 1-x\n\n` +
      '\n');
  });
});

describe('probe-time errors', () => {
  it('a divide-by-zero fault prints DTrace\'s message on stderr, nothing on stdout but the end newline', () => {
    const { out, err } = run({ quiet: true, testing: false }, [
      [{ kind: 'fault', prid: 5, stid: 2, cpu: 0, pc: 24n, code: 4, addr: 0n }, TICK],
    ]);
    assert.equal(err, 'dtrace: error in dt_clause_2 for probe ID 5 (profile:::tick-1s): divide-by-zero at BPF pc 24\n');
    assert.equal(out, '\n');
  });

  it('the message names all four fields of the probe', () => {
    const { err } = run({ quiet: false, testing: true }, [
      [{ kind: 'fault', prid: 812, stid: 0, cpu: 1, pc: 3n, code: 4, addr: 0n }, READ],
    ]);
    assert.equal(err, 'dtrace: error in dt_clause_0 for probe ID 812 (syscall:vmlinux:read:entry): divide-by-zero at BPF pc 3\n');
  });

  it('address faults show the address in hex', () => {
    const { err } = run({ quiet: true, testing: false }, [
      [{ kind: 'fault', prid: 1, stid: 0, cpu: 0, pc: 9n, code: 1, addr: 0x1000n }, BEGIN],
    ]);
    assert.equal(err, 'dtrace: error in dt_clause_0 for probe ID 1 (dtrace:::BEGIN): invalid address (0x1000) at BPF pc 9\n');
  });

  it('a fault does not print the header before data records', () => {
    const { out } = run({ quiet: false, testing: true }, [
      [{ kind: 'fault', prid: 1, stid: 0, cpu: 0, pc: 1n, code: 4, addr: 0n }, BEGIN],
      [data(1, 0, [int(1n, 4)], 1), BEGIN],
    ]);
    assert.equal(out, `${pad32('FUNCTION:NAME')}\n${pad32(':BEGIN')}           1\n\n`);
  });
});

describe('system( )', () => {
  it('flushes what the record printed, then runs the formatted command, then prints the rest', () => {
    const events: string[] = [];
    const o = new TextOutput({
      quiet: true, testing: false,
      write: (s) => events.push(`out:${s}`), writeErr: () => {}, flush: () => events.push('flush'), run: (cmd) => events.push(`run:${cmd}`),
    });
    o.record(data(1, 0, [
      printf('a'),
      { kind: 'action', name: 'system', values: [{ kind: 'string', value: 'x' }, { kind: 'int', value: -2n, size: 4, signed: true }], format: parseFormat('echo %s %d') },
      printf('b'),
    ]), BEGIN);
    assert.deepEqual(events, ['out:a', 'flush', 'run:echo x -2', 'out:b']);
  });
});
