#!/usr/bin/env bash
# Builds the app with its Rust function names kept (wasm-bindgen --keep-debug, no wasm-opt, which
# would strip them) into the directory given (default /tmp/dist-named), for a profile that names
# what ran: `BENCH_PROFILE=<file> SHOUWANG_DIST=/tmp/dist-named node run.mjs school`, then
# `node profile.mjs <file>`. Trunk reads the build's options from index.html only, so this edits
# it for the build and puts it back, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-/tmp/dist-named}"
cp index.html index.html.named-backup
trap 'mv index.html.named-backup index.html' EXIT
sed -i '0,/data-bin="shouwang" data-wasm-opt="z"/s//data-bin="shouwang" data-wasm-opt="0" data-keep-debug/' index.html
grep -q 'data-keep-debug' index.html || { echo "index.html: the app's rust link was not found" >&2; exit 1; }
# .ci/bin's wasm-bindgen splits the app's wasm, as in .ci/build; its parts keep their names too.
PATH="$PWD/.ci/bin:$PATH" SHOUWANG_SPLIT_NO_OPT=1 trunk build --release --dist "$out"
