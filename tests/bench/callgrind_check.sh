#!/bin/sh
# callgrind_check.sh - `make bench-check` and `make bench-baseline`: counts the
# instructions (callgrind's Ir) of bench_replay's match and candidates query
# loops and compares them with a committed baseline, or records a new one.
# Instruction counts, unlike wall time, do not move with the load of a shared
# machine; they do move with the compiler, its flags and the C library, so a
# baseline belongs to one build (recorded in the file, warned about here).
#
# Usage: tests/bench/callgrind_check.sh [--record] [--tolerance PCT]
#            [--build TEXT] BENCH_REPLAY DB [BASELINE]
#   BASELINE      default tests/bench/callgrind-baseline.txt
#   --record      write BASELINE from this run instead of checking
#   --tolerance   percent over the baseline that fails (default 10)
#   --build       how the binaries were built, e.g. "default: -O2 -g"
# Exit: 0 within tolerance (or recorded), 1 over it, 2 could not measure.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
record=no
tolerance=10
build="unknown"
while [ $# -gt 0 ]; do
	case "$1" in
	--record) record=yes; shift ;;
	--tolerance) tolerance=${2:?--tolerance needs a percent}; shift 2 ;;
	--build) build=${2:?--build needs a description}; shift 2 ;;
	--) shift; break ;;
	-*) echo "bench-check: unknown option '$1'" >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 [--record] [--tolerance PCT] [--build TEXT] BENCH_REPLAY DB [BASELINE]" >&2
	exit 2
fi
replay=$1
db=$2
baseline=${3:-$here/callgrind-baseline.txt}
case "$tolerance" in
'' | *[!0-9.]* | *.*.*)
	echo "bench-check: --tolerance takes a percent such as 10, got '$tolerance'" >&2
	exit 2 ;;
esac

if ! command -v valgrind >/dev/null 2>&1; then
	echo "bench-check: valgrind is not installed (sh tools/deps.sh valgrind)" >&2
	exit 2
fi
if [ ! -f "$db" ]; then
	echo "bench-check: no database at '$db'" >&2
	exit 2
fi
# Built before valgrind's header was installed, the client requests are
# no-ops and callgrind would count nothing.
if ! "$replay" --requests; then
	echo "bench-check: '$replay' was built without <valgrind/callgrind.h>;" \
		"remove it and its object file and run again" >&2
	exit 2
fi
value() {
	sed -n "s/^$1=//p" "$baseline" | tail -1
}
if [ "$record" = no ]; then
	if [ ! -f "$baseline" ]; then
		echo "bench-check: no baseline at '$baseline' (make bench-baseline writes one)" >&2
		exit 2
	fi
	base_match=$(value match_ir)
	base_cand=$(value candidates_ir)
	for v in "$base_match" "$base_cand"; do
		case "$v" in
		'' | *[!0-9]* | 0)
			echo "bench-check: '$baseline' needs match_ir= and candidates_ir=" \
				"as positive whole numbers" >&2
			exit 2 ;;
		esac
	done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Make the model current outside valgrind first: an engine that keeps a
# snapshot of it next to the store writes that here at native speed, and
# the runs under valgrind only map it (building is never counted anyway).
if ! "$replay" "$db" prepare >"$tmp/prepare.log" 2>&1; then
	cat "$tmp/prepare.log" >&2
	exit 2
fi

# The Ir of one mode's query loop: collection is off until bench_replay
# toggles it on around the loop, so the file's totals are the loop alone.
measure() {
	if ! valgrind --tool=callgrind --collect-atstart=no \
		--callgrind-out-file="$tmp/$1.out" \
		"$replay" "$db" "$1" >"$tmp/$1.log" 2>&1; then
		echo "bench-check: bench_replay $1 failed under callgrind:" >&2
		tail -20 "$tmp/$1.log" >&2
		exit 2
	fi
	ir=$(sed -n 's/^totals: *\([0-9][0-9]*\).*/\1/p' "$tmp/$1.out")
	[ -n "$ir" ] || ir=$(sed -n 's/^summary: *\([0-9][0-9]*\).*/\1/p' "$tmp/$1.out")
	if [ -z "$ir" ] || [ "$ir" = 0 ]; then
		echo "bench-check: callgrind counted no instructions for $1" >&2
		exit 2
	fi
	echo "$ir"
}

