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
 * AsmError on a duplicate or missing label or a label past the last
 * instruction; jumps too far for a 16-bit offset take a long form.
 */
export function assemble(items: readonly AsmItem[]): Assembled {
  // Jumps whose 16-bit offset cannot reach their label become long jumps
  // (gotol, a 32-bit offset); widening one can push others out of range,
  // so the layout is repeated until it is stable.
  const long = new Set<number>();
  let labels: Map<string, number>;
  let total: number;
  for (;;) {
    labels = new Map<string, number>();
    total = 0;
    items.forEach((it, i) => {
      if (it.kind === 'label') {
        if (labels.has(it.name)) throw new AsmError(`label ${it.name} defined twice`);
        labels.set(it.name, total);
      }
      total += long.has(i) ? longWidth(it) : width(it);
    });
    let pc = 0;
    let grew = false;
    items.forEach((it, i) => {
      if (it.kind === 'jump' && !long.has(i)) {
        const t = labels.get(it.target);
        if (t !== undefined && Math.abs(t - (pc + 1)) > SHORT_JUMP_LIMIT) {
          long.add(i);
          grew = true;
        }
      }
      pc += long.has(i) ? longWidth(it) : width(it);
    });
    if (!grew) break;
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
  items.forEach((it, i) => {
    const pc = insns.length;
    switch (it.kind) {
      case 'label':
        break;
      case 'insn':
        insns.push(it.insn);
        break;
      case 'jump': {
        if (long.has(i)) {
          insns.push(...longJump(it.insn, pc, (at) => target(it.target, at)));
          break;
        }
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
  });
  return { insns, bytes: encode(insns), relocations, labels };
}

/**
 * SHORT_JUMP_LIMIT is the farthest jump kept in the 16-bit form. Well below
 * 32767: the kernel expands instructions when it rewrites a program (inlined
 * helpers and map lookups) and fails ("cannot be patched due to 16-bit
 * range") when a jump across them no longer fits.
 */
const SHORT_JUMP_LIMIT = 8192;

/** isGoto tells an unconditional jump (ja) from a conditional one. */
function isGoto(i: Insn): boolean {
  return (i.code & 0xf0) === JmpOp.JA;
}

/** longWidth is the slots a long form of a jump takes: gotol, or a conditional jump around one. */
function longWidth(it: AsmItem): number {
  return it.kind === 'jump' && !isGoto(it.insn) ? 3 : 1;
}

/**
 * longJump writes a jump as gotol (BPF_JMP32 | BPF_JA with a 32-bit
 * offset in imm, kernel 6.4+); a conditional jump becomes
 * `if (cond) goto +1; goto +1; gotol target`.
 */
function longJump(j: Insn, pc: number, offsetFrom: (pc: number) => number): Insn[] {
  const gotol = (at: number): Insn => insn(Class.JMP32 | JmpOp.JA, { imm: offsetFrom(at) });
  if (isGoto(j)) return [gotol(pc)];
  return [{ ...j, off: 1 }, insn(Class.JMP | JmpOp.JA, { off: 1 }), gotol(pc + 2)];
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
