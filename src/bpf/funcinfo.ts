// BTF func_info for programs that hand a callback to bpf_loop. The kernel
// accepts a function pointer (ld_imm64 of a subprogram) only in a program
// loaded with BTF that describes every function of it: one func_info
// record (instruction offset, BTF FUNC id) per function, the callbacks with
// static linkage. Programs without callbacks load without BTF as before.
// Pure data: the session loads the blob (kernel/btf.ts) and passes the
// records with the program.

import { BtfWriter } from '../btf/write.js';
import type { Assembled } from './assemble.js';
import { Class, JmpOp, LD_IMM64, PseudoCall, PseudoSrc } from './opcode.js';

/** FuncBtf is a BTF blob with one FUNC per function name, and their type ids. */
export interface FuncBtf {
  readonly blob: Uint8Array;
  readonly ids: ReadonlyMap<string, number>;
}

/** The name the main function (the probe's trampoline) has in the BTF. */
export const MAIN_FUNC = 'dt_probe';

/**
 * funcBtf describes `names` (every function any program may contain) and
 * the main function, all as `int f(void)`: the verifier does not check a
 * static function's parameters against its BTF.
 */
export function funcBtf(names: Iterable<string>): FuncBtf {
  const w = new BtfWriter();
  const proto = w.addFuncProto(w.addInt('int', 4, { signed: true }), []);
  const ids = new Map<string, number>([[MAIN_FUNC, w.addFunc(MAIN_FUNC, proto, 'global')]]);
  for (const n of names) if (!ids.has(n)) ids.set(n, w.addFunc(n, proto, 'static'));
  return { blob: w.toBytes(), ids };
}

/** usesCallbacks tells whether a program takes a function's address (bpf_loop callbacks) and so needs func_info. */
export function usesCallbacks(asm: Assembled): boolean {
  return asm.insns.some((i) => i.code === LD_IMM64 && i.src === PseudoSrc.FUNC);
}

/**
 * functionNames gives the name of every subprogram of a linked program by
 * its first instruction: the targets of BPF-to-BPF calls and of function
 * addresses are exactly the subprogram starts the kernel wants func_info
 * for; link() puts each function's label there.
 */
export function functionNames(asm: Assembled): Map<number, string> {
  const byAt = new Map<number, string>();
  for (const [name, at] of asm.labels) if (!name.includes('/')) byAt.set(at, name);
  const out = new Map<number, string>();
  asm.insns.forEach((i, k) => {
    const call = i.code === (Class.JMP | JmpOp.CALL) && i.src === PseudoCall.CALL;
    const addr = i.code === LD_IMM64 && i.src === PseudoSrc.FUNC;
    if (!call && !addr) return;
    const at = k + i.imm + 1;
    out.set(at, byAt.get(at) ?? `dt_fn_${at}`);
  });
  return out;
}

/**
 * funcInfo gives the func_info records of a linked program: the main
 * function at 0, then every subprogram in instruction order, 8 bytes each
 * (insn_off, type_id); `btf` must name them all (funcBtf of functionNames).
 */
export function funcInfo(asm: Assembled, btf: FuncBtf): Uint8Array {
  const starts: [number, number][] = [[0, btf.ids.get(MAIN_FUNC)!]];
  for (const [at, name] of functionNames(asm)) {
    const id = btf.ids.get(name);
    if (id === undefined) throw new Error(`BUG: no BTF function for ${name}`);
    starts.push([at, id]);
  }
  starts.sort((a, b) => a[0] - b[0]);
  const out = new Uint8Array(8 * starts.length);
  const dv = new DataView(out.buffer);
  starts.forEach(([at, id], i) => {
    dv.setUint32(8 * i, at, true);
    dv.setUint32(8 * i + 4, id, true);
  });
  return out;
}
