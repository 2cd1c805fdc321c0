#!/usr/bin/env bash
# Checks the Prometheus files of deploy/monitoring with promtool (Debian/Ubuntu: apt-get install
# prometheus): the alerting rules parse, the Prometheus config (with its rule file) is valid, and the
# rules' unit tests pass. Runs from any directory; .ci/run runs it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if ! command -v promtool >/dev/null 2>&1; then
  echo "check.sh: promtool not found (apt-get install prometheus)" >&2
  exit 1
fi

promtool check rules deploy/monitoring/prometheus/framewise-alerts.yml
promtool check config deploy/monitoring/prometheus/prometheus.yml
promtool test rules deploy/monitoring/prometheus/framewise-alerts.test.yml
