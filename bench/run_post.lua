-- wrk script: POST a municipal scenario to /api/run (bench/web.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name": "bench", "levers": {"metropolises": {"hubs": [{"region": "Gwangju", "industry": "ai"}, {"region": "Chungbuk", "industry": "bio"}, {"region": "Jeonnam", "industry": "energy"}, {"region": "Ulsan", "industry": "future_cars"}, {"region": "Gyeongbuk", "industry": "semiconductors"}]}}}'
