#!/usr/bin/env bash
# Stop the processes start.sh started (by the pids it recorded, nothing else). Safe to run when nothing runs.
# Usage: scripts/kube-apiserver/stop.sh [--quiet] [--purge]   (--purge also deletes the run folder: certs, tokens)
set -euo pipefail
# shellcheck source=./common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

quiet=0 purge=0
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=1 ;;
    --purge) purge=1 ;;
    *) kube_die "unknown option $arg (use --quiet or --purge)" ;;
  esac
done
say() { [[ $quiet -eq 1 ]] || kube_log "$@"; }

stop_one() { # stop_one <name>: TERM the recorded pid if it still is that program, KILL after 15 s
  local name=$1 file="$SPE_KUBE_STATE_DIR/$1.pid" pid
  [[ -f "$file" ]] || return 0
  pid=$(cat "$file")
  # Only signal the pid if it is still the program we started (pids get reused).
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.3
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "$name (pid $pid) did not stop on TERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "stopped $name (pid $pid)"
  fi
  rm -f "$file"
}

stop_one kube-controller-manager
stop_one kube-apiserver
stop_one etcd
if [[ $purge -eq 1 ]]; then
  rm -rf "$SPE_KUBE_STATE_DIR"
  say "removed $SPE_KUBE_STATE_DIR"
fi
