/*
 * Unit tests for kernel stacks and symbols on the consumer's side: the
 * kallsyms table (src/kernel/kallsyms.ts KernelSymbols, built from text),
 * frame, sym( ) and mod( ) text (src/output/stacks.ts), the stack( ),
 * sym( ) and mod( ) actions (ACTION_OUTPUT), and stack and symbol keys in
 * the default aggregation output and printa( ) formats (%k, %a). The text
 * is checked against test/golden/output/stacks.txt, which holds what the
 * reference DTrace prints for the same data; regenerate it with
 *   npx tsc -p . && UPDATE_GOLDEN=1 node --test dist/test/unit/output/stacks.test.js
 * only after checking the new text against the reference.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KernelSymbols } from '../../../src/kernel/kallsyms.js';
import {
  frameText, modText, stackPcs, stackText, symbolicKey, symText, type SymbolLookup,
} from '../../../src/output/stacks.js';
import { ACTION_OUTPUT, type ActionIO } from '../../../src/output/actions.js';
import {
  formatAggregation, formatAggregationsAtExit, formatPrinta, keyString, DEFAULT_AGG_OPTIONS,
  type AggDef, type AggEntry, type KeyType,
} from '../../../src/output/aggregation.js';
import { parseFormat } from '../../../src/format/printf.js';

const GOLDEN = fileURLToPath(new URL('../../../../test/golden/output/stacks.txt', import.meta.url));

// A few lines of /proc/kallsyms: aliases at one address, a local symbol, a
// module's symbols, data after text.
const KALLSYMS = [
  'ffffffff81000000 T _stext',
  'ffffffff81000000 t srso_alias_untrain_ret',
  'ffffffff810000ba T entry_SYSCALL_64_after_hwframe',
  'ffffffff814159f0 T syscall_trace_enter',
  'ffffffff814b07e0 t perf_syscall_enter',
  'ffffffff821ecbe0 T do_syscall_64',
  'ffffffff821ecd00 T do_int80_emulation',
  'ffffffff82a0c8c0 D max_threads',
  '0000000000000000 A fixed_percpu_data',
  'ffffffffc0a01000 t ext4_fill_super\t[ext4]',
  'ffffffffc0a02000 T ext4_mount\t[ext4]',
  'ffffffffc0b00000 t the_end\t[zz]',
  '',
].join('\n');

const SYMS = KernelSymbols.fromText(KALLSYMS);
const lookup: SymbolLookup = (a) => SYMS.lookup(a);

const PCS = [0xffffffff814b096dn, 0xffffffff81415b70n, 0xffffffff821ecddan, 0xffffffff81000130n];

function stackBytes(pcs: readonly bigint[], frames: number): Uint8Array {
  const b = new Uint8Array(frames * 8);
  const v = new DataView(b.buffer);
  pcs.slice(0, frames).forEach((pc, i) => v.setBigUint64(8 * i, pc, true));
  return b;
}

function word(x: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, x, true);
  return b;
}

test('kallsyms: nearest symbol at or below, first global alias, module names, nothing past the end', () => {
  assert.deepEqual(SYMS.lookup(0xffffffff81000000n), { object: 'vmlinux', name: '_stext', value: 0xffffffff81000000n });
  assert.deepEqual(SYMS.lookup(0xffffffff814159f0n + 0x180n), { object: 'vmlinux', name: 'syscall_trace_enter', value: 0xffffffff814159f0n });
  assert.deepEqual(SYMS.lookup(0xffffffffc0a01010n), { object: 'ext4', name: 'ext4_fill_super', value: 0xffffffffc0a01000n });
  assert.equal(SYMS.lookup(0xffffffff80000000n), undefined, 'below the first symbol');
  assert.equal(SYMS.lookup(0xffffffffc0b00008n), undefined, 'past the last symbol');
  assert.equal(SYMS.lookup(0n), undefined, 'absolute symbols are left out');
  assert.equal(SYMS.moduleStart('ext4'), 0xffffffffc0a01000n);
  assert.equal(SYMS.moduleStart('vmlinux'), 0xffffffff81000000n);
  assert.equal(KernelSymbols.fromText('').lookup(0xffffffff81000000n), undefined);
});

test('frame, sym( ) and mod( ) text: offsets only inside a symbol, hex when unknown', () => {
  assert.equal(frameText(0xffffffff814b096dn, lookup), 'vmlinux`perf_syscall_enter+0x18d');
  assert.equal(frameText(0xffffffff821ecbe0n, lookup), 'vmlinux`do_syscall_64');
  assert.equal(frameText(0xffffffff80000000n, lookup), '0xffffffff80000000');
  assert.equal(frameText(0xffffffff814b096dn, undefined), '0xffffffff814b096d');
  assert.equal(symText(0xffffffff81415b70n, lookup), 'vmlinux`syscall_trace_enter');
  assert.equal(symText(0x1234n, lookup), '0x1234');
  assert.equal(modText(0xffffffffc0a02010n, lookup), 'ext4');
  assert.equal(modText(0x1234n, lookup), '0x1234');
  assert.deepEqual(stackPcs(stackBytes(PCS.slice(0, 2), 5)), PCS.slice(0, 2), 'the first zero ends a stack');
  assert.equal(stackText([], 14), '\n');
});

test('sym( ) and mod( ) keys aggregate per function and per module, as DTrace', () => {
  const t: KeyType = { kind: 'sym', size: 8, signed: false };
  const def: AggDef = { id: 1, name: '', func: 'count', keys: [t] };
  const a = symbolicKey('sym', word(0xffffffff81415b70n), lookup);
  const b = symbolicKey('sym', word(0xffffffff81415a00n), lookup);
  assert.equal(keyString(def, [a]), keyString(def, [b]));
  const m1 = symbolicKey('mod', word(0xffffffffc0a01010n), lookup, (m) => SYMS.moduleStart(m));
  const m2 = symbolicKey('mod', word(0xffffffffc0a02020n), lookup, (m) => SYMS.moduleStart(m));
  assert.equal(keyString(def, [m1]), keyString(def, [m2]));
  const s1 = symbolicKey('stack', stackBytes(PCS, 4), lookup);
  const s2 = symbolicKey('stack', stackBytes(PCS.slice(0, 3), 4), lookup);
  assert.notEqual(keyString(def, [s1]), keyString(def, [s2]));
});

/** render is the golden text: each case's title, then exactly what is printed. */
function render(): string {
  const out: string[] = [];
  const section = (title: string, text: string): void => {
    out.push(`=== ${title}`, text.replace(/ +$/gm, (m) => m.replace(/ /g, '.')), '');
  };
  let printed = '';
  const io: ActionIO = { print: (s) => { printed += s; }, flush: () => {}, run: () => {}, lookupKernel: lookup, stackIndent: 14 };
  const act = (name: string, values: { kind: 'bytes'; data: Uint8Array } | { kind: 'int'; value: bigint; size: 8; signed: false }): string => {
    printed = '';
    ACTION_OUTPUT[name]({ name, values: [values] }, io);
    return printed;
  };
  section('stack( ) action', act('stack', { kind: 'bytes', data: stackBytes(PCS, 20) }));
  section('stack(2) action, stackindent=4', (() => {
    printed = '';
    ACTION_OUTPUT.stack({ name: 'stack', values: [{ kind: 'bytes', data: stackBytes(PCS, 2) }] }, { ...io, stackIndent: 4 });
    return printed;
  })());
  section('sym( ) action', act('sym', { kind: 'int', value: 0xffffffff81415b70n, size: 8, signed: false }));
  section('mod( ) action', act('mod', { kind: 'int', value: 0xffffffff81415b70n, size: 8, signed: false }));
  section('sym( ) of an unknown address', act('sym', { kind: 'int', value: 0x10n, size: 8, signed: false }));

  const stackT: KeyType = { kind: 'stack', size: 24, signed: false, indent: 14 };
  const symT: KeyType = { kind: 'sym', size: 8, signed: false };
  const modT: KeyType = { kind: 'mod', size: 8, signed: false };
  const intT: KeyType = { kind: 'int', size: 4, signed: true };
  const stackKey = (pcs: readonly bigint[]) => symbolicKey('stack', stackBytes(pcs, 3), lookup);
  const sym = symbolicKey('sym', word(0xffffffff81415b70n), lookup);
  const mod = symbolicKey('mod', word(0xffffffff81415b70n), lookup, (m) => SYMS.moduleStart(m));
  const e = (keys: AggEntry['keys'], v: bigint): AggEntry => ({ keys, value: { kind: 'scalar', value: v } });

  const stacks: AggDef = { id: 1, name: '', func: 'count', keys: [stackT] };
  const tStacks = [e([stackKey(PCS)], 3n), e([stackKey(PCS.slice(1))], 1n)];
  section('@[stack(3)] = count( ): printa(@)', formatAggregation(stacks, tStacks, DEFAULT_AGG_OPTIONS));
  section('@[stack(3)] = count( ) at exit', formatAggregationsAtExit([stacks], [tStacks], DEFAULT_AGG_OPTIONS));
  const mixed: AggDef = { id: 2, name: 'c', func: 'count', keys: [intT, stackT, symT, modT] };
  const tMixed = [e([5n, stackKey(PCS.slice(0, 2)), sym, mod], 1n)];
  section('@c[5, stack(2), sym(caller), mod(caller)] = count( )', formatAggregation(mixed, tMixed, DEFAULT_AGG_OPTIONS));
  const pa = (fmt: string): string => formatPrinta(parseFormat(fmt), [mixed], [tMixed], DEFAULT_AGG_OPTIONS, { lookupKernel: lookup });
  section('printa("%d %k %a|%a|%@d\\n")', pa('%d %k %a|%a|%@d\n'));
  section('printa("%d %-20k|%-40a|%40a|\\n")', pa('%d %-20k|%-40a|%40a|\n'));
  return out.join('\n');
}

