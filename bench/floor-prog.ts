// The empty-program floor: attaches a two-instruction BPF program
// (r0 = 0; exit) to each tracepoint given through the project's kernel
// layer, prints the bench's ready marker, and detaches on SIGINT/SIGTERM.
// What a traced getpid() costs under it is the kernel's own price for
// running any BPF program on those tracepoints: no tracer can go below it.
//
//   node dist/bench/floor-prog.js [group:event ...]   (default syscalls:sys_enter_getpid)

import { BpfProgram, ProgType, attachTracepoint } from '../src/kernel/index.js';
import { READY_MARKER } from './proc.js';

/** mov64 r0, 0 ; exit */
const EMPTY_PROGRAM = Buffer.from([0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]);

function main(): void {
  const tracepoints = process.argv.length > 2 ? process.argv.slice(2) : ['syscalls:sys_enter_getpid'];
  const prog = BpfProgram.load({ name: 'bench_floor', type: ProgType.TRACEPOINT, insns: EMPTY_PROGRAM, license: 'GPL' });
  const links = tracepoints.map((tp) => {
    const [group, event] = tp.split(':');
    if (group === undefined || event === undefined || event === '') throw new Error(`expected group:event, got '${tp}'`);
    return attachTracepoint(prog, group, event);
  });
  const stop = (): void => {
    for (const link of links) link.close();
    prog.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`${READY_MARKER}\n`);
  setInterval(() => undefined, 1 << 30); // stay alive until a signal
}

try {
  main();
} catch (e) {
  process.stderr.write(`floor-prog: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
