#!/bin/sh
# demo.sh - what `make run` shows a newcomer: a learner's best matches, the
# explanation of the best one, and what to try next.
# Usage: tools/demo.sh PATHWAY_BINARY DATABASE LEARNER
set -eu
bin=$1
db=$2
learner=$3
pw() { "$bin" --db "$db" "$@"; }

echo "== $learner's best jobs within commuting range (pathway match $learner) =="
echo
pw match "$learner"
best=$(pw --json match "$learner" --top 1 |
	sed -n 's/^ *"job": "\([^"]*\)",*$/\1/p' | head -n 1)
if [ -n "$best" ]; then
	echo
	echo "== Every point of the best score, traced to a credential (pathway explain $learner $best) =="
	echo
	pw explain "$learner" "$best"
fi
goal=$(pw --json match "$learner" | awk '
	/"job":/ { gsub(/[",]/, "", $2); job = $2 }
	/"qualified": false/ { print job; exit }')
if [ -n "$goal" ]; then
	echo
	echo "== The cheapest way to the best job $learner is not yet qualified for (pathway plan $learner $goal) =="
	echo
	pw plan "$learner" "$goal"
fi
echo
echo "== Try next =="
try() { printf '  %s\n      %s\n' "$2" "$1"; }
try "$bin --db $db match $learner --anywhere" "jobs beyond commuting range"
try "$bin --db $db match $learner --occupations" "standard occupations as targets"
try "$bin --db $db next $learner" "the credential that unlocks the most openings"
try "$bin --db $db plan $learner ${goal:-JOB} --by cost" "the cheapest plan in dollars instead of hours"
try "$bin --db $db plan $learner ${goal:-JOB} --format dot | dot -Tsvg > plan.svg" "the plan as a picture"
try "$bin --db $db plan $learner ${goal:-JOB} --format ctdl" "the plan as a CTDL Pathway a registry can read"
try "echo 'CNA with phlebotomy and CPR, able to take vital signs' | $bin --db $db extract" "the catalog's skills found in a posting's text"
try "$bin --db $db export credentials --format ob3" "the catalog as Open Badges 3.0 achievements"
try "$bin --db $db candidates ${best:-JOB}" "discoverable learners for that job"
try "$bin --db $db list learners" "the other learners"
try "$bin --db $db demand --county 21193,21071,21195,21133,21119,21095,21131,21025,21013,21153" "for a workforce board: Eastern Kentucky's jobs in demand, skill gaps, and the credentials that would qualify the most learners"
try "$bin --db $db outcomes --state KY --by gender" "whether pathways work for each group (groups under 10 learners suppressed)"
try "$bin --db $db --json match $learner" "the JSON document the API serves"
try "$bin help" "every command"

# Then the HTTP API over the same data, until Ctrl-C.
if [ "${PATHWAY_DEMO_SERVE:-1}" = 1 ]; then
	token=$(pw token create --role learner --learner "$learner" 2>/dev/null)
	board=$(pw token create --role board 2>/dev/null)
	port=${PATHWAY_PORT:-8080}
	cat <<MSG

== The HTTP API (pathway serve), on http://127.0.0.1:$port/v1 until Ctrl-C ==
  $learner's token:  $token
  a board's token:   $board

  curl -s http://127.0.0.1:$port/v1/health
  curl -s http://127.0.0.1:$port/v1/jobs?county=21193
  curl -s -H "Authorization: Bearer $token" http://127.0.0.1:$port/v1/learners/$learner/matches
  curl -s -H "Authorization: Bearer $token" http://127.0.0.1:$port/v1/learners/$learner/plan/${goal:-JOB}
  curl -s -H "Authorization: Bearer $board" http://127.0.0.1:$port/v1/jobs/${best:-JOB}/candidates
  curl -s http://127.0.0.1:$port/v1/learners/$learner/matches        (no token: 401)

MSG
	exec "$bin" --db "$db" serve --listen "127.0.0.1:$port"
fi
