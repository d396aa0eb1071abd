#!/bin/sh
# Regenerate the parts of docs/ that are generated from the library's tables:
# the lever list of docs/scenarios.md and the indicator list of docs/model.md
# (between the <!-- NAME:begin --> and <!-- NAME:end --> markers).
# tests/unit/test_levers.c and test_indicators.c check them.
set -eu
cd "$(dirname "$0")/.."
BIN=${BALANCE_BIN:-build/balance}
mkdir -p build

# regenerate DOC MARKER COMMAND...: the block of docs/DOC between the MARKER
# lines becomes the output of `balance COMMAND...`
regenerate() {
    doc=$1 marker=$2
    shift 2
    "$BIN" "$@" > "build/$marker.md"
    awk -v gen="build/$marker.md" -v begin="<!-- $marker:begin" -v end="<!-- $marker:end" '
      index($0, begin) == 1 { print; while ((getline l < gen) > 0) print l; skip = 1; next }
      index($0, end) == 1 { skip = 0 }
      !skip { print }' "docs/$doc" > "build/$doc"
    mv "build/$doc" "docs/$doc"
    echo "docs: docs/$doc $marker table regenerated"
}

regenerate scenarios.md levers levers --format md
regenerate model.md indicators indicators --format md
