// Run-time functions that format network addresses, linked into programs
// that call inet_ntoa(), inet_ntoa6(), inet_ntop() or link_ntop(). Each
// takes a 64-byte scratch buffer it writes a NUL-terminated string into
// and the address of the data (anywhere: it is read with probe_read), and
// formats as dtrace-utils' bpf/*.S functions do: an address that cannot
// be read prints as 0.0.0.0 (inet_ntoa, whose read leaves zeros) or as
// the empty string (inet_ntoa6, link_ntop). Output positions are either
// constants or an offset register checked before every store, so the
// verifier sees every store inside the buffer.

import { alu64, call, callLocal, endian, exit, ja, jmp, label, ldx, mov64, neg64, reg, st, stx, type AsmItem } from '../bpf/build.js';
import { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, type Reg } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size } from '../bpf/opcode.js';

/** Bytes of the buffer the functions write into: enough for the longest output (link_ntop's 59 characters). */
export const NET_BUF = 64;

/** Names of the functions, as the subroutines call them. */
export const NetFn = {
  ntoa: 'dt_inet_ntoa',
  ntoa6: 'dt_inet_ntoa6',
  ntop: 'dt_inet_ntop',
  link: 'dt_link_ntop',
} as const;

/** AF_INET6 as Linux numbers it: inet_ntop() formats every other family as IPv4, as dtrace-utils does. */
const AF_INET6 = 10;
const ARPHRD_INFINIBAND = 32;

/**
 * Out writes characters at the offset held in `off` of the buffer held in
 * `buf`, using `tmp` for the address. It never branches on the data: a
 * character is stored, then the offset advances by 1 or by a 0/1 value
 * computed from the data, and the offset is masked to the buffer before
 * each store. Branches on data would multiply the paths the verifier
 * walks (every path has its own offset); this way there is one.
 */
class Out {
  private n = 0;
  constructor(readonly items: AsmItem[], readonly buf: Reg, readonly off: Reg, readonly tmp: Reg) {}

  label(hint: string): string {
    return `${hint}${this.n++}`;
  }

  /** char stores a constant character or the one in a register, then advances by 1 or by the 0/1 in `inc`. */
  char(c: number | Reg, isReg = false, inc?: Reg): void {
    const { items, buf, off, tmp } = this;
    items.push(alu64(AluOp.AND, off, NET_BUF - 1));
    items.push(mov64(tmp, reg(buf)), alu64(AluOp.ADD, tmp, reg(off)));
    items.push(isReg ? stx(Size.B, tmp, 0, c as Reg) : st(Size.B, tmp, 0, c as number));
    items.push(inc === undefined ? alu64(AluOp.ADD, off, 1) : alu64(AluOp.ADD, off, reg(inc)));
  }

  text(s: string): void {
    for (const ch of s) this.char(ch.charCodeAt(0));
  }

  /**
   * hex16 appends the 16-bit value in `w` in lowercase hex without
   * leading zeros (d, t, s, inc scratch), as dtrace-utils' write_hex16:
   * every digit is stored, the offset only moves past a digit once a
   * non-zero one was seen, and always past the last.
   */
  hex16(w: Reg, d: Reg, t: Reg, s: Reg, inc: Reg): void {
    const { items } = this;
    items.push(mov64(s, 0));
    for (const shift of [12, 8, 4]) {
      items.push(mov64(d, reg(w)), alu64(AluOp.RSH, d, shift), alu64(AluOp.AND, d, 15));
      hexChar(items, d, t);
      nonZero(items, inc, d, s);
      this.char(t, true, inc);
      items.push(alu64(AluOp.ADD, s, reg(inc)));
    }
    items.push(mov64(d, reg(w)), alu64(AluOp.AND, d, 15));
    hexChar(items, d, t);
    this.char(t, true);
  }

  /** decimal appends the value in `v` (0-255, clobbered) without leading zeros (h, tn, c, inc scratch). */
  decimal(v: Reg, h: Reg, tn: Reg, c: Reg, inc: Reg): void {
    const { items } = this;
    items.push(mov64(h, reg(v)), alu64(AluOp.DIV, h, 100));
    items.push(mov64(c, reg(h)), alu64(AluOp.ADD, c, 48));
    nonZero(items, inc, h);
    this.char(c, true, inc);
    items.push(mov64(c, reg(h)), alu64(AluOp.MUL, c, 100), alu64(AluOp.SUB, v, reg(c)));
    items.push(mov64(tn, reg(v)), alu64(AluOp.DIV, tn, 10));
    items.push(mov64(c, reg(tn)), alu64(AluOp.ADD, c, 48));
    // After a hundreds digit the tens digit is kept even when 0.
    nonZero(items, inc, tn, h);
    this.char(c, true, inc);
    items.push(mov64(c, reg(tn)), alu64(AluOp.MUL, c, 10), alu64(AluOp.SUB, v, reg(c)));
    items.push(alu64(AluOp.ADD, v, 48));
    this.char(v, true);
  }

