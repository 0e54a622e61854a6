-- api_matches.lua - wrk script for `make bench-api`: GET a learner's
-- matches, rotating through the learners named in LEARNERS (a file, one id a
-- line), with the board token in TOKEN.
local ids = {}
for line in io.lines(os.getenv("LEARNERS")) do
	ids[#ids + 1] = line
end
local token = os.getenv("TOKEN")
local n = 0

request = function()
	n = n + 1
	local id = ids[(n % #ids) + 1]
	return wrk.format("GET", "/v1/learners/" .. id .. "/matches", {
		["Authorization"] = "Bearer " .. token,
	})
end

done = function(summary, latency, requests)
	local errors = summary.errors.connect + summary.errors.read +
		summary.errors.write + summary.errors.timeout + summary.errors.status
	io.write(string.format(
		"bench-api: requests=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
		summary.requests, summary.requests / (summary.duration / 1e6),
		latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
