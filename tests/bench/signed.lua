-- wrk script: replays requests prepared by tests/bench/platform_events.py (QQ events signed
-- with Ed25519, WeCom callbacks encrypted with AES), one a line: target TAB headers TAB body,
-- headers as "name: value" joined by \1. Each wrk thread takes every Nth line (N = BENCH_THREADS),
-- so no message id is sent twice while the file lasts; BENCH_EVENTS names the file.

local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
end

function init(args)
   local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
   requests = {}
   local n = 0
   for line in io.lines(os.getenv("BENCH_EVENTS")) do
      if n % threads == id then
         local target, head, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
         local headers = { ["Content-Type"] = "application/json" }
         for pair in string.gmatch(head, "[^\1]+") do
            local name, value = pair:match("^([^:]+): (.*)$")
            headers[name] = value
         end
         requests[#requests + 1] = wrk.format("POST", target, headers, body)
      end
      n = n + 1
   end
   next_request = 0
end

function request()
   next_request = next_request + 1
   if next_request > #requests then
      next_request = 1 -- the file ran out: repeats are answered as retries
   end
   return requests[next_request]
end
