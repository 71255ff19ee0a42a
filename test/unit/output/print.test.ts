// print( ) and tracemem( ) from script to text: the compiler describes the
// printed type in the record (library/print.ts), the consumer lays out the
// recorded bytes with that description alone (output/print.ts). Expected
// text is what dtrace-utils prints for the same types and bytes (checked
// against the reference DTrace): 44 columns of indent plus one per level,
// zero members left out, char arrays to their NUL, printsize truncation
// with "...", bit-fields read as dtrace-utils reads them, and the walk
// stopping at arrays of elements that are not plain integers or enums.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SourceError } from '../../../src/session/compile.js';
import type { ActionDesc, PrintType } from '../../../src/layout/printtype.js';
import type { RecordItem } from '../../../src/layout/records.js';
import { ACTION_OUTPUT, type ActionIO } from '../../../src/output/actions.js';
import { formatPrint, printSize } from '../../../src/output/print.js';
import { compileD } from '../codegen/helpers.js';

/** printed compiles `decls` and `print((T *)arg0)`, and returns the type its record describes and the object's size. */
function printed(decls: string, type: string): { type: PrintType; size: number } {
  const items = compileD(`${decls}\nBEGIN { print((${type} *)arg0); }`).generated.records[0].items;
  const it = items[0] as RecordItem & { kind: 'action' };
  assert.equal(it.name, 'print');
  const desc = it.desc as ActionDesc & { kind: 'print' };
  return { type: desc.type, size: it.values[1].size };
}

/** Bytes is a little-endian byte buffer filled field by field. */
class Bytes {
  readonly b: Uint8Array;
  constructor(size: number) { this.b = new Uint8Array(size); }
  int(off: number, size: number, v: bigint): this {
    let x = BigInt.asUintN(size * 8, v);
    for (let i = 0; i < size; i++, x >>= 8n) this.b[off + i] = Number(x & 0xffn);
    return this;
  }
  str(off: number, s: string): this {
    for (let i = 0; i < s.length; i++) this.b[off + i] = s.charCodeAt(i);
    return this;
  }
}

const I = (n: number): string => ' '.repeat(44 + n);

const TEST_STRUCT = `
enum eh { FIRSTVAL = 0, SECONDVAL = 1, THIRDVAL = 3 };
struct test_struct {
	int     a;
	char    b[5];
	union {
		__u8 c;
		__u64 d;
	} u;
	struct {
		void *e;
		uint64_t f;
	} s;
	bool g;
	enum eh h;
};`;

describe('print( ) of a script struct', () => {
  const { type, size } = printed(TEST_STRUCT, 'struct test_struct');
  const full = new Bytes(size).int(0, 4, 1n).str(4, 'test').int(16, 8, 123456789n)
    .int(24, 8, 0xffff9b7aca7e0000n).int(32, 8, 987654321n).int(40, 1, 1n).int(44, 4, 1n).b;

  it('records the whole object, laid out as DTrace lays it out', () => {
    assert.equal(size, 48);
  });

  it('prints members with their types, nested structs and unions indented one more column', () => {
    assert.equal(formatPrint(0xffffe8ffffc08c50n, full, type, printSize(undefined)), [
      '0xffffe8ffffc08c50 = *',
      `${I(0)}(struct test_struct) {`,
      `${I(1)}.a = (int)1,`,
      `${I(1)}.b = (char [5]) [`,
      `${I(2)}(char)'t',`, `${I(2)}(char)'e',`, `${I(2)}(char)'s',`, `${I(2)}(char)'t',`,
      `${I(1)}],`,
      `${I(1)}.u = (union) {`,
      `${I(2)}.c = (__u8)21,`,
      `${I(2)}.d = (__u64)123456789,`,
      `${I(1)}},`,
      `${I(1)}.s = (struct) {`,
      `${I(2)}.e = (void *)0xffff9b7aca7e0000,`,
      `${I(2)}.f = (uint64_t)987654321,`,
      `${I(1)}},`,
      `${I(1)}.g = (bool)1,`,
      `${I(1)}.h = (enum eh)SECONDVAL,`,
      `${I(0)}}`,
      '',
    ].join('\n'));
  });

  it('truncates at printsize with "..." and closes what was open', () => {
    const data = new Bytes(size).int(0, 4, 1n).str(4, 'test').int(16, 8, 12345678n).int(24, 8, 0xfeedfacefeedfacen).int(32, 8, 100n).int(40, 1, 1n).int(44, 4, 1n).b;
    const head = ['0x10 = *', `${I(0)}(struct test_struct) {`, `${I(1)}.a = (int)1,`, `${I(1)}.b = (char [5]) [`,
      `${I(2)}(char)'t',`, `${I(2)}(char)'e',`, `${I(2)}(char)'s',`, `${I(2)}(char)'t',`, `${I(1)}],`];
    assert.equal(formatPrint(16n, data, type, printSize(8)), [...head, `${I(1)}...`, `${I(0)}}`, ''].join('\n'));
    assert.equal(formatPrint(16n, data, type, printSize(24)), [...head,
      `${I(1)}.u = (union) {`, `${I(2)}.c = (__u8)78,`, `${I(2)}.d = (__u64)12345678,`, `${I(1)}...`, `${I(1)}},`, `${I(0)}}`, ''].join('\n'));
  });

  it('leaves out zero members below the top level, and a char array stops at its NUL', () => {
    const data = new Bytes(size).str(5, 'est').int(40, 1, 1n).int(44, 4, 0n).b;
    assert.equal(formatPrint(16n, data, type, 8192), [
      '0x10 = *', `${I(0)}(struct test_struct) {`, `${I(1)}.b = (char [5]) [`, `${I(1)}],`, `${I(1)}.g = (bool)1,`, `${I(0)}}`, '',
    ].join('\n'));
  });

  it('an all-zero struct still opens and closes at the top level', () => {
    assert.equal(formatPrint(16n, new Uint8Array(size), type, 8192), `0x10 = *\n${I(0)}(struct test_struct) {\n${I(0)}}\n`);
  });
});

