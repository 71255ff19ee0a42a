// pcap(skb, proto): the probe's part. The record holds the time (ns since
// boot), the captured length, the link type and up to `pcapsize` bytes of
// the packet, as dtrace-utils lays them out. The captured length is the
// skb's linear data (len - data_len) capped at pcapsize. Everything is read
// with probe_read_kernel and, as in DTrace, a read that fails leaves zeros
// and never faults: a NULL skb captures a zero length, which the consumer
// skips. struct sk_buff's offsets come from the kernel's BTF at check time,
// as hidden arguments (with pcapsize) after the two the user passed.

import { alu64, jmp, ldx, mov64, reg, stx } from '../bpf/build.js';
import { R9 } from '../bpf/insn.js';
import { Helper } from '../bpf/helpers.js';
import { AluOp, JmpOp, Size } from '../bpf/opcode.js';
import { isAllocaOffset, ptrArg } from '../codegen/alloca.js';
import type { ExprGen } from '../codegen/expr.js';
import type { Val } from '../codegen/regs.js';
import { CompileError, type Pos } from '../diag/diagnostic.js';
import type { TypeEnv } from '../sema/env.js';
import type { TExpr } from '../sema/ir.js';
import { T } from '../sema/types.js';
import type { ActionGen } from './actions.js';
import { kernelMember } from './kernsubrs.js';
import type { OptionValues } from './stacks.js';

/** The struct sk_buff members pcap( ) reads, in the order of its hidden arguments. */
const SKB_MEMBERS = ['len', 'data_len', 'data'] as const;

/** The most bytes a capture may take (the BPF scratch memory per CPU, less a little for the rest of the record). */
const RECORD_MAX = 32 * 1024 - 512;

/** checkPcap adds struct sk_buff's member offsets and the pcapsize option to pcap( )'s arguments. */
export function checkPcap(_name: string, args: readonly TExpr[], opts: OptionValues, pos: Pos, env: TypeEnv): TExpr[] {
  const skb = env.tag('struct', 'sk_buff');
  const hidden = (n: number): TExpr => ({ k: 'int', type: T.long, pos, value: BigInt(n) });
  const offs = SKB_MEMBERS.map((m) => hidden(kernelMember('pcap', skb, 'struct sk_buff', [m]).off));
  const max = opts.num('pcapsize');
  // DTrace allows up to 65535; the record here lives in the 32 KiB of scratch memory a CPU has.
  if (max > RECORD_MAX) throw new CompileError('', `pcap( ) cannot capture pcapsize=${max} bytes: a record holds at most ${RECORD_MAX} here; lower pcapsize`, pos);
  return [args[0], args[1], ...offs, hidden(max)];
}

function constArg(e: TExpr | undefined): number {
  if (e?.k !== 'int') throw new Error('BUG: pcap( ) hidden argument is not a constant');
  return Number(e.value);
}

/** loaded is a new value loaded from scratch. */
function loaded(g: ExprGen, size: Size, off: number): Val {
  const v = g.f.ra.alloc();
  g.f.emit(ldx(size, g.f.ra.use(v), R9, off));
  g.f.ra.unpin();
  return v;
}

/** capped limits v to max (unsigned), which also bounds it for the verifier. */
function capped(g: ExprGen, v: Val, max: number): void {
  const f = g.f;
  const r = f.ra.use(v);
  const ok = f.newLabel('pcaplen');
  f.emit(jmp(JmpOp.JLE, r, max, ok));
  f.emit(mov64(r, max));
  f.label(ok);
  f.ra.unpin();
}

/** readKernel copies `size` bytes at the address held in scratch at `at`, plus `off`, to scratch at `dst`. */
function readKernel(g: ExprGen, at: number, off: number, size: number | Val, dst: number): void {
  const p = loaded(g, Size.DW, at);
  g.f.emit(alu64(AluOp.ADD, g.f.ra.use(p), off));
  g.f.ra.unpin();
  g.f.ra.release(g.f.call(Helper.probe_read_kernel, [{ scratch: dst }, typeof size === 'number' ? { imm: size } : size, p]));
}

/** genPcap is pcap(skb, proto): time, captured length, link type, packet bytes. */
export const genPcap: ActionGen = (cx, args) => {
  const [skb, proto, lenOff, dataLenOff, dataOff, sizeArg] = args;
  const [lenAt, dataLenAt, dataAt, max] = [lenOff, dataLenOff, dataOff, sizeArg].map(constArg);
  const g = cx.g;
  const f = g.f;
  const time = cx.reserve(8);
  const len = cx.reserve(4);
  const linktype = cx.record(proto);
  const data = cx.reserve(max);
  const t = f.call(Helper.ktime_get_ns, []);
  f.emit(stx(Size.DW, R9, time.scratchOff, f.ra.use(t)));
  f.ra.unpin();
  f.ra.release(t);
  // The skb's address and the two lengths wait in scratch: no register lives across the reads.
  const tmp = g.cx.tmp(16);
  // An alloca pointer is an offset into scratch until made an address (codegen/alloca.ts).
  const v = isAllocaOffset(skb) ? ptrArg(g, skb) : g.gen(skb);
  g.launder(v);
  f.emit(stx(Size.DW, R9, tmp, f.ra.use(v)));
  f.ra.unpin();
  f.ra.release(v);
  readKernel(g, tmp, lenAt, 4, tmp + 8);
  readKernel(g, tmp, dataLenAt, 4, tmp + 12);
  const n = loaded(g, Size.W, tmp + 8);
  const dlen = loaded(g, Size.W, tmp + 12);
  f.emit(alu64(AluOp.SUB, f.ra.use(n), reg(f.ra.use(dlen))));
  f.ra.unpin();
  f.ra.release(dlen);
  capped(g, n, max);
  f.emit(stx(Size.W, R9, len.scratchOff, f.ra.use(n)));
  f.ra.unpin();
  f.ra.release(n);
  readKernel(g, tmp, dataAt, 8, tmp + 8);
  const size = loaded(g, Size.W, len.scratchOff);
  capped(g, size, max);
  const from = loaded(g, Size.DW, tmp + 8);
  f.ra.release(f.call(Helper.probe_read_kernel, [{ scratch: data.scratchOff }, size, from]));
  cx.item({
    kind: 'action', name: 'pcap',
    values: [{ ...time.slot, kind: 'int' }, { ...len.slot, kind: 'int', size: 4 }, linktype, data.slot],
    desc: { kind: 'pcap', maxlen: max },
  });
};
