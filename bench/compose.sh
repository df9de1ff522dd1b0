#!/usr/bin/env bash
# Benchmarks of the Monte Carlo engine (overhang-compose), in release mode:
#  1. criterion: five categories, 21 horizon steps, 200,000 samples, largest-first with an
#     uncertain kappa (the whole simulate call: projection, thresholds, sensitivity, tornado);
#  2. a 10,000,000-sample run of the same assessment, wall time and peak memory (max RSS)
#     measured with /usr/bin/time -v (apt-get install time, if missing).
# Usage: bench/compose.sh [samples-for-the-large-run]
set -euo pipefail
cd "$(dirname "$0")/.."
samples="${1:-10000000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

cargo bench -p overhang-compose --bench compose -- --noplot 2>&1 \
  | grep -E "^simulate/|time:" || true

cargo build --release -p overhang-compose --example simulate_large
bin="$CARGO_TARGET_DIR/release/examples/simulate_large"
if [ -x /usr/bin/time ]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  /usr/bin/time -v "$bin" "$samples" 2> "$scratch/time.txt"
  grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$scratch/time.txt"
else
  echo "/usr/bin/time not found (apt-get install time): wall time only" >&2
  "$bin" "$samples"
fi
