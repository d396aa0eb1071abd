#!/bin/sh
# bench/web.sh — load and latency of the run endpoint of `balance serve`
# (docs/performance.md): wrk against loopback, a municipal scenario (five
# metropolises, 229 sigungu to 2052 against the status quo) per request.
#   1. one connection: latency of a single user;
#   2. two connections = the server's bound on concurrent runs.
set -eu
B=${B:-build}
DATA=${DATA:-data/kr}
command -v wrk >/dev/null || { echo "bench/web.sh: wrk is not installed (scripts/deps.sh)"; exit 1; }
out=$(mktemp)
"$B/balance" serve --port 0 --data "$DATA" > "$out" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"' EXIT
i=0
while ! grep -q 'http://' "$out"; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "server did not start"; exit 1; }
    sleep 0.1
done
port=$(sed -n 's#.*http://[0-9.]*:\([0-9]*\)/.*#\1#p' "$out")
for c in 1 2; do
    echo "== wrk -t$c -c$c -d15s --latency POST /api/run (municipal scenario)"
    wrk -t$c -c$c -d15s --latency -s bench/run_post.lua "http://127.0.0.1:$port/api/run" |
        grep -E 'Latency|50%|90%|99%|Requests/sec|requests in|Non-2xx'
done
