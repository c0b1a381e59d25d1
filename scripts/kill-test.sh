#!/usr/bin/env bash
# The long crash tests, on demand, in a release build:
# - `liaison-dev torture` (confirmed writes in a loop through the store) killed with SIGKILL KILLS
#   times at random moments on one database (tests/safety.rs);
# - whole commands killed KILLS times at random moments down to a few milliseconds after they
#   start: `issues add`, `import issues`, and triage through the app's `update` (tests/kills.rs).
# After each kill the database must open, `liaison check` must exit 0, and every write reported
# as saved must be there. `scripts/kill-test.sh [KILLS] [SEED]` (default 1000 kills, seed 7).
# CI runs the short versions (50 kills each) as part of `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-1000}"
seed="${2:-7}"
start=$(date +%s)
LIAISON_KILLS="$kills" LIAISON_KILL_SEED="$seed" cargo test --release --locked --test safety \
    acknowledged_writes_survive_sigkill_long -- --ignored --nocapture
echo "kill test (torture): ${kills} kills (seed ${seed}) in $(( $(date +%s) - start )) s"
start=$(date +%s)
LIAISON_KILLS="$kills" LIAISON_KILL_SEED="$seed" cargo test --release --locked --test kills \
    commands_killed_at_random_moments_lose_nothing_acknowledged_long -- --ignored --nocapture
echo "kill test (commands): ${kills} kills (seed ${seed}) in $(( $(date +%s) - start )) s"
