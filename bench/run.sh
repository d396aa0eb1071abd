#!/bin/sh
# bench/run.sh — the benchmarks of docs/performance.md. Run with `make bench`.
#  1. library workloads (bench-project): load, calibrate, project, medians
#  1b. the same for the 229-sigungu run (load_municipal, calibrate, project, report)
#  2. the whole CLI run `balance project` (table output, SQLite store):
#     median wall time of 31 runs, and its peak RSS from /usr/bin/time if present
#  3. instruction counts of the CLI run with callgrind, if valgrind is present
#     (repeatable whatever the machine's load)
#  4. the whole CLI run `balance project --level sigungu`, with and without the store
#  5. output cost: `balance project [--level sigungu] --format json` with a fresh
#     store, as whole processes (hyperfine if installed), and its instructions
set -eu
B=${B:-build}
DATA=${DATA:-data/kr}
echo "== library workloads, provinces"
"$B/bench-project" "$DATA" 51 sido
echo "== library workloads, municipalities"
"$B/bench-project" "$DATA" 51 sigungu
echo "== whole CLI run: balance project --data $DATA --out <tmp> (31 runs)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
: > "$tmp/times"
while [ $i -lt 31 ]; do
    s=$(date +%s%N)
    "$B/balance" project --data "$DATA" --out "$tmp/out" > /dev/null
    e=$(date +%s%N)
    echo $(( (e - s) / 1000 )) >> "$tmp/times"
    i=$((i + 1))
done
sort -n "$tmp/times" | awk '{v[NR]=$1} END {printf "cli.project_2052    median %.2f ms  min %.2f ms  max %.2f ms\n", v[int((NR+1)/2)]/1000, v[1]/1000, v[NR]/1000}'
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "cli.peak_rss_mib    %M KiB" "$B/balance" project --data "$DATA" --no-store > /dev/null
fi
if command -v valgrind > /dev/null 2>&1; then
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$B/balance" project --data "$DATA" --no-store > /dev/null 2> "$tmp/cg.log" || true
    grep -o 'Collected : [0-9]*' "$tmp/cg.log" | awk '{printf "cli.instructions    %s (callgrind, --no-store)\n", $3}'
fi
echo "== whole CLI run: balance project --level sigungu (11 runs each, with and without the store)"
for mode in store no-store; do
    : > "$tmp/times"
    i=0
    while [ $i -lt 11 ]; do
        s=$(date +%s%N)
        if [ $mode = store ]; then
            "$B/balance" project --level sigungu --data "$DATA" --out "$tmp/out" > /dev/null
        else
            "$B/balance" project --level sigungu --data "$DATA" --no-store > /dev/null
        fi
        e=$(date +%s%N)
        echo $(( (e - s) / 1000 )) >> "$tmp/times"
        i=$((i + 1))
    done
    sort -n "$tmp/times" | awk -v m=$mode '{v[NR]=$1} END {printf "cli.sigungu_%-9s median %.2f ms  min %.2f ms  max %.2f ms\n", m, v[int((NR+1)/2)]/1000, v[1]/1000, v[NR]/1000}'
done
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "cli.sigungu_peak_rss %M KiB" "$B/balance" project --level sigungu --data "$DATA" --no-store > /dev/null
fi
echo "== output cost (issue 13 part 9): whole process, JSON with the store, fresh store each run"
# hyperfine (Debian package) if present: 5 warm-ups, 31 runs, the store
# directory removed before each run; otherwise a median of 31 plain runs.
if command -v hyperfine > /dev/null 2>&1; then
    hyperfine -N -w 5 -r 31 --prepare "rm -rf $tmp/hf" \
        -n cli.sigungu_json_store "$B/balance project --level sigungu --format json --data $DATA --out $tmp/hf" \
        -n cli.sido_json_store "$B/balance project --format json --data $DATA --out $tmp/hf" \
        -n cli.sigungu_json_nostore "$B/balance project --level sigungu --format json --data $DATA --no-store" \
        --export-json "$tmp/hf.json" > /dev/null
    awk '/"command"/ {gsub(/[",]/, "", $2); c = $2} /"median"/ {gsub(/,/, "", $2); m = $2 * 1000}
         /"min"/ {gsub(/,/, "", $2); printf "%-25s median %.1f ms  min %.1f ms\n", c, m, $2 * 1000}' "$tmp/hf.json"
else
    for w in "sigungu_json_store:--level sigungu --out $tmp/hf" "sido_json_store:--out $tmp/hf" \
             "sigungu_json_nostore:--level sigungu --no-store"; do
        : > "$tmp/times"
        i=0
        while [ $i -lt 31 ]; do
            rm -rf "$tmp/hf"
            s=$(date +%s%N)
            # shellcheck disable=SC2086
            "$B/balance" project --format json --data "$DATA" ${w#*:} > /dev/null
            e=$(date +%s%N)
            echo $(( (e - s) / 1000 )) >> "$tmp/times"
            i=$((i + 1))
        done
        sort -n "$tmp/times" | awk -v m="cli.${w%%:*}" '{v[NR]=$1} END {printf "%-25s median %.1f ms  min %.1f ms\n", m, v[int((NR+1)/2)]/1000, v[1]/1000}'
    done
fi
if command -v valgrind > /dev/null 2>&1; then
    rm -rf "$tmp/hf"
    # --separate-threads: the main thread's count is the critical path (load,
    # model, JSON); the helper thread's is the municipal table and the store
    valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$tmp/cg2" "$B/balance" project --level sigungu --format json --data "$DATA" --out "$tmp/hf" > /dev/null 2> "$tmp/cg2.log" || true
    grep -o 'Collected : [0-9]*' "$tmp/cg2.log" | awk '{printf "cli.sigungu_json_store instructions %s (callgrind, all threads)\n", $3}'
    for f in "$tmp"/cg2-*; do
        [ -f "$f" ] && awk -v t="${f##*-}" '/^totals:/ {printf "cli.sigungu_json_store thread %s: %s\n", t, $2}' "$f"
    done
fi
echo "== web: balance serve, POST /api/run"
sh bench/web.sh || true
echo "== web: slow-client attack (bench/abuse.mjs, 60 s)"
BALANCE_BIN="$B/balance" BALANCE_DATA="$DATA" node bench/abuse.mjs 60 || true