describe('print( ) of other types', () => {
  it('prints a scalar at the top level even when zero; a NUL char ends its line', () => {
    const int = printed('', 'int');
    assert.equal(formatPrint(16n, new Bytes(4).int(0, 4, -5n).b, int.type, 8192), `0x10 = *\n${I(0)}(int)-5,\n`);
    const ch = printed('', 'char');
    assert.equal(formatPrint(16n, new Uint8Array(1), ch.type, 8192), `0x10 = *\n${I(0)}(char)'\n`);
    const ul = printed('', 'unsigned long');
    assert.equal(formatPrint(16n, new Bytes(8).int(0, 8, -1n).b, ul.type, 8192), `0x10 = *\n${I(0)}(unsigned long)18446744073709551615,\n`);
  });

  it('reads bit-fields through a shifted 64-bit word, as dtrace-utils does, and leaves out zero ones', () => {
    const { type } = printed('struct bf { unsigned int a:3; unsigned int b:5; int c:4; };', 'struct bf');
    // Each bit-field starts a byte of its own in D's layout; a's bits are 101 but DTrace shows 4,
    // b comes from the bits of the word above it, and c is left out: its own byte is zero.
    assert.deepEqual(type.k === 'sou' ? type.members.map((m) => m.bitOffset) : [], [0, 8, 16]);
    assert.equal(formatPrint(16n, new Bytes(4).int(0, 4, 0x5000f01dn).b, type, 8192), [
      '0x10 = *', `${I(0)}(struct bf) {`, `${I(1)}.a = (unsigned int)4,`, `${I(1)}.b = (unsigned int)15,`, `${I(0)}}`, '',
    ].join('\n'));
  });

  it('prints arrays of plain integers and enums, and stops the walk at other elements', () => {
    const { type, size } = printed('enum e { A, B }; struct x { int k; enum e a[2]; uint32_t t[2]; int z; };', 'struct x');
    const data = new Bytes(size).int(0, 4, 1n).int(4, 4, 1n).int(12, 4, 3n).int(20, 4, 9n).b;
    assert.equal(formatPrint(16n, data, type, 8192), [
      '0x10 = *', `${I(0)}(struct x) {`, `${I(1)}.k = (int)1,`, `${I(1)}.a = (enum e [2]) [`, `${I(2)}(enum e)B,`, `${I(1)}],`,
      `${I(1)}.t = (uint32_t [2]) [`, `${I(0)}}`, '',
    ].join('\n'));
  });

  it('names pointers to pointers and to functions as DTrace does', () => {
    const { type, size } = printed('struct p { int *a[2]; char **pp; int (*fn)(int, char *); };', 'struct p');
    const data = new Bytes(size).int(16, 8, 0x20n).int(24, 8, 0x30n).b;
    assert.equal(formatPrint(16n, data, type, 8192), [
      '0x10 = *', `${I(0)}(struct p) {`, `${I(1)}.pp = (char **)0x20,`, `${I(1)}.fn = (int (*)(*) (int, char *))0x30,`, `${I(0)}}`, '',
    ].join('\n'));
  });

  it('an array of anonymous structs keeps the blank of `struct `, and stops the walk', () => {
    const { type, size } = printed('struct w { struct { int q; } in[1]; int after; };', 'struct w');
    assert.equal(formatPrint(16n, new Bytes(size).int(0, 4, 1n).int(4, 4, 2n).b, type, 8192), [
      '0x10 = *', `${I(0)}(struct w) {`, `${I(1)}.in = (struct  [1]) [`, `${I(0)}}`, '',
    ].join('\n'));
  });

  it('a string prints as a char array of strsize, as DTrace prints it', () => {
    const it = compileD('BEGIN { print("abc"); }', ['strsize=32']).generated.records[0].items[0] as RecordItem & { kind: 'action' };
    const desc = it.desc as ActionDesc & { kind: 'print' };
    assert.equal(it.values[1].size, 32);
    assert.equal(formatPrint(16n, new Bytes(32).str(0, 'abc').b, desc.type, 8192), [
      '0x10 = *', `${I(0)}(char [32]) [`, `${I(1)}(char)'a',`, `${I(1)}(char)'b',`, `${I(1)}(char)'c',`, `${I(0)}],`, '',
    ].join('\n'));
  });

  it('printsize outside 1..65536 is the default, and is rounded up to 8 bytes', () => {
    assert.deepEqual([printSize(undefined), printSize(0), printSize(70000), printSize(9), printSize(24)], [8192, 8192, 8192, 16, 24]);
  });
});

