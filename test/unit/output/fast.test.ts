// The compiled record printers (src/output/fast.ts) must print exactly what
// the general path (decode + text output) prints. Each case compiles a
// script through the real pipeline, fills its record with values of every
// edge (negative, 2^53 and beyond, full-width strings, flags of actions
// under `if`), and prints it both ways.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRecord } from '../../../src/consume/decode.js';
import { Hdr, RecKind } from '../../../src/layout/memory.js';
import type { Slot, StatementRecord } from '../../../src/layout/records.js';
import { compileFastPrinter } from '../../../src/output/fast.js';
import { ByteSink } from '../../../src/output/sink.js';
import { TextOutput, type ProbeName } from '../../../src/output/text.js';
import { compileD } from '../codegen/helpers.js';

const PROBE: ProbeName = { id: 812, provider: 'syscall', module: 'vmlinux', func: 'getpid', name: 'entry' };
const INTS = [0n, 1n, -1n, 7n, -42n, 99n, 100n, 12345n, -2147483648n, 4294967295n, 2n ** 53n - 1n, 2n ** 53n + 1n, -(2n ** 63n), 2n ** 64n - 1n];
const STRS = ['', 'x', 'hello', 'a string of some length, longer than the field'];

/** fill writes value number `n` of every slot of `rec` into a record buffer. */
function fill(rec: StatementRecord, n: number, flags: boolean): { v: DataView; u8: Uint8Array } {
  const u8 = new Uint8Array(rec.size + 64);
  const v = new DataView(u8.buffer);
  v.setUint32(Hdr.prid, PROBE.id, true);
  v.setUint32(Hdr.stid, rec.stid, true);
  v.setUint32(Hdr.cpu, 1, true);
  v.setUint32(Hdr.kind, RecKind.DATA, true);
  const put = (s: Slot, k: number): void => {
    if (s.kind === 'int') {
      const x = BigInt.asUintN(s.size * 8, INTS[k % INTS.length]);
      for (let i = 0; i < s.size; i++) u8[s.offset + i] = Number((x >> BigInt(8 * i)) & 0xffn);
    } else {
      const t = STRS[k % STRS.length].slice(0, s.size - 1);
      for (let i = 0; i < t.length; i++) u8[s.offset + i] = t.charCodeAt(i);
    }
  };
  let k = n;
  for (const it of rec.items) {
    if (it.flag !== undefined) u8[it.flag] = flags || k % 2 === 0 ? 1 : 0;
    if (it.kind === 'printf') for (const s of it.args) put(s, k++);
    else if (it.kind === 'trace') put(it.value, k++);
  }
  return { v, u8 };
}

function both(script: string, opts: readonly string[], quiet: boolean): void {
  const c = compileD(script, opts);
  const records = c.generated.records;
  for (const rec of records) {
    assert.ok(compileFastPrinter(rec, { quiet }), `the fast path covers ${script}`);
    for (let n = 0; n < INTS.length; n++) {
      for (const flags of [true, false]) {
        const { v, u8 } = fill(rec, n, flags);
        // Twice through the general path; then once general (it prints the
        // header, as the first record of a session does) and once fast.
        let slow = '';
        const general = new TextOutput({ quiet, testing: true, write: (t) => { slow += t; }, writeErr: () => {} });
        general.record(decodeRecord(v, 0, records), PROBE);
        general.record(decodeRecord(v, 0, records), PROBE);
        const sink = new ByteSink(16);
        const fast = new TextOutput({ quiet, testing: true, write: () => {}, writeErr: () => {}, sink, records });
        fast.record(decodeRecord(v, 0, records), PROBE);
        assert.equal(fast.fastRecord(v, u8, 0, () => PROBE), true);
        assert.equal(Buffer.from(sink.contents()).toString('latin1'), slow, `${script}: value set ${n}, flags ${flags}`);
      }
    }
  }
}

describe('compiled record printers print what decode + format print', () => {
  it('printf with integer conversions, widths, flags and sizes', () => {
    both(`BEGIN { printf("%d|%5d|%-5d|%05d|%u|%x|%X|%o|%8x|%i|%p|%hx\\n", (char)arg0, (short)arg0, (int)arg0, arg0, (unsigned)arg0, arg0, arg0, arg0, (int)arg0, arg0, arg0, (short)arg0); }`, [], true);
  });
  it('printf with strings, %c and %%', () => {
    both(`BEGIN { printf("[%s] [%10s] [%-10s] %c %% done\\n", execname, probefunc, "lit", (char)arg0); }`, ['strsize=32'], true);
  });
  it('trace() of integers and strings, quiet and not', () => {
    both('BEGIN { trace((char)arg0); trace((unsigned short)arg0); trace((int)arg0); trace(arg0); trace(execname); }', ['strsize=16'], false);
    both('BEGIN { trace((char)arg0); trace((unsigned short)arg0); trace((int)arg0); trace(arg0); trace(execname); }', ['strsize=16'], true);
  });
  it('actions under if, whose flags say whether they ran', () => {
    both('BEGIN { if (arg0 > 0) { printf("%d\\n", arg0); } trace(arg1); }', [], true);
  });
});

describe('what the fast path leaves to the general path', () => {
  it('conversions it cannot print exactly', () => {
    for (const s of ['BEGIN { printf("%+d", arg0); }', 'BEGIN { printf("%.3d", arg0); }', 'BEGIN { printf("%*d", 3, arg0); }', 'BEGIN { printf("%a", arg0); }']) {
      const c = compileD(s);
      assert.equal(compileFastPrinter(c.generated.records[0], { quiet: true }), undefined, s);
    }
  });
  it('records with other actions', () => {
    const c = compileD('BEGIN { trace(1); exit(0); }');
    assert.equal(compileFastPrinter(c.generated.records[0], { quiet: true }), undefined);
  });
});