  /** end terminates the string at the current offset and returns. */
  end(): void {
    const { items, buf, off, tmp } = this;
    items.push(label('full'));
    items.push(alu64(AluOp.AND, off, NET_BUF - 1));
    items.push(mov64(tmp, reg(buf)), alu64(AluOp.ADD, tmp, reg(off)), st(Size.B, tmp, 0, 0));
    items.push(mov64(R0, 0), exit());
  }
}

/** nonZero puts in `inc` 1 when a + b (both >= 0) is not zero, else 0, without branching. */
function nonZero(items: AsmItem[], inc: Reg, a: Reg, b?: Reg): void {
  items.push(mov64(inc, reg(a)));
  if (b !== undefined) items.push(alu64(AluOp.ADD, inc, reg(b)));
  items.push(neg64(inc), alu64(AluOp.RSH, inc, 63));
}

/** hexChar puts in `t` the lowercase hex digit for the value 0-15 in `d` (branch-free, as link_ntop.S). */
function hexChar(items: AsmItem[], d: Reg, t: Reg): void {
  // t = d + '0' + (d > 9) * ('a' - '0' - 10); (9 - d) is negative exactly when d > 9.
  items.push(mov64(t, 9), alu64(AluOp.SUB, t, reg(d)), alu64(AluOp.RSH, t, 63));
  items.push(alu64(AluOp.MUL, t, 39), alu64(AluOp.ADD, t, 48), alu64(AluOp.ADD, t, reg(d)));
}

/** inetNtoaFn is dt_inet_ntoa(buf, src): the 4 bytes at src as a dotted quad. */
export function inetNtoaFn(): AsmItem[] {
  const items: AsmItem[] = [mov64(R6, reg(R1)), mov64(R7, 0)];
  // A failed read leaves zeros: an unreadable address prints as 0.0.0.0, as in dtrace-utils.
  items.push(mov64(R3, reg(R2)), mov64(R1, reg(R10)), alu64(AluOp.ADD, R1, -8), mov64(R2, 4), call(Helper.probe_read_kernel));
  const out = new Out(items, R6, R7, R1);
  quad(out, -8);
  out.end();
  return items;
}

/** quad appends the 4 bytes on the stack at fp+at as a dotted quad (R0, R2, R3, R8, R9 scratch). */
function quad(out: Out, at: number): void {
  for (let i = 0; i < 4; i++) {
    out.items.push(ldx(Size.B, R8, R10, at + i));
    out.decimal(R8, R9, R3, R2, R0);
    if (i < 3) out.char(46);
  }
}

/**
 * inetNtoa6Fn is dt_inet_ntoa6(buf, src, strict): the 16 bytes at src as
 * an IPv6 address (RFC 5952: lowercase, no leading zeros, the longest run
 * of two or more zero words, the first of equal ones, as "::"). As in
 * dtrace-utils, five zero words then 0xffff are a mapped IPv4 address
 * and six zero words then anything but 0 or 1 a compatible one: printed
 * dotted, after "::ffff:" or "::" when `strict` is set.
 */
