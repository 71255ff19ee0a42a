#!/usr/bin/env bash
# Runs inside the test:vm guest (see run.sh): first the runtime tests that
# need what the CI host forbids (test/runtime/vm/, and the runtime cases with
# a `needs:` line), then the rest of the runtime suite, as a check that the
# project works on this kernel too. Per-test results go to the console and,
# as a list of passed/failed/skipped tests, to dist/vm/results.txt.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OUT=dist/vm
mkdir -p "$OUT"; rm -f "$OUT"/*.tap "$OUT/results.txt"
# Two vCPUs are two host threads under TCG: two dtrace runs at once halve the wall time.
JOBS=${DTRACE_VM_JOBS:-$(nproc)}
echo "== guest kernel $(uname -r), $(nproc) vCPUs, node $(node -v), $JOBS runtime cases at a time"

# One `node --test` per file, in turn, so results stream file by file (the
# runner prints a file's tests only once the file is done); the many runtime
# cases in cases.test.js run DTRACE_CASE_JOBS at a time instead.
phase() { # name, env..., -- files...
	local name=$1; shift
	local envs=() rc=0 f
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	echo "== phase $name: $*"
	local t0=$SECONDS
	: >"$OUT/$name.tap"
	for f in "$@"; do
		local t1=$SECONDS
		env "${envs[@]}" node --test --test-reporter=spec --test-reporter-destination=stdout \
			--test-reporter=tap --test-reporter-destination="$OUT/$name.part.tap" "$f" || rc=1
		cat "$OUT/$name.part.tap" >>"$OUT/$name.tap"; rm -f "$OUT/$name.part.tap"
		echo "== $f: $((SECONDS - t1))s"
	done
	echo "== phase $name: status $rc in $((SECONDS - t0))s"
	return $rc
}

# Test files the guest does not run, each with the reason (printed, and listed
# in results.txt): they still run on the host in npm test.
declare -A NOT_IN_GUEST=(
	[dist/test/runtime/dtrace/agg-buckets.test.js]="its programs (40 aggregation updates per clause) spend minutes each in the 6.1 verifier's dead-code removal (verifier_remove_insns, rep movsb) under TCG emulation"
)
for f in "${!NOT_IN_GUEST[@]}"; do echo "== not run in the guest: $f: ${NOT_IN_GUEST[$f]}"; done
export DTRACE_CASE_JOBS=$JOBS

# Phase 1: what only the guest can run.
# (cases.test.js only if some case has a needs: line: a node start costs seconds here)
needcases=()
grep -qs '^/\* *needs:' test/runtime/cases/*.d && needcases=(dist/test/runtime/dtrace/cases.test.js)
phase needs-guest DTRACE_CASES=needs -- dist/test/runtime/vm/*.test.js "${needcases[@]}"
rc1=$?
# Phase 2: the rest of the runtime suite.
rest=$(find dist/test/runtime -name '*.test.js' ! -path 'dist/test/runtime/vm/*' | sort | while read -r f; do [ -n "${NOT_IN_GUEST[$f]:-}" ] || echo "$f"; done)
# shellcheck disable=SC2086
phase runtime DTRACE_CASES=plain -- $rest
rc2=$?

# Per-test list from the TAP files: one line per test (suites, whose YAML
# block says type: 'suite', are left out), with the skip reason if any.
for f in "$OUT/needs-guest.tap" "$OUT/runtime.tap"; do
	[ -f "$f" ] || continue
	awk -v phase="$(basename "$f" .tap)" '
		function flush() { if (held != "" && !suite) print held; held = ""; suite = 0 }
		/^ *(not ok|ok) [0-9]+ - / {
			flush()
			line = $0; sub(/^ */, "", line)
			st = (line ~ /^not ok/) ? "FAILED " : "passed "
			sub(/^(not ok|ok) [0-9]+ - /, "", line)
			if (match(line, / # SKIP/)) {
				why = substr(line, RSTART + 7); sub(/^ */, "", why)
				line = substr(line, 1, RSTART - 1); st = "skipped"
				if (why != "") line = line " (" why ")"
			}
			held = st "  " phase ": " line; next
		}
		/type: .suite./ { suite = 1 }
		END { flush() }' "$f"
done >"$OUT/results.txt"
for f in "${!NOT_IN_GUEST[@]}"; do echo "skipped  runtime: $f (not run in the guest: ${NOT_IN_GUEST[$f]})"; done >>"$OUT/results.txt"
echo "== per-test results in $OUT/results.txt: $(grep -c '^passed' "$OUT/results.txt") passed, $(grep -c '^FAILED' "$OUT/results.txt") failed, $(grep -c '^skipped' "$OUT/results.txt") skipped"
grep -E '^(FAILED|skipped)' "$OUT/results.txt"
[ "$rc1" = 0 ] && [ "$rc2" = 0 ]
