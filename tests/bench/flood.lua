-- wrk script: one member flooding (SPEC §8 item 11): resident f-0 in chat bldg-1 sends, as fast
-- as the connections allow, a 200-line 接龙 paste and 我的订单 in turn, each with a new id.
-- tests/bench/run measures the neighbours' orders beside it.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_id", #threads)
end

function init(args)
   counter = 0
   headers = { ["Content-Type"] = "application/json" }
   local lines = { "#接龙 洪水团购" }
   for i = 1, 200 do
      lines[#lines + 1] = string.format("%d. 5-%d 鸡蛋1", i, 1000 + i)
   end
   -- "\n" inside a JSON string: the resident's line breaks.
   paste = table.concat(lines, "\\n")
end

function request()
   counter = counter + 1
   local text = (counter % 2 == 1) and paste or "我的订单"
   local body = string.format(
      '{"message_id":"flood-%d-%d-%d","chat_id":"bldg-1","sender":{"id":"f-0"},"text":"%s"}',
      os.time(), thread_id, counter, text)
   return wrk.format("POST", "/hook/generic", headers, body)
end
