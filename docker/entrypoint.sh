#!/bin/sh
# Runs one process of contact-profiles as PID 1 (exec), so that it receives SIGTERM itself.
set -eu
role="${1:-api}"
[ "$#" -gt 0 ] && shift
case "$role" in
  api) exec node /app/dist/apps/api/main.js "$@" ;;
  projector) exec node /app/dist/apps/projector/main.js "$@" ;;
  cli) exec node /app/dist/apps/cli/main.js "$@" ;;
  *)
    echo "usage: api | projector | cli <command> [options]   (got: $role)" >&2
    exit 2
    ;;
esac
