#!/bin/sh
# Trunk post_build hook (Trunk.toml): stamp the service worker with this build's files, then
# compress its hashed files once at their best (the .br/.gz copies are not precached: the browser
# decodes what it fetches, so the worker caches the files themselves).
set -eu
sh scripts/stamp-sw.sh
node scripts/precompress.mjs
