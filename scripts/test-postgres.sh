#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests of PostgresStateStore (jest's globalSetup starts
# it and its globalTeardown stops it; see test/support/postgres-global-setup.ts).
#
#   scripts/test-postgres.sh start [DIR]   initdb a cluster in DIR (default: a new temp dir), start
#                                         it on 127.0.0.1 and a free port from 55432 up (or
#                                         $MINIONS_TEST_POSTGRES_PORT), its unix socket in DIR;
#                                         create role `minions` (password `minions`), database
#                                         `minions_test` it owns, and role `minions_reader`
#                                         (password `reader`, no privileges: the tests of a user
#                                         lacking them). Prints, one a line:
#                                           MINIONS_TEST_POSTGRES_URL=postgres://minions:minions@127.0.0.1:<port>/minions_test
#                                           MINIONS_TEST_POSTGRES_DIR=<dir>
#   scripts/test-postgres.sh stop DIR      stops that cluster (pg_ctl stop -m fast) and removes DIR.
#
# With MINIONS_TEST_POSTGRES_OWNER_PID set (jest's pid), `start` records it, and first stops the
# clusters of earlier runs whose owner is no longer running (a run killed before its teardown).
#
# The server binaries come from Debian's `postgresql` package (scripts/install-test-tools.sh
# installs it) or any initdb/pg_ctl on PATH. Run as root, the cluster belongs to the `postgres`
# user (initdb refuses root). It listens on loopback only, with fsync off: test data, not durable.
set -euo pipefail

say() { printf 'test-postgres: %s\n' "$*" >&2; }

find_bindir() {
  if [ -n "${MINIONS_TEST_POSTGRES_BINDIR:-}" ]; then printf '%s\n' "$MINIONS_TEST_POSTGRES_BINDIR"; return; fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then printf '%s\n' "$newest"; return; fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return
  fi
  say "PostgreSQL's server programs (initdb, pg_ctl) are not installed: run scripts/install-test-tools.sh (installs Debian's postgresql package), or put them on PATH, or set MINIONS_TEST_POSTGRES_URL to a server of your own."
  exit 1
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Clusters of earlier runs whose owner (the jest process, MINIONS_TEST_POSTGRES_OWNER_PID) died
# without its teardown (killed): stopped and removed, so they hold no port or memory.
reap_stale() {
  local bindir=$1 old pid
  for old in "${TMPDIR:-/tmp}"/minions-pg.*; do
    [ -f "$old/owner.pid" ] || continue
    pid=$(cat "$old/owner.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      say "stopping the cluster of a run that ended without stopping it: $old"
      if [ -f "$old/data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$old/data" -w -t 30 stop -m immediate >/dev/null 2>&1 || true
      fi
      rm -rf "$old"
    fi
  done
}

start() {
  local bindir dir port
  bindir=$(find_bindir)
  reap_stale "$bindir"
  dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/minions-pg.XXXXXX")}
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      say "running as root, but there is no \`postgres\` user to own the cluster (initdb refuses root): install Debian's postgresql package, or run as another user."
      exit 1
    fi
    chown postgres "$dir"
  fi
  chmod 700 "$dir"
  if [ -n "${MINIONS_TEST_POSTGRES_OWNER_PID:-}" ]; then printf '%s\n' "$MINIONS_TEST_POSTGRES_OWNER_PID" > "$dir/owner.pid"; fi

  if [ -n "${MINIONS_TEST_POSTGRES_PORT:-}" ]; then
    port=$MINIONS_TEST_POSTGRES_PORT
  else
    port=55432
    while port_busy "$port" || [ -e "$dir/.s.PGSQL.$port" ]; do
      port=$((port + 1))
      if [ "$port" -gt 55531 ]; then say "no free port in 55432-55531 on 127.0.0.1"; exit 1; fi
    done
  fi

  printf 'postgres\n' > "$dir/pwfile"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir/pwfile"
  as_owner "$bindir/initdb" -D "$dir/data" --no-sync -U postgres --pwfile="$dir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { say "initdb failed:"; cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  # Another run may take the same free port at the same moment: then try the next ones.
  local attempt=1
  until as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null 2>&1; do
    if [ -n "${MINIONS_TEST_POSTGRES_PORT:-}" ] || [ "$attempt" -ge 5 ] || ! grep -q 'could not bind\|could not create any TCP/IP sockets' "$dir/server.log"; then
      say "the server did not start on 127.0.0.1:$port:"; tail -n 20 "$dir/server.log" >&2; exit 1
    fi
    attempt=$((attempt + 1))
    port=$((port + 1))
    while port_busy "$port"; do port=$((port + 1)); done
  done

  local psql=("$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres)
  as_owner "${psql[@]}" -c "CREATE ROLE minions LOGIN PASSWORD 'minions'" \
    -c "CREATE ROLE minions_reader LOGIN PASSWORD 'reader'" \
    -c "CREATE DATABASE minions_test OWNER minions" >/dev/null \
    || { say "could not create the test role and database"; exit 1; }

  printf 'MINIONS_TEST_POSTGRES_URL=postgres://minions:minions@127.0.0.1:%s/minions_test\n' "$port"
  printf 'MINIONS_TEST_POSTGRES_DIR=%s\n' "$dir"
}

stop() {
  local dir=${1:?usage: test-postgres.sh stop DIR}
  local bindir
  bindir=$(find_bindir)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -w -t 30 stop -m fast >/dev/null 2>&1 || say "pg_ctl stop failed for $dir"
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) say "usage: $0 start [DIR] | stop DIR"; exit 2 ;;
esac
