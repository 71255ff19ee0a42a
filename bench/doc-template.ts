// The skeleton of docs/performance.md, used only when the file is missing
// or has lost its generated-block markers: how to run the bench, what it
// measures, the generated results, and a section for the analysis of
// missed goals that people write and the bench never touches.

export function docTemplate(block: string): string {
  return `# Performance

Whole-command benchmarks of this \`dtrace\` against bpftrace (Debian's
package) and a floor, on the machine the bench runs on.

    sudo npm run bench                       # ~3-5 min on a 2-CPU VM
    BENCH_RUNS=5 BENCH_ATTACH_RUNS=2 npm run bench
    BENCH_ONLY=startup,compile BENCH_WRITE=0 npm run bench

Settings (environment): \`BENCH_RUNS\` rounds for startup, per-event and
compile (3); \`BENCH_ATTACH_RUNS\` rounds for attach-all (1: each run takes
tens of seconds); \`BENCH_CALLS\` getpid() calls per loop (1000000);
\`BENCH_LOOPS\` loop runs per per-event sample (3);
\`BENCH_CLAUSES\` clauses in the large script (500); \`BENCH_BPFTRACE=0\` skip
bpftrace; \`BENCH_INSTALL=0\` never \`apt-get install bpftrace\`; \`BENCH_ONLY\`
comma list of \`startup,perevent,profile,attachall,compile\`; \`BENCH_WRITE=0\` print
only. The bench needs root; it writes \`bench/results.json\` and the block
between the markers below.

## What is measured

See the header comment of each \`bench/suite-*.ts\` for the method.

## Results

${block}

## Why goals are missed and what would close them

_To be written: for each goal marked missed above, the cause and the
change that would close it._
`;
}
