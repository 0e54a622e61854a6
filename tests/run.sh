#!/bin/sh
# run.sh - runs every test binary given, shows their output, and ends with
# one closing line: "tests: N passed, N failed" (cmocka's own counts summed).
set -u
passed=0
failed=0
broken=""
# PATHWAY_RUNNER (say, valgrind and its options) runs each binary under it.
for t in "$@"; do
	# shellcheck disable=SC2086
	out=$(${PATHWAY_RUNNER:-} "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
		# crashed or exited early without cmocka's summary
		failed=$((failed + 1))
		broken="$broken $t"
	fi
done
[ -n "$broken" ] && echo "tests that did not finish:$broken"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
