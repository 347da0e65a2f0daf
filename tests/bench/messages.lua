-- wrk script: what a compound types at once, as generic-format messages (SPEC §2) from the
-- residents tests/bench/run registered. Two layouts:
--  - one compound (BENCH_COMPOUNDS unset or 0): r-<building>-<i> in chat bldg-<building>;
--  - a street office (BENCH_COMPOUNDS=N): s<k>-r-<building>-<i> in chat s<k>-b<building> of
--    compound s<k>, k = 1..N, whose task is number k (tests/bench/run posts them in order).
-- Room of resident i: room_of(i). BENCH_MIX picks what is sent:
--  - mix (default), per 100 messages: 40 orders "下单 鸡蛋 1", 20 menus "菜单", 15 antigen
--    reports "抗原 阴性", 15 claims "揭榜 <task>" (a repeat is told it already holds a slot),
--    10 registrations "登记 <b>-<room>" (a resident confirming their address);
--  - orders: only "下单 鸡蛋 1";
--  - register, antigen: every resident once, in turn ("登记 <b>-<room>", "抗原 阴性"): the
--    first morning, and the morning antigen burst. A thread that has sent its share repeats its
--    last message once a second per connection (same id: the server takes it as a retry and
--    does nothing) until tests/bench/run stops wrk, once loudong has handled them all.
-- Environment: BENCH_BUILDINGS, BENCH_PER_BUILDING (per compound), BENCH_COMPOUNDS, BENCH_THREADS
-- (wrk -t, for the register/antigen shares), BENCH_RUN (a tag that keeps message ids unique
-- across runs on one database; a retried id would not be new).

local buildings = tonumber(os.getenv("BENCH_BUILDINGS") or "10")
local per_building = tonumber(os.getenv("BENCH_PER_BUILDING") or "50")
local compounds = tonumber(os.getenv("BENCH_COMPOUNDS") or "0")
local wrk_threads = tonumber(os.getenv("BENCH_THREADS") or "1")
local mode = os.getenv("BENCH_MIX") or "mix"
local run = os.getenv("BENCH_RUN") or tostring(os.time())

-- Must match room_of in tests/bench/run.
local function room_of(i)
   return (math.floor(i / 4) + 1) * 100 + i % 4 + 1
end

local function chat_of(k, b)
   if compounds == 0 then
      return string.format("bldg-%d", b)
   end
   return string.format("s%d-b%d", k, b)
end

local function user_of(k, b, i)
   if compounds == 0 then
      return string.format("r-%d-%d", b, i)
   end
   return string.format("s%d-r-%d-%d", k, b, i)
end

local function task_of(k)
   if compounds == 0 then
      return 1
   end
   return k
end

local function order(k, b, i) return "下单 鸡蛋 1" end
local function register(k, b, i) return string.format("登记 %d-%d", b, room_of(i)) end
local function antigen(k, b, i) return "抗原 阴性" end

local mix = {
   { 40, order },
   { 20, function(k, b, i) return "菜单" end },
   { 15, antigen },
   { 15, function(k, b, i) return "揭榜 " .. task_of(k) end },
   { 10, register },
}

if mode == "orders" then
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
   -- register/antigen: this thread's residents are n = thread_id - 1 + k * BENCH_THREADS.
   next_resident = thread_id - 1
   first_built = false
   last = nil
   headers = { ["Content-Type"] = "application/json" }
end

local function pick(k, b, i)
   local roll = math.random(100)
   for _, entry in ipairs(mix) do
      if roll <= entry[1] then
         return entry[2](k, b, i)
      end
      roll = roll - entry[1]
   end
end

local function message(k, b, i, text)
   counter = counter + 1
   local body = string.format(
      '{"message_id":"%s%d","chat_id":"%s","sender":{"id":"%s"},"text":"%s"}',
      prefix, counter, chat_of(k, b), user_of(k, b, i), text)
   return wrk.format("POST", "/hook/generic", headers, body)
end

-- Resident n of the register/antigen turns: compound k, building b, index i.
local function k_of(n) return math.floor(n / (buildings * per_building)) + 1 end
local function b_of(n) return math.floor((n % (buildings * per_building)) / per_building) + 1 end
local function i_of(n) return n % per_building end

local function in_turn(text_of)
   local total = math.max(compounds, 1) * buildings * per_building
   if next_resident >= total then
      return last
   end
   local n = next_resident
   -- wrk calls the first thread's request() once before the run to check the script, and
   -- sends nothing of that call: the first message is built twice with the same id, so the
   -- resident is sent once either way (a second copy would be a retry, which loudong ignores).
   if not first_built then
      first_built = true
      last = message(k_of(n), b_of(n), i_of(n), text_of(k_of(n), b_of(n), i_of(n)))
      counter = counter - 1
      return last
   end
   next_resident = next_resident + wrk_threads
   last = message(k_of(n), b_of(n), i_of(n), text_of(k_of(n), b_of(n), i_of(n)))
   return last
end

-- A thread that has sent its share repeats its last message only once a second on each
-- connection, not taking the writer from the others still sending theirs. Only defined for the
-- turns: wrk times every request through a timer when a script has delay().
if mode == "register" or mode == "antigen" then
   function delay()
      if next_resident >= math.max(compounds, 1) * buildings * per_building then
         return 1000
      end
      return 0
   end
end

function request()
   if mode == "register" then
      return in_turn(register)
   elseif mode == "antigen" then
      return in_turn(antigen)
   end
   local k = math.random(math.max(compounds, 1))
   local b = math.random(buildings)
   local i = math.random(per_building) - 1
   return message(k, b, i, pick(k, b, i))
end
