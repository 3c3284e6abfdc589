#!/usr/bin/env bash
# Installs the packages of package-lock.json where tests/npm_packages.rs
# installs them (target/tmp/npm-packages, outside the source tree) and writes
# what Node prints for each script to expected/<script>.txt.
# Usage: bash crates/jsbox/tests/npm/gen_expected.sh   (with Node 20 on PATH)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${CARGO_TARGET_DIR:-$here/../../../../target}"
dir="$target/tmp/npm-packages"
mkdir -p "$dir"
cp "$here/package.json" "$here/package-lock.json" "$dir/"
(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --cache "$target/tmp/npm-cache")
rm -rf "$dir/scripts" && cp -r "$here/scripts" "$dir/scripts"
for script in "$here"/scripts/*; do
  name="$(basename "$script")"
  (cd "$dir" && node "scripts/$name") > "$here/expected/${name%.*}.txt"
done
