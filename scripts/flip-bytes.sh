#!/usr/bin/env bash
# Flips one byte at a time at FLIPS random offsets of a copy of a database's files (`db`,
# `conf`, snapshots), each in a fresh copy; for each, the database must either open and pass
# `liaison check` (or be made consistent by `check --repair`), and `liaison recover` must
# rebuild it from the automatic backup and the journal byte for byte as `liaison backup`
# writes it. Prints how many flips ended each way. `scripts/flip-bytes.sh [FLIPS] [SEED]`
# (default 50 flips, seed 7). `cargo test` runs a short version (4 flips).
set -euo pipefail
cd "$(dirname "$0")/.."
flips="${1:-50}"
seed="${2:-7}"
start=$(date +%s)
LIAISON_FLIPS="$flips" LIAISON_FLIP_SEED="$seed" cargo test --release --locked --test flip_bytes \
    flipped_bytes_long -- --ignored --nocapture
echo "flip test: ${flips} flips (seed ${seed}) in $(( $(date +%s) - start )) s"
