// The sdt and rawtp providers: every kernel tracepoint tracefs lists, as
// dtrace-utils names them on Linux. `sdt:GROUP::EVENT` runs on the
// tracepoint's perf event with the formatted record's fields as arguments
// (args[] typed from the kernel's `struct trace_event_raw_EVENT` in BTF,
// else from the event's format file); `rawtp:GROUP::EVENT` runs on the raw
// tracepoint with the tracepoint's own C arguments (BTF `btf_trace_EVENT`).
// Both skip the groups other providers own (syscalls) and the kprobe,
// uprobe and per-process groups.

import { State } from '../layout/memory.js';
import type { ArgSource, CtxField } from '../codegen/trampoline.js';
import { eventFormat, listEvents, vmlinuxTypes, type EventField, type EventName } from '../kernel/index.js';
import type { Btf } from '../btf/index.js';
import { attr, probeMatches, type ArgType, type AttachSpec, type Desc, type Probe, type ProbeIds, type Provider, type ProviderAttrs } from './probe.js';

/** Groups whose events are not sdt or rawtp probes: other providers' or dynamic probes. */
const SKIPPED_GROUPS: ReadonlySet<string> = new Set(['kprobes', 'syscalls', 'uprobes', 'dt_pid']);

/** isSkipped also skips the groups DTrace processes create for themselves (`dt_PID_NAME`). */
export function isSkippedGroup(group: string): boolean {
  return SKIPPED_GROUPS.has(group) || /^dt_\d+_/.test(group);
}

let events: EventName[] | undefined;

/** kernelEvents lists the tracepoints in available_events order, read once per run. */
export function kernelEvents(): readonly EventName[] {
  if (events === undefined) {
    try {
      events = listEvents();
    } catch {
      // Without tracefs (not mounted, not root) the kernel lists no tracepoints.
      events = [];
    }
  }
  return events;
}

let btf: Btf | null | undefined = null;

/** kernelBtf is vmlinux's BTF, or undefined on a kernel without it. */
function kernelBtf(): Btf | undefined {
  if (btf === null) {
    try {
      btf = vmlinuxTypes();
    } catch {
      btf = undefined;
    }
  }
  return btf;
}

/** C's integer type names as BTF spells them, and as DTrace (through CTF) shows them. */
const INT_NAMES: readonly [RegExp, string][] = [
  [/\blong long unsigned int\b/g, 'unsigned long long'], [/\blong long int\b/g, 'long long'],
  [/\blong unsigned int\b/g, 'unsigned long'], [/\blong int\b/g, 'long'],
  [/\bshort unsigned int\b/g, 'unsigned short'], [/\bshort int\b/g, 'short'],
];

/** cTypeName is a BTF type's name as dtrace -lv prints it. */
function cTypeName(b: Btf, id: number): string {
  return nativeType(INT_NAMES.reduce((s, [re, to]) => s.replace(re, to), b.typeName(id)));
}

/** The attributes dtrace-utils gives both tracepoint providers. */
const TP_ATTRS: ProviderAttrs = {
  provider: attr('Evolving', 'Evolving', 'ISA'), module: attr('Private', 'Private', 'Unknown'), func: attr('Private', 'Private', 'Unknown'),
  name: attr('Private', 'Private', 'ISA'), args: attr('Private', 'Private', 'ISA'),
};

/** nativeType is a format field's C type as dtrace -lv shows it (without qualifiers). */
export function nativeType(t: string): string {
  return t.replace(/__attribute__\(\(.*?\)\)\s*/g, '').replace(/\b(const|volatile)\b/g, '').replace(/\s+/g, ' ').replace(/\*\s+\*/g, '**').replace(/\*\s+\*/g, '**').trim();
}

/** TpArgs is a tracepoint probe's argument layout and types, computed when first needed. */
interface TpArgs {
  readonly source: ArgSource;
  readonly types: readonly ArgType[];
}

/** memberField reads a BTF-typed member as an argument: scalars by value, arrays and structs by address. */
function memberField(b: Btf, typeId: number, offset: number): CtxField {
  const r = b.resolve(typeId);
  const t = b.type(r);
  const size = t.kind === 'ptr' ? 8 : t.kind === 'int' || t.kind === 'enum' || t.kind === 'enum64' ? b.sizeof(r) : 0;
  if (size === 1 || size === 2 || size === 4 || size === 8) {
    return { offset, size, signed: t.kind === 'int' ? t.signed : t.kind === 'enum' || t.kind === 'enum64' ? t.signed : false };
  }
  return { offset, size: 8, signed: false, address: true };
}

/**
 * sdtArgs: the members of `struct trace_event_raw_EVENT` but the first (the
 * common header) and the last (the dynamic data), as dtrace-utils takes
 * them; a `__data_loc` field is the u32 that locates its data. Without that
 * struct, the event's format fields.
 */
