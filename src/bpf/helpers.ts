// The BPF helper functions this project calls, with the ids from the kernel's
// uapi enum bpf_func_id (include/uapi/linux/bpf.h, ___BPF_FUNC_MAPPER) and
// their prototypes as the verifier sees them, plus the flag constants those
// helpers take. Ids are ABI: they never change once a kernel ships them.

/** ArgKind is what the verifier demands of one helper argument register. */
export type ArgKind =
  /** Any scalar. */
  | 'anything'
  /** The program's context (r1 on entry). */
  | 'ctx'
  /** A map pointer, from ldMapFd. */
  | 'map_ptr'
  /** Pointer to initialised memory of the map's key size (stack or map value). */
  | 'map_key'
  /** Pointer to initialised memory of the map's value size. */
  | 'map_value'
  /** Pointer to initialised memory whose size is the following argument. */
  | 'mem'
  /** Pointer to memory the helper writes; size is the following argument. */
  | 'uninit_mem'
  /** Like 'mem' but may be NULL when the size is 0. */
  | 'mem_or_null'
  /** A size known to the verifier, > 0. */
  | 'size'
  /** A size known to the verifier, >= 0. */
  | 'size_or_zero'
  /** A constant allocation size (ringbuf_reserve). */
  | 'alloc_size_or_zero'
  /** A record pointer returned by ringbuf_reserve. */
  | 'ringbuf_mem'
  /** Pointer to a NUL-terminated string in a read-only map value (snprintf fmt). */
  | 'const_str'
  /** Pointer to a subprogram, from ldFunc. */
  | 'func'
  /** Pointer to the stack, or NULL. */
  | 'stack_or_null';

/** RetKind is what r0 holds after the call. */
export type RetKind =
  | 'integer'
  | 'void'
  /** Pointer into the map value, or NULL: must be null-checked before use. */
  | 'map_value_or_null'
  /** Pointer to a fresh ring buffer record, or NULL. */
  | 'mem_or_null'
  /** Trusted BTF pointer (struct task_struct *). */
  | 'btf_id';

export interface HelperProto {
  readonly id: number;
  /** The name without the bpf_ prefix, as in the uapi enum (BPF_FUNC_<name>). */
  readonly name: string;
  readonly args: readonly ArgKind[];
  /** Fewer arguments are allowed for variadic helpers (trace_printk). */
  readonly minArgs?: number;
  readonly ret: RetKind;
  /** Only allowed in sleepable programs. */
  readonly sleepable?: boolean;
  /** Needs CAP_SYS_ADMIN or is otherwise noisy (prints a warning, kills, writes user memory). */
  readonly destructive?: boolean;
}

const PROBE_READ: readonly ArgKind[] = ['uninit_mem', 'size_or_zero', 'anything'];

