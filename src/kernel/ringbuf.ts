// Zero-copy reader of a BPF_MAP_TYPE_RINGBUF map. The consumer page is
// mapped read-write, the producer page plus data read-only with the data
// area mapped twice by the kernel, so a record never wraps and callbacks get
// (DataView, offset, length) straight over kernel memory. Records are mostly
// submitted with BPF_RB_NO_WAKEUP, so callers drain on a timer and use
// wait() only to sleep until the ring is filling up.

import { EpollEvents, EpollOp, MapType, MAP_SHARED, Prot, RingbufHdr } from './attrs.js';
import { OwnedFd } from './fd.js';
import type { BpfMap } from './map.js';
import { epollCreate, epollCtl, epollWaitAsync, mmap, munmap, pageSize, type Mapping } from './sys.js';

/** Called per record. `data`/`bytes` cover the whole data area: use only offset..offset+length, and never keep them after close(). */
export type RecordCallback = (data: DataView, offset: number, length: number) => void;

const LEN_MASK = 0x3fffffff; // ~(BUSY | DISCARD)

export class RingBufReader {
  /** Data area (mapped twice: 2 × size bytes) as DataView and bytes. */
  readonly data: DataView;
  readonly bytes: Uint8Array;
  /** Ring size in bytes (max_entries). */
  readonly size: number;
  readonly #mask: number;
  readonly #consMap: Mapping;
  readonly #prodMap: Mapping;
  readonly #consPos: BigUint64Array;
  readonly #prodPos: BigUint64Array;
  readonly #words: Uint32Array;
  readonly #epfd: OwnedFd;
  #cons: number;
  #closed = false;
  #pending: Promise<boolean> | undefined;

  constructor(map: BpfMap) {
    if (map.type !== MapType.RINGBUF) throw new TypeError(`map ${map.name} is not a ring buffer`);
    const size = map.maxEntries;
    const page = pageSize();
    this.size = size;
    this.#mask = size - 1;
    this.#consMap = mmap(page, Prot.READ | Prot.WRITE, MAP_SHARED, map.fd, 0);
    try {
      this.#prodMap = mmap(page + 2 * size, Prot.READ, MAP_SHARED, map.fd, page);
    } catch (e) {
      munmap(this.#consMap);
      throw e;
    }
    this.#consPos = new BigUint64Array(this.#consMap.buffer, 0, 1);
    this.#prodPos = new BigUint64Array(this.#prodMap.buffer, 0, 1);
    this.data = new DataView(this.#prodMap.buffer, page, 2 * size);
    this.bytes = new Uint8Array(this.#prodMap.buffer, page, 2 * size);
    this.#words = new Uint32Array(this.#prodMap.buffer, page, (2 * size) / 4);
    this.#cons = Number(Atomics.load(this.#consPos, 0));
    let ep: OwnedFd | undefined;
    try {
      ep = new OwnedFd(epollCreate(), `epoll ring ${map.name}`);
      epollCtl(ep.fd, EpollOp.ADD, map.fd, EpollEvents.IN);
    } catch (e) {
      ep?.close();
      munmap(this.#prodMap);
      munmap(this.#consMap);
      throw e;
    }
    this.#epfd = ep;
  }

  /** Bytes submitted but not consumed yet. */
  pending(): number {
    if (this.#closed) return 0;
    return Number(Atomics.load(this.#prodPos, 0)) - this.#cons;
  }

  /**
   * Walk records from consumer_pos to producer_pos, calling `cb` for each
   * committed record (discarded ones are skipped; a busy one stops the walk),
   * then publish the new consumer_pos. Returns the number of records passed
   * to `cb`. `max` bounds the records handled in one call.
   */
  consume(cb: RecordCallback, max = Infinity): number {
    if (this.#closed) return 0;
    let n = 0;
    let cons = this.#cons;
    for (;;) {
      // x86 loads are acquire; Atomics keeps V8 from caching the value.
      const prod = Number(Atomics.load(this.#prodPos, 0));
      if (cons >= prod) break;
      const start = cons;
      while (cons < prod && n < max) {
        const off = cons & this.#mask;
        const hdr = Atomics.load(this.#words, off >>> 2);
        if (hdr & RingbufHdr.BUSY) break;
        const len = hdr & LEN_MASK;
        if (!(hdr & RingbufHdr.DISCARD)) {
          n++;
          try {
            cb(this.data, off + RingbufHdr.size, len);
          } catch (e) {
            // Release the record that threw too, or it would be seen again.
            cons += (len + RingbufHdr.size + 7) & ~7;
            this.#publish(cons);
            throw e;
          }
          if (this.#closed) return n; // the callback closed us: the mapping is gone
        }
        cons += (len + RingbufHdr.size + 7) & ~7;
      }
      if (cons === start) break; // busy record at the head
      this.#publish(cons);
      if (n >= max) break;
    }
    return n;
  }

  #publish(cons: number): void {
    if (this.#closed) return;
    this.#cons = cons;
    // Store-release of consumer_pos; a single 64-bit store so the kernel never sees a torn value.
    Atomics.store(this.#consPos, 0, BigInt(cons));
  }

  /**
   * Resolve true when records are (or become) available within timeoutMs,
   * false on timeout. Runs epoll_wait on a worker thread so signal handlers
   * and timers keep running. Concurrent callers share one wait.
   */
  wait(timeoutMs: number): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    if (this.pending() > 0) return Promise.resolve(true);
    if (this.#pending) return this.#pending;
    const epfd = this.#epfd.fd;
    const p = epollWaitAsync(epfd, 1, Math.max(0, Math.floor(timeoutMs))).then(
      (r) => {
        this.#pending = undefined;
        if (this.#closed) this.#epfd.close();
        return r > 0 || this.pending() > 0;
      },
      (e: unknown) => {
        this.#pending = undefined;
        if (this.#closed) this.#epfd.close();
        throw e;
      },
    );
    this.#pending = p;
    return p;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Unmap. The ring map itself is owned (and closed) by its BpfMap. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    munmap(this.#prodMap);
    munmap(this.#consMap);
    // An epoll_wait in flight still uses the epoll fd: close it when that returns.
    if (!this.#pending) this.#epfd.close();
  }
}
