-- wrk script of bench/gateway.ts (see bench/README.md, "gateway").
--
--   wrk ... -s load.lua URL -- <mode> <rate> <threads> [<proofs file> <first> <count>]
--
-- mode "static": the request is the one wrk builds from -H; mode "proofs": the same request
-- plus a DPoP header, a different proof for every request, read from <proofs file> (one per
-- line), lines <first> .. <first>+<count>-1, dealt out round-robin to the threads. The file is
-- read in init(), which wrk runs before its clock starts.
--
-- rate 0 is a closed loop (each connection sends as soon as its previous answer arrived).
-- rate R > 0 is an open loop: delay() hands every connection that is ready to send the next
-- slot of a fixed schedule of R requests per second (per thread R / threads), so requests
-- leave at the scheduled rate whatever the latency, as long as a connection is free. wrk
-- times each request from the moment it is written, so latencies are service times.
--
-- done() prints one line "wrk-result {json}" that bench/gateway/wrk.ts reads.

local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local mode = args[1]
  local rate = tonumber(args[2]) or 0
  local threads = tonumber(args[3]) or 1
  local me = id or 0

  if mode == "proofs" then
    local file, first, count = args[4], tonumber(args[5]), tonumber(args[6])
    local proofs, n, line_no = {}, 0, 0
    for line in io.lines(file) do
      if line_no >= first + count then break end
      if line_no >= first and (line_no - first) % threads == me then
        n = n + 1
        proofs[n] = line
      end
      line_no = line_no + 1
    end
    if n == 0 then error("no DPoP proofs for thread " .. me .. " in " .. file) end
    -- wrk.format() ends with an empty line; the DPoP header goes before it.
    local base = wrk.format()
    local head = string.sub(base, 1, #base - 2) .. "DPoP: "
    local i = 0
    request = function()
      i = i + 1
      -- Past the last proof they repeat: the gateway refuses replays, and the non-2xx count
      -- shows it (the benchmark then says it ran short of proofs).
      if i > n then i = 1 end
      return head .. proofs[i] .. "\r\n\r\n"
    end
  end

  if rate > 0 then
    local ffi = require("ffi")
    ffi.cdef([[
      typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
      int clock_gettime(int clock_id, bench_timespec *tp);
    ]])
    local ts = ffi.new("bench_timespec")
    local function now_us()
      ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
    end
    local interval = 1e6 * threads / rate
    local slot = nil
    delay = function()
      local now = now_us()
      if slot == nil then slot = now end
      slot = slot + interval
      local wait = (slot - now) / 1000
      if wait <= 0 then return 0 end
      return math.floor(wait + 0.5)
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'wrk-result {"requests":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,'
      .. '"writeErrors":%d,"statusErrors":%d,"timeouts":%d,"meanUs":%.1f,"p50Us":%d,'
      .. '"p90Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
