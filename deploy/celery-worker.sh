#!/bin/sh
# One Celery worker, named by its systemd instance (deploy/systemd/panoptic-worker@.service):
# QUEUE or QUEUE-N. panoptic-worker@checks-1 and panoptic-worker@checks-2 both consume the
# queue "checks", so one machine may run several workers of a queue; the instance name
# keeps their Celery node names apart. The pool and its size come from the environment.
set -eu
instance=${1:?usage: deploy/celery-worker.sh QUEUE[-N]}
queue=${instance%%-*}
exec "$(dirname "$0")/../.venv/bin/celery" -A config worker --queues="$queue" \
  --hostname="$instance@%h" --pool="${CELERY_POOL:-prefork}" \
  --concurrency="${CELERY_CONCURRENCY:-2}" --loglevel="${LOG_LEVEL:-INFO}" --without-mingle
