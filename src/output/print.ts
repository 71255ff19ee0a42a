// print( ) output: the recorded bytes of an object laid out by the type
// description its record carries (layout/printtype.ts), as dtrace-utils'
// type visit prints them: "ADDR = *", then one line per value, indented 44
// columns plus one per level of nesting, `.member = (type)value,`; members
// that are all zero are left out below the top level, char arrays stop at
// their NUL, and output past the printsize option (or 10 levels deep) ends
// with "...". Arrays print their elements only when the element type is an
// integer, float or enum named as such; otherwise the walk stops there, as
// it does in DTrace.

import type { PrintType } from '../layout/printtype.js';

const START_INDENT = 44;
const MAX_DEPTH = 10;

/** VisitState is what DTrace's visit keeps between values: the kind seen at each depth and the last depth printed. */
interface VisitState {
  readonly kinds: string[];
  last: number;
}

/** PrintSize is the printsize option as DTrace applies it: 8192 when out of range, rounded up to 8 bytes. */
export function printSize(opt: number | undefined): number {
  const v = opt === undefined || opt <= 0 || opt > 65536 ? 8192 : opt;
  return Math.ceil(v / 8) * 8;
}

class TypePrinter {
  out = '';
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array, private readonly size: number) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  private line(indent: number, text: string): void {
    this.out += ' '.repeat(indent) + text + '\n';
  }

  private byte(i: number): number {
    return i < this.data.length ? this.data[i] : 0;
  }

  private zero(from: number, n: number): boolean {
    for (let i = from; i < from + n; i++) if (this.byte(i) !== 0) return false;
    return true;
  }

  /** word reads `n` little-endian bytes at `at` (bytes past the record read as zero). */
  private word(at: number, n: number): bigint {
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.byte(at + i));
    return v;
  }

  /** typeVisit walks a type and, for structs and unions, its members (ctf_type_visit); non-zero stops the walk. */
  typeVisit(name: string, t: PrintType, bitOff: number, depth: number, st: VisitState): number {
    const rc = this.visit(name, t, bitOff, depth, st);
    if (rc !== 0 || t.k !== 'sou') return rc;
    for (const m of t.members) {
      const r = this.typeVisit(m.name, m.type, bitOff + m.bitOffset, depth + 1, st);
      if (r !== 0) return r;
    }
    return 0;
  }

  /** closeParens closes the structs and unions opened deeper than `depth`. */
  closeParens(st: VisitState, depth: number): void {
    if (st.kinds[depth] !== 'sou') return;
    // An empty struct at the top still gets its closing brace.
    if (depth === 0 && st.last === 0) st.last = 1;
    for (let i = st.last - depth; i > 0; i--) {
      this.line(START_INDENT + depth + i - 1, '}' + (depth > 0 || i > 1 ? ',' : ''));
      st.last = depth;
    }
  }

  /** visit prints one value (dt_print_visit); -1 stops the walk. */
  private visit(name: string, t: PrintType, bitOff: number, depth: number, st: VisitState): number {
    const at = Math.floor(bitOff / 8);
    if (at >= this.size || depth >= MAX_DEPTH) {
      this.line(START_INDENT + depth, '...');
      return -1;
    }
    if (st.last > depth) this.closeParens(st, depth);
    if (depth > 0 && t.size < 65536 && this.zero(at, t.size)) return 0;
    st.kinds[depth] = t.k;
    st.last = depth;
    let text: string;
    switch (t.k) {
      case 'sou': text = `(${t.name}) {`; break;
      case 'array': text = `(${t.name}) [${t.count === 0 ? '],' : ''}`; break;
      case 'int': {
        const v = this.intValue(t, bitOff, at);
        if (v === undefined) return 0;
        text = typeof v === 'string' ? `(${t.name})${v},` : t.char ? `(${t.name})'${String.fromCharCode(Number(BigInt.asUintN(8, v)))}',` : `(${t.name})${v},`;
        break;
      }
      case 'enum': {
        const v = Number(BigInt.asIntN(32, this.word(at, 4)));
        text = `(${t.name})${t.values.find(([, x]) => x === v)?.[0] ?? v},`;
        break;
      }
      case 'pointer': text = `(${t.name})0x${this.word(at, 8).toString(16)},`; break;
      case 'other': return 0;
    }
    // The line is built with C strings: a NUL character ends it.
    const nul = text.indexOf('\0');
    if (nul >= 0) text = text.slice(0, nul);
    const member = depth > 0 && name !== '' ? `.${name} = ` : '';
    this.line(START_INDENT + depth, member + text);
    return t.k === 'array' ? this.elements(t, bitOff, at, depth, st) : 0;
  }

  /**
   * intValue reads an integer as DTrace does: whole integers by width (an
   * unsigned 64-bit one as text), bit-fields through a 64-bit word shifted
   * as dtrace-utils shifts it; undefined for a zero bit-field (not printed).
   */
  private intValue(t: PrintType & { k: 'int' }, bitOff: number, at: number): bigint | string | undefined {
    if (t.bits === 8 || t.bits === 16 || t.bits === 32 || t.bits === 64) {
      const raw = this.word(at, t.bits / 8);
      if (t.bits === 64 && !t.signed) return raw.toString();
      return t.signed ? BigInt.asIntN(t.bits, raw) : raw;
    }
    if (t.bits > 64) return `?(${t.bits} bit value)`;
    const lshift = BigInt(63 - (bitOff % 64));
    const v = BigInt.asUintN(64, this.word(at, 8) << lshift) >> BigInt(64 - t.bits);
    return v === 0n ? undefined : v;
  }

  /** elements prints an array's elements, one level deeper, then "],"; -1 stops the walk. */
  private elements(t: PrintType & { k: 'array' }, bitOff: number, at: number, depth: number, st: VisitState): number {
    const e = t.elem;
    const encodable = (e.k === 'int' || e.k === 'enum' || e.k === 'other') && e.encodable;
    if (!encodable) return -1;
    if (this.zero(at, e.size * t.count)) return 0;
    const ischar = e.k === 'int' && e.charElem;
    // Elements are visited with a state of their own: they never close the enclosing braces.
    const inner: VisitState = { kinds: [], last: st.last };
    for (let i = 0; i < t.count; i++) {
      if (ischar && this.byte(at + i) === 0) break;
      if (this.visit('', e, bitOff + e.size * 8 * i, depth + 1, inner) < 0) return -1;
    }
    if (t.count > 0) this.line(START_INDENT + depth, '],');
    return 0;
  }
}

/** formatPrint is the text of one print( ) record: the address, then the object by its type. */
export function formatPrint(addr: bigint, data: Uint8Array, type: PrintType, printsize: number): string {
  const p = new TypePrinter(data, Math.min(data.length, printsize));
  const st: VisitState = { kinds: [], last: 0 };
  p.out = `0x${addr.toString(16)} = *\n`;
  p.typeVisit('', type, 0, 0, st);
  p.closeParens(st, 0);
  return p.out;
}
