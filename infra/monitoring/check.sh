#!/usr/bin/env bash
# Validates infra/monitoring with promtool (Debian package `prometheus`, installed here when missing):
#   1. promtool check rules  on every rule file (syntax, templates, duplicates);
#   2. promtool test rules   on every unit-test file (series that fire and series that do not);
#   3. promtool check rules  on the Grafana dashboards' queries (written as recording rules: PromQL parses).
# Each file is one check. Ends with one line `promtool: N passed, N failed`; exits non-zero on any failure.
# Options: --install-only (install promtool if missing, run nothing).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

install_promtool() {
  command -v promtool >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "promtool missing and not root: apt-get install -y prometheus" >&2
    return 1
  fi
  echo "== installing Debian's prometheus package (for promtool only)"
  # Only promtool is needed: keep the package's daemon from starting (no policy-rc.d of our own if one exists).
  local policy=/usr/sbin/policy-rc.d own_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
  fi
  local before
  before="$(pgrep -x prometheus || true)"
  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  local status=$?
  [ -n "$own_policy" ] && rm -f "$policy"
  # A server started by this install anyway (no policy-rc.d honoured): stop it, by pid.
  for pid in $(pgrep -x prometheus || true); do
    if ! grep -qx "$pid" <<<"$before"; then kill "$pid" 2>/dev/null && echo "stopped the prometheus server the package started (pid $pid)"; fi
  done
  [ "$status" -eq 0 ] && command -v promtool >/dev/null 2>&1
}

if ! install_promtool; then
  echo "promtool: 0 passed, 1 failed"
  exit 1
fi
[ "${1:-}" = "--install-only" ] && exit 0

passed=0
failed=0
check() { # description, command…
  local description=$1; shift
  local output
  if output="$("$@" 2>&1)"; then
    passed=$((passed + 1))
    echo "ok   $description"
  else
    failed=$((failed + 1))
    echo "FAIL $description"
    sed 's/^/     /' <<<"$output"
  fi
}

cd "$here/prometheus" || exit 1
echo "== $(promtool --version 2>&1 | head -1)"
shopt -s nullglob
rule_files=(rules/*.yml)
test_files=(tests/*.test.yml)
if [ ${#rule_files[@]} -eq 0 ] || [ ${#test_files[@]} -eq 0 ]; then
  echo "no rule files or no test files under $here/prometheus"
  echo "promtool: 0 passed, 1 failed"
  exit 1
fi
for file in "${rule_files[@]}"; do check "promtool check rules $file" promtool check rules "$file"; done
for file in "${test_files[@]}"; do check "promtool test rules $file" promtool test rules "$file"; done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if node "$here/lib/dashboard-rules.mjs" "$tmp/dashboard-queries.yml" >/dev/null; then
  check "promtool check rules (Grafana dashboard queries)" promtool check rules "$tmp/dashboard-queries.yml"
else
  failed=$((failed + 1))
  echo "FAIL reading the Grafana dashboards (lib/dashboard-rules.mjs)"
fi

echo "promtool: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