test('stack( ), sym( ), mod( ) output and stack/symbol aggregation keys (golden)', () => {
  const text = render();
  if (process.env.UPDATE_GOLDEN !== undefined) writeFileSync(GOLDEN, text);
  assert.equal(text, readFileSync(GOLDEN, 'latin1'));
});

test('stack keys of equal value sort as DTrace compares their bytes (little-endian), symbols by address', () => {
  const t: KeyType = { kind: 'stack', size: 16, signed: false, indent: 14 };
  const def: AggDef = { id: 1, name: '', func: 'count', keys: [t] };
  const hi = symbolicKey('stack', stackBytes([0xffffffff81000100n], 2), lookup);
  const lo = symbolicKey('stack', stackBytes([0xffffffff810000ffn], 2), lookup);
  const text = formatAggregation(def, [
    { keys: [lo], value: { kind: 'scalar', value: 1n } },
    { keys: [hi], value: { kind: 'scalar', value: 1n } },
  ], DEFAULT_AGG_OPTIONS);
  assert.ok(text.indexOf('hwframe+0x46\n') < text.indexOf('hwframe+0x45\n'), text);
  const s: KeyType = { kind: 'sym', size: 8, signed: false };
  const sdef: AggDef = { id: 2, name: '', func: 'count', keys: [s] };
  const a = symbolicKey('sym', word(0xffffffff821ecbe0n), lookup);
  const b = symbolicKey('sym', word(0xffffffff814159f0n), lookup);
  const st = formatAggregation(sdef, [{ keys: [a], value: { kind: 'scalar', value: 1n } }, { keys: [b], value: { kind: 'scalar', value: 1n } }], DEFAULT_AGG_OPTIONS);
  assert.ok(st.indexOf('syscall_trace_enter') < st.indexOf('do_syscall_64'), st);
});
