#!/bin/sh
# bench_data.sh - the dataset `make bench` measures on, made once and kept:
# `pathway gen` into DIR, then `pathway load` into DB, timed; the load's
# wall time, size and rate go to DB.load for bench_state to report.
# Usage: tests/bench/bench_data.sh PATHWAY SCALE SEED DIR DB [GEN_OPTION...]
# (options such as --jobs 20000 --learners 50000 go to `pathway gen`)
set -eu
bin=$1 scale=$2 seed=$3 dir=$4 db=$5
shift 5
# a half-made store or a stale peer copy must not outlive a new dataset
# (its -wal, -shm, the engine's snapshot beside it, .peer, .load)
rm -rf "$dir"
rm -f "$db" "$db"-* "$db".*
mkdir -p "$(dirname "$db")"
"$bin" gen --scale "$scale" --seed "$seed" --out "$dir" "$@"
bytes=$(cat "$dir"/*.json | wc -c)
echo "loading $dir into $db ..."
t0=$(date +%s%N)
out=$("$bin" --db "$db" load "$dir"/*.json)
t1=$(date +%s%N)
echo "$out"
# "loaded 2000 skills, 1000 credentials, ... learners into 'DB'"
records=$(echo "$out" | awk '{
	for (i = 1; i < NF; i++)
		if ($i ~ /^[0-9]+$/ && $(i + 1) ~ /^(skills|credentials|occupations|jobs|learners),?$/)
			n += $i
	} END { print n + 0 }')
awk -v ns=$((t1 - t0)) -v b="$bytes" -v r="$records" 'BEGIN {
	s = ns / 1e9
	printf "load_s=%.3f\nmb=%.1f\nrecords=%d\nmb_per_s=%.2f\nrecords_per_s=%.0f\n", s, b / 1e6, r, b / 1e6 / s, r / s
}' >"$db.load"
sed 's/^/  /' "$db.load"
