-- POST the JSON body in $BODY_FILE (the OpenAPI example submission). With $VARY_ID set, every request carries another
-- applicant: the example's identity number "025150001234" gets a different last six digits (each wrk thread its own range),
-- so the duplicate check, lookups and queues see many people, as in real use.
local f = io.open(os.getenv("BODY_FILE"), "r")
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

local threads = 0
function setup(thread)
  thread:set("base", threads * 500000)
  threads = threads + 1
end

local n = 0
function request()
  if not os.getenv("VARY_ID") then return wrk.format() end
  n = n + 1
  local id = string.format("025150%06d", (base + n) % 1000000)
  return wrk.format(nil, nil, nil, (body:gsub("025150001234", id)))
end
