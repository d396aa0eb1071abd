#!/bin/sh
# Regenerate the parts of docs/ that are generated from the library's tables:
# the lever list of docs/scenarios.md and the indicator list of docs/model.md
# (between the begin/end markers). tests/unit/test_levers.c and test_indicators.c check them.
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
"$BIN" indicators --format md > build/indicators.md
awk -v gen=build/indicators.md '
  /<!-- indicators:begin/ { print; while ((getline l < gen) > 0) print l; skip = 1; next }
  /<!-- indicators:end/ { skip = 0 }
  !skip { print }' docs/model.md > build/model.md
mv build/model.md docs/model.md
echo "docs: docs/model.md indicator table regenerated"
