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

median_ms() {
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

echo "whole command, median of $runs runs (ms):"
for cmd in "match l-001-dana" "explain l-001-dana ky-krvh-pct-01" \
	"candidates ky-krvh-pct-01" "plan l-001-dana ky-krvh-pct-01" \
	"plan l-004-tasha ky-qcca-lead-01 --by cost" "next l-001-dana"; do
	# shellcheck disable=SC2086
	printf '  %-44s %s\n' "pathway $cmd" "$(median_ms $cmd)"
done
