#!/usr/bin/env bash
# The side-by-side table of issue 17: the same generated ledger in Liaison, SQLite (sqlite3
# CLI, one table with two indexes) and Taskwarrior (when `task` is installed), each question
# timed as whole processes (median of RUNS), printed as a Markdown table.
#
#   scripts/compare.sh [ITEMS] [RUNS]          (default 100000 items, 5 runs)
#
# The ledger is `liaison demo` (the bench's generator: ITEMS/100 firms, ITEMS/10 visits)
# exported as CSV; that file is what each tool imports, so the import row times the same
# rows everywhere and the questions run on the imported copies. Liaison's questions also run
# on the demo database itself (it holds visits and histories too): both columns are shown.
# Everything lives in a temporary directory that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
items="${1:-100000}"
runs="${2:-5}"
word="新增用地"

cargo build --release --quiet
bin="$(pwd)/${CARGO_TARGET_DIR:-target}/release/liaison"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# median_ms CMD...: runs CMD RUNS times (output discarded), prints the median wall time in ms.
median_ms() {
    python3 - "$runs" "$@" <<'EOF'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(times):.0f} ms" if statistics.median(times) < 1000
      else f"{statistics.median(times) / 1000:.2f} s")
EOF
}

# once CMD...: one timed run (for imports, which change their target).
once() {
    runs=1 median_ms "$@"
}

size_of() {
    du -sk "$1" | awk '{ printf "%.0f MiB", $1 / 1024 }'
}

echo "generating $items items..." >&2
"$bin" --db "$work/demo" demo --firms $((items / 100)) --visits $((items / 10)) \
    --issues "$items" > /dev/null
"$bin" --db "$work/demo" export issues --headers en -o "$work/ledger.csv" > /dev/null
# The firm with the most items, an item number from the middle, for every tool alike.
read -r firm number < <(python3 - "$work/ledger.csv" <<'EOF'
import collections, csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
firm = collections.Counter(r["firm"] for r in rows).most_common(1)[0][0]
numbers = sorted(int(r["number"]) for r in rows)
print(firm, numbers[len(numbers) // 2])
EOF
)
echo "firm: $firm, item #$number, word: $word" >&2

# --- Liaison -------------------------------------------------------------------------------
echo "liaison..." >&2
l_import="$(once "$bin" --db "$work/liaison" import issues "$work/ledger.csv")"
liaison_questions() {
    local db="$1"
    l_firm="$(median_ms "$bin" --db "$db" issues list --firm "$firm" --status open --json)"
    l_overdue="$(median_ms "$bin" --db "$db" issues list --overdue --json)"
    l_word="$(median_ms "$bin" --db "$db" issues list --filter "$word" --json)"
    l_show="$(median_ms "$bin" --db "$db" issues show "$number")"
    l_size="$(size_of "$db")"
}
liaison_questions "$work/demo"
d_firm="$l_firm" d_overdue="$l_overdue" d_word="$l_word" d_show="$l_show" d_size="$l_size"
liaison_questions "$work/liaison"

# --- SQLite --------------------------------------------------------------------------------
echo "sqlite..." >&2
db="$work/ledger.sqlite"
cat > "$work/load.sql" <<EOF
CREATE TABLE items(number INTEGER PRIMARY KEY, firm TEXT, title TEXT, detail TEXT,
  category TEXT, department TEXT, owner TEXT, priority TEXT, status TEXT, due TEXT,
  created TEXT, updated TEXT, visit_date TEXT, resolution_kind TEXT, resolution TEXT,
  last_response TEXT, tags TEXT);
.import --csv --skip 1 $work/ledger.csv items
CREATE INDEX items_firm ON items(firm, status);
CREATE INDEX items_open_due ON items(status, due);
EOF
s_import="$(once sqlite3 "$db" ".read $work/load.sql")"
open="status <> 'closed'"
s_firm="$(median_ms sqlite3 -json "$db" \
    "SELECT * FROM items WHERE firm = '$firm' AND $open ORDER BY due")"
s_overdue="$(median_ms sqlite3 -json "$db" \
    "SELECT * FROM items WHERE $open AND due <> '' AND due < date('now') ORDER BY due")"
s_word="$(median_ms sqlite3 -json "$db" \
    "SELECT * FROM items WHERE title LIKE '%$word%' ORDER BY due")"
s_show="$(median_ms sqlite3 -json "$db" "SELECT * FROM items WHERE number = $number")"
s_size="$(size_of "$db")"

# --- Taskwarrior ---------------------------------------------------------------------------
t_import="not installed" t_firm="-" t_overdue="-" t_word="-" t_show="-" t_size="-"
if command -v task > /dev/null; then
    echo "taskwarrior..." >&2
    export TASKRC="$work/taskrc" TASKDATA="$work/task"
    mkdir -p "$TASKDATA"
    printf 'data.location=%s\nconfirmation=off\nverbose=nothing\n' "$TASKDATA" > "$TASKRC"
    # One task per row: the firm as project, open statuses as pending, closed as completed.
    python3 - "$work/ledger.csv" > "$work/tasks.json" <<'EOF'
import csv, json, sys
out = []
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")):
    t = {"description": r["title"], "project": r["firm"],
         "entry": r["created"][:19].replace("-", "").replace(":", "").replace(" ", "T") + "Z",
         "status": "completed" if r["status"] == "closed" else "pending"}
    if t["status"] == "completed":
        t["end"] = r["updated"][:19].replace("-", "").replace(":", "").replace(" ", "T") + "Z"
    if r["due"]:
        t["due"] = r["due"].replace("-", "") + "T000000Z"
    out.append(t)
json.dump(out, sys.stdout, ensure_ascii=False)
EOF
    t_import="$(once task import "$work/tasks.json")"
    t_firm="$(median_ms task "project:$firm" status:pending export)"
    t_overdue="$(median_ms task +OVERDUE export)"
    t_word="$(median_ms task "description.has:$word" export)"
    t_show="$(median_ms task "$((items / 2))" export)"
    t_size="$(size_of "$TASKDATA")"
fi

cat <<EOF

$items items ($((items / 100)) firms), median of $runs runs as whole processes, $(date -u +%F).
Liaison (import) is the database \`import issues\` made from the ledger; Liaison (demo) the
generator's own database, with visits and every item's history.

| at $items items | Liaison (import) | Liaison (demo) | SQLite (indexed) | Taskwarrior |
|---|---|---|---|---|
| one firm's open items | $l_firm | $d_firm | $s_firm | $t_firm |
| overdue items | $l_overdue | $d_overdue | $s_overdue | $t_overdue |
| a word in titles ($word) | $l_word | $d_word | $s_word | $t_word |
| one item by number | $l_show | $d_show | $s_show | $t_show |
| bulk import of the ledger | $l_import | | $s_import | $t_import |
| size on disk | $l_size | $d_size | $s_size | $t_size |
EOF
