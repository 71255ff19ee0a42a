// Helper ids are kernel ABI; these spot checks pin the ones the project relies
// on to the values in include/uapi/linux/bpf.h.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HELPERS, Helper, helperById, helperByName, BPF_F_CURRENT_CPU, BPF_RB_FORCE_WAKEUP, BPF_RB_NO_WAKEUP } from '../../../src/bpf/index.js';

test('helper ids match the uapi enum', () => {
  const want: Record<string, number> = {
    map_lookup_elem: 1, map_update_elem: 2, map_delete_elem: 3, probe_read: 4, ktime_get_ns: 5,
    trace_printk: 6, get_prandom_u32: 7, get_smp_processor_id: 8, tail_call: 12, get_current_pid_tgid: 14,
    get_current_uid_gid: 15, get_current_comm: 16, perf_event_output: 25, get_stackid: 27,
    get_current_task: 35, probe_write_user: 36, probe_read_str: 45, get_stack: 67, send_signal: 109,
    probe_read_user: 112, probe_read_kernel: 113, probe_read_user_str: 114, probe_read_kernel_str: 115,
    jiffies64: 118, get_ns_current_pid_tgid: 120, ktime_get_boot_ns: 125, ringbuf_output: 130,
    ringbuf_reserve: 131, ringbuf_submit: 132, ringbuf_discard: 133, ringbuf_query: 134,
    copy_from_user: 148, get_current_task_btf: 158, snprintf: 165, get_func_ip: 173, loop: 181,
  };
  for (const [name, id] of Object.entries(want)) {
    assert.equal(helperByName(name)?.id, id, name);
    assert.equal(helperById(id)?.name, name, `id ${id}`);
  }
  assert.equal(Helper.get_current_pid_tgid, 14);
  assert.equal(helperByName('bpf_ktime_get_ns')?.id, 5);
});

test('the table has no duplicate ids or names', () => {
  assert.equal(new Set(HELPERS.map((h) => h.id)).size, HELPERS.length);
  assert.equal(new Set(HELPERS.map((h) => h.name)).size, HELPERS.length);
  for (const h of HELPERS) assert.ok(h.args.length <= 5, h.name);
});

test('flag constants', () => {
  assert.equal(BPF_RB_NO_WAKEUP, 1);
  assert.equal(BPF_RB_FORCE_WAKEUP, 2);
  assert.equal(BPF_F_CURRENT_CPU, 0xffffffff);
});
