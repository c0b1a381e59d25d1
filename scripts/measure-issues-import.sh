#!/usr/bin/env bash
# Measures `liaison import issues` on a generated ledger with the release binary: wall time
# and peak memory (GNU time -v) of a dry run (the reading and checking alone), of the import,
# and of a full export and `check` of the result, and the size of the database. The ledger
# and the database live in a temporary directory that is removed at the end; nothing is
# committed.
#
#   scripts/measure-issues-import.sh [ROWS] [utf8|gb18030]     (default 1000000 utf8)
#
# Measured on 2 shared cores (2026-12-02), 1,000,000 rows (151 MB, UTF-8): dry run 4.5 s and
# 7.3 MB peak RSS (the same 7 MB as for 2,000 rows: the file is never held); import 2:16 and
# 472 MB peak RSS, which is sled's page cache and page table for a 1.9 GB database (the
# export that only reads it peaks at 372 MB); export 53 s; check 70 s.
# Matching rows to the items they made (2026-12-03, 100,000 rows, load average about 8):
# import 22-24 s against 24-25 s before (its rows' firms are new: nothing to match); the same
# file again 8.4 s and 74 MB, every row unchanged, where it used to take 44 s and 203 MB and
# add every item a second time.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
encoding="${2:-utf8}"

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/liaison"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Runs a command under GNU time -v and prints LABEL: wall time, peak RSS.
measure() {
    local label="$1"
    shift
    /usr/bin/time -v "$@" 2> "$work/time.txt" > "$work/out.txt" || {
        cat "$work/out.txt" "$work/time.txt"
        exit 1
    }
    tail -n 1 "$work/out.txt"
    local wall rss
    wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")"
    rss="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")"
    echo "$label: $rows rows, wall $wall, peak RSS $rss KB"
}

python3 scripts/issues-ledger.py "$rows" "$encoding" > "$work/ledger.csv"
echo "ledger: $rows rows, $(du -h "$work/ledger.csv" | cut -f1), $encoding"
measure "import --dry-run" "$bin" --db "$work/dry" import issues --dry-run "$work/ledger.csv"
measure "import" "$bin" --db "$work/db" import issues "$work/ledger.csv"
measure "import again (every row matched)" "$bin" --db "$work/db" import issues "$work/ledger.csv"
echo "database: $(du -sh "$work/db" | cut -f1)"
measure "export csv (due order)" "$bin" --db "$work/db" export issues -o "$work/export.csv"
measure "check" "$bin" --db "$work/db" check
