-- wrk script for bench/run.py: prints the run's summary as one JSON line (percentiles wrk's
-- --latency text does not give, such as p95) and, given paths after "--", rotates through them
-- so a soak hits a mix of pages and API endpoints. With BENCH_PATHS_FILE (one path a line) each
-- request picks a path at random instead: the long tail of a large catalogue, not one hot URL.
-- With BENCH_COUNT_CACHE set it also counts answers by their X-Kinoteka-Cache header.
local paths = {}
local counter = 0
local random_paths = false
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for _, path in ipairs(args) do
    paths[#paths + 1] = path
  end
  local file = os.getenv("BENCH_PATHS_FILE")
  if file and file ~= "" then
    for line in io.lines(file) do
      if line ~= "" then
        paths[#paths + 1] = line
      end
    end
    random_paths = true
  end
  -- Threads start at different offsets (and random seeds) so the mix is spread from the start.
  math.randomseed(os.time() + math.floor(os.clock() * 1000000) + #threads)
  counter = math.random(0, 1000)
  hits, misses = 0, 0
end

function request()
  if #paths == 0 then
    return wrk.request()
  end
  if random_paths then
    return wrk.format("GET", paths[math.random(#paths)])
  end
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

if os.getenv("BENCH_COUNT_CACHE") then
  function response(status, headers, body)
    if headers["X-Kinoteka-Cache"] == "hit" then
      hits = hits + 1
    else
      misses = misses + 1
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local total_hits, total_misses = 0, 0
  for _, thread in ipairs(threads) do
    total_hits = total_hits + (thread:get("hits") or 0)
    total_misses = total_misses + (thread:get("misses") or 0)
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"cache": {"hit": %d, "other": %d}, ' ..
    '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, total_hits, total_misses,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