export function inetNtoa6Fn(): AsmItem[] {
  const W = -48;
  const items: AsmItem[] = [mov64(R6, reg(R1)), mov64(R7, 0), stx(Size.DW, R10, -56, R3)];
  items.push(mov64(R3, reg(R2)), mov64(R1, reg(R10)), alu64(AluOp.ADD, R1, -16), mov64(R2, 16), call(Helper.probe_read_kernel));
  // An unreadable address prints as the empty string.
  items.push(jmp(JmpOp.JNE, R0, 0, 'full'));
  // The words in host order, at fp+W.
  for (let i = 0; i < 8; i++) items.push(ldx(Size.H, R0, R10, -16 + 2 * i), endian('be', R0, 16), stx(Size.H, R10, W + 2 * i, R0));
  const out = new Out(items, R6, R7, R1);
  const word = (i: number, r: Reg): void => { items.push(ldx(Size.H, r, R10, W + 2 * i)); };
  // IPv4 in IPv6.
  items.push(mov64(R2, 0));
  for (let i = 0; i < 5; i++) {
    word(i, R3);
    items.push(alu64(AluOp.OR, R2, reg(R3)));
  }
  items.push(jmp(JmpOp.JNE, R2, 0, 'v6'));
  word(5, R3);
  items.push(jmp(JmpOp.JEQ, R3, 0xffff, 'mapped'), jmp(JmpOp.JNE, R3, 0, 'v6'));
  word(6, R3);
  items.push(jmp(JmpOp.JNE, R3, 0, 'compat'));
  word(7, R3);
  items.push(jmp(JmpOp.JGT, R3, 1, 'compat'), ja('v6'));
  items.push(label('mapped'), ldx(Size.DW, R3, R10, -56), jmp(JmpOp.JEQ, R3, 0, 'v4'));
  out.text('::ffff:');
  items.push(ja('v4'));
  items.push(label('compat'), ldx(Size.DW, R3, R10, -56), jmp(JmpOp.JEQ, R3, 0, 'v4'));
  out.text('::');
  items.push(label('v4'));
  quad(out, -16 + 12);
  items.push(ja('full'));
  // The longest run of zero words: start in R8, length in R9 (R2, R3 the current run).
  items.push(label('v6'), mov64(R8, 0), mov64(R9, 0), mov64(R2, 0), mov64(R3, 0));
  for (let i = 0; i < 8; i++) {
    const next = out.label('zr');
    const inRun = out.label('zc');
    word(i, R4);
    items.push(jmp(JmpOp.JEQ, R4, 0, inRun), mov64(R3, 0), ja(next));
    items.push(label(inRun), jmp(JmpOp.JNE, R3, 0, `${inRun}x`), mov64(R2, i), label(`${inRun}x`), alu64(AluOp.ADD, R3, 1));
    items.push(jmp(JmpOp.JLE, R3, reg(R9), next), mov64(R9, reg(R3)), mov64(R8, reg(R2)));
    items.push(label(next));
  }
  // A single zero word is not collapsed.
  items.push(jmp(JmpOp.JGE, R9, 2, 'runok'), mov64(R8, 8), mov64(R9, 0), label('runok'));
  // The run's start and end stay on the stack, so that R8 and R9 are free for the output.
  items.push(stx(Size.DW, R10, -64, R8), alu64(AluOp.ADD, R9, reg(R8)), stx(Size.DW, R10, -72, R9));
  for (let i = 0; i < 8; i++) {
    const plain = out.label('wp');
    const next = out.label('wn');
    // In the run: "::" at its start, nothing for the rest.
    items.push(ldx(Size.DW, R2, R10, -64), ldx(Size.DW, R3, R10, -72));
    items.push(jmp(JmpOp.JGT, R2, i, plain), jmp(JmpOp.JLE, R3, i, plain));
    items.push(jmp(JmpOp.JNE, R2, i, next));
    out.text('::');
    items.push(ja(next));
    items.push(label(plain));
    if (i > 0) {
      // A word right after the run follows its "::"; the others follow a ':'.
      const sep = out.label('ws');
      items.push(jmp(JmpOp.JNE, R3, i, sep), ja(`${sep}x`), label(sep));
      out.char(58);
      items.push(label(`${sep}x`));
    }
    word(i, R4);
    out.hex16(R4, R0, R2, R8, R9);
    items.push(label(next));
  }
  out.end();
  return items;
}

/** inetNtopFn is dt_inet_ntop(buf, src, af): AF_INET6 addresses as inet_ntoa6(src, 1), any other family as inet_ntoa(src). */
export function inetNtopFn(): AsmItem[] {
  return [
    jmp(JmpOp.JEQ, R3, AF_INET6, 'v6'),
    callLocal(NetFn.ntoa),
    exit(),
    label('v6'),
    mov64(R3, 1),
    callLocal(NetFn.ntoa6),
    exit(),
  ];
}

/**
 * linkNtopFn is dt_link_ntop(buf, src, type): the hardware address at
 * src as two-digit hex bytes joined by ':', 20 bytes for ARPHRD_INFINIBAND
 * and 6 for ARPHRD_ETHER (the caller refuses other types).
 */
export function linkNtopFn(): AsmItem[] {
  const items: AsmItem[] = [mov64(R6, reg(R1)), mov64(R7, 6), mov64(R1, reg(R10)), alu64(AluOp.ADD, R1, -24)];
  // Each length is its own read, so that the verifier sees a constant size.
  items.push(jmp(JmpOp.JEQ, R3, ARPHRD_INFINIBAND, 'ib'));
  items.push(mov64(R3, reg(R2)), mov64(R2, 6), call(Helper.probe_read_kernel), ja('read'));
  items.push(label('ib'), mov64(R7, 20), mov64(R3, reg(R2)), mov64(R2, 20), call(Helper.probe_read_kernel));
  // An unreadable address prints as the empty string.
  items.push(label('read'), jmp(JmpOp.JEQ, R0, 0, 'ok'), st(Size.B, R6, 0, 0), mov64(R0, 0), exit(), label('ok'));
  for (let i = 0; i < 20; i++) {
    items.push(jmp(JmpOp.JLE, R7, i, `end${i}`));
    items.push(ldx(Size.B, R8, R10, -24 + i));
    items.push(mov64(R1, reg(R8)), alu64(AluOp.RSH, R1, 4));
    hexChar(items, R1, R2);
    items.push(stx(Size.B, R6, 3 * i, R2));
    items.push(mov64(R1, reg(R8)), alu64(AluOp.AND, R1, 15));
    hexChar(items, R1, R2);
    items.push(stx(Size.B, R6, 3 * i + 1, R2));
    items.push(st(Size.B, R6, 3 * i + 2, 58));
  }
  items.push(ja('end20'));
  for (let i = 1; i <= 20; i++) items.push(label(`end${i}`), st(Size.B, R6, 3 * i - 1, 0), mov64(R0, 0), exit());
  items.push(label('end0'), st(Size.B, R6, 0, 0), mov64(R0, 0), exit());
  return items;
}
