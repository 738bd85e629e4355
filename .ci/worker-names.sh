#!/usr/bin/env bash
# Trunk post-build hook, run before precache.sh: names the files worker (crates/files) by its
# content, as Trunk names the app's own files. Trunk leaves a worker's files unhashed
# (shouwang-files.js, shouwang-files_bg.wasm) because a page must name them at run time; this
# gives them the hash, writes the loader that starts the worker (importScripts the bindings, then
# run the wasm) under the same hash, and puts the loader's name in index.html, where the app reads
# it (src/files.rs). A page thus only ever starts the worker built with it, the server can keep
# the files forever (crates/server/src/static_files.rs) and compress.mjs compresses them.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
cd "$dir"
name=shouwang-files
hash=$(cat "${name}.js" "${name}_bg.wasm" | sha256sum | cut -c1-16)
mv "${name}.js" "${name}-${hash}.js"
mv "${name}_bg.wasm" "${name}-${hash}_bg.wasm"
loader="${name}-loader-${hash}.js"
# A wasm that fails to load rejects a promise, which a worker does not report to its page;
# thrown from a task instead, it reaches the page's onerror and the teacher sees why.
printf 'importScripts("./%s");wasm_bindgen("./%s").catch((e)=>setTimeout(()=>{throw e;}));\n' \
  "${name}-${hash}.js" "${name}-${hash}_bg.wasm" > "$loader"
grep -q '__SHOUWANG_FILES__' index.html || { echo "index.html has no __SHOUWANG_FILES__" >&2; exit 1; }
sed -i "s|__SHOUWANG_FILES__|/${loader}|" index.html
echo "files worker: ${name}-${hash}_bg.wasm, loader ${loader}"
