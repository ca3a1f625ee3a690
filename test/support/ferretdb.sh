#!/usr/bin/env bash
# Local FerretDB for the MongoDB adapter tests: SQLite backend by default (chosen by measurement,
# see README "FerretDB"); FERRETDB_BACKEND=postgresql with FERRETDB_POSTGRESQL_URL (default
# postgres://127.0.0.1:5432/ferretdb) runs it on PostgreSQL instead.
#
#   ferretdb.sh install         build FerretDB once into the cache (needs Go)
#   ferretdb.sh start [port]    install if needed, start on 127.0.0.1:port (default 27027),
#                               print the MongoDB URI on stdout
#   ferretdb.sh stop [port]     stop it and remove its data
#
#   export MONGODB_URI=$(bash test/support/ferretdb.sh start)
#
# Every command is idempotent. Progress goes to stderr, so stdout carries only the URI.
set -euo pipefail

readonly VERSION=v1.24.2
readonly CACHE_DIR="${FERRETDB_CACHE:-$HOME/.cache/contact-profiles}"
readonly BIN="$CACHE_DIR/ferretdb-$VERSION"
readonly DEFAULT_PORT=27027

log() { echo "ferretdb.sh: $*" >&2; }

run_dir() { echo "${TMPDIR:-/tmp}/contact-profiles-ferretdb-$1"; }

# `go install …@v1.24.2` cannot be used: the Go proxy refuses the version list (403), and a
# binary built straight from the read-only module cache panics on an empty
# build/version/version.txt. So: fetch the module, copy it, stamp the version, build the copy.
install() {
  if [[ -x "$BIN" ]]; then
    return 0
  fi
  command -v go >/dev/null || { log "Go is required to build FerretDB $VERSION"; exit 1; }
  log "building FerretDB $VERSION into $BIN (a few minutes, once)"
  (
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    cd "$work"
    go mod init ferretdb-fetch >/dev/null 2>&1
    go get "github.com/FerretDB/FerretDB@$VERSION" >&2
    cp -r "$(go env GOMODCACHE)/github.com/!ferret!d!b/!ferret!d!b@$VERSION" src
    chmod -R u+w src
    echo "$VERSION" > src/build/version/version.txt
    cd src
    GOFLAGS=-buildvcs=false go build -o "$work/ferretdb" ./cmd/ferretdb >&2
    mkdir -p "$CACHE_DIR"
    mv "$work/ferretdb" "$BIN"
  )
  log "built $BIN"
}

port_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

running_pid() {
  local pid_file="$1/ferretdb.pid"
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

start() {
  local port="${1:-$DEFAULT_PORT}"
  local dir
  dir="$(run_dir "$port")"
  if running_pid "$dir" >/dev/null; then
    log "already running on port $port"
    echo "mongodb://127.0.0.1:$port/"
    return 0
  fi
  if port_answers "$port"; then
    log "port $port is taken by another process"
    exit 1
  fi
  install
  rm -rf "$dir"
  mkdir -p "$dir/data"
  local backend=(--handler=sqlite --sqlite-url="file:$dir/data/")
  if [[ "${FERRETDB_BACKEND:-sqlite}" == postgresql ]]; then
    backend=(--handler=postgresql --postgresql-url="${FERRETDB_POSTGRESQL_URL:-postgres://127.0.0.1:5432/ferretdb}")
  fi
  nohup "$BIN" \
    "${backend[@]}" \
    --listen-addr="127.0.0.1:$port" \
    --state-dir="$dir" \
    --debug-addr=- \
    --telemetry=disable \
    >"$dir/ferretdb.log" 2>&1 </dev/null &
  echo $! >"$dir/ferretdb.pid"
  local waited=0
  until port_answers "$port"; do
    if ! running_pid "$dir" >/dev/null; then
      log "FerretDB exited at start; log: $dir/ferretdb.log"
      tail -n 20 "$dir/ferretdb.log" >&2
      exit 1
    fi
    if ((waited >= 300)); then
      log "FerretDB did not answer on port $port within 30s; log: $dir/ferretdb.log"
      exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  log "started (pid $(cat "$dir/ferretdb.pid"), log $dir/ferretdb.log)"
  echo "mongodb://127.0.0.1:$port/"
}

stop() {
  local port="${1:-$DEFAULT_PORT}"
  local dir pid
  dir="$(run_dir "$port")"
  if pid="$(running_pid "$dir")"; then
    kill "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null && ((waited < 100)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "stopped (pid $pid)"
  else
    log "not running on port $port"
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  install) install ;;
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  *)
    echo "usage: $0 install | start [port] | stop [port]" >&2
    exit 2
    ;;
esac
