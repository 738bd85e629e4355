#!/usr/bin/env bash
# Trunk post-build hook: writes the service worker's lists and version from the files Trunk just
# built, so they can never drift from the build (no hand-kept file names). PRECACHE is kept by
# every phone at install; LATER (the files worker, .xlsx and .docx, and the county's screen, which
# the bureau's staff open and no teacher does) when the app asks for it (a care lead's phone, one
# kept on its own) and elsewhere the first time it is used (public/sw.js).
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
cd "$dir"
files=$(find . -type f ! -name sw.js ! -name '*.map' | sed 's|^\./|/|' | LC_ALL=C sort)
kept_later='^/(shouwang-files-|split_county_screen-)'
later=$(printf '%s\n' $files | grep -E "$kept_later" || true)
now=$(printf '%s\n' $files | grep -Ev "$kept_later")
printf '%s\n' $later | grep -q '^/shouwang-files-' || { echo "precache: the files worker is not in the build" >&2; exit 1; }
printf '%s\n' $later | grep -q '^/split_county_screen-' || { echo "precache: the county's screen is not in the build" >&2; exit 1; }
version=$(printf '%s\n' $files | while read -r f; do sha256sum ".${f}"; done | sha256sum | cut -c1-16)
quoted() { for f in "$@"; do printf '"%s"\n' "$f"; done | paste -sd, -; }
list=$( { echo '"/"'; quoted $now; } | paste -sd, -)
sed -i -e "s|__SHOUWANG_VERSION__|${version}|" -e "s|__SHOUWANG_PRECACHE__|[${list}]|" \
  -e "s|__SHOUWANG_LATER__|[$(quoted $later)]|" sw.js
bytes() { for f in "$@"; do cat ".${f}"; done | wc -c; }
echo "precache: $(echo "$now" | wc -l) files ($(bytes $now) B) at install, $(echo "$later" | wc -l) later ($(bytes $later) B), version ${version}"
