// libc through koffi: the only file that loads the FFI. Exposes small typed
// wrappers (bpf, perf_event_open, ioctl, mmap, epoll, mount...) that throw
// KernelError with errno on failure. koffi is loaded on first use, so
// commands that never touch the kernel (dtrace -h, compile errors) pay nothing.

import { createRequire } from 'node:module';
import { BpfCmdNames, EPOLL_CLOEXEC, EpollEventLayout, encodeEpollEvent, PERF_FLAG_FD_CLOEXEC } from './attrs.js';
import { Errno, KernelError, PermissionError } from './errors.js';

const SYS_getpid = 39;
const SYS_perf_event_open = 298;
const SYS_gettid = 186;
const SYS_bpf = 321;
const _SC_PAGESIZE = 30;

/** Opaque native pointer as returned by koffi (an External). */
export interface NativePointer {
  readonly __nativePointer: unique symbol;
}

// The subset of koffi we use, typed here so the rest of the code needs no `any`.
interface KoffiFn {
  (...args: unknown[]): unknown;
  async(...args: unknown[]): void;
}
interface KoffiLib {
  func(decl: string): KoffiFn;
}
interface Koffi {
  load(path: string): KoffiLib;
  errno(): number;
  address(v: unknown): bigint;
  view(ptr: unknown, len: number): ArrayBuffer;
}

interface Libc {
  koffi: Koffi;
  // glibc's syscall() is an assembly shim that only moves integer registers,
  // so fixed-arity prototypes are ABI-safe on x86_64 and about 2x faster in
  // koffi than the variadic declaration (which parses types on every call).
  sysBpf: KoffiFn;
  sysPerf: KoffiFn;
  sysVar: KoffiFn;
  ioctl: KoffiFn;
  close: KoffiFn;
  mmap: KoffiFn;
  munmap: KoffiFn;
  epollCreate1: KoffiFn;
  epollCtl: KoffiFn;
  epollWait: KoffiFn;
  mount: KoffiFn;
  sysconf: KoffiFn;
}

let libc: Libc | undefined;

function lib(): Libc {
  if (libc) return libc;
  const require = createRequire(import.meta.url);
  const koffi = require('koffi') as Koffi;
  const c = koffi.load('libc.so.6');
  libc = {
    koffi,
    sysBpf: c.func('long syscall(long nr, long cmd, uintptr_t attr, unsigned long size)'),
    sysPerf: c.func('long syscall(long nr, uintptr_t attr, int pid, int cpu, int group_fd, unsigned long flags)'),
    sysVar: c.func('long syscall(long nr, ...)'),
    ioctl: c.func('int ioctl(int fd, unsigned long req, unsigned long arg)'),
    close: c.func('int close(int fd)'),
    mmap: c.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off)'),
    munmap: c.func('int munmap(void *addr, size_t len)'),
    epollCreate1: c.func('int epoll_create1(int flags)'),
    epollCtl: c.func('int epoll_ctl(int epfd, int op, int fd, void *ev)'),
    epollWait: c.func('int epoll_wait(int epfd, void *evs, int max, int timeout)'),
    mount: c.func('int mount(const char *src, const char *target, const char *fstype, unsigned long flags, const void *data)'),
    sysconf: c.func('long sysconf(int name)'),
  };
  return libc;
}

/** errno of the last synchronous koffi call (koffi saves it right after each call). */
export function lastErrno(): number {
  return lib().koffi.errno();
}

function isRoot(): boolean {
  return typeof process.geteuid === 'function' && process.geteuid() === 0;
}

/** The error to throw for a failed call: PermissionError when unprivileged and refused. */
export function errorFor(op: string, errno: number, detail?: string): KernelError {
  if ((errno === Errno.EPERM || errno === Errno.EACCES) && !isRoot()) return new PermissionError(op, errno);
  return new KernelError(op, errno, detail);
}

/** Address of a Buffer's memory, for pointer fields of attribute structs. The Buffer must stay referenced while used. */
export function addressOf(buf: Uint8Array): bigint {
  return lib().koffi.address(buf);
}

/** A NUL-terminated copy of a string, for char* fields. */
export function cString(s: string): Buffer {
  return Buffer.from(s + '\0', 'utf8');
}

/** bpf(cmd, attr) returning the result or -errno (no throw): for hot paths where ENOENT is normal. */
export function bpfRaw(cmd: number, attrAddr: bigint, size: number): number {
  const L = lib();
  const r = L.sysBpf(SYS_bpf, cmd, attrAddr, size) as number;
  return r < 0 ? -L.koffi.errno() : r;
}

