// tracefs access: find (or mount) the tracing filesystem, read tracepoint ids
// and field layouts, and list events cheaply from available_events (never by
// walking the whole events/ tree, which costs hundreds of ms).

import { existsSync, readFileSync } from 'node:fs';
import { Errno, KernelError } from './errors.js';
import { mountFs } from './sys.js';

const CANDIDATES = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];

let root: string | undefined;

/** The tracefs mount point; mounts tracefs at /sys/kernel/tracing when nothing is mounted. */
export function tracefsRoot(): string {
  if (root) return root;
  for (const c of CANDIDATES) {
    if (existsSync(`${c}/events`)) return (root = c);
  }
  mountFs('nodev', CANDIDATES[0]!, 'tracefs');
  if (!existsSync(`${CANDIDATES[0]}/events`)) {
    throw new KernelError('mount(tracefs)', Errno.ENOENT, 'tracefs mounted but has no events directory');
  }
  return (root = CANDIDATES[0]!);
}

function readEventFile(group: string, event: string, file: string): string {
  if (!/^[\w.-]+$/.test(group) || !/^[\w.-]+$/.test(event)) {
    throw new KernelError(`tracefs ${group}:${event}`, Errno.EINVAL, 'bad tracepoint name');
  }
  const p = `${tracefsRoot()}/events/${group}/${event}/${file}`;
  try {
    return readFileSync(p, 'latin1');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const errno = code === 'ENOENT' ? Errno.ENOENT : code === 'EACCES' ? Errno.EACCES : Errno.EINVAL;
    throw new KernelError(`tracefs ${group}:${event}`, errno, code === 'ENOENT' ? 'no such tracepoint' : p);
  }
}

/** Tracepoint id, the perf_event config for PERF_TYPE_TRACEPOINT. */
export function eventId(group: string, event: string): number {
  return Number(readEventFile(group, event, 'id').trim());
}

export interface EventField {
  name: string;
  /** C type as written, without the array suffix ("const char *", "char", "__data_loc char[]"). */
  type: string;
  offset: number;
  size: number;
  signed: boolean;
  /** Element count for fixed arrays ("char comm[16]" → 16). */
  arrayLength?: number;
  /** __data_loc fields hold (length << 16 | offset) of dynamic data. */
  dataLoc?: boolean;
  /** common_* header fields shared by every event. */
  common: boolean;
}

export interface EventFormat {
  name: string;
  id: number;
  fields: EventField[];
  printFmt: string;
}

const FIELD_RE = /^\s*field:(.*?);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d+);/;

/** Parse the text of events/<group>/<event>/format. */
export function parseEventFormat(text: string): EventFormat {
  let name = '';
  let id = 0;
  let printFmt = '';
  const fields: EventField[] = [];
  let common = true;
  for (const line of text.split('\n')) {
    if (line.startsWith('name: ')) name = line.slice(6).trim();
    else if (line.startsWith('ID: ')) id = Number(line.slice(4).trim());
    else if (line.startsWith('print fmt: ')) printFmt = line.slice(11);
    else if (line.trim() === '' && fields.length > 0) common = false; // blank line ends the common_* block
    else {
      const m = FIELD_RE.exec(line);
      if (m) fields.push(parseField(m[1]!, Number(m[2]), Number(m[3]), m[4] === '1', common));
    }
  }
  return { name, id, fields, printFmt };
}

function parseField(decl: string, offset: number, size: number, signed: boolean, common: boolean): EventField {
  let d = decl.trim();
  let arrayLength: number | undefined;
  let dataLoc = false;
  if (d.startsWith('__data_loc ') || d.startsWith('__rel_loc ')) dataLoc = true;
  const arr = /\[(\d*)\]\s*$/.exec(d);
  if (arr && !dataLoc) {
    // "char comm[16]": the brackets follow the name.
    d = d.slice(0, arr.index).trim();
    if (arr[1] !== '') arrayLength = Number(arr[1]);
  }
  const nm = /([A-Za-z_]\w*)$/.exec(d);
  const fname = nm ? nm[1]! : d;
  const type = nm ? d.slice(0, nm.index).trim() : '';
  const f: EventField = { name: fname, type, offset, size, signed, common };
  if (arrayLength !== undefined) f.arrayLength = arrayLength;
  if (dataLoc) f.dataLoc = true;
  if (common && !fname.startsWith('common_')) f.common = false;
  return f;
}

/** Field layout of a tracepoint. */
export function eventFormat(group: string, event: string): EventFormat {
  return parseEventFormat(readEventFile(group, event, 'format'));
}

export interface EventName {
  group: string;
  event: string;
}

/** Parse available_events ("group:event" per line). */
export function parseAvailableEvents(text: string, group?: string): EventName[] {
  const out: EventName[] = [];
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const g = line.slice(0, i);
    if (group !== undefined && g !== group) continue;
    out.push({ group: g, event: line.slice(i + 1).trim() });
  }
  return out;
}

/** All tracepoints (or those of one group), from the single available_events file. */
export function listEvents(group?: string): EventName[] {
  return parseAvailableEvents(readFileSync(`${tracefsRoot()}/available_events`, 'latin1'), group);
}

/** System call names that have syscalls:sys_enter_<name> / sys_exit_<name> tracepoints, sorted. */
export function syscallNamesFrom(events: readonly EventName[]): string[] {
  const names = new Set<string>();
  for (const e of events) {
    if (e.group !== 'syscalls') continue;
    const m = /^sys_(?:enter|exit)_(.+)$/.exec(e.event);
    if (m) names.add(m[1]!);
  }
  return [...names].sort();
}

export function syscallNames(): string[] {
  return syscallNamesFrom(listEvents('syscalls'));
}
