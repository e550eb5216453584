#!/usr/bin/env bash
# Serve the site with a Celery worker and celery beat, in the foreground.
# Ctrl-C stops all three. Expects `make setup` to have run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}

$PY manage.py migrate --no-input -v 0
$PY manage.py load_demo_data
$PY manage.py ensure_admin
$PY manage.py collectstatic --no-input -v 0

pids=()
stop() {
  trap - INT TERM EXIT
  echo "stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT HUP

mkdir -p var/celery
# Prefork: Celery's time limits apply (a threads pool ignores them). Each child runs one
# group of source checks at a time and fetches inside it concurrently.
.venv/bin/celery -A config worker --loglevel=INFO --pool=prefork \
  --concurrency="${CELERY_CONCURRENCY:-4}" --hostname="web@%h" &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO --schedule=var/celery/beat-schedule \
  --pidfile= &
pids+=($!)
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers 3 \
  --access-logfile - --no-control-socket &
pids+=($!)
echo "Panoptic Tracker: http://127.0.0.1:$PORT/ (admin at /admin/). Ctrl-C stops it."
wait -n "${pids[@]}"
