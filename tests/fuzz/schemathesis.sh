#!/usr/bin/env bash
# Fuzzes every operation of the API from its own OpenAPI document (`/api/openapi.json`) with
# schemathesis, against a live server with demo data: anonymously, then signed in as each role.
# Fails on any 5xx, any status the document does not list, and any body or content type that
# does not match it. Bounded: EXAMPLES test cases per operation and phase, a fixed seed.
#
#   tests/fuzz/schemathesis.sh [path/to/microwish-server]
#
# FUZZ_DATABASE=postgres://… fuzzes a server on that (empty) PostgreSQL database instead of a
# new SQLite file.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
server=${1:-$root/target/debug/microwish-server}
examples=${EXAMPLES:-20}
seed=${SEED:-20261128}
venv=$root/target/tools/schemathesis
out=$root/target/fuzz
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# A virtualenv of our own with the pinned versions (PyPI), skipped when already in place.
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$(grep '^schemathesis==' "$root/tests/fuzz/requirements.txt" | cut -d= -f3)"; then
  say "installing schemathesis into target/tools (PyPI)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/tests/fuzz/requirements.txt"
fi

work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
"$server" serve --addr "127.0.0.1:$port" --database "${FUZZ_DATABASE:-sqlite://$work/fuzz.db}" --demo \
  >"$work/server.log" 2>&1 &
server_pid=$!
cleanup() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 100); do
  python3 -c "import urllib.request; urllib.request.urlopen('$base/api/health')" 2>/dev/null && break
  sleep 0.1
done

# Sign every role in first: the anonymous run fuzzes the login itself.
session() {
  python3 - "$base" "$1" "$2" <<'PY'
import json, sys, urllib.request
base, phone, password = sys.argv[1:]
body = json.dumps({"phone": phone, "password": password}).encode()
request = urllib.request.Request(base + "/api/auth/login", body, {"Content-Type": "application/json"})
with urllib.request.urlopen(request) as response:
    cookie = response.headers["Set-Cookie"].split(";")[0]
print(cookie)
PY
}
declare -A cookies=(
  [visitor]=""
  [worker]=$(session 13800000001 xingyi-worker-2026)
  [donor]=$(session 13800000002 xingyi-donor-2026)
  [volunteer]=$(session 13800000003 xingyi-volunteer-2026)
  [shopkeeper]=$(session 13800000004 xingyi-shop-2026)
  [resident]=$(session 13800000005 xingyi-resident-2026)
  [property]=$(session 13800000006 xingyi-property-2026)
)

mkdir -p "$out"
cd "$out" # schemathesis keeps its own state in the working directory
failed=()
for role in visitor worker donor volunteer shopkeeper resident property; do
  say "schemathesis as $role: $examples examples per operation and phase"
  args=(run "$base/api/openapi.json"
    --max-examples "$examples" --seed "$seed" --generation-database none --no-color
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
    # An endless event stream cannot be read to its end.
    --exclude-path /api/events
    --report junit --report-junit-path "$out/$role.xml")
  if [ -n "${cookies[$role]}" ]; then
    # Signing out (here or everywhere) would end the session the rest of the run uses.
    args+=(--exclude-path /api/auth/logout --exclude-path /api/me/sessions --header "Cookie: ${cookies[$role]}")
  fi
  if "$venv/bin/schemathesis" "${args[@]}" >"$out/$role.log" 2>&1; then
    grep -E '^ +[0-9]+ generated' "$out/$role.log" || true
  else
    cat "$out/$role.log"
    failed+=("$role")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "schemathesis found failures as: ${failed[*]} (logs in target/fuzz)" >&2
  exit 1
fi
say "every operation answered within its schema for every role"
