#!/bin/sh
# run.sh - runs every test binary given, PATHWAY_TEST_JOBS at a time (the
# number of processors by default), shows each one's output in the order
# given, and ends with one closing line: "tests: N passed, N failed"
# (cmocka's own counts summed) and the slowest binaries.
set -u
jobs=${PATHWAY_TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
dir=$(mktemp -d "${TMPDIR:-/tmp}/pathway-run.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

# The longest binaries start first, so that the others fill the time
# beside them; each writes its output, status and seconds into $dir.
i=0
for t in "$@"; do
	i=$((i + 1))
	case ${t##*/} in
	test_cli_crash | test_cli_diskfull | test_cli_corrupt | test_alloc_fail)
		echo "0 $i $t" ;;
	*) echo "1 $i $t" ;;
	esac
done | sort -k1,1n -k2,2n | cut -d' ' -f2- >"$dir/order"

# PATHWAY_RUNNER (say, valgrind and its options) runs each binary under it.
# shellcheck disable=SC2016
xargs -P "$jobs" -L 1 sh -c '
	start=$(date +%s)
	${PATHWAY_RUNNER:-} "$2" >"$0/$1.out" 2>&1
	echo $? >"$0/$1.rc"
	echo $(( $(date +%s) - start )) "$2" >"$0/$1.time"
' "$dir" <"$dir/order"

passed=0
failed=0
broken=""
i=0
for t in "$@"; do
	i=$((i + 1))
	out=$(cat "$dir/$i.out" 2>/dev/null)
	rc=$(cat "$dir/$i.rc" 2>/dev/null || echo 1)
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
echo "slowest (s):" $(cat "$dir"/*.time | sort -rn | head -n 5 | sed 's|[^ ]*/||' | tr '\n' ' ')
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
