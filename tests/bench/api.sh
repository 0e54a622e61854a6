#!/bin/sh
# api.sh - `make bench-api`: wrk against `pathway serve` on 127.0.0.1 only,
# bounded in time, on GET /v1/learners/{id}/matches rotating learner ids.
# Usage: tests/bench/api.sh PATHWAY_BINARY [SECONDS] [CONNECTIONS] [THREADS]
set -eu
bin=$1
seconds=${2:-10}
conns=${3:-64}
threads=${4:-2}
command -v wrk >/dev/null || { echo "bench-api: wrk is missing (apt-get install wrk)" >&2; exit 1; }
dir=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
db=$dir/bench.db
"$bin" --db "$db" load datasets/rural-sample/*.json >/dev/null
"$bin" --db "$db" --json list learners | sed -n 's/^ *"id": "\(.*\)",$/\1/p' >"$dir/learners"
token=$("$bin" --db "$db" token create --role board 2>/dev/null)
"$bin" --db "$db" serve --listen 127.0.0.1:0 --threads "$threads" --quiet >"$dir/url" &
pid=$!
i=0
while [ ! -s "$dir/url" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
url=$(sed -n 's/^listening on \(http:[^ ]*\)\/v1$/\1/p' "$dir/url")
[ -n "$url" ] || { echo "bench-api: the server did not start" >&2; exit 1; }
echo "bench-api: $(wc -l <"$dir/learners") learners, $conns connections, $threads server threads, ${seconds}s on $url"
LEARNERS=$dir/learners TOKEN=$token wrk -t2 -c"$conns" -d"${seconds}s" --latency \
	-s tests/bench/api_matches.lua "$url" | tail -n 1
