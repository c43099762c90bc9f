-- wrk script: POST the OpenAPI example submission (written to body.json by run-simple.sh).
local f = io.open(os.getenv("BODY_FILE") or "body.json", "r")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
