-- The soak's feed mix for wrk: wrk -s mix.lua <url> -- <file of paths, one per line> <If-Modified-Since value>
-- Each request is a random path, asking for gzip, Brotli or no coding, and conditional half of the time.
-- wrk counts every status of 400 or more as an error ("status" below), so the suite can require zero.
local paths = {}
local since

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  since = args[2]
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000))
end

function request()
  local headers = {}
  local coding = math.random(3)
  if coding == 1 then headers["Accept-Encoding"] = "gzip" elseif coding == 2 then headers["Accept-Encoding"] = "br, gzip" end
  if math.random(2) == 1 then headers["If-Modified-Since"] = since end
  return wrk.format("GET", paths[math.random(#paths)], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
