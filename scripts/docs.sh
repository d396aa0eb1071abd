#!/bin/sh
# Regenerate the parts of docs/ that are generated from the library's tables:
# the lever list of docs/scenarios.md (between the levers:begin/end markers)
# from `balance levers --format md`. tests/unit/test_levers.c checks it.
set -eu
cd "$(dirname "$0")/.."
BIN=${BALANCE_BIN:-build/balance}
"$BIN" levers --format md > build/levers.md
awk -v gen=build/levers.md '
  /<!-- levers:begin/ { print; while ((getline l < gen) > 0) print l; skip = 1; next }
  /<!-- levers:end/ { skip = 0 }
  !skip { print }' docs/scenarios.md > build/scenarios.md
mv build/scenarios.md docs/scenarios.md
echo "docs: docs/scenarios.md lever table regenerated"
