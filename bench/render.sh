#!/usr/bin/env bash
# Benchmarks of the report renderer (overhang-render), in release mode, on the default
# report's fixture (crates/render/tests/fixtures/results.json):
#  1. criterion: charts; charts + PDF with typst's memoisation cache warm; charts + PDF with
#     the cache emptied before each iteration;
#  2. what one build pays in a fresh process (empty caches, fonts not yet parsed): the
#     render_once example run 30 times, its own in-process timings summarised (median, min,
#     max), then the whole process timed by hyperfine when it is installed.
# Usage: bench/render.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

cargo bench -p overhang-render --bench render -- --noplot 2>&1 \
  | grep -E "^render/|time:" || true

cargo build --release -p overhang-render --example render_once
bin="$CARGO_TARGET_DIR/release/examples/render_once"
"$bin" > /dev/null # warm the page cache
for _ in $(seq "$runs"); do "$bin"; done \
  | sed -E 's/.*charts_and_pdf_ms=([0-9.]+).*/\1/' | sort -n \
  | awk '{ v[NR] = $1 } END {
      printf "fresh process, charts + PDF (in-process timer, %d runs): median %.1f ms, min %.1f, max %.1f\n",
        NR, (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR] }'
if command -v hyperfine > /dev/null; then
  hyperfine --warmup 3 --runs "$runs" --style basic "$bin" 2>&1 | grep -E "Time|Range"
else
  echo "hyperfine not found (apt-get install hyperfine): whole-process time skipped" >&2
fi
