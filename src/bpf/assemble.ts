// The assembler and linker: turns AsmItem listings into instructions and
// bytes. Labels become pc-relative offsets here; map references become
// Relocations that only the loader resolves (applyRelocations), so the
// compiler's output is the same on every host until it is loaded.

import { AsmError, type AsmItem } from './build.js';
import { Class, JmpOp, LD_IMM64, PseudoCall, PseudoSrc } from './opcode.js';
import { INSN_SIZE, asReg, encode, insn, isS16, isS32, type Insn } from './insn.js';

/** Relocation says which ld_imm64 must get which map's fd at load time. */
export interface Relocation {
  /** Index of the first slot of the ld_imm64, in instructions (not bytes). */
  readonly index: number;
  readonly kind: 'map_fd' | 'map_value';
  readonly map: string;
  /** Byte offset into the map value; 0 for map_fd. */
  readonly offset: number;
}

export interface Assembled {
  readonly insns: Insn[];
  readonly bytes: Uint8Array;
  readonly relocations: Relocation[];
  /** Every label and the instruction index it names, for disassembly. */
  readonly labels: ReadonlyMap<string, number>;
}

/** width is how many 8-byte slots an item occupies. */
export function width(it: AsmItem): 0 | 1 | 2 {
  switch (it.kind) {
    case 'label':
      return 0;
    case 'ld_imm64':
    case 'ld_map':
    case 'ld_func':
      return 2;
    case 'insn':
    case 'jump':
    case 'call_local':
      return 1;
  }
}

/**
 * assemble resolves labels and lays the items out in order. It throws
 * AsmError on a duplicate or missing label, a label past the last
 * instruction, or a jump too far for its 16-bit offset.
 */
export function assemble(items: readonly AsmItem[]): Assembled {
  const labels = new Map<string, number>();
  let total = 0;
  for (const it of items) {
    if (it.kind === 'label') {
      if (labels.has(it.name)) throw new AsmError(`label ${it.name} defined twice`);
      labels.set(it.name, total);
    }
    total += width(it);
  }

  const target = (name: string, pc: number): number => {
    const t = labels.get(name);
    if (t === undefined) throw new AsmError(`undefined label ${name} (used at insn ${pc})`);
    if (t >= total) throw new AsmError(`label ${name} (used at insn ${pc}) is past the last instruction`);
    // Offsets count from the instruction after the jump.
    return t - (pc + 1);
  };

  const insns: Insn[] = [];
  const relocations: Relocation[] = [];
  for (const it of items) {
    const pc = insns.length;
    switch (it.kind) {
      case 'label':
        break;
      case 'insn':
        insns.push(it.insn);
        break;
      case 'jump': {
        const off = target(it.target, pc);
        if (!isS16(off)) throw new AsmError(`jump from insn ${pc} to ${it.target} is too far (${off})`);
        insns.push({ ...it.insn, off });
        break;
      }
      case 'call_local': {
        const imm = target(it.target, pc);
        insns.push(insn(Class.JMP | JmpOp.CALL, { src: asReg(PseudoCall.CALL), imm }));
        break;
      }
      case 'ld_imm64': {
        const lo = Number(BigInt.asIntN(32, it.value));
        const hi = Number(BigInt.asIntN(32, it.value >> 32n));
        insns.push(insn(LD_IMM64, { dst: it.dst, imm: lo }), insn(0, { imm: hi }));
        break;
      }
      case 'ld_map': {
        // The src field holds the pseudo kind, not a register.
        const pseudo = it.pseudo === 'map_fd' ? PseudoSrc.MAP_FD : PseudoSrc.MAP_VALUE;
        // The fd is left 0 so that the bytes do not depend on the host.
        insns.push(insn(LD_IMM64, { dst: it.dst, src: asReg(pseudo) }), insn(0, { imm: it.offset | 0 }));
        relocations.push({ index: pc, kind: it.pseudo, map: it.map, offset: it.offset });
        break;
      }
      case 'ld_func': {
        const imm = target(it.target, pc);
        insns.push(insn(LD_IMM64, { dst: it.dst, src: asReg(PseudoSrc.FUNC), imm }), insn(0));
        break;
      }
    }
  }
  return { insns, bytes: encode(insns), relocations, labels };
}

