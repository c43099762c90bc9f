-- wrk script: GET one dossier's status with its tracking secret.
wrk.method = "GET"
wrk.headers["X-Tracking-Secret"] = os.getenv("SECRET")