match_ir=$(measure match)
cand_ir=$(measure candidates)
queries=$(sed -n 's/^bench_replay: //p' "$tmp/match.log" "$tmp/candidates.log")
compiler=$(readelf -p .comment "$replay" 2>/dev/null |
	sed -n 's/^ *\[ *[0-9a-f]*\] *//p' | grep -v '^Linker' | head -1)
[ -n "$compiler" ] || compiler=unknown

if [ "$record" = yes ]; then
	case "$compiler $build" in
	"GCC: (Debian 12."*" default: -O2 -g") ;;
	*) echo "bench-baseline: warning: recording for '$compiler', '$build';" \
		"the committed baseline is meant for the default build (-O2 -g)" \
		"with Debian's gcc 12" ;;
	esac
	tmpb="$tmp/baseline"
	{
		echo "# Instructions (callgrind Ir) of bench_replay's query loops, checked by"
		echo "# 'make bench-check' (fails above +${tolerance}%), rewritten by 'make bench-baseline'."
		echo "# Recorded $(date -u +%Y-%m-%d) on the 'pathway gen --scale small --seed 1' store:"
		echo "$queries" | sed 's/^/#   /; s/, digest [0-9a-f]*$//'
		echo "# Valid for this build only: a different compiler, flags or C library"
		echo "# counts differently. $(valgrind --version), $(getconf GNU_LIBC_VERSION 2>/dev/null || echo "libc unknown")."
		echo "compiler=$compiler"
		echo "build=$build"
		echo "match_ir=$match_ir"
		echo "candidates_ir=$cand_ir"
	} >"$tmpb"
	cp "$tmpb" "$baseline"
	echo "bench-baseline: wrote '$baseline': match_ir=$match_ir candidates_ir=$cand_ir"
	exit 0
fi

base_compiler=$(value compiler)
base_build=$(value build)
if [ -n "$base_compiler" ] && [ "$base_compiler" != "$compiler" ]; then
	echo "bench-check: warning: the baseline was recorded with '$base_compiler'," \
		"this build is '$compiler': counts are not comparable"
fi
if [ -n "$base_build" ] && [ "$base_build" != "$build" ]; then
	echo "bench-check: warning: the baseline was recorded for build '$base_build'," \
		"this is '$build': counts are not comparable"
fi

echo "$queries" | sed 's/^/bench-check: /'
# awk for the arithmetic: the counts pass 2^31, and shells differ on that.
awk -v m="$match_ir" -v bm="$base_match" -v c="$cand_ir" -v bc="$base_cand" \
	-v tol="$tolerance" -v file="$baseline" '
function pct(n, b) { return (n - b) * 100 / b }
BEGIN {
	pm = pct(m, bm); pc = pct(c, bc)
	printf "bench-check: match_ir=%.0f (baseline %.0f, %+.1f%%) candidates_ir=%.0f (baseline %.0f, %+.1f%%)\n", \
		m, bm, pm, c, bc, pc
	bad = 0
	if (pm > tol) { printf "bench-check: FAIL: match costs %.1f%% more instructions than its baseline (limit +%s%%)\n", pm, tol; bad = 1 }
	if (pc > tol) { printf "bench-check: FAIL: candidates costs %.1f%% more instructions than its baseline (limit +%s%%)\n", pc, tol; bad = 1 }
	if (bad) exit 1
	faster = ""
	if (pm < -tol) faster = "match"
	if (pc < -tol) faster = faster (faster == "" ? "" : " and ") "candidates"
	if (faster != "")
		printf "bench-check: ok, and %s got more than %s%% cheaper: run make bench-baseline to lock that in (%s)\n", faster, tol, file
	else if (pm < 0 || pc < 0)
		printf "bench-check: ok: within +%s%% of the baseline (%s cheaper)\n", tol, \
			(pm < 0 && pc < 0) ? "both" : (pm < 0 ? "match" : "candidates")
	else
		printf "bench-check: ok: within +%s%% of the baseline\n", tol
}'
