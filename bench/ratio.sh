#!/usr/bin/env bash
# The whole report against the bare Monte Carlo (the target: within 1.5x). Builds overhang and
# the bare program (bench/peer_bare.rs, an example of overhang-compose) in release mode, then
# runs, alternately, N times each:
#  - `overhang build --inputs bench/peer --out <fresh dir>`: the version folder v0.1.0;
#  - the same with --draft: report/draft/ (the same work, another folder);
#  - the bare Monte Carlo of the same model (draws, largest-first aggregation over the 21
#    steps, percentiles to a CSV file; nothing else).
# Every run writes into a fresh `mktemp -d` folder and is timed as a whole process (wall
# clock, fork and exec included). Prints each one's median, min and max in ms and the ratios
# whole/bare.
# Usage: bench/ratio.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-11}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

cargo build --release --locked -p overhang -p overhang-compose --bin overhang --example peer_bare
overhang="$CARGO_TARGET_DIR/release/overhang"
bare="$CARGO_TARGET_DIR/release/examples/peer_bare"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

now_ns() { date +%s%N; }
# Runs the command after the log file once and appends its wall time in ms to the log.
timed() {
  local log="$1"
  shift
  local t0 t1
  t0=$(now_ns)
  "$@" > /dev/null
  t1=$(now_ns)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1e6 }' >> "$log"
}

# Warm the page cache and check that each program runs.
"$overhang" build --quiet --inputs bench/peer --out "$(mktemp -d -p "$scratch")"
"$bare" "$(mktemp -d -p "$scratch")/percentiles.csv" > /dev/null

for _ in $(seq "$runs"); do
  timed "$scratch/full.ms" "$overhang" build --inputs bench/peer --out "$(mktemp -d -p "$scratch")"
  timed "$scratch/draft.ms" "$overhang" build --draft --inputs bench/peer --out "$(mktemp -d -p "$scratch")"
  timed "$scratch/bare.ms" "$bare" "$(mktemp -d -p "$scratch")/percentiles.csv"
done

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
summary() {
  sort -n "$2" | awk -v name="$1" '{ v[NR] = $1 } END {
    printf "%-26s median %8.1f ms   min %8.1f   max %8.1f   (%d runs)\n",
      name, (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR], NR }'
}
summary "overhang build" "$scratch/full.ms"
summary "overhang build --draft" "$scratch/draft.ms"
summary "bare Monte Carlo" "$scratch/bare.ms"
bare_ms=$(median "$scratch/bare.ms")
for mode in full draft; do
  awk -v w="$(median "$scratch/$mode.ms")" -v b="$bare_ms" -v m="$mode" \
    'BEGIN { printf "ratio whole/bare (%s): %.2f\n", m, w / b }'
done
