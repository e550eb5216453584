#!/usr/bin/env bash
# Install the Debian packages the project needs, when they are missing.
# As root: apt-get installs them. Otherwise: one line naming what is missing.
set -euo pipefail

packages=(gdal-bin libgdal32 gettext chromium fonts-noto-core)
# RTI letters: WeasyPrint lays out PDF with Pango (Devanagari shaped by HarfBuzz) and the
# Noto fonts above; poppler-utils' pdftotext reads documents' text layers (and tests letters).
packages+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)
# nginx: tests/ops/test_production_stack.py runs deploy/nginx.conf.example in front of the site.
packages+=(nginx)
[ -n "${DATABASE_URL:-}" ] || packages+=(postgresql-15 postgresql-15-postgis-3)
[ -n "${CELERY_BROKER_URL:-}" ] || packages+=(redis-server)
# make bench also needs wrk (HTTP load) for bench/bench_site.py.
[ -z "${WITH_BENCH_TOOLS:-}" ] || packages+=(wrk)

if ! command -v dpkg-query >/dev/null; then
  echo "system-packages: not a Debian system; install these yourself: ${packages[*]}" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "missing system packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "system-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The Debian packages start a system-wide cluster, Redis and nginx we do not use.
for svc in postgresql redis-server nginx; do
  if command -v service >/dev/null; then service "$svc" stop >/dev/null 2>&1 || true; fi
done
