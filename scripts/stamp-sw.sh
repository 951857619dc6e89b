#!/bin/sh
# Trunk post_build hook (Trunk.toml): stamps the staged service worker with this build's id and
# the files it precaches. The id hashes every built file and the worker itself, so any change
# (a new wasm, an edited icon) gives a new sw.js, which browsers pick up on the next load.
set -eu

stage=${TRUNK_STAGING_DIR:?must run as a Trunk hook (TRUNK_STAGING_DIR is unset)}
base=${TRUNK_PUBLIC_URL:-/}
fail() {
    echo "stamp-sw: $*" >&2
    exit 1
}

cd "$stage"
[ -f sw.js ] || fail "$stage/sw.js is missing (public/ not copied into dist?)"
[ -f index.html ] || fail "$stage/index.html is missing"
for token in __MICROWISH_BUILD__ "'__MICROWISH_PRECACHE__'"; do
    [ "$(grep -c -- "$token" sw.js)" = 1 ] || fail "sw.js must hold the placeholder $token once (already stamped?)"
done

# Every built file but the worker itself, in a stable order. The names go into a sed
# replacement and a JS string literal, so only plain characters are accepted.
files=$(find . -type f ! -path ./sw.js ! -name '.*' | sed 's|^\./||' | LC_ALL=C sort)
odd=$(printf '%s\n' "$files" | grep -v '^[A-Za-z0-9._/-]*$' || true)
[ -z "$odd" ] || fail "file names with unexpected characters: $odd"
printf '%s\n' "$base" | grep -q '^/[A-Za-z0-9._/-]*$' || fail "unexpected public URL: $base"

build=$({ printf '%s\n' "$files" | xargs sha256sum; cat sw.js; } | sha256sum | cut -c1-16)
list=$(printf '%s\n' "$files" | sed "s|.*|'$base&'|" | paste -sd, -)
sed -e "s|__MICROWISH_BUILD__|$build|" -e "s|'__MICROWISH_PRECACHE__'|$list|" sw.js >sw.js.tmp
mv sw.js.tmp sw.js
! grep -q __MICROWISH_ sw.js || fail "a placeholder survived in sw.js"

count=$(printf '%s\n' "$files" | wc -l)
bytes=$(printf '%s\n' "$files" | xargs cat | wc -c)
echo "stamp-sw: build $build precaches $count files, $bytes bytes"
