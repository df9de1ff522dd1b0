#!/usr/bin/env bash
# Effective draws per second of the exact grid (overhang-calibrate's infer::posterior) against
# PyMC + nutpie, on one dataset in results.json's `inference` shape.
#  - Rust: builds crates/calibrate/examples/infer_dataset.rs in release mode; per category the
#    median wall time of RUNS calls of posterior() (the grid, every search pass included) and
#    the time of 4,000 and of 1,000 joint draws by Posterior::draw. The draws are independent
#    (inverse CDF of the tabulated posterior), so ESS = draws and
#    ESS/s = draws / (grid time + draw time). One thread.
#  - PyMC + nutpie: check.py (4 chains of 1,000 tuning steps and 10,000 draws, a fixed seed,
#    the chains on nutpie's threads); compile time (nutpie.compile_pymc_model) apart from
#    sampling time (nutpie.sample, tuning included). ESS/s = the smaller bulk ESS of a and g
#    / sampling wall time, and / (compile + sampling). check.py also checks the agreement.
# Prints the date, load, versions and a table per category with the ratio Rust / PyMC.
# Usage: bench/inference/speed.sh [DATASET.json] [RUNS]   (default: the synthetic dataset, 21)
set -euo pipefail
cd "$(dirname "$0")/../.."
dataset="${1:-bench/inference/synthetic.json}"
runs="${2:-21}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

cargo build --quiet --release --locked -p overhang-calibrate --example infer_dataset
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load:$(uptime | sed 's/.*load average://')"
echo "dataset: $dataset; $(nproc) cores; $(rustc --version)"

"$CARGO_TARGET_DIR/release/examples/infer_dataset" "$dataset" --time "$runs" > "$scratch/rust.jsonl"
status=0
python3 bench/inference/check.py "$dataset" --out "$scratch/pymc.json" > "$scratch/check.txt" 2>&1 || status=$?
grep -E '^(versions|PASS|FAIL)' "$scratch/check.txt"
echo "load after:$(uptime | sed 's/.*load average://')"

python3 - "$scratch/rust.jsonl" "$scratch/pymc.json" <<'PY'
import json, sys
rust = [json.loads(line) for line in open(sys.argv[1])]
pymc = {(c["scope"], c["category"]): c for c in json.load(open(sys.argv[2]))["categories"]}
print(f"\nRust: median of {rust[0]['runs']} runs of posterior(); PyMC: "
      "4 chains x (1,000 tune + 10,000 draws)")
head = ("category", "rows", "grid ms", "4000 dr ms", "ESS/s 4000", "ESS/s 1000",
        "compile s", "sample s", "bulk ESS", "ESS/s", "ESS/s +comp", "ratio", "ratio +comp")
print("| " + " | ".join(head) + " |")
print("|" + "|".join("---" for _ in head) + "|")
for r in rust:
    p = pymc[(r["scope"], r["category"])]["pymc"]
    cells = (
        f"{r['scope']}/{r['category']}", r["rows"],
        f"{1e3 * r['grid_s']:.1f}", f"{1e3 * r['draw4000_s']:.2f}",
        f"{r['ess_per_s_4000']:,.0f}", f"{r['ess_per_s_1000']:,.0f}",
        f"{p['compile_s']:.2f}", f"{p['sample_s']:.3f}", f"{p['ess_bulk_min']:,.0f}",
        f"{p['ess_per_s']:,.0f}", f"{p['ess_per_s_with_compile']:,.0f}",
        f"{r['ess_per_s_4000'] / p['ess_per_s']:.2f}",
        f"{r['ess_per_s_4000'] / p['ess_per_s_with_compile']:.1f}",
    )
    print("| " + " | ".join(str(c) for c in cells) + " |")
print("\nratio: Rust ESS/s (4,000 draws) / PyMC ESS/s (sampling only; +comp: compile included)")
PY
exit "$status"
