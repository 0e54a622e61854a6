-- api_matches.lua - wrk script for `make bench-api`: GET a learner's
-- matches, rotating through the learners named in LEARNERS (a file, one id a
-- line), with the board token in TOKEN. Each thread starts at its own place
-- in the list. The last line is read by api.sh: keep its fields.
local ids = {}
for line in io.lines(os.getenv("LEARNERS")) do
	ids[#ids + 1] = line
end
local token = os.getenv("TOKEN")
local threads = 0
n = 0 -- global: setup() gives each thread its own start

setup = function(thread)
	threads = threads + 1
	thread:set("n", threads * 7919)
end

request = function()
	n = n + 1
	local id = ids[(n % #ids) + 1]
	return wrk.format("GET", "/v1/learners/" .. id .. "/matches", {
		["Authorization"] = "Bearer " .. token,
	})
end

-- errors.status counts answers with a status of 400 or more (wrk's rule);
-- the others are socket errors.
done = function(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		"bench-api: wrk requests=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f " ..
		"max_ms=%.3f connect=%d read=%d write=%d timeout=%d status=%d " ..
		"errors=%d\n",
		summary.requests, summary.requests / (summary.duration / 1e6),
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		latency.max / 1000, e.connect, e.read, e.write, e.timeout, e.status,
		e.connect + e.read + e.write + e.timeout + e.status))
end
