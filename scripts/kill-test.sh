#!/usr/bin/env bash
# The long crash test, on demand: runs `liaison torture` (confirmed writes in a loop) and kills
# it with SIGKILL KILLS times at random moments on one database; after each kill `liaison
# check` must exit 0 and every write the process reported as saved must be there with its
# index entries. `scripts/kill-test.sh [KILLS] [SEED]` (default 1000 kills, seed 7).
# CI runs the short version (50 kills) as part of `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-1000}"
seed="${2:-7}"
start=$(date +%s)
LIAISON_KILLS="$kills" LIAISON_KILL_SEED="$seed" cargo test --release --locked --test safety \
    acknowledged_writes_survive_sigkill_long -- --ignored --nocapture
echo "kill test: ${kills} kills (seed ${seed}) in $(( $(date +%s) - start )) s"
