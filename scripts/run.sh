#!/usr/bin/env bash
# Serve the site with a Celery worker and celery beat, in the foreground.
# Ctrl-C stops all three. Expects `make setup` to have run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}

$PY manage.py migrate --no-input -v 0
$PY manage.py load_demo_data
# The first administrator (once): a username asked for in a terminal, or given as
# ADMIN_USERNAME, else a random one; printed once with its password.
admin_args=(--email "${ADMIN_EMAIL:-admin@localhost}")
if [ -n "${ADMIN_USERNAME:-}" ]; then
  admin_args+=(--username "$ADMIN_USERNAME")
elif [ ! -t 0 ]; then
  admin_args+=(--username "admin-$($PY -c 'import secrets; print(secrets.token_hex(4))')")
fi
$PY manage.py ensure_admin "${admin_args[@]}"
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
# One worker per queue (config/settings.py CELERY_TASK_ROUTES). Source checks run in a
# prefork pool, where Celery's time limits apply (a threads pool ignores them); each child
# runs one group of checks at a time and fetches inside it concurrently.
.venv/bin/celery -A config worker --loglevel=INFO --queues=checks --pool=prefork \
  --concurrency="${CELERY_CONCURRENCY:-4}" --hostname="checks@%h" &
pids+=($!)
# E-mail, RTI chasing and the rest.
.venv/bin/celery -A config worker --loglevel=INFO --queues=default --pool=threads \
  --concurrency=4 --hostname="default@%h" &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO --schedule=var/celery/beat-schedule \
  --pidfile= &
pids+=($!)
.venv/bin/gunicorn config.wsgi:application --config deploy/gunicorn.conf.py \
  --bind "127.0.0.1:$PORT" --workers 3 --no-control-socket &
pids+=($!)
echo "Panoptic Tracker: http://127.0.0.1:$PORT/ (admin at /admin/, health at /healthz). Ctrl-C stops it."
echo "API_NUM_PROXIES=${API_NUM_PROXIES:-0}: reverse proxies in front of the site. Behind a proxy," \
  "set it to their number, or every client shares one API rate-limit bucket."
wait -n "${pids[@]}"