export const HELPERS = [
  { id: 1, name: 'map_lookup_elem', args: ['map_ptr', 'map_key'], ret: 'map_value_or_null' },
  { id: 2, name: 'map_update_elem', args: ['map_ptr', 'map_key', 'map_value', 'anything'], ret: 'integer' },
  { id: 3, name: 'map_delete_elem', args: ['map_ptr', 'map_key'], ret: 'integer' },
  { id: 4, name: 'probe_read', args: PROBE_READ, ret: 'integer' },
  { id: 5, name: 'ktime_get_ns', args: [], ret: 'integer' },
  {
    id: 6,
    name: 'trace_printk',
    args: ['mem', 'size', 'anything', 'anything', 'anything'],
    minArgs: 2,
    ret: 'integer',
    destructive: true,
  },
  { id: 7, name: 'get_prandom_u32', args: [], ret: 'integer' },
  { id: 8, name: 'get_smp_processor_id', args: [], ret: 'integer' },
  { id: 12, name: 'tail_call', args: ['ctx', 'map_ptr', 'anything'], ret: 'integer' },
  { id: 14, name: 'get_current_pid_tgid', args: [], ret: 'integer' },
  { id: 15, name: 'get_current_uid_gid', args: [], ret: 'integer' },
  { id: 16, name: 'get_current_comm', args: ['uninit_mem', 'size'], ret: 'integer' },
  { id: 25, name: 'perf_event_output', args: ['ctx', 'map_ptr', 'anything', 'mem', 'size_or_zero'], ret: 'integer' },
  { id: 27, name: 'get_stackid', args: ['ctx', 'map_ptr', 'anything'], ret: 'integer' },
  { id: 35, name: 'get_current_task', args: [], ret: 'integer' },
  { id: 36, name: 'probe_write_user', args: ['anything', 'mem', 'size'], ret: 'integer', destructive: true },
  { id: 42, name: 'get_numa_node_id', args: [], ret: 'integer' },
  { id: 45, name: 'probe_read_str', args: PROBE_READ, ret: 'integer' },
  { id: 58, name: 'override_return', args: ['ctx', 'anything'], ret: 'integer', destructive: true },
  { id: 67, name: 'get_stack', args: ['ctx', 'uninit_mem', 'size_or_zero', 'anything'], ret: 'integer' },
  { id: 80, name: 'get_current_cgroup_id', args: [], ret: 'integer' },
  { id: 87, name: 'map_push_elem', args: ['map_ptr', 'map_value', 'anything'], ret: 'integer' },
  { id: 88, name: 'map_pop_elem', args: ['map_ptr', 'uninit_mem'], ret: 'integer' },
  { id: 89, name: 'map_peek_elem', args: ['map_ptr', 'uninit_mem'], ret: 'integer' },
  { id: 93, name: 'spin_lock', args: ['map_value'], ret: 'void' },
  { id: 94, name: 'spin_unlock', args: ['map_value'], ret: 'void' },
  { id: 109, name: 'send_signal', args: ['anything'], ret: 'integer', destructive: true },
  { id: 112, name: 'probe_read_user', args: PROBE_READ, ret: 'integer' },
  { id: 113, name: 'probe_read_kernel', args: PROBE_READ, ret: 'integer' },
  { id: 114, name: 'probe_read_user_str', args: PROBE_READ, ret: 'integer' },
  { id: 115, name: 'probe_read_kernel_str', args: PROBE_READ, ret: 'integer' },
  { id: 117, name: 'send_signal_thread', args: ['anything'], ret: 'integer', destructive: true },
  { id: 118, name: 'jiffies64', args: [], ret: 'integer' },
  {
    id: 120,
    name: 'get_ns_current_pid_tgid',
    args: ['anything', 'anything', 'uninit_mem', 'size'],
    ret: 'integer',
  },
  { id: 123, name: 'get_current_ancestor_cgroup_id', args: ['anything'], ret: 'integer' },
  { id: 125, name: 'ktime_get_boot_ns', args: [], ret: 'integer' },
  { id: 130, name: 'ringbuf_output', args: ['map_ptr', 'mem', 'size_or_zero', 'anything'], ret: 'integer' },
  { id: 131, name: 'ringbuf_reserve', args: ['map_ptr', 'alloc_size_or_zero', 'anything'], ret: 'mem_or_null' },
  { id: 132, name: 'ringbuf_submit', args: ['ringbuf_mem', 'anything'], ret: 'void' },
  { id: 133, name: 'ringbuf_discard', args: ['ringbuf_mem', 'anything'], ret: 'void' },
  { id: 134, name: 'ringbuf_query', args: ['map_ptr', 'anything'], ret: 'integer' },
  { id: 141, name: 'get_task_stack', args: ['anything', 'uninit_mem', 'size_or_zero', 'anything'], ret: 'integer' },
  { id: 147, name: 'd_path', args: ['anything', 'uninit_mem', 'size'], ret: 'integer' },
  { id: 148, name: 'copy_from_user', args: PROBE_READ, ret: 'integer', sleepable: true },
  { id: 158, name: 'get_current_task_btf', args: [], ret: 'btf_id' },
  { id: 160, name: 'ktime_get_coarse_ns', args: [], ret: 'integer' },
  { id: 164, name: 'for_each_map_elem', args: ['map_ptr', 'func', 'stack_or_null', 'anything'], ret: 'integer' },
  {
    id: 165,
    name: 'snprintf',
    args: ['uninit_mem', 'size_or_zero', 'const_str', 'mem_or_null', 'size_or_zero'],
    ret: 'integer',
  },
  { id: 173, name: 'get_func_ip', args: ['ctx'], ret: 'integer' },
  { id: 174, name: 'get_attach_cookie', args: ['ctx'], ret: 'integer' },
  { id: 175, name: 'task_pt_regs', args: ['anything'], ret: 'btf_id' },
  { id: 177, name: 'trace_vprintk', args: ['mem', 'size', 'mem_or_null', 'size_or_zero'], ret: 'integer' },
  { id: 181, name: 'loop', args: ['anything', 'func', 'stack_or_null', 'anything'], ret: 'integer' },
  { id: 182, name: 'strncmp', args: ['mem', 'size', 'const_str'], ret: 'integer' },
  { id: 183, name: 'get_func_arg', args: ['ctx', 'anything', 'uninit_mem'], ret: 'integer' },
  { id: 184, name: 'get_func_ret', args: ['ctx', 'uninit_mem'], ret: 'integer' },
  { id: 185, name: 'get_func_arg_cnt', args: ['ctx'], ret: 'integer' },
  { id: 191, name: 'copy_from_user_task', args: ['uninit_mem', 'size_or_zero', 'anything', 'anything', 'anything'], ret: 'integer', sleepable: true },
  { id: 195, name: 'map_lookup_percpu_elem', args: ['map_ptr', 'map_key', 'anything'], ret: 'map_value_or_null' },
  { id: 208, name: 'ktime_get_tai_ns', args: [], ret: 'integer' },
] as const satisfies readonly HelperProto[];

