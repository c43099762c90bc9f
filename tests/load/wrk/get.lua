-- GET with the headers the caller needs: $HEADER_NAME: $HEADER_VALUE (tracking secret or bearer token), if given.
wrk.method = "GET"
if os.getenv("HEADER_NAME") then wrk.headers[os.getenv("HEADER_NAME")] = os.getenv("HEADER_VALUE") end