describe('print( ) and tracemem( ) checks', () => {
  const tag = (text: string): string => {
    try {
      compileD(text);
    } catch (e) {
      if (e instanceof SourceError) return `${e.error.diag.tag}: ${e.message}`;
      throw e;
    }
    return 'compiled';
  };

  it('refuses what has no size to print', () => {
    assert.equal(tag('BEGIN { print((void *)arg0); }'), "D_PRINT_SIZE: print( ) argument #1 reference has type 'void' with size 0; cannot print( ) it.");
    assert.equal(tag('struct fwd; BEGIN { print((struct fwd *)arg0); }'), "D_PRINT_SIZE: print( ) argument #1 reference has type 'struct fwd' with size 0; cannot print( ) it.");
    assert.match(tag('BEGIN { print(1); }'), /^D_PROTO_ARG: print\( \) argument #1 is incompatible with prototype:\n\tprototype: void \*\n\t argument: int$/);
  });

  it('errors DTrace raises while generating a clause name no region, and come before later clauses\' errors', () => {
    const region = (text: string): string | undefined => {
      try {
        compileD(text);
      } catch (e) {
        if (e instanceof SourceError) return `${e.error.diag.tag} ${e.error.diag.region}`;
        throw e;
      }
      return undefined;
    };
    assert.equal(region('BEGIN { tracemem(arg0, 0); } BEGIN { x = "a" * 2; }'), 'D_TRACEMEM_SIZE ');
    assert.equal(region('BEGIN { print((void *)arg0); }'), 'D_PRINT_SIZE ');
    assert.equal(region('BEGIN { print(1); }'), 'D_PROTO_ARG action list');
  });

  it('tracemem( ) wants an address and a positive constant size', () => {
    assert.equal(tag('BEGIN { tracemem("abc", 8); }'), 'D_TRACEMEM_ADDR: tracemem( ) argument #1 is incompatible with prototype:\n\tprototype: pointer or integer\n\t argument: string');
    const size = 'D_TRACEMEM_SIZE: tracemem( ) argument #2 must be a non-zero positive integral constant expression';
    assert.equal(tag('BEGIN { tracemem(arg0, 0); }'), size);
    assert.equal(tag('BEGIN { tracemem(arg0, -1); }'), size);
    assert.equal(tag('BEGIN { n = 1; tracemem(arg0, n); }'), size);
    assert.match(tag('BEGIN { tracemem(arg0, 8, "a"); }'), /^D_PROTO_ARG: tracemem\( \) argument #3 is incompatible with prototype:\n\tprototype: size_t\n\t argument: string$/);
    assert.equal(tag('BEGIN { tracemem(arg0, 8, arg1); }'), 'compiled');
  });
});

describe('tracemem( ) output', () => {
  const run = (values: Parameters<typeof ACTION_OUTPUT.tracemem>[0]['values']): string => {
    let s = '';
    const io: ActionIO = { print: (t) => { s += t; }, flush: () => {}, run: () => {}, printsize: 8192, stackIndent: 14 };
    ACTION_OUTPUT.tracemem({ name: 'tracemem', values, desc: { kind: 'tracemem', dynamic: values.length > 1 } }, io);
    return s;
  };
  const data = { kind: 'bytes' as const, data: new Bytes(14).str(0, 'Linux version ').b };
  const head = '\n             0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f  0123456789abcdef\n';
  const dsize = (value: bigint, signed = true) => ({ kind: 'int' as const, value, size: 8 as const, signed });

  it('dumps the bytes as hex and characters', () => {
    assert.equal(run([data]), `${head}         0: 4c 69 6e 75 78 20 76 65 72 73 69 6f 6e 20        Linux version \n`);
  });

  it('prints dsize bytes when dsize is smaller than the size and not negative; none for 0', () => {
    assert.equal(run([data, dsize(2n)]), `${head}         0: 4c 69${' '.repeat(44)}Li\n`);
    assert.equal(run([data, dsize(-1n)]), run([data]));
    assert.equal(run([data, dsize(15n)]), run([data]));
    assert.equal(run([data, dsize(0n)]), '');
  });
});
