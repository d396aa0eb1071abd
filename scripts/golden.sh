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
    case "$file" in
    *.json) # one value per line, so that a change reads as a diff (the CLI writes
            # compact JSON; the test compares parsed values either way)
        node -e 'const fs = require("fs"); const f = process.argv[1];
                 fs.writeFileSync(f.slice(0, -4), JSON.stringify(JSON.parse(fs.readFileSync(f, "utf8")), null, 1) + "\n");
                 fs.unlinkSync(f);' "tests/golden/$file.tmp" ;;
    *) mv "tests/golden/$file.tmp" "tests/golden/$file" ;;
    esac
    echo "golden: tests/golden/$file"
done
