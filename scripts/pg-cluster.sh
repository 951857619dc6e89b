#!/usr/bin/env bash
# A throw-away PostgreSQL cluster of the project's own, for the tests: `initdb` under
# target/pg, on a free port of 127.0.0.1 (and a socket in its own directory), no service of
# the machine assumed or touched. Debian's PostgreSQL is installed by
# `scripts/install-tools.sh test` when missing.
#
#   scripts/pg-cluster.sh start   # starts it unless it runs; prints its URL (superuser `microwish`)
#   scripts/pg-cluster.sh url     # the URL of the running cluster
#   scripts/pg-cluster.sh stop    # stops it and removes its files
#   scripts/pg-cluster.sh crash   # stops it at once, as a power cut would (no checkpoint)
#   scripts/pg-cluster.sh revive  # starts it again after a crash, same port, same data
#
# Fast rather than durable (fsync off): nothing in it outlives the test run. With
# MICROWISH_PG_DURABLE=1 it syncs every commit as a production server does (`make bench`
# measures that one, beside SQLite's synchronous=FULL); MICROWISH_PG_DIR moves it elsewhere.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${MICROWISH_PG_DIR:-$root/target/pg}
data=$dir/data

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg-cluster: PostgreSQL's server is not installed (run scripts/install-tools.sh test)" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: as root, the cluster belongs to Debian's `postgres` user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() { [ -f "$dir/port" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }
url() { echo "postgres://microwish@127.0.0.1:$(cat "$dir/port")/postgres"; }
serve() {
  as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
    -o "-p $(cat "$dir/port") -k $dir -c listen_addresses=127.0.0.1 $(cat "$dir/options") \
        -c max_connections=300 -c shared_buffers=128MB" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
}

case ${1:-} in
  start)
    if running; then
      url
      exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_owner "$bin/initdb" -D "$data" -U microwish --auth=trust -E UTF8 --locale=C \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
      >"$dir/port"
    if [ "${MICROWISH_PG_DURABLE:-0}" = 1 ]; then
      echo "-c fsync=on -c full_page_writes=on -c synchronous_commit=on" >"$dir/options"
    else
      echo "-c fsync=off -c full_page_writes=off -c synchronous_commit=off" >"$dir/options"
    fi
    serve
    url
    ;;
  crash)
    as_owner "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null
    ;;
  revive)
    running || serve
    url
    ;;
  url)
    running || { echo "pg-cluster: not running (scripts/pg-cluster.sh start)" >&2; exit 1; }
    url
    ;;
  stop)
    if [ -d "$data" ]; then
      as_owner "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|url|stop" >&2
    exit 2
    ;;
esac
