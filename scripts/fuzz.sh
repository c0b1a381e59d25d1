#!/usr/bin/env bash
# Runs the property tests over arbitrary input with many more cases than CI does, for a
# bounded time: `scripts/fuzz.sh [CASES]` (default 20000 per property).
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-20000}"
start=$(date +%s)
PROPTEST_CASES="$cases" cargo test --release --test props -- --test-threads 2
echo "fuzz: ${cases} cases per property in $(( $(date +%s) - start )) s"
