#!/bin/sh
# scripts/fuzz.sh BUILD SECONDS "OPTIONS" TARGET... — run each libFuzzer
# target: first every past finding in tests/fuzz/regress/TARGET/ (each must
# now pass), then SECONDS of fuzzing from the seed corpus tests/fuzz/corpus/
# TARGET/ (new inputs go to a scratch directory, never into the repository).
# Prints the executions and exits 1 on any crash, leak or timeout.
set -eu
B=$1; S=$2; OPTS=$3; shift 3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export BALANCE_DATA=${BALANCE_DATA:-data/kr} BALANCE_SCENARIOS=${BALANCE_SCENARIOS:-scenarios}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
for t in "$@"; do
    reg=tests/fuzz/regress/$t
    if [ -d "$reg" ] && [ -n "$(ls -A "$reg" 2>/dev/null)" ]; then
        # shellcheck disable=SC2086
        "$B/$t" $OPTS "$reg"/* > "$scratch/$t.regress.log" 2>&1 ||
            { cat "$scratch/$t.regress.log"; echo "fuzz: $t fails on a past finding"; exit 1; }
    fi
    mkdir -p "$scratch/$t"
    # shellcheck disable=SC2086
    if ! "$B/$t" $OPTS -max_total_time="$S" -print_final_stats=1 -artifact_prefix="$scratch/$t-" \
        "$scratch/$t" "tests/fuzz/corpus/$t" > "$scratch/$t.log" 2>&1; then
        tail -40 "$scratch/$t.log"
        ls "$scratch/$t"-* 2>/dev/null || true
        echo "fuzz: $t found a crash, leak or timeout (inputs above; add them to $reg)"
        exit 1
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$t.log")
    cov=$(grep -o 'cov: [0-9]*' "$scratch/$t.log" | tail -1)
    echo "fuzz: $t: $execs executions in ${S}s, $cov, 0 crashes, leaks or timeouts"
done
