#!/usr/bin/env bash
# Trunk post-build hook (release builds): writes a brotli (.br) and a gzip (.gz) copy of each
# text and wasm file, which the server sends to a browser that accepts them. Compressed once
# here at the strongest settings instead of on every request: the first download of the app on
# a 750 kbit/s village link is a quarter smaller than with gzip, and the school's server spends
# no CPU compressing it for each of its phones.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
[ "${TRUNK_PROFILE:-release}" = release ] || exit 0
command -v brotli >/dev/null || { echo "compress: brotli is missing (bash .ci/setup installs it)" >&2; exit 1; }
cd "$dir"
count=0
while IFS= read -r -d '' file; do
  brotli --quality=11 --force --output="$file.br" "$file"
  gzip -9 --no-name --keep --force "$file"
  count=$((count + 1))
done < <(find . -type f -size +1k \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.webmanifest' \) -print0)
echo "compress: $count files, brotli and gzip"
