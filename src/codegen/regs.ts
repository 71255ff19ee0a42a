// Register allocation for generated BPF functions: values live in registers
// r0-r8 (r9 holds the machine-state pointer, r10 is the frame pointer) and
// are spilled to stack slots when registers run out or a call clobbers
// r0-r5. The allocator spills; it never gives up.

import { ldx, stx, mov64, reg } from '../bpf/build.js';
import type { AsmItem } from '../bpf/build.js';
import { R0, R1, R2, R3, R4, R5, R6, R7, R8, R10, type Reg } from '../bpf/insn.js';
import { Size } from '../bpf/opcode.js';
import { CompileError } from '../diag/diagnostic.js';

/** Val is a value being computed: in a register, or spilled to a stack slot (fp-relative offset). */
export class Val {
  reg: Reg | undefined;
  slot: number | undefined;
  constructor(r: Reg) {
    this.reg = r;
  }
}

/** Preference order: callee-saved registers first so fewer values need spilling around calls. */
const ORDER: readonly Reg[] = [R6, R7, R8, R1, R2, R3, R4, R5, R0];
const CALLER_SAVED: ReadonlySet<Reg> = new Set([R0, R1, R2, R3, R4, R5]);

/** RegAlloc hands out registers and stack slots for one BPF function. */
export class RegAlloc {
  private readonly owner = new Map<Reg, Val>();
  private readonly pinned = new Set<Reg>();
  /** Values live where control flow splits: they stay in their slots until the paths join. */
  private readonly frozen = new Set<Val>();
  private readonly tempLoads: Val[] = [];
  private readonly live = new Set<Val>();
  private readonly freeSlots: number[] = [];
  /** Deepest stack offset used, in bytes below the frame pointer. */
  stackDepth: number;

  /** `reserved` bytes at the top of the frame are kept for the function's own fixed slots. */
  constructor(private readonly emit: (i: AsmItem) => void, reserved: number) {
    this.stackDepth = reserved;
  }

  /** slot allocates an 8-byte stack slot and returns its fp-relative offset. */
  slot(): number {
    const s = this.freeSlots.pop();
    if (s !== undefined) return s;
    this.stackDepth += 8;
    // Out of stack for spills: DTrace's own message for an expression too deep to compile.
    if (this.stackDepth > 448) throw new CompileError('', 'Insufficient registers to generate code');
    return -this.stackDepth;
  }

  freeSlot(off: number): void {
    this.freeSlots.push(off);
  }

  /** alloc returns a new value in a free register, spilling another value if needed. */
  alloc(): Val {
    const r = this.freeReg();
    const v = new Val(r);
    this.owner.set(r, v);
    this.live.add(v);
    return v;
  }

  /** allocIn claims a specific register (e.g. r0 after a call); it must be free. */
  allocIn(r: Reg): Val {
    if (this.owner.has(r)) this.spill(this.owner.get(r)!);
    const v = new Val(r);
    this.owner.set(r, v);
    this.live.add(v);
    return v;
  }

  private freeReg(): Reg {
    for (const r of ORDER) if (!this.owner.has(r)) return r;
    // Spill the value that has been in a register longest and is not in use.
    for (const [r, v] of this.owner) {
      if (!this.pinned.has(r) && !this.tempLoads.includes(v)) {
        this.spill(v);
        return r;
      }
    }
    throw new Error('BUG: all registers pinned');
  }

  private spill(v: Val): void {
    const r = v.reg!;
    const s = this.slot();
    this.emit(stx(Size.DW, R10, s, r));
    this.owner.delete(r);
    v.reg = undefined;
    v.slot = s;
  }

  /**
   * use returns a register holding v for the next instruction(s); the
   * register stays pinned (not spilled) until unpin(). A spilled value is
   * reloaded into a register it then owns.
   */
  use(v: Val): Reg {
    if (v.reg === undefined && this.frozen.has(v)) {
      // Load a copy for this use only, so both paths of a branch leave v in its slot.
      const t = this.alloc();
      this.emit(ldx(Size.DW, t.reg!, R10, v.slot!));
      this.tempLoads.push(t);
      this.pinned.add(t.reg!);
      return t.reg!;
    }
    if (v.reg === undefined) {
      const r = this.freeReg();
      this.emit(ldx(Size.DW, r, R10, v.slot!));
      this.freeSlot(v.slot!);
      v.slot = undefined;
      v.reg = r;
      this.owner.set(r, v);
    }
    this.pinned.add(v.reg);
    return v.reg;
  }

  unpin(): void {
    this.pinned.clear();
    for (const t of this.tempLoads.splice(0)) this.release(t);
  }

  /**
   * enterBranch spills every live value and freezes it in its slot, so code
   * on either side of a branch sees the same locations where the paths
   * join. Call the returned function after the join.
   */
  enterBranch(): () => void {
    this.spillAll();
    const mine: Val[] = [];
    for (const v of this.live) if (!this.frozen.has(v)) { this.frozen.add(v); mine.push(v); }
    return () => { for (const v of mine) this.frozen.delete(v); };
  }

  /** release frees v's register or slot; v must not be used again. */
  release(v: Val): void {
    if (v.reg !== undefined) {
      this.owner.delete(v.reg);
      this.pinned.delete(v.reg);
    }
    if (v.slot !== undefined) this.freeSlot(v.slot);
    this.live.delete(v);
    this.frozen.delete(v);
    v.reg = undefined;
    v.slot = undefined;
  }

  /** spillCallerSaved moves every live value out of r0-r5 before a call clobbers them. */
  spillCallerSaved(): void {
    for (const [r, v] of [...this.owner]) {
      if (!CALLER_SAVED.has(r)) continue;
      // Prefer a free callee-saved register over the stack.
      const to = [R6, R7, R8].find((x) => !this.owner.has(x));
      if (to !== undefined) {
        this.emit(mov64(to, reg(r)));
        this.owner.delete(r);
        v.reg = to;
        this.owner.set(to, v);
      } else {
        this.spill(v);
      }
    }
  }

  /** spillAll moves every live value to the stack, so control-flow joins see one allocator state. */
  spillAll(): void {
    for (const v of [...this.owner.values()]) this.spill(v);
  }

  /** liveCount is the number of values held in registers (tests check that functions release all). */
  liveCount(): number {
    return this.live.size;
  }
}
