#!/bin/sh
# api.sh - `make bench-api`: the API under load and abuse, on 127.0.0.1 and
# 127.0.0.2 only, bounded in time (about SECONDS + 45 s) and count.
#
# On a copy of STORE (the state-scale store `make bench` made; never
# written) it starts `pathway serve` and judges, printing PASS or FAIL each:
#   wrk          SECONDS of wrk at CONNECTIONS connections on GET
#                /v1/learners/{id}/matches over 10,000 learners: 0 errors
#                (socket errors, and answers of status 400 or more)
#   memory       the server's VmRSS (/proc/PID/status) sampled each second
#                during wrk; after a 10 s warm-up, max/min <= 1.05
#   the rest     bench_abuse: slowloris from 127.0.0.2, the per-IP limit,
#                oversized bodies and headers, ReDoS-shaped extraction
# and exits 1 if any failed.
# Usage: tests/bench/api.sh PATHWAY STORE ABUSE [SECONDS [CONNECTIONS
#        [THREADS [ATTACK_SECONDS]]]]
set -eu
bin=$1
store=$2
abuse=$3
seconds=${4:-60}
conns=${5:-64}
threads=${6:-2}
attack=${7:-20}
warmup=10
command -v wrk >/dev/null || { echo "bench-api: wrk is missing (apt-get install wrk)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "bench-api: sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
[ -f "$store" ] || { echo "bench-api: no store at '$store' (make bench makes it)" >&2; exit 1; }
dir=$(mktemp -d)
pid=
sampler=
cleanup() {
	[ -n "$sampler" ] && kill "$sampler" 2>/dev/null && wait "$sampler" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# The copy: the store with its snapshot (and WAL, if any), same base name.
db=$dir/$(basename "$store")
for f in "$store" "$store"-wal "$store"-snap; do
	[ -f "$f" ] && cp "$f" "$dir/"
done
# 10,000 learners spread evenly over the store, by rowid: deterministic.
sqlite3 "$db" "SELECT id FROM learner WHERE rowid % max(1,
	(SELECT max(rowid) FROM learner) / 10000) = 0 ORDER BY rowid
	LIMIT 10000" >"$dir/learners"
# skill names, for near-miss texts
sqlite3 "$db" "SELECT name FROM skill ORDER BY id LIMIT 500" >"$dir/names"
[ -s "$dir/learners" ] || { echo "bench-api: no learners in '$store'" >&2; exit 1; }
token=$("$bin" --db "$db" token create --role board 2>/dev/null)

"$bin" --db "$db" serve --listen 127.0.0.1:0 --threads "$threads" --quiet \
	>"$dir/url" 2>"$dir/serve.err" &
pid=$!
i=0
while [ ! -s "$dir/url" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
url=$(sed -n 's/^listening on \(http:[^ ]*\)\/v1$/\1/p' "$dir/url")
[ -n "$url" ] || { echo "bench-api: the server did not start" >&2; cat "$dir/serve.err" >&2; exit 1; }
port=${url##*:}
echo "bench-api: $(wc -l <"$dir/learners") learners of $store (a copy), $conns connections," \
	"$threads server threads, ${seconds}s on $url; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- wrk, with the server's resident memory sampled each second ----
(
	while :; do
		awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 }
			END { if (r) print r, a }' "/proc/$pid/status" 2>/dev/null || exit 0
		sleep 1
	done
) >"$dir/rss" &
sampler=$!
LEARNERS=$dir/learners TOKEN=$token wrk -t2 -c"$conns" -d"${seconds}s" \
	--timeout 5s -s tests/bench/api_matches.lua "$url" >"$dir/wrk" 2>&1 || true
kill "$sampler" 2>/dev/null && wait "$sampler" 2>/dev/null || true
sampler=
line=$(grep '^bench-api: wrk ' "$dir/wrk" || true)
[ -n "$line" ] || { echo "bench-api: wrk failed:" >&2; cat "$dir/wrk" >&2; }
echo "${line:-bench-api: wrk gave no summary}"
field() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
requests=$(field requests)
errors=$(field errors)
if [ -n "$line" ] && [ "${requests:-0}" -gt 0 ] && [ "${errors:-1}" -eq 0 ]; then
	v=PASS
else
	v=FAIL
fi
printf 'bench-api: %-4s %-22s %s requests in %ss at %s connections, %s errors (socket errors, statuses >= 400)\n' \
	"$v" "wrk errors" "${requests:-0}" "$seconds" "$conns" "${errors:-?}" | tee "$dir/verdicts"

# Memory: VmRSS after the warm-up, flat when max/min <= 1.05.
out=$(awk -v w="$warmup" '
	NR > w { n++; if (!min || $1 < min) min = $1; if ($1 > max) max = $1
		if (!amin || $2 < amin) amin = $2; if ($2 > amax) amax = $2 }
	NR == 1 { first = $1 }
	END {
		if (n < 2) { print "FAIL too few samples (" NR ")"; exit }
		r = max / min
		printf "%s VmRSS max/min %.4f over %d samples after a %d s warm-up " \
			"(<= 1.05): min %.1f MiB, max %.1f MiB (%.1f MiB at start; " \
			"RssAnon %.1f-%.1f MiB)\n", r <= 1.05 ? "PASS" : "FAIL", r, n, w,
			min / 1024, max / 1024, first / 1024, amin / 1024, amax / 1024
	}' "$dir/rss")
v=${out%% *}
printf 'bench-api: %-4s %-22s %s\n' "$v" "memory flat" "${out#* }" | tee -a "$dir/verdicts"
kill -0 "$pid" 2>/dev/null || { echo "bench-api: the server died" >&2; exit 1; }

# ---- slowloris, per-IP limit, oversized requests, ReDoS shapes ----
echo "bench-api: abuse on port $port; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rc=0
"$abuse" "$port" "$token" "$(sed -n 1p "$dir/learners")" "$dir/names" "$attack" \
	>"$dir/abuse" || rc=$?
cat "$dir/abuse"
[ "$rc" -eq 0 ] || grep -q '^bench-api: FAIL' "$dir/abuse" ||
	echo "bench-api: FAIL bench_abuse             exited with status $rc" | tee -a "$dir/abuse"
kill -0 "$pid" 2>/dev/null || echo "bench-api: FAIL server alive            the server died" | tee -a "$dir/abuse"
echo "bench-api: server stderr: $(grep -vc 'connection limit\|closed by remote side' "$dir/serve.err" || true)" \
	"line(s) besides refused and dropped connections"

echo "bench-api: summary"
grep -h '^bench-api: \(PASS\|FAIL\)' "$dir/verdicts" "$dir/abuse" | sed 's/^bench-api: /  /'
fails=$(grep -h -c '^bench-api: FAIL' "$dir/verdicts" "$dir/abuse" | awk '{ n += $1 } END { print n }')
if [ "$fails" -gt 0 ]; then
	echo "bench-api: FAIL ($fails of the criteria failed)"
	exit 1
fi
echo "bench-api: PASS (every criterion)"
