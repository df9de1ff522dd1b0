#!/usr/bin/env bash
# Runs every fuzz target of the input loaders for RUNS executions each (default 1,000,000),
# or at most SECONDS per target when given (fuzz/run.sh RUNS SECONDS [TARGET...], 0 for no
# limit; every target unless some are named), seeded from the valid
# and bad input fixtures; prints libFuzzer's final count of executions and exec/s for each, and
# its wall time. Needs the nightly toolchain and cargo-fuzz
# (`cargo install cargo-fuzz`). A crash leaves its input in fuzz/artifacts/<target>/: commit it
# as a regression fixture once fixed. CI runs the property tests, not this.
set -euo pipefail
# FUZZ_SANITIZER=none skips the address sanitizer (the loaders are safe Rust, so it finds
# little there) and runs the whole-file loaders several times faster.
sanitizer="${FUZZ_SANITIZER:-address}"
cd "$(dirname "$0")"
runs="${1:-1000000}"
seconds="${2:-0}"
targets=("${@:3}")
[ ${#targets[@]} -gt 0 ] || targets=(assessment enhancements composability scaling estimate tolerances)
fixtures=../crates/model/tests/fixtures
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT

seed() { # target, files...
  mkdir -p "$corpus/$1"
  local t=$1; shift
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$corpus/$t/$(echo "$f" | tr '/' '_')"; done
}
seed assessment "$fixtures"/good/*/assessment.toml ../inputs/assessment.toml ../report/v*/inputs/assessment.toml
seed enhancements "$fixtures"/good/*/enhancements.csv ../inputs/enhancements.csv
seed composability ../inputs/composability.csv "$fixtures"/good/*/composability.csv
printf 'category_a,category_b,composability\ntool_use,prompting,0.5 to 0.9\n' > "$corpus/composability/minimal.csv"
seed scaling ../inputs/scaling.csv

# Per text field, a long-text case: a word past the word limit (2,000 characters), a label
# past the label limit, an id past the id limit; and every CSV seed with classic Mac OS (CR)
# line endings. libFuzzer's -max_len below keeps them whole.
long=$(head -c 3000 /dev/zero | tr '\0' w)
spaced=$(for _ in $(seq 1 80); do printf 'label '; done)
base_toml="$fixtures/good/base/assessment.toml"
for key in title version scope changes label description rationale policy policy_name source kappa growth; do
  sed "0,/^$key = \"[^\"]*\"/s//$key = \"$long\"/" "$base_toml" > "$corpus/assessment/long_$key.toml"
done
sed "0,/^label = \"[^\"]*\"/s//label = \"$spaced\"/" "$base_toml" > "$corpus/assessment/long_spaced_label.toml"
sed "0,/^\[scenarios\.[a-z_]*\]/s//[scenarios.$long]/" "$base_toml" > "$corpus/assessment/long_scenario_id.toml"
columns=(id name category benchmark ceg date source evidence notes)
row=(x Name scaffolding bench 10 2023-10 https://example.org assumption note)
for i in "${!columns[@]}"; do
  fields=("${row[@]}")
  fields[i]=$long
  { head -n 2 "$fixtures/good/base/enhancements.csv"; (IFS=,; echo "${fields[*]}"); } \
    > "$corpus/enhancements/long_${columns[i]}.csv"
done
for t in enhancements composability scaling; do
  for f in "$corpus/$t"/*; do tr '\n' '\r' < "$f" > "$f.cr"; done
done
mkdir -p "$corpus/estimate"
i=0
for e in '5 to 30' '12' 'normal(0.1, 0.05)' 'lognormal(1, 0.5)' 'uniform(0.2, 0.9)' \
         'loguniform(1, 100)' 'beta(2, 5)' 'triangular(1, 3, 10)' '-0.1 to 0.2' '>= 14'; do
  printf '%s' "$e" > "$corpus/estimate/seed$i"; i=$((i + 1))
done
mkdir -p "$corpus/tolerances"
i=0
for t in '[default]\nrel = 10.0\n' \
         '[metrics."open_weights.uplift.12m.p50"]\nabs = 0\nrel = 0\n' \
         '[default]\nrel = 0.05\n[metrics."*.uplift.12m.p50"]\nabs = 0.1\nrel = 0.02\n' \
         '[default]\nabs = 1\n\n[metrics]\n"*.*.*.p95" = { rel = 0.5 }\n' \
         '[default]\nrell = 0.05\n' '[default]\nrel = -1\n'; do
  printf "$t" > "$corpus/tolerances/seed$i"; i=$((i + 1))
done

# One build for every target, so that the wall time of each run below is fuzzing alone.
cargo +nightly fuzz build -s "$sanitizer"
for target in "${targets[@]}"; do
  echo "== $target: $runs executions"
  start=$(date +%s)
  cargo +nightly fuzz run -s "$sanitizer" "$target" "$corpus/$target" -- -runs="$runs" \
    -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 2>&1 \
    | grep -E "^#[0-9]+[[:space:]]+(DONE|INITED)|^stat::number_of_executed_units|^Done|SUMMARY|panicked|ERROR" || true
  echo "== $target: $(($(date +%s) - start)) s wall"
done
