// BTF plumbing the kernel layer needs: BTF_LOAD of a program's BTF blob
// (func_info for bpf_loop callbacks), reading the vmlinux BTF bytes (the
// compiler parses them; it must not touch /sys itself), and a function's
// type id (fentry attach and feature probes) through the reader in src/btf.

import { readFileSync } from 'node:fs';
import { parseBtf, type Btf } from '../btf/index.js';
import { BpfCmd, encodeBtfLoad } from './attrs.js';
import { KernelError } from './errors.js';
import { OwnedFd } from './fd.js';
import { addressOf, bpfRaw, errorFor } from './sys.js';

const VMLINUX_BTF = '/sys/kernel/btf/vmlinux';

let vmlinux: Buffer | undefined;

/** Raw bytes of /sys/kernel/btf/vmlinux (read once, ~5 MB). */
export function vmlinuxBtf(): Buffer {
  vmlinux ??= readFileSync(VMLINUX_BTF);
  return vmlinux;
}

/** BTF_LOAD; on failure retries with a log and puts its tail in the error. */
export function loadBtf(blob: Uint8Array): OwnedFd {
  const attr = encodeBtfLoad(addressOf(blob), blob.length, 0n, 0, 0);
  const r = bpfRaw(BpfCmd.BTF_LOAD, addressOf(attr), attr.length);
  if (r >= 0) return new OwnedFd(r, 'btf');
  const log = Buffer.alloc(1 << 16);
  const a2 = encodeBtfLoad(addressOf(blob), blob.length, addressOf(log), log.length, 1);
  const r2 = bpfRaw(BpfCmd.BTF_LOAD, addressOf(a2), a2.length);
  if (r2 >= 0) return new OwnedFd(r2, 'btf');
  const z = log.indexOf(0);
  const text = log.toString('utf8', 0, z < 0 ? log.length : z).trim().split('\n').slice(-3).join('; ');
  if (text) throw new KernelError('bpf(BTF_LOAD)', -r, text);
  throw errorFor('bpf(BTF_LOAD)', -r);
}

let parsed: Btf | undefined;

/** The parsed vmlinux BTF (the pure reader in src/btf; parsed lazily, once). */
export function vmlinuxTypes(): Btf {
  parsed ??= parseBtf(vmlinuxBtf());
  return parsed;
}

/** vmlinux BTF id of kernel function `name`, or undefined. */
export function vmlinuxFuncId(name: string): number | undefined {
  return vmlinuxTypes().findType(name, 'func');
}
