#!/usr/bin/env bash
# Runs the benchmark suite and renders BENCHMARKS.md from the results of this one
# run on this one machine. Usage: scripts/bench.sh [criterion filter]
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf target/criterion
cargo bench -p jsbox --bench suite -- "$@"
cargo bench -p jsbox --bench memory | tail -n 1 > target/criterion/memory.json
python3 scripts/render_benchmarks.py > BENCHMARKS.md
echo "BENCHMARKS.md updated"
