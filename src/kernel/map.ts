// BPF maps: created from a pure MapSpec, with element access through
// bpf(MAP_*_ELEM). Each map keeps one attr buffer and key/value scratch
// buffers whose addresses are computed once, so a lookup is one copy in, one
// syscall and one copy out (aggregation snapshots do thousands of these).

import {
  BpfCmd, encodeMapBatch, encodeMapCreate, encodeMapElem, isPerCpuMap, MapBatchLayout, MapElemLayout, MapType, UpdateFlags,
} from './attrs.js';
import { possibleCpuCount } from './cpus.js';
import { Errno } from './errors.js';
import { OwnedFd } from './fd.js';
import { addressOf, bpf, bpfRaw, errorFor } from './sys.js';

export interface MapSpec {
  name: string;
  type: MapType;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags?: number;
  /** Template of the inner map for ARRAY_OF_MAPS / HASH_OF_MAPS. */
  innerMap?: MapSpec;
  btfFd?: number;
  btfKeyTypeId?: number;
  btfValueTypeId?: number;
}

const round8 = (n: number): number => (n + 7) & ~7;

/** Map types for which the kernel refused MAP_LOOKUP_BATCH (learned once per process). */
const batchUnsupported = new Set<number>();

export class BpfMap {
  readonly spec: MapSpec;
  readonly name: string;
  /** Per-CPU maps: slots (possible CPUs); otherwise 1. */
  readonly ncpus: number;
  /** Bytes of one value as bpf() reads/writes it (per-CPU: round8(valueSize) × ncpus). */
  readonly valueBytes: number;
  readonly #fd: OwnedFd;
  // One pre-encoded attr per operation: key/value always point at the scratch
  // buffers, so per call only the flags word changes (encoding BigInts costs
  // as much as a fifth of the syscall).
  readonly #lookupAttr = Buffer.alloc(MapElemLayout.size);
  readonly #updateAttr = Buffer.alloc(MapElemLayout.size);
  readonly #deleteAttr = Buffer.alloc(MapElemLayout.size);
  readonly #lookupAddr: bigint;
  readonly #updateAddr: bigint;
  readonly #deleteAddr: bigint;
  readonly #key: Buffer;
  readonly #keyAddr: bigint;
  readonly #val: Buffer;
  readonly #valAddr: bigint;