/** Items that call or take the address of a function, by name. */
function functionRefs(items: readonly AsmItem[]): string[] {
  const refs: string[] = [];
  for (const it of items) {
    if (it.kind === 'call_local' || it.kind === 'ld_func') refs.push(it.target);
  }
  return refs;
}

// The verifier rejects a function whose last instruction could fall through
// into the next one; catching it here names the function instead.
function checkEnds(name: string, items: readonly AsmItem[]): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!;
    if (it.kind === 'label') continue;
    const op = it.kind === 'insn' || it.kind === 'jump' ? it.insn.code : -1;
    if (op === (Class.JMP | JmpOp.EXIT) || op === (Class.JMP | JmpOp.JA)) return;
    break;
  }
  throw new AsmError(`function ${name} does not end in exit or an unconditional jump`);
}

/**
 * link appends every subprogram reachable from `main` (through callLocal or
 * ldFunc, transitively) once, after main, in order of first reference, each
 * behind a label with its name. Labels inside a subprogram are local to it:
 * they are renamed `<function>/<label>`, so functions may reuse label names.
 * callLocal/ldFunc targets always name functions, never local labels.
 */
export function link(main: readonly AsmItem[], subprograms: ReadonlyMap<string, readonly AsmItem[]>): AsmItem[] {
  checkEnds('main', main);
  const out: AsmItem[] = [...main];
  const queued = new Set<string>();
  const queue: string[] = [];
  const enqueue = (refs: readonly string[], from: string): void => {
    for (const name of refs) {
      if (queued.has(name)) continue;
      if (!subprograms.has(name)) throw new AsmError(`${from} calls undefined function ${name}`);
      queued.add(name);
      queue.push(name);
    }
  };
  enqueue(functionRefs(main), 'main');
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i]!;
    const body = subprograms.get(name)!;
    checkEnds(name, body);
    out.push({ kind: 'label', name });
    for (const it of body) out.push(scopeLabels(name, it));
    enqueue(functionRefs(body), name);
  }
  return out;
}

function scopeLabels(fn: string, it: AsmItem): AsmItem {
  if (it.kind === 'label') return { kind: 'label', name: `${fn}/${it.name}` };
  if (it.kind === 'jump') return { ...it, target: `${fn}/${it.target}` };
  return it;
}

/**
 * applyRelocations returns a copy of `bytes` with each relocated ld_imm64
 * pointing at its map: imm = fd, and for map_value the second slot's imm =
 * offset. Every relocated map must have an fd.
 */
export function applyRelocations(
  bytes: Uint8Array,
  relocations: readonly Relocation[],
  mapFds: ReadonlyMap<string, number>,
): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (const r of relocations) {
    const fd = mapFds.get(r.map);
    if (fd === undefined) throw new AsmError(`no fd for map ${r.map}`);
    if (!isS32(fd) || fd < 0) throw new AsmError(`bad fd ${fd} for map ${r.map}`);
    const at = r.index * INSN_SIZE;
    if (at + 2 * INSN_SIZE > out.length) throw new AsmError(`relocation for map ${r.map} is past the end`);
    const want = r.kind === 'map_fd' ? PseudoSrc.MAP_FD : PseudoSrc.MAP_VALUE;
    if (view.getUint8(at) !== LD_IMM64 || view.getUint8(at + 1) >> 4 !== want) {
      throw new AsmError(`relocation for map ${r.map} at insn ${r.index} is not a ${r.kind} ld_imm64`);
    }
    view.setInt32(at + 4, fd, true);
    if (r.kind === 'map_value') view.setInt32(at + INSN_SIZE + 4, r.offset | 0, true);
  }
  return out;
}
