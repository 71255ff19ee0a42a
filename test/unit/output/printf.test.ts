/*
 * Unit tests for the consumer's printf (src/output/printf.ts) and the C
 * printf primitives (src/output/cformat.ts).  Expected strings follow C
 * (glibc) printf semantics plus DTrace's documented conversions.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFormat } from '../../../src/format/printf.js';
import {
  formatPrintf, escapeString, formatWalltime, formatRfc822,
  type PrintfValue, type PrintfOptions,
} from '../../../src/output/printf.js';
import { formatCFloat, NO_FLAGS } from '../../../src/output/cformat.js';

const i32 = (v: number | bigint): PrintfValue => ({ kind: 'int', value: BigInt(v), size: 4, signed: true });
const u32 = (v: number | bigint): PrintfValue => ({ kind: 'int', value: BigInt(v), size: 4, signed: false });
const i64 = (v: number | bigint): PrintfValue => ({ kind: 'int', value: BigInt(v), size: 8, signed: true });
const u64 = (v: number | bigint): PrintfValue => ({ kind: 'int', value: BigInt(v), size: 8, signed: false });
const i8 = (v: number): PrintfValue => ({ kind: 'int', value: BigInt(v), size: 1, signed: true });
const i16 = (v: number): PrintfValue => ({ kind: 'int', value: BigInt(v), size: 2, signed: true });
const str = (value: string): PrintfValue => ({ kind: 'string', value });
const dbl = (value: number): PrintfValue => ({ kind: 'float', value, size: 8 });

function pf(fmt: string, args: PrintfValue[], opts?: PrintfOptions): string {
  const p = parseFormat(fmt);
  assert.equal(p.error, undefined, fmt);
  return formatPrintf(p, args, opts);
}

test('integer flags and widths', () => {
  assert.equal(pf('%-5d|', [i32(42)]), '42   |');
  assert.equal(pf('%+d', [i32(5)]), '+5');
  assert.equal(pf('% d|% d', [i32(5), i32(-5)]), ' 5|-5');
  assert.equal(pf('%05d', [i32(-42)]), '-0042');
  assert.equal(pf('%#o', [i32(8)]), '010');
  assert.equal(pf('%#o', [i32(0)]), '0');
  assert.equal(pf('%#x|%#X|%#x', [i32(255), i32(255), i32(0)]), '0xff|0XFF|0');
  assert.equal(pf('%#010x', [i32(0x1f)]), '0x0000001f');
  assert.equal(pf('%8.3d|%-8.3d|', [i32(5), i32(-5)]), '     005|-005    |');
  // With a precision C ignores the '0' flag.
  assert.equal(pf('%08.3d', [i32(7)]), '     007');
  assert.equal(pf('%?d', [i32(3)]), '               3');
});

test("the ' flag groups only when a separator is configured", () => {
  assert.equal(pf("%'d", [i32(1234567)]), '1234567');
  assert.equal(pf("%'d", [i32(1234567)], { thousandsSep: ',' }), '1,234,567');
  assert.equal(pf("%'u", [u64(1000n)], { thousandsSep: '.' }), '1.000');
});

test('values are read at their record size and signedness', () => {
  assert.equal(pf('%x', [i64(-1)]), 'ffffffffffffffff');
  assert.equal(pf('%x', [i32(-1)]), 'ffffffff');
  assert.equal(pf('%X', [i8(-1)]), 'FF');
  assert.equal(pf('%u', [i32(-1)]), '4294967295');
  assert.equal(pf('%o', [i16(-1)]), '177777');
  assert.equal(pf('%d', [i8(255)]), '-1');
  assert.equal(pf('%d', [u32(-2)]), '4294967294');
  // %d of an unsigned 64-bit type prints as %u.
  assert.equal(pf('%d', [u64(-1)]), '18446744073709551615');
  assert.equal(pf('%i', [i64(-9223372036854775808n)]), '-9223372036854775808');
  assert.equal(pf('%hd|%hx|%hu', [i16(-2), i16(-1), { kind: 'int', value: 65535n, size: 2, signed: false }]),
    '-2|ffff|65535');
  assert.equal(pf('%lld %llu', [i64(-3), u64(3)]), '-3 3');
});

test('%p is bare hex of the pointer value', () => {
  assert.equal(pf('%p', [u64(0xffffffff81000010n)]), 'ffffffff81000010');
  assert.equal(pf('[%20p]', [u64(0x1000)]), '[                1000]');
});

test('%c and %C', () => {
  assert.equal(pf('%c%c', [i32(72), i8(105)]), 'Hi');
  assert.equal(pf('[%3c][%-3c]', [i32(120), i32(121)]), '[  x][y  ]');
  assert.equal(pf('%c', [i32(0x141)]), 'A');
  assert.equal(pf('%C|%C|%C', [i8(10), i8(65), i8(-1)]), '\\n|A|\\377');
});

test('%s widths and precisions (a zero precision is dropped, as DTrace does)', () => {
  assert.equal(pf('%5.2s', [str('hello')]), '   he');
  assert.equal(pf('%-7s|', [str('abc')]), 'abc    |');
  assert.equal(pf('%.0s', [str('hello')]), 'hello');
  assert.equal(pf('%05s', [str('ab')]), '   ab');
  assert.equal(pf('%s', [str('cut\0here')]), 'cut');
});

test('dynamic width and precision', () => {
  assert.equal(pf('[%*d]', [i32(4), i32(7)]), '[   7]');
  assert.equal(pf('[%*d]', [i32(-4), i32(7)]), '[7   ]');
  assert.equal(pf('[%.*s]', [i64(2), str('hello')]), '[he]');
  assert.equal(pf('[%.*s]', [i32(0), str('hello')]), '[hello]');
  assert.equal(pf('[%*.*s]', [i32(6), i32(3), str('hello')]), '[   hel]');
});

test('%% and literal-only formats', () => {
  assert.equal(pf('100%%\n', []), '100%\n');
  assert.equal(pf('%d%%', [i32(50)]), '50%');
  assert.equal(pf('just text', []), 'just text');
});

test('floating point conversions', () => {
  assert.equal(pf('%e', [dbl(12345.678)]), '1.234568e+04');
  assert.equal(pf('%E', [dbl(0)]), '0.000000E+00');
  assert.equal(pf('%f|%g|%G', [dbl(0.1), dbl(0.0001), dbl(1e-5)]), '0.100000|0.0001|1E-05');
  assert.equal(pf('%.3f|%.3f', [dbl(2.0005), dbl(2.0015)]), '2.001|2.002');
  assert.equal(pf('%.1f|%.1f', [dbl(0.25), dbl(0.35)]), '0.2|0.3');
  assert.equal(pf('%g|%g', [dbl(100000), dbl(1000000)]), '100000|1e+06');
  assert.equal(pf('%#g', [dbl(1)]), '1.00000');
  assert.equal(pf('%+.2e', [dbl(-0.0)]), '-0.00e+00');
  assert.equal(pf('%010.2f|%-8.1f|', [dbl(-3.14159), dbl(2.5)]), '-000003.14|2.5     |');
  // A zero precision is never passed on: %.0f prints six decimals.
  assert.equal(pf('%.0f', [dbl(1.5)]), '1.500000');
  assert.equal(pf('%f|%5f|%e', [dbl(Infinity), dbl(-Infinity), dbl(NaN)]), 'inf| -inf|nan');
  assert.equal(formatCFloat(0.5, 'f', NO_FLAGS, 0, 0), '0');
  assert.equal(formatCFloat(2.5, 'f', NO_FLAGS, 0, 0), '2');
  assert.equal(formatCFloat(1e21, 'f', NO_FLAGS, 0, 1), '1000000000000000000000.0');
  assert.equal(formatCFloat(5e-324, 'g', NO_FLAGS), '4.94066e-324');
  assert.equal(formatCFloat(9.9999995, 'g', NO_FLAGS, 0, 8), '9.9999995');
});

test('%S escapes non-printables and shows the terminating NUL', () => {
  assert.equal(pf('%S', [str('a\tb "q" \\')]), 'a\\tb \\"q\\" \\\\\\0');
  assert.equal(pf('%S', [{ kind: 'string', value: 'ab\x7f\xe9', nulTerminated: false }]), 'ab\\177\\351');
  assert.equal(pf('[%-8S]', [{ kind: 'string', value: 'x\n', nulTerminated: false }]), '[x\\n     ]');
  assert.equal(escapeString('\x01 ~\0tail'), '\\001 ~\\0');
});

test('%a and %A render symbols like DTrace, or hex without a symbol table', () => {
  const lookupKernel = (a: bigint) => {
    if (a >= 0x1000n && a < 0x1100n) return { object: 'vmlinux', name: 'my_func', value: 0x1000n };
    if (a >= 0x2000n && a < 0x3000n) return { object: 'mymod' };
    return undefined;
  };
  const o: PrintfOptions = { lookupKernel };
  assert.equal(pf('%a', [u64(0x1000)], o), 'vmlinux`my_func');
  assert.equal(pf('%a', [u64(0x1010)], o), 'vmlinux`my_func+0x10');
  assert.equal(pf('%a', [u64(0x2abc)], o), 'mymod`0x2abc');
  assert.equal(pf('%a', [u64(0xffffffff81000000n)], o), '0xffffffff81000000');
  assert.equal(pf('[%-20a]', [u64(0x1000)], o), '[vmlinux`my_func     ]');
  assert.equal(pf('%a', [u64(0x1000)]), '0x1000');
  const lookupUser = (pid: number, a: bigint) =>
    pid === 42 && a >= 0x400000n ? { object: 'a.out', name: 'main', value: 0x400000n } : undefined;
  assert.equal(pf('%A|%A', [{ kind: 'uaddr', pid: 42, value: 0x400008n }, u64(0x400008)], { lookupUser }),
    'a.out`main+0x8|0x400008');
});

test('%Y and %T print wall-clock times', () => {
  const ns = 1764037264n * 1_000_000_000n + 999_999_999n;
  assert.equal(pf('%Y', [i64(ns)], { utc: true }), '2025 Nov 25 02:21:04');
  assert.equal(formatWalltime(1_000_000_000n * 86400n * 3n, true), '1970 Jan  4 00:00:00');
  assert.equal(pf('%T', [u64(ns)], { utc: true }), 'Tue, 25 Nov 2025 02:21:04 UTC');
  // strftime's %G is the ISO week-based year: 2021-01-01 is in 2020's last week.
  assert.equal(formatRfc822(1609459200n * 1_000_000_000n, true), 'Fri, 01 Jan 2020 00:00:00 UTC');
  assert.equal(pf('[%22Y]', [i64(0)], { utc: true }), '[  1970 Jan  1 00:00:00]');
});

test('%k prints one frame per line', () => {
  const st: PrintfValue = { kind: 'stack', frames: ['vmlinux`a+0x1', 'vmlinux`b'] };
  assert.equal(pf('%k', [st]), '\nvmlinux`a+0x1\nvmlinux`b\n');
  assert.equal(pf('%-4k', [st]), '\n    vmlinux`a+0x1\n    vmlinux`b\n');
  assert.equal(pf('%12k', [st]), '\nvmlinux`a+0x1\n   vmlinux`b\n');
});

test('%@ conversions take aggregation values; raw values print verbatim', () => {
  const p = parseFormat('%-6s %@4d %@d\n');
  assert.equal(formatPrintf(p, [str('key')], { aggValues: [i64(12), i64(-3)] }), 'key      12 -3\n');
  // More '@' conversions than aggregations re-use the last value.
  assert.equal(formatPrintf(parseFormat('%@d/%@d'), [], { aggValues: [u64(7)] }), '7/7');
  assert.equal(formatPrintf(parseFormat('%s:%@d'), [str('q')], { aggValues: [{ kind: 'raw', text: '<table>' }] }),
    'q:<table>');
});
