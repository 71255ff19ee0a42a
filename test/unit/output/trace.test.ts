/*
 * Unit tests for trace() output and record layout (src/output/trace.ts):
 * field widths per integer size, strings, raw dumps, header and prefix.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatTrace, formatDatum, formatBytes, formatRawBytes, formatHeader, formatProbePrefix,
  formatRecordEnd, formatStack, formatSymbolRecord, RecordPrinter, flowKind, OUTPUT_END,
  type TraceValue,
} from '../../../src/output/trace.js';

const int = (value: bigint | number, size: 1 | 2 | 4 | 8, signed: boolean): TraceValue =>
  ({ kind: 'int', value: BigInt(value), size, signed });
const loud = { quiet: false };
const quiet = { quiet: true };

test('integers: one leading space and a width per size and sign', () => {
  assert.equal(formatTrace(int(-1, 1, true), loud), '  -1');
  assert.equal(formatTrace(int(-1, 1, false), loud), ' 255');
  assert.equal(formatTrace(int(-1, 2, true), loud), '    -1');
  assert.equal(formatTrace(int(-1, 2, false), loud), ' 65535');
  assert.equal(formatTrace(int(-7, 4, true), loud), '         -7');
  assert.equal(formatTrace(int(-1, 4, false), loud), ' 4294967295');
  assert.equal(formatTrace(int(12, 8, true), loud), ' ' + ' '.repeat(17) + '12');
  assert.equal(formatTrace(int(-1, 8, false), loud), ' 18446744073709551615');
  assert.equal(formatTrace(int(-9223372036854775808n, 8, true), loud), ' -9223372036854775808');
});

test('integers when quiet are bare', () => {
  assert.equal(formatTrace(int(-1, 1, true), quiet), '-1');
  assert.equal(formatTrace(int(-1, 2, false), quiet), '65535');
  assert.equal(formatTrace(int(300, 1, false), quiet), '44');
  assert.equal(formatTrace(int(-5, 8, false), quiet), '18446744073709551611');
});

test('strings: "  %-33s", or bare when quiet', () => {
  assert.equal(formatTrace({ kind: 'string', value: 'hi' }, loud), '  hi' + ' '.repeat(31));
  const long = 'x'.repeat(40);
  assert.equal(formatTrace({ kind: 'string', value: long }, loud), '  ' + long);
  assert.equal(formatTrace({ kind: 'string', value: 'a%sb\n' }, quiet), 'a%sb\n');
  assert.equal(formatTrace({ kind: 'string', value: 'stop\0junk' }, quiet), 'stop');
});

test('raw byte dumps', () => {
  const data = new Uint8Array([0x48, 0x69, 0x00, 0x7f, 0x80, 0x20, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46,
    0x47, 0x48, 0x49, 0x4a, 0x4b, 0x0a]);
  const head = '\n' + ' '.repeat(11) + '  0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef\n';
  assert.equal(formatRawBytes(data),
    head +
    '         0: 48 69 00 7f 80 20 41 42 43 44 45 46 47 48 49 4a  Hi... ABCDEFGHIJ\n' +
    '        10: 4b 0a' + ' '.repeat(14 * 3) + '  K.\n');
  assert.equal(formatTrace({ kind: 'bytes', data: new Uint8Array([1, 2]) }, quiet),
    head + '         0: 01 02' + ' '.repeat(42) + '  ..\n');
  assert.equal(formatRawBytes(new Uint8Array(0)), '');
  // The rawbytes option dumps scalars too, little-endian.
  assert.equal(formatTrace(int(0x0102, 2, true), { quiet: false, rawbytes: true }),
    head + '         0: 02 01' + ' '.repeat(42) + '  ..\n');
});

test('formatBytes guesses strings like dt_print_bytes', () => {
  const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
  assert.equal(formatBytes(b('abc\0\0\0'), 50, false), '  abc' + ' '.repeat(47));
  assert.equal(formatBytes(b('abc\0\0\0'), 50, true), 'abc');
  assert.equal(formatBytes(b('tab\there'), 10, true), '  tab\there  ');
  assert.equal(formatBytes(b('ab\0c'), 50, false), formatRawBytes(b('ab\0c')));
  assert.equal(formatBytes(b('\0\0'), 50, false), formatRawBytes(b('\0\0')));
});

test('formatDatum: printa key/value widths by size', () => {
  assert.equal(formatDatum(int(5, 8, false)), ' ' + ' '.repeat(15) + '5');
  assert.equal(formatDatum(int(-1, 8, false)), ' ' + ' '.repeat(14) + '-1');
  assert.equal(formatDatum(int(0xffffffff, 4, false)), '       -1');
  assert.equal(formatDatum(int(-1, 2, true)), ' 65535');
  assert.equal(formatDatum(int(-1, 1, true)), ' 255');
  assert.equal(formatDatum({ kind: 'string', value: 'key' }), '  key' + ' '.repeat(47));
});

test('stacks and symbol records', () => {
  assert.equal(formatStack(['vmlinux`f+0x4', 'vmlinux`g']),
    '\n' + ' '.repeat(14) + 'vmlinux`f+0x4\n' + ' '.repeat(14) + 'vmlinux`g\n');
  assert.equal(formatStack(['x'], 2), '\n  x\n');
  assert.equal(formatSymbolRecord('vmlinux`f'), '  vmlinux`f' + ' '.repeat(41));
});

test('header and probe prefix', () => {
  assert.equal(formatHeader({ quiet: false, testing: false }), 'CPU     ID                    FUNCTION:NAME\n');
  assert.equal(formatHeader({ quiet: false, testing: true }), ' '.repeat(19) + 'FUNCTION:NAME\n');
  assert.equal(formatHeader({ quiet: true, testing: false }), '');
  const probe = { cpu: 3, id: 197, func: 'do_sys_open', name: 'entry' };
  assert.equal(formatProbePrefix(probe, { quiet: false, testing: false }),
    '  3    197 ' + ' '.repeat(15) + 'do_sys_open:entry ');
  const begin = { cpu: 0, id: 1, func: '', name: 'BEGIN' };
  assert.equal(formatProbePrefix(begin, { quiet: false, testing: true }), ' '.repeat(26) + ':BEGIN ');
  assert.equal(formatProbePrefix(begin, { quiet: true, testing: true }), '');
  assert.equal(formatRecordEnd({ quiet: false, testing: true }), '\n');
  assert.equal(formatRecordEnd({ quiet: true, testing: true }), '');
  assert.equal(OUTPUT_END, '\n');
});

test('a full listing: header once, items on one line, newline per record', () => {
  const opts = { quiet: false, testing: true };
  const rp = new RecordPrinter(opts);
  const tick = { cpu: 0, id: 5, func: '', name: 'tick-1s' };
  let out = rp.begin(tick);
  out += formatTrace(int(7, 4, true), opts) + formatTrace({ kind: 'string', value: 'x' }, opts);
  out += rp.end();
  out += rp.begin(tick) + rp.end() + OUTPUT_END;
  assert.equal(out,
    ' '.repeat(19) + 'FUNCTION:NAME\n' +
    ' '.repeat(24) + ':tick-1s           7  x' + ' '.repeat(32) + '\n' +
    ' '.repeat(24) + ':tick-1s \n' +
    '\n');
});

test('quiet listing prints only the data and the final newline', () => {
  const opts = { quiet: true, testing: false };
  const rp = new RecordPrinter(opts);
  const p = { cpu: 0, id: 1, func: '', name: 'BEGIN' };
  const out = rp.begin(p) + formatTrace(int(1, 8, true), opts) + rp.end() + OUTPUT_END;
  assert.equal(out, '1\n');
});

test('flowindent', () => {
  assert.equal(flowKind('entry'), 'entry');
  assert.equal(flowKind('method-return'), 'return');
  assert.equal(flowKind('carpentry'), 'none');
  const rp = new RecordPrinter({ quiet: false, testing: true, flowindent: true });
  const a = rp.begin({ cpu: 0, id: 1, provider: 'fbt', func: 'outer', name: 'entry' });
  const b = rp.begin({ cpu: 0, id: 2, provider: 'fbt', func: 'inner', name: 'entry' });
  const c = rp.begin({ cpu: 0, id: 9, provider: 'profile', func: '', name: 'tick-1' });
  const d = rp.begin({ cpu: 0, id: 3, provider: 'fbt', func: 'inner', name: 'return' });
  const e = rp.begin({ cpu: 0, id: 4, provider: 'syscall', func: 'read', name: 'return' });
  const pad = (s: string): string => s.padEnd(41) + ' ';
  assert.equal(a, 'FUNCTION'.padEnd(41) + '\n' + pad(' -> outer'));
  assert.equal(b, pad('   -> inner'));
  assert.equal(c, pad('    | :tick-1'));
  assert.equal(d, pad('   <- inner'));
  assert.equal(e, pad(' <= read'));
  const cpu = new RecordPrinter({ quiet: true, testing: false, flowindent: true });
  assert.equal(cpu.begin({ cpu: 2, id: 1, func: 'f', name: 'entry' }),
    'CPU ' + 'FUNCTION'.padEnd(41) + '\n' + '  2 ' + pad(' -> f'));
});
