#!/bin/sh
# Regenerate the golden outputs of tests/golden/CASES with BALANCE_BIN
# (default build/balance), from the repository root. Review the result as a
# diff (git diff tests/golden) and commit it with the model change that made it.
set -eu
cd "$(dirname "$0")/.."
BIN=${BALANCE_BIN:-build/balance}
export LC_ALL=C
grep -v '^#' tests/golden/CASES | while IFS='	' read -r file args; do
    [ -n "$file" ] || continue
    # shellcheck disable=SC2086 # the arguments are split and globbed on purpose
    "$BIN" $args > "tests/golden/$file.tmp" 2> /dev/null || {
        echo "golden: balance $args failed" >&2; rm -f "tests/golden/$file.tmp"; exit 1; }
    mv "tests/golden/$file.tmp" "tests/golden/$file"
    echo "golden: tests/golden/$file"
done
