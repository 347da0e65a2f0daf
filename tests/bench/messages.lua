-- wrk script: what a compound types at once, as generic-format messages (SPEC §2) from the
-- residents tests/bench/run registered: r-<building>-<i> in chat bldg-<building>, room
-- <building>-<room_of(i)>. BENCH_MIX=orders sends only orders; otherwise the mix (per 100
-- messages):
--   40 orders "下单 鸡蛋 1", 20 menus "菜单", 15 antigen reports "抗原 阴性",
--   15 claims "揭榜 1" (the task tests/bench/run posts; a repeat is told it already holds a
--   slot), 10 registrations "登记 <b>-<room>" (a resident confirming their address).
-- Environment: BENCH_BUILDINGS, BENCH_PER_BUILDING (the prepared set), BENCH_RUN (a tag that
-- keeps message ids unique across runs on one database; a retried id would not be new).

local buildings = tonumber(os.getenv("BENCH_BUILDINGS") or "10")
local per_building = tonumber(os.getenv("BENCH_PER_BUILDING") or "50")
local run = os.getenv("BENCH_RUN") or tostring(os.time())

-- Must match room_of in tests/bench/run.
local function room_of(i)
   return (math.floor(i / 4) + 1) * 100 + i % 4 + 1
end

local function order(b, i) return "下单 鸡蛋 1" end

local mix = {
   { 40, order },
   { 20, function(b, i) return "菜单" end },
   { 15, function(b, i) return "抗原 阴性" end },
   { 15, function(b, i) return "揭榜 1" end },
   { 10, function(b, i) return string.format("登记 %d-%d", b, room_of(i)) end },
}

if os.getenv("BENCH_MIX") == "orders" then
   mix = { { 100, order } }
end

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

local function pick(b, i)
   local roll = math.random(100)
   for _, entry in ipairs(mix) do
      if roll <= entry[1] then
         return entry[2](b, i)
      end
      roll = roll - entry[1]
   end
end

function request()
   counter = counter + 1
   local building = math.random(buildings)
   local i = math.random(per_building) - 1
   local body = string.format(
      '{"message_id":"%s%d","chat_id":"bldg-%d","sender":{"id":"r-%d-%d"},"text":"%s"}',
      prefix, counter, building, building, i, pick(building, i))
   return wrk.format("POST", "/hook/generic", headers, body)
end