  private constructor(spec: MapSpec, fd: number) {
    this.spec = spec;
    this.name = spec.name;
    this.#fd = new OwnedFd(fd, `map ${spec.name}`);
    const perCpu = isPerCpuMap(spec.type);
    this.ncpus = perCpu ? possibleCpuCount() : 1;
    this.valueBytes = perCpu ? round8(spec.valueSize) * this.ncpus : spec.valueSize;
    // Scratch buffers of at least 8 bytes so zero-sized keys/values still have an address.
    this.#key = Buffer.alloc(Math.max(8, spec.keySize));
    this.#val = Buffer.alloc(Math.max(8, this.valueBytes));
    this.#keyAddr = addressOf(this.#key);
    this.#valAddr = addressOf(this.#val);
    encodeMapElem(this.#lookupAttr, fd, this.#keyAddr, this.#valAddr, 0);
    encodeMapElem(this.#updateAttr, fd, this.#keyAddr, this.#valAddr, 0);
    encodeMapElem(this.#deleteAttr, fd, this.#keyAddr, 0n, 0);
    this.#lookupAddr = addressOf(this.#lookupAttr);
    this.#updateAddr = addressOf(this.#updateAttr);
    this.#deleteAddr = addressOf(this.#deleteAttr);
  }

  static create(spec: MapSpec): BpfMap {
    let innerFd: number | undefined;
    let inner: BpfMap | undefined;
    if (spec.innerMap) {
      // The kernel only needs an inner map as a template at creation time.
      inner = BpfMap.create(spec.innerMap);
      innerFd = inner.fd;
    }
    try {
      const attr = encodeMapCreate({
        mapType: spec.type,
        keySize: spec.keySize,
        valueSize: spec.valueSize,
        maxEntries: spec.maxEntries,
        mapFlags: spec.flags ?? 0,
        innerMapFd: innerFd ?? 0,
        name: spec.name,
        btfFd: spec.btfFd ?? 0,
        btfKeyTypeId: spec.btfKeyTypeId ?? 0,
        btfValueTypeId: spec.btfValueTypeId ?? 0,
      });
      const fd = bpf(BpfCmd.MAP_CREATE, attr);
      return new BpfMap(spec, fd);
    } finally {
      inner?.close();
    }
  }

  get fd(): number {
    return this.#fd.fd;
  }
  get type(): MapType {
    return this.spec.type;
  }
  get keySize(): number {
    return this.spec.keySize;
  }
  get valueSize(): number {
    return this.spec.valueSize;
  }
  get maxEntries(): number {
    return this.spec.maxEntries;
  }
  get closed(): boolean {
    return this.#fd.closed;
  }

  #setKey(key: Uint8Array): void {
    if (key.length !== this.spec.keySize) {
      throw new RangeError(`map ${this.name}: key is ${key.length} bytes, expected ${this.spec.keySize}`);
    }
    this.#key.set(key);
  }

  #op(cmd: number, attrAddr: bigint): number {
    if (this.#fd.closed) throw new Error(`map ${this.name}: use after close`);
    return bpfRaw(cmd, attrAddr, MapElemLayout.size);
  }

  #fail(what: string, errno: number): never {
    throw errorFor(`bpf(${what}) ${this.name}`, errno);
  }

  /** Copy of the value for `key`, or undefined when absent. Per-CPU maps: all slots concatenated. */
  lookup(key: Uint8Array): Buffer | undefined {
    return this.lookupInto(key, undefined) ? Buffer.from(this.#val.subarray(0, this.valueBytes)) : undefined;
  }

  /** Lookup without allocating: copies into `out` (if given) and returns whether the key exists. */
  lookupInto(key: Uint8Array, out: Uint8Array | undefined): boolean {
    this.#setKey(key);
    const r = this.#op(BpfCmd.MAP_LOOKUP_ELEM, this.#lookupAddr);
    if (r < 0) {
      if (r === -Errno.ENOENT) return false;
      this.#fail('MAP_LOOKUP_ELEM', -r);
    }
    if (out) out.set(this.#val.subarray(0, Math.min(out.length, this.valueBytes)));
    return true;
  }

  /** Per-CPU maps: one Buffer of valueSize bytes per possible CPU (empty array when absent). */
  lookupPerCpu(key: Uint8Array): Buffer[] {
    if (!this.lookupInto(key, undefined)) return [];
    const stride = round8(this.spec.valueSize);
    const out: Buffer[] = [];
    for (let c = 0; c < this.ncpus; c++) {
      out.push(Buffer.from(this.#val.subarray(c * stride, c * stride + this.spec.valueSize)));
    }
    return out;
  }

  /** Set `key` to `value` (per-CPU maps: valueBytes, i.e. every CPU's slot). */
  update(key: Uint8Array, value: Uint8Array, flags: number = UpdateFlags.ANY): void {
    if (value.length !== this.valueBytes) {
      throw new RangeError(`map ${this.name}: value is ${value.length} bytes, expected ${this.valueBytes}`);
    }
    this.#setKey(key);
    this.#val.set(value);
    this.#updateAttr.writeUInt32LE(flags, MapElemLayout.flags);
    const r = this.#op(BpfCmd.MAP_UPDATE_ELEM, this.#updateAddr);
    if (r < 0) this.#fail('MAP_UPDATE_ELEM', -r);
  }

  /** Per-CPU maps: set each CPU's slot (missing CPUs get zeros). */
  updatePerCpu(key: Uint8Array, values: readonly Uint8Array[], flags: number = UpdateFlags.ANY): void {
    const stride = round8(this.spec.valueSize);
    const all = Buffer.alloc(this.valueBytes);
    values.forEach((v, c) => {
      if (c < this.ncpus) all.set(v.subarray(0, this.spec.valueSize), c * stride);
    });
    this.update(key, all, flags);
  }

  /** Delete `key`; returns false when it was absent. */
  delete(key: Uint8Array): boolean {
    this.#setKey(key);
    const r = this.#op(BpfCmd.MAP_DELETE_ELEM, this.#deleteAddr);
    if (r < 0) {
      if (r === -Errno.ENOENT) return false;
      this.#fail('MAP_DELETE_ELEM', -r);
    }
    return true;
  }

  /**
   * Iterate keys with GET_NEXT_KEY (copies). Hash maps may restart from the
   * first key if the current one is deleted concurrently, as with bpftool.
   */
  *keys(): Generator<Buffer> {
    // Own cursor buffers: the caller may lookup/delete other keys between yields.
    const cur = Buffer.alloc(Math.max(8, this.spec.keySize));
    const next = Buffer.alloc(Math.max(8, this.spec.keySize));
    const curAddr = addressOf(cur);
    const nextAddr = addressOf(next);
    const attr = Buffer.alloc(MapElemLayout.size);
    const attrAddr = addressOf(attr);
    let first = true;
    for (;;) {
      encodeMapElem(attr, this.#fd.fd, first ? 0n : curAddr, nextAddr, 0);
      const r = bpfRaw(BpfCmd.MAP_GET_NEXT_KEY, attrAddr, MapElemLayout.size);
      if (r < 0) {
        if (r === -Errno.ENOENT) return;
        this.#fail('MAP_GET_NEXT_KEY', -r);
      }
      first = false;
      next.copy(cur);
      yield Buffer.from(next.subarray(0, this.spec.keySize));
    }
  }

  /**
   * Snapshot of all entries (key, value copies; per-CPU values concatenated).
   * Uses MAP_LOOKUP_BATCH (a few syscalls for thousands of entries, which is
   * what aggregation snapshots need) and falls back to GET_NEXT_KEY + LOOKUP
   * on map types or kernels without batch support.
   */
  entries(): Array<[Buffer, Buffer]> {
    if (batchUnsupported.has(this.spec.type)) return this.#entriesOneByOne();
    const out = this.#entriesBatch();
    if (out) return out;
    batchUnsupported.add(this.spec.type);
    return this.#entriesOneByOne();
  }

  #entriesOneByOne(): Array<[Buffer, Buffer]> {
    const out: Array<[Buffer, Buffer]> = [];
    for (const k of [...this.keys()]) {
      const v = this.lookup(k);
      if (v) out.push([k, v]);
    }
    return out;
  }

  /** undefined when the kernel refuses batch lookups for this map type. */
  #entriesBatch(): Array<[Buffer, Buffer]> | undefined {
    const ks = this.spec.keySize;
    const vs = this.valueBytes;
    let chunk = Math.min(Math.max(this.spec.maxEntries, 1), 4096);
    // Batch tokens: the hash batch cursor is a u32 bucket, arrays use the key.
    const inTok = Buffer.alloc(Math.max(8, ks));
    const outTok = Buffer.alloc(Math.max(8, ks));
    let keys = Buffer.alloc(ks * chunk);
    let vals = Buffer.alloc(vs * chunk);
    const out: Array<[Buffer, Buffer]> = [];
    let first = true;
    for (;;) {
      const attr = encodeMapBatch({
        mapFd: this.#fd.fd, inBatch: first ? 0n : addressOf(inTok), outBatch: addressOf(outTok),
        keys: addressOf(keys), values: addressOf(vals), count: chunk,
      });
      const r = bpfRaw(BpfCmd.MAP_LOOKUP_BATCH, addressOf(attr), attr.length);
      const got = attr.readUInt32LE(MapBatchLayout.count);
      if (r < 0 && r !== -Errno.ENOENT) {
        if (r === -Errno.ENOSPC && got === 0 && chunk < 1 << 20) {
          // One hash bucket holds more entries than fit: retry the same cursor bigger.
          chunk *= 4;
          keys = Buffer.alloc(ks * chunk);
          vals = Buffer.alloc(vs * chunk);
          continue;
        }
        if (first && (r === -Errno.EINVAL || r === -Errno.ENOTSUPP || r === -Errno.EOPNOTSUPP)) return undefined;
        this.#fail('MAP_LOOKUP_BATCH', -r);
      }
      // Views, not copies: each chunk gets fresh key/value buffers below.
      for (let i = 0; i < got; i++) out.push([keys.subarray(i * ks, (i + 1) * ks), vals.subarray(i * vs, (i + 1) * vs)]);
      if (r === -Errno.ENOENT) return out;
      outTok.copy(inTok);
      first = false;
      keys = Buffer.alloc(ks * chunk);
      vals = Buffer.alloc(vs * chunk);
    }
  }

  close(): void {
    this.#fd.close();
  }
}
