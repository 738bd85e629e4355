#!/usr/bin/env bash
# Trunk post-build hook, after worker-names.sh and before precache.sh: copies the app's parts
# and their loader (made by .ci/bin/wasm-bindgen into Trunk's wasm-bindgen directory) into the
# build, and points the loader at the main module's hashed JS, which Trunk names only after
# wasm-bindgen. A main module that does not import this build's loader was not split (Trunk found
# another wasm-bindgen first): the build stops, because such an app cannot start.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
target="${CARGO_TARGET_DIR:-${TRUNK_SOURCE_DIR:?}/target}"
parts="${target}/wasm-bindgen/${TRUNK_PROFILE:?}/split"
cd "$dir"
main_js=$(ls | grep -E '^shouwang-[0-9a-f]{12,16}\.js$')
[ "$(echo "$main_js" | wc -l)" = 1 ] || { echo "split-files: no single main module JS: $main_js" >&2; exit 1; }
loader=$(grep -oE 'shouwang-split-[0-9a-f]{16}\.js' "$main_js" | sort -u)
if [ -z "$loader" ] || [ ! -f "${parts}/${loader}" ]; then
  echo "split-files: ${main_js} does not import a loader from ${parts}; build with .ci/build (.ci/bin first on PATH)" >&2
  exit 1
fi
cp "$parts"/* .
# The linker's relocations are the splitter's input only (src/build.rs links the app with them);
# any left in a shipped wasm would be sent to every phone for nothing.
for wasm in *.wasm; do
  if grep -aqF 'reloc.CODE' "$wasm"; then echo "split-files: ${wasm} still carries the linker's relocations" >&2; exit 1; fi
done
sed -i "s|from \"./shouwang.js\"|from \"./${main_js}\"|" "$loader"
grep -qF "from \"./${main_js}\"" "$loader" || { echo "split-files: ${loader} does not import ${main_js}" >&2; exit 1; }
echo "split: $(ls "$parts" | grep -c '\.wasm$') parts, loader ${loader}"
