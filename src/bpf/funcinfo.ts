// BTF func_info for programs that hand a callback to bpf_loop. The kernel
// accepts a function pointer (ld_imm64 of a subprogram) only in a program
// loaded with BTF that describes every function of it: one func_info
// record (instruction offset, BTF FUNC id) per function, the callbacks with
// static linkage. Programs without callbacks load without BTF as before.
// Pure data: the session loads the blob (kernel/btf.ts) and passes the
// records with the program.

import { BtfWriter } from '../btf/write.js';
import type { Assembled } from './assemble.js';
import { LD_IMM64, PseudoSrc } from './opcode.js';

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
 * funcInfo gives the func_info records of a linked program: the main
 * function at 0, then every function label the linker placed (see link()),
 * in instruction order, 8 bytes each (insn_off, type_id).
 */
export function funcInfo(asm: Assembled, btf: FuncBtf): Uint8Array {
  const starts: [number, number][] = [[0, btf.ids.get(MAIN_FUNC)!]];
  for (const [name, at] of asm.labels) {
    const id = btf.ids.get(name);
    if (id !== undefined && name !== MAIN_FUNC) starts.push([at, id]);
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
