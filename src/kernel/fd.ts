// Ownership of kernel resources: OwnedFd closes its fd exactly once, and a
// ResourceScope closes everything it recorded in reverse order, so the
// session can tear down links before programs before maps on exit/SIGINT.

import { closeFd } from './sys.js';

/** Anything holding kernel resources. close() must be idempotent. */
export interface Closeable {
  close(): void;
}

export class OwnedFd implements Closeable {
  #fd: number;
  /** What the fd is, for diagnostics ("map counts", "perf_event cpu0"). */
  readonly what: string;
  constructor(fd: number, what = 'fd') {
    this.#fd = fd;
    this.what = what;
  }
  /** The fd number; throws after close so a stale number is never reused by mistake. */
  get fd(): number {
    if (this.#fd < 0) throw new Error(`${this.what}: use after close`);
    return this.#fd;
  }
  get closed(): boolean {
    return this.#fd < 0;
  }
  close(): void {
    if (this.#fd < 0) return;
    const fd = this.#fd;
    this.#fd = -1;
    closeFd(fd);
  }
}

export class ResourceScope implements Closeable {
  #items: Closeable[] = [];
  #closed = false;

  /** Record `r` and return it (so `const m = scope.add(BpfMap.create(...))`). */
  add<T extends Closeable>(r: T): T {
    if (this.#closed) {
      r.close();
      throw new Error('ResourceScope already closed');
    }
    this.#items.push(r);
    return r;
  }

  /** Forget `r` without closing it (ownership moved elsewhere). */
  release(r: Closeable): void {
    const i = this.#items.lastIndexOf(r);
    if (i >= 0) this.#items.splice(i, 1);
  }

  get size(): number {
    return this.#items.length;
  }

  /** Close everything, newest first. Errors are collected so one failure never leaks the rest. */
  closeAll(): void {
    const errors: unknown[] = [];
    while (this.#items.length > 0) {
      const r = this.#items.pop()!;
      try {
        r.close();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'errors while releasing kernel resources');
  }

  close(): void {
    this.#closed = true;
    this.closeAll();
  }
}