export type HelperName = (typeof HELPERS)[number]['name'];

/** Helper maps each name to its id: `call(Helper.map_lookup_elem)`. */
export const Helper = Object.freeze(
  Object.fromEntries(HELPERS.map((h) => [h.name, h.id])) as { readonly [K in HelperName]: number },
);

const byId = new Map<number, HelperProto>(HELPERS.map((h) => [h.id, h]));
const byName = new Map<string, HelperProto>(HELPERS.map((h) => [h.name, h]));

export function helperById(id: number): HelperProto | undefined {
  return byId.get(id);
}

/** helperByName accepts the name with or without the bpf_ prefix. */
export function helperByName(name: string): HelperProto | undefined {
  return byName.get(name.startsWith('bpf_') ? name.slice(4) : name);
}

// Flags for map_update_elem.
export const BPF_ANY = 0;
export const BPF_NOEXIST = 1;
export const BPF_EXIST = 2;
export const BPF_F_LOCK = 4;

// Flags for perf_event_output. BPF_F_CURRENT_CPU must reach the helper as
// exactly 0xffffffff (the kernel rejects other upper bits), so load it with
// mov32(r, -1) or loadImm, never mov64(r, -1).
export const BPF_F_INDEX_MASK = 0xffffffff;
export const BPF_F_CURRENT_CPU = BPF_F_INDEX_MASK;

// Flags for get_stackid and get_stack; the low byte is frames to skip.
export const BPF_F_SKIP_FIELD_MASK = 0xff;
export const BPF_F_USER_STACK = 1 << 8;
export const BPF_F_FAST_STACK_CMP = 1 << 9;
export const BPF_F_REUSE_STACKID = 1 << 10;
export const BPF_F_USER_BUILD_ID = 1 << 11;

// Flags for ringbuf_output, ringbuf_submit and ringbuf_discard.
export const BPF_RB_NO_WAKEUP = 1;
export const BPF_RB_FORCE_WAKEUP = 2;

// Queries for ringbuf_query.
export const BPF_RB_AVAIL_DATA = 0;
export const BPF_RB_RING_SIZE = 1;
export const BPF_RB_CONS_POS = 2;
export const BPF_RB_PROD_POS = 3;

// Ring buffer record header bits, as user space sees them in the 8-byte header.
export const BPF_RINGBUF_BUSY_BIT = 0x80000000;
export const BPF_RINGBUF_DISCARD_BIT = 0x40000000;
export const BPF_RINGBUF_HDR_SZ = 8;
