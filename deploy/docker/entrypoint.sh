#!/bin/sh
# Each start begins with an empty metrics directory: prometheus-client's multi-process files of processes
# that no longer run must not be added up again (see partnerpost/ops/metrics.py).
set -eu
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
  rm -rf "$PROMETHEUS_MULTIPROC_DIR"
  mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
fi
exec "$@"
