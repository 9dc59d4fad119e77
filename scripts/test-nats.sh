#!/usr/bin/env bash
# A throwaway NATS server with JetStream for the tests of JetStreamPipeline (jest's globalSetup
# starts it and its globalTeardown stops it; see test/support/nats-global-setup.ts).
#
#   scripts/test-nats.sh start [DIR]   starts `nats-server -js` on 127.0.0.1 and a free port from
#                                     54222 up (or $MINIONS_TEST_NATS_PORT), its JetStream store in
#                                     DIR (default: a new temp dir). Prints, one a line:
#                                       MINIONS_TEST_NATS_URL=nats://127.0.0.1:<port>
#                                       MINIONS_TEST_NATS_DIR=<dir>
#   scripts/test-nats.sh stop DIR      stops that server and removes DIR.
#
# With MINIONS_TEST_NATS_OWNER_PID set (jest's pid), `start` records it, and first stops the
# servers of earlier runs whose owner is no longer running (a run killed before its teardown).
# nats-server comes from Debian's `nats-server` package (scripts/install-test-tools.sh installs
# it) or any nats-server on PATH.
set -euo pipefail

say() { printf 'test-nats: %s\n' "$*" >&2; }

find_server() {
  if command -v nats-server >/dev/null 2>&1; then command -v nats-server; return; fi
  if [ -x /usr/sbin/nats-server ]; then printf '/usr/sbin/nats-server\n'; return; fi
  say "nats-server is not installed: run scripts/install-test-tools.sh (installs Debian's nats-server package), or put it on PATH, or set MINIONS_TEST_NATS_URL to a server of your own (with JetStream)."
  exit 1
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_dir() {
  local dir=$1 pid
  if [ -f "$dir/server.pid" ]; then
    pid=$(cat "$dir/server.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$dir"
}

# Servers of earlier runs whose owner (MINIONS_TEST_NATS_OWNER_PID) died without its teardown.
reap_stale() {
  local old pid
  for old in "${TMPDIR:-/tmp}"/minions-nats.*; do
    [ -f "$old/owner.pid" ] || continue
    pid=$(cat "$old/owner.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      say "stopping the server of a run that ended without stopping it: $old"
      stop_dir "$old"
    fi
  done
}

start() {
  local server dir port attempt=1 pid
  server=$(find_server)
  reap_stale
  dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/minions-nats.XXXXXX")}
  mkdir -p "$dir"
  if [ -n "${MINIONS_TEST_NATS_OWNER_PID:-}" ]; then printf '%s\n' "$MINIONS_TEST_NATS_OWNER_PID" > "$dir/owner.pid"; fi
  port=${MINIONS_TEST_NATS_PORT:-54222}
  while :; do
    if [ -z "${MINIONS_TEST_NATS_PORT:-}" ]; then
      while port_busy "$port"; do
        port=$((port + 1))
        if [ "$port" -gt 54321 ]; then say "no free port in 54222-54321 on 127.0.0.1"; exit 1; fi
      done
    fi
    # Detached from this shell, so that jest's execFileSync returns once the server is up.
    setsid "$server" -js -a 127.0.0.1 -p "$port" -sd "$dir/jetstream" -l "$dir/server.log" \
      </dev/null >/dev/null 2>&1 &
    pid=$!
    printf '%s\n' "$pid" > "$dir/server.pid"
    for _ in $(seq 1 100); do
      if grep -q 'Server is ready' "$dir/server.log" 2>/dev/null; then break; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if grep -q 'Server is ready' "$dir/server.log" 2>/dev/null && kill -0 "$pid" 2>/dev/null; then break; fi
    kill "$pid" 2>/dev/null || true
    # Another run may take the same free port at the same moment: then try the next ones.
    if [ -n "${MINIONS_TEST_NATS_PORT:-}" ] || [ "$attempt" -ge 5 ]; then
      say "nats-server did not start on 127.0.0.1:$port:"; tail -n 20 "$dir/server.log" >&2 || true; exit 1
    fi
    attempt=$((attempt + 1))
    port=$((port + 1))
    : > "$dir/server.log"
  done
  printf 'MINIONS_TEST_NATS_URL=nats://127.0.0.1:%s\n' "$port"
  printf 'MINIONS_TEST_NATS_DIR=%s\n' "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop_dir "${1:?usage: test-nats.sh stop DIR}" ;;
  *) say "usage: $0 start [DIR] | stop DIR"; exit 2 ;;
esac
