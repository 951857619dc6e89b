#!/usr/bin/env bash
# Installs every tool that building, running and testing microwish needs.
# Each step is skipped when the tool is already there at the pinned version,
# so a warm machine pays seconds, a fresh one ~20 minutes (Trunk is the slow part).
#
#   scripts/install-tools.sh build   # what `make run` needs: wasm target, Trunk, wasm-bindgen, wasm-opt
#   scripts/install-tools.sh test    # the above plus Chromium, ChromeDriver and Playwright
#   scripts/install-tools.sh bench   # the above plus wrk (the server's load generator)
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal wasm-bindgen in Cargo.lock (pinned with "=" in Cargo.toml)

want=${1:-test}
root=$(cd "$(dirname "$0")/.." && pwd)
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo clippy --version >/dev/null 2>&1 || ! cargo fmt --version >/dev/null 2>&1; then
  say "adding clippy and rustfmt (make lint)"
  rustup component add clippy rustfmt
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (~4 min)"
  # Not --locked: its lock file names a webpki-roots version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (~13 min on 2 cores)"
  # 0.22 needs a newer rustc than this machine has; no default features = no self-download code.
  cargo install --locked trunk --version "$TRUNK_VERSION" --no-default-features --force
fi

# npm: binaryen's wasm-opt (Debian's 108 miscompiles for the browser), playwright-core, axe-core, jsqr and
# json-server (what `make bench` compares our list reads with).
if ! (cd "$root" && npm ls --depth=0 >/dev/null 2>&1); then
  say "installing npm packages (binaryen, playwright-core, axe-core, jsqr, json-server)"
  (cd "$root" && npm ci --no-audit --no-fund)
fi

if [ "$want" = test ] || [ "$want" = bench ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v brotli >/dev/null || missing+=(brotli)
  # A CJK font, so screenshots of the Chinese UI show characters rather than boxes.
  [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
  # PostgreSQL's server, for the API tests on PostgreSQL (scripts/pg-cluster.sh runs a cluster
  # of its own; the package's own service is not used).
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  if [ "$want" = bench ]; then
    command -v wrk >/dev/null || missing+=(wrk)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}"
  fi
fi
say "tools ready"
