#!/usr/bin/env bash
# Installs what the test suite needs besides npm packages:
# - promtool, Prometheus' own checker, which the metrics tests run on the /metrics endpoint
#   (`promtool check metrics`);
# - chromium, the headless browser the status page test drives (through puppeteer-core, which
#   downloads no browser of its own);
# - PostgreSQL's server programs (initdb, pg_ctl), for the PostgresStateStore tests: jest's
#   globalSetup starts a throwaway cluster of its own with them (scripts/test-postgres.sh). The
#   package's own cluster is neither created nor started.
# - nats-server, for the JetStreamPipeline tests: jest's globalSetup starts a throwaway
#   `nats-server -js` of its own with it (scripts/test-nats.sh); the package's service is not started.
# Idempotent: installs only what is missing, and does nothing when all are there. Needs root or
# sudo, and apt-get (Debian, Ubuntu); elsewhere, put promtool (from a Prometheus release archive),
# chromium, PostgreSQL's initdb and pg_ctl, and nats-server on PATH instead.
set -euo pipefail

say() { printf 'install-test-tools: %s\n' "$*" >&2; }

have_chromium() {
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -x /usr/bin/chromium ]
}

have_postgres() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; }
}

have_nats() {
  command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ]
}

NEED_PROMTOOL=0
NEED_CHROMIUM=0
NEED_POSTGRES=0
NEED_NATS=0
command -v promtool >/dev/null 2>&1 || NEED_PROMTOOL=1
have_chromium || NEED_CHROMIUM=1
have_postgres || NEED_POSTGRES=1
have_nats || NEED_NATS=1
if [ "$NEED_PROMTOOL" = 0 ] && [ "$NEED_CHROMIUM" = 0 ] && [ "$NEED_POSTGRES" = 0 ] && [ "$NEED_NATS" = 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  [ "$NEED_PROMTOOL" = 1 ] && say "promtool is not on PATH and apt-get is not available: install promtool from a Prometheus release archive and put it on PATH."
  [ "$NEED_CHROMIUM" = 1 ] && say "chromium is not on PATH and apt-get is not available: install chromium and put it on PATH."
  [ "$NEED_POSTGRES" = 1 ] && say "PostgreSQL's initdb and pg_ctl are not on PATH and apt-get is not available: install the PostgreSQL server and put its bin directory on PATH (or set MINIONS_TEST_POSTGRES_URL to a server for the tests)."
  [ "$NEED_NATS" = 1 ] && say "nats-server is not on PATH and apt-get is not available: install nats-server and put it on PATH (or set MINIONS_TEST_NATS_URL to a server with JetStream for the tests)."
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    say "installing the test tools needs root (or sudo): run this script as root."
    exit 1
  fi
  SUDO=(sudo)
fi

apt_get() { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }

apt_get update -q >/dev/null

# The prometheus and postgresql packages install servers as services; only their programs are
# wanted. Forbid service starts while packages install (a policy-rc.d that answers 101), unless
# the machine already has such a policy; removed at exit. (postgresql still creates its `main`
# cluster, on port 5432, but does not start it.)
POLICY=/usr/sbin/policy-rc.d
ADDED_POLICY=0
remove_policy() {
  if [ "$ADDED_POLICY" = 1 ]; then "${SUDO[@]}" rm -f "$POLICY"; fi
}
trap remove_policy EXIT
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 755 "$POLICY"
  ADDED_POLICY=1
fi

if [ "$NEED_PROMTOOL" = 1 ]; then
  # promtool ships in Debian's `prometheus` package, which also installs the Prometheus server.
  say "installing promtool (Debian package prometheus, its server not started)"
  apt_get install -y -q --no-install-recommends prometheus >/dev/null

  # Should the package's server have started all the same, stop it and keep it from starting at boot.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    "${SUDO[@]}" systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/prometheus ]; then
    "${SUDO[@]}" /etc/init.d/prometheus stop >/dev/null 2>&1 || true
  fi

  if ! command -v promtool >/dev/null 2>&1; then
    say "the prometheus package is installed but promtool is still not on PATH."
    exit 1
  fi
  say "$(promtool --version 2>&1 | head -n 1)"
fi

if [ "$NEED_CHROMIUM" = 1 ]; then
  say "installing chromium (Debian package chromium), for the status page test"
  apt_get install -y -q --no-install-recommends chromium >/dev/null
  if ! have_chromium; then
    say "the chromium package is installed but chromium is still not on PATH nor at /usr/bin/chromium."
    exit 1
  fi
  say "$(chromium --version 2>/dev/null | head -n 1)"
fi

if [ "$NEED_POSTGRES" = 1 ]; then
  say "installing PostgreSQL (Debian package postgresql, its server not started: the tests start a cluster of their own)"
  apt_get install -y -q --no-install-recommends postgresql >/dev/null
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    "${SUDO[@]}" systemctl disable --now postgresql.service >/dev/null 2>&1 || true
  fi
  if ! have_postgres; then
    say "the postgresql package is installed but initdb is still not in /usr/lib/postgresql/*/bin nor on PATH."
    exit 1
  fi
  say "$("$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/postgres" --version 2>/dev/null)"
fi

if [ "$NEED_NATS" = 1 ]; then
  say "installing nats-server (Debian package nats-server, its service not started: the tests start a server of their own)"
  apt_get install -y -q --no-install-recommends nats-server >/dev/null
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    "${SUDO[@]}" systemctl disable --now nats-server.service >/dev/null 2>&1 || true
  fi
  if ! have_nats; then
    say "the nats-server package is installed but nats-server is still not on PATH nor at /usr/sbin/nats-server."
    exit 1
  fi
  say "$( (command -v nats-server || echo /usr/sbin/nats-server) | xargs -I{} {} --version 2>/dev/null)"
fi
