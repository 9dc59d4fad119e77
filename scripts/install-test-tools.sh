#!/usr/bin/env bash
# Installs what the test suite needs besides npm packages: promtool, Prometheus' own checker,
# which the metrics tests run on the /metrics endpoint (`promtool check metrics`).
# Idempotent: does nothing when promtool is already on PATH. Needs root or sudo, and apt-get
# (Debian, Ubuntu); elsewhere, put promtool from a Prometheus release archive on PATH instead.
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi

say() { printf 'install-test-tools: %s\n' "$*" >&2; }

if ! command -v apt-get >/dev/null 2>&1; then
  say "promtool is not on PATH and apt-get is not available: install promtool from a Prometheus release archive and put it on PATH."
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    say "installing promtool needs root (or sudo): run this script as root."
    exit 1
  fi
  SUDO=(sudo)
fi

# promtool ships in Debian's `prometheus` package, which also installs the Prometheus server as
# a service. Only promtool is wanted: forbid service starts while the package installs (a
# policy-rc.d that answers 101), unless the machine already has such a policy.
POLICY=/usr/sbin/policy-rc.d
ADDED_POLICY=0
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 755 "$POLICY"
  ADDED_POLICY=1
fi
remove_policy() {
  if [ "$ADDED_POLICY" = 1 ]; then "${SUDO[@]}" rm -f "$POLICY"; fi
}
trap remove_policy EXIT

say "installing promtool (Debian package prometheus, its server not started)"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus

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
