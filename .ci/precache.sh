#!/usr/bin/env bash
# Trunk post-build hook: writes the service worker's precache list and version from the files
# Trunk just built, so the list can never drift from the build (no hand-kept file names).
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
cd "$dir"
files=$(find . -type f ! -name sw.js ! -name '*.map' | sed 's|^\./|/|' | LC_ALL=C sort)
version=$(printf '%s\n' $files | while read -r f; do sha256sum ".${f}"; done | sha256sum | cut -c1-16)
list=$( { echo '"/"'; for f in $files; do printf '"%s"\n' "$f"; done; } | paste -sd, -)
sed -i -e "s|__SHOUWANG_VERSION__|${version}|" -e "s|__SHOUWANG_PRECACHE__|[${list}]|" sw.js
echo "precache: $(echo "$files" | wc -l) files, version ${version}"