function sdtArgs(group: string, event: string): TpArgs {
  const b = kernelBtf();
  const id = b?.findType(`trace_event_raw_${event}`, 'struct');
  if (b !== undefined && id !== undefined) {
    const st = b.type(id);
    if (st.kind === 'struct' && st.members.length > 2) {
      const ms = st.members.slice(1, -1);
      return {
        source: { kind: 'ctx', fields: ms.map((m) => memberField(b, m.typeId, Math.floor(m.bitOffset / 8))) },
        types: ms.map((m) => ({ native: cTypeName(b, m.typeId), btf: m.typeId })),
      };
    }
    if (st.kind === 'struct') return { source: { kind: 'ctx', fields: [] }, types: [] };
  }
  const fields = eventFormat(group, event).fields.filter((f) => !f.common);
  return {
    source: {
      kind: 'ctx',
      fields: fields.map((f) => f.arrayLength !== undefined || f.dataLoc === true || ![1, 2, 4, 8].includes(f.size)
        ? { offset: f.offset, size: 8, signed: false, address: true }
        : { offset: f.offset, size: f.size as 1 | 2 | 4 | 8, signed: f.signed }),
    },
    types: fields.map((f) => ({ native: formatFieldType(f) })),
  };
}

/**
 * formatFieldType is a format field's type as dtrace-utils shows it: without
 * qualifiers, arrays with their length, and a `__data_loc` field as the
 * array of unknown length it locates (`char [0]`).
 */
function formatFieldType(f: EventField): string {
  if (f.dataLoc === true) return `${nativeType(f.type.replace(/^__data_loc\s+/, '').replace(/\[\d*\]$/, ''))} [0]`;
  return f.arrayLength !== undefined ? `${nativeType(f.type)} [${f.arrayLength}]` : nativeType(f.type);
}

/** rawtpArgs: the tracepoint's C arguments after its first (the private context), each a 64-bit slot of the raw context. */
function rawtpArgs(event: string): TpArgs {
  const b = kernelBtf();
  const id = b?.findType(`btf_trace_${event}`, 'typedef');
  if (b === undefined || id === undefined) return { source: { kind: 'ctx', fields: [] }, types: [] };
  const ptr = b.type(b.resolve(id));
  const proto = ptr.kind === 'ptr' ? b.type(b.resolve(ptr.type)) : undefined;
  if (proto?.kind !== 'func_proto' || proto.params.length <= 1) return { source: { kind: 'ctx', fields: [] }, types: [] };
  const params = proto.params.slice(1);
  return {
    source: { kind: 'ctx', fields: params.map((_, i) => ({ offset: 8 * i, size: 8 as const, signed: false })) },
    types: params.map((p) => ({ native: cTypeName(b, p.typeId), btf: p.typeId })),
  };
}

/** tracepointProbe makes one probe whose arguments are read on first use. */
function tracepointProbe(id: number, provider: string, e: EventName, attach: AttachSpec, argsOf: () => TpArgs): Probe {
  let a: TpArgs | undefined;
  return {
    id, provider, module: e.group, func: '', name: e.event, attach, state: State.ACTIVE,
    get args(): ArgSource {
      a ??= argsOf();
      return a.source;
    },
    get argTypes(): readonly ArgType[] {
      a ??= argsOf();
      return a.types;
    },
  };
}

/** createTracepointProvider makes the sdt or rawtp provider: all its probes are made at populate, in tracefs order. */
function createTracepointProvider(name: 'sdt' | 'rawtp', events: () => readonly EventName[]): Provider {
  const probes: Probe[] = [];
  return {
    name,
    attrs: TP_ATTRS,
    populate(ids: ProbeIds): void {
      for (const e of events()) {
        if (isSkippedGroup(e.group)) continue;
        probes.push(name === 'sdt'
          ? tracepointProbe(ids.take(), name, e, { kind: 'tracepoint', group: e.group, event: e.event }, () => sdtArgs(e.group, e.event))
          : tracepointProbe(ids.take(), name, e, { kind: 'raw-tracepoint', event: e.event }, () => rawtpArgs(e.event)));
      }
    },
    match(d: Desc, _ids: ProbeIds, glob): Probe[] {
      if (!glob(d.provider, name)) return [];
      return probes.filter((p) => probeMatches(p, d, glob));
    },
  };
}

/** EventSource lists the kernel's tracepoints in available_events order (a fixture in tests). */
export type EventSource = () => readonly EventName[];

export const createSdtProvider = (events: EventSource = kernelEvents): Provider => createTracepointProvider('sdt', events);
export const createRawtpProvider = (events: EventSource = kernelEvents): Provider => createTracepointProvider('rawtp', events);
