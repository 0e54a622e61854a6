#!/bin/sh
# cli_timing.sh - whole-command timings (process start, open, model build,
# answer) of the CLI on the bundled dataset: the median of N runs each.
# Usage: tests/bench/cli_timing.sh PATHWAY_BINARY [RUNS]
set -eu
bin=$1
runs=${2:-30}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=$dir/bench.db
"$bin" --db "$db" init >/dev/null
"$bin" --db "$db" load datasets/rural-sample/*.json >/dev/null

# perf stat times the process alone; without perf, date(1) around each run
# adds a process of its own, so those figures read high.
if command -v perf >/dev/null && perf stat -r 1 true >/dev/null 2>&1; then
	timer=perf
else
	timer=date
fi

median_ms() {
	if [ "$timer" = perf ]; then
		perf stat -r "$runs" "$bin" --db "$db" --as-of 2026-11-23 "$@" 2>&1 >/dev/null |
			awk '/seconds time elapsed/ { printf "%.2f", $1 * 1000 }'
		return
	fi
	i=0
	: >"$dir/times"
	while [ "$i" -lt "$runs" ]; do
		t0=$(date +%s%N)
		"$bin" --db "$db" --as-of 2026-11-23 "$@" >/dev/null
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000)) >>"$dir/times"
		i=$((i + 1))
	done
	sort -n "$dir/times" | awk '{v[NR]=$1} END {m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%.2f", m / 1000}'
}

if [ "$timer" = perf ]; then
	echo "whole command, mean of $runs runs by perf stat (ms):"
else
	echo "whole command, median of $runs runs timed with date (ms, reads high):"
fi
for cmd in "match l-001-dana" "explain l-001-dana ky-krvh-pct-01" \
	"candidates ky-krvh-pct-01" "plan l-001-dana ky-krvh-pct-01" "--version" \
	"plan l-004-tasha ky-qcca-lead-01 --by cost" "next l-001-dana"; do
	# shellcheck disable=SC2086
	printf '  %-50s %s\n' "pathway $cmd" "$(median_ms $cmd)"
done