/** bpf(cmd, attr): throws KernelError("bpf(CMD): ...") on failure. */
export function bpf(cmd: number, attr: Buffer): number {
  const r = bpfRaw(cmd, addressOf(attr), attr.length);
  if (r < 0) throw errorFor(`bpf(${BpfCmdNames[cmd] ?? cmd})`, -r);
  return r;
}

export function perfEventOpen(attr: Buffer, pid: number, cpu: number, groupFd = -1, flags = PERF_FLAG_FD_CLOEXEC): number {
  const L = lib();
  const r = L.sysPerf(SYS_perf_event_open, addressOf(attr), pid, cpu, groupFd, flags) as number;
  if (r < 0) throw errorFor('perf_event_open', L.koffi.errno());
  return r;
}

export function ioctl(fd: number, req: number, arg: number | bigint = 0, op = 'ioctl'): number {
  const L = lib();
  const r = L.ioctl(fd, req, arg) as number;
  if (r < 0) throw errorFor(op, L.koffi.errno());
  return r;
}

/** Generic variadic syscall with integer arguments, for rare calls. Returns the raw result or throws. */
export function syscall(nr: number, ...args: (number | bigint)[]): number {
  const L = lib();
  const typed: unknown[] = [];
  for (const a of args) typed.push('long', a);
  const r = L.sysVar(nr, ...typed) as number;
  if (r < 0) throw errorFor(`syscall(${nr})`, L.koffi.errno());
  return r;
}

/** Real getpid/gettid (not glibc's cached values): used to fire test probes and filter own events. */
export function getpid(): number {
  return syscall(SYS_getpid);
}
export function gettid(): number {
  return syscall(SYS_gettid);
}

export function closeFd(fd: number): void {
  lib().close(fd);
}

let pageSizeCache = 0;
export function pageSize(): number {
  if (!pageSizeCache) pageSizeCache = lib().sysconf(_SC_PAGESIZE) as number;
  return pageSizeCache;
}

/** An mmap'ed region; `buffer` is a zero-copy ArrayBuffer over it, invalid after unmap(). */
export interface Mapping {
  readonly pointer: NativePointer;
  readonly length: number;
  readonly buffer: ArrayBuffer;
}

export function mmap(length: number, prot: number, flags: number, fd: number, offset: number): Mapping {
  const L = lib();
  const p = L.mmap(null, length, prot, flags, fd, offset);
  // MAP_FAILED is (void *)-1, not NULL.
  const addr = p === null ? 0n : L.koffi.address(p);
  if (addr === 0n || addr === 0xffffffffffffffffn) throw errorFor('mmap', L.koffi.errno());
  return { pointer: p as NativePointer, length, buffer: L.koffi.view(p, length) };
}

export function munmap(m: Mapping): void {
  lib().munmap(m.pointer, m.length);
}

export function epollCreate(): number {
  const L = lib();
  const r = L.epollCreate1(EPOLL_CLOEXEC) as number;
  if (r < 0) throw errorFor('epoll_create1', L.koffi.errno());
  return r;
}

export function epollCtl(epfd: number, op: number, fd: number, events: number, data: bigint = 0n): void {
  const L = lib();
  const r = L.epollCtl(epfd, op, fd, encodeEpollEvent(events, data)) as number;
  if (r < 0) throw errorFor('epoll_ctl', L.koffi.errno());
}

/** Synchronous epoll_wait: number of ready fds (0 on timeout). Blocks the event loop: use only with timeout 0. */
export function epollWait(epfd: number, maxEvents: number, timeoutMs: number): number {
  const L = lib();
  const evs = Buffer.alloc(EpollEventLayout.size * maxEvents);
  const r = L.epollWait(epfd, evs, maxEvents, timeoutMs) as number;
  if (r < 0) {
    const e = L.koffi.errno();
    if (e === Errno.EINTR) return 0;
    throw errorFor('epoll_wait', e);
  }
  return r;
}

/**
 * epoll_wait on a koffi worker thread, so the event loop (and signal
 * handlers) keep running while we sleep. errno is not observable from the
 * worker thread; a failure (EINTR when a signal lands on that thread)
 * resolves to 0, callers poll again anyway.
 */
export function epollWaitAsync(epfd: number, maxEvents: number, timeoutMs: number): Promise<number> {
  const L = lib();
  const evs = Buffer.alloc(EpollEventLayout.size * maxEvents);
  return new Promise((resolve, reject) => {
    L.epollWait.async(epfd, evs, maxEvents, timeoutMs, (err: unknown, res: unknown) => {
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(Math.max(0, res as number));
    });
  });
}

export function mountFs(source: string, target: string, fstype: string): void {
  const L = lib();
  const r = L.mount(source, target, fstype, 0, null) as number;
  if (r < 0) throw errorFor(`mount(${fstype} on ${target})`, L.koffi.errno());
}

export { PERF_FLAG_FD_CLOEXEC };
