#!/usr/bin/env bash
# Runs the benchmark suite and renders BENCHMARKS.md from the results of this one
# run on this one machine. Usage: scripts/bench.sh [criterion filter]
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf target/criterion
cargo bench -p jsbox --bench suite -- "$@"
cargo bench -p jsbox --bench memory | tail -n 1 > target/criterion/memory.json
cargo build --release -p jsbox-cli
for threads in 1 2; do
  target/release/jsbox bench --json --seconds 8 --threads "$threads" > "target/criterion/spawn_threads_$threads.json"
done
# Node 20 on the same work as the Node-API groups, in the same run: each
# scripts/node_*_bench.js prints `group/case: <median> µs` lines.
: > target/criterion/node_side_by_side.txt
for script in scripts/node_*_bench.js; do
  node "$script" >> target/criterion/node_side_by_side.txt
done
python3 scripts/render_benchmarks.py > BENCHMARKS.md
echo "BENCHMARKS.md updated"
