#!/usr/bin/env bash
# Measures `liaison import issues` on a generated ledger with the release binary: time and
# peak memory of the import (and of a full export and `check` of the result), and the size
# of the database. The ledger and the database live in a temporary directory that is
# removed at the end; nothing is committed.
#
#   scripts/measure-issues-import.sh [ROWS] [utf8|gb18030]     (default 1000000 utf8)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
encoding="${2:-utf8}"

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/liaison"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 scripts/issues-ledger.py "$rows" "$encoding" > "$work/ledger.csv"
echo "ledger: $rows rows, $(du -h "$work/ledger.csv" | cut -f1), $encoding"
/usr/bin/time -f "import: %e s, peak RSS %M KB" \
    "$bin" --db "$work/db" import issues "$work/ledger.csv"
echo "database: $(du -sh "$work/db" | cut -f1)"
/usr/bin/time -f "export csv (due order): %e s, peak RSS %M KB" \
    "$bin" --db "$work/db" export issues -o "$work/export.csv"
/usr/bin/time -f "check: %e s, peak RSS %M KB" "$bin" --db "$work/db" check
