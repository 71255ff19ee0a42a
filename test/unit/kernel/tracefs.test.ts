// Unit: tracefs format-file and available_events parsing on fixture text.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAvailableEvents, parseEventFormat, syscallNamesFrom } from '../../../src/kernel/tracefs.js';

const OPENAT = `name: sys_enter_openat
ID: 782
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;
\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;
\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;
\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;
\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;

print fmt: "dfd: 0x%08lx, filename: 0x%08lx, flags: 0x%08lx, mode: 0x%08lx", ((unsigned long)(REC->dfd)), ((unsigned long)(REC->filename)), ((unsigned long)(REC->flags)), ((unsigned long)(REC->mode))
`;

const SWITCH = `name: sched_switch
ID: 372
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;
\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;
\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;

print fmt: "prev_comm=%s prev_pid=%d", REC->prev_comm, REC->prev_pid
`;

const EXEC = `name: sched_process_exec
ID: 365
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;
\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;

print fmt: "filename=%s pid=%d", __get_str(filename), REC->pid
`;

test('syscall format: name, id, common and event fields', () => {
  const f = parseEventFormat(OPENAT);
  assert.equal(f.name, 'sys_enter_openat');
  assert.equal(f.id, 782);
  assert.equal(f.fields.length, 9);
  assert.deepEqual(f.fields[0], { name: 'common_type', type: 'unsigned short', offset: 0, size: 2, signed: false, common: true });
  assert.deepEqual(f.fields[3], { name: 'common_pid', type: 'int', offset: 4, size: 4, signed: true, common: true });
  assert.deepEqual(f.fields[6], { name: 'filename', type: 'const char *', offset: 24, size: 8, signed: false, common: false });
  assert.deepEqual(f.fields.filter((x) => !x.common).map((x) => [x.name, x.offset]), [['__syscall_nr', 8], ['dfd', 16], ['filename', 24], ['flags', 32], ['mode', 40]]);
  assert.match(f.printFmt, /^"dfd: 0x%08lx/);
});

test('fixed arrays and __data_loc fields', () => {
  const s = parseEventFormat(SWITCH);
  assert.deepEqual(s.fields[4], { name: 'prev_comm', type: 'char', offset: 8, size: 16, signed: false, arrayLength: 16, common: false });
  assert.equal(s.fields[6]!.type, 'long');
  assert.equal(s.fields[6]!.signed, true);
  const e = parseEventFormat(EXEC);
  assert.deepEqual(e.fields[4], { name: 'filename', type: '__data_loc char[]', offset: 8, size: 4, signed: false, dataLoc: true, common: false });
});

test('available_events parsing, group filter, syscall names', () => {
  const text = 'initcall:initcall_finish\nsyscalls:sys_exit_read\nsyscalls:sys_enter_read\nsyscalls:sys_enter_openat\nsched:sched_switch\n\n';
  assert.equal(parseAvailableEvents(text).length, 5);
  assert.deepEqual(parseAvailableEvents(text, 'sched'), [{ group: 'sched', event: 'sched_switch' }]);
  assert.deepEqual(syscallNamesFrom(parseAvailableEvents(text)), ['openat', 'read']);
});
