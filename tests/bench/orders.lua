-- wrk script: floods POST /hook/generic with generic-format order messages (SPEC §2) from the
-- residents tests/bench/run registered: r-<building>-<i> in chat bldg-<building>.
-- Environment: BENCH_BUILDINGS, BENCH_PER_BUILDING (the prepared set), BENCH_RUN (a tag that
-- keeps message ids unique across runs on one database; a retried id would not be an order).

local buildings = tonumber(os.getenv("BENCH_BUILDINGS") or "10")
local per_building = tonumber(os.getenv("BENCH_PER_BUILDING") or "50")
local run = os.getenv("BENCH_RUN") or tostring(os.time())

-- What a resident types; one entry now, a realistic mix later.
local texts = { "下单 鸡蛋 1" }

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_id", #threads)
end

function init(args)
   math.randomseed(thread_id * 7919 + os.time())
   prefix = "bench-" .. run .. "-" .. thread_id .. "-"
   counter = 0
   headers = { ["Content-Type"] = "application/json" }
end

function request()
   counter = counter + 1
   local building = math.random(buildings)
   local i = math.random(per_building) - 1
   local text = texts[math.random(#texts)]
   local body = string.format(
      '{"message_id":"%s%d","chat_id":"bldg-%d","sender":{"id":"r-%d-%d"},"text":"%s"}',
      prefix, counter, building, building, i, text)
   return wrk.format("POST", "/hook/generic", headers, body)
end
