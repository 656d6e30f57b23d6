#!/usr/bin/env bash
# `make loadtest`: gunicorn in production mode (2 workers) and one PDF task worker on 127.0.0.1 only,
# on a throwaway SQLite database, under Locust (headless): USERS simulated people (default 50) for
# DURATION (default 60s), each stopping by itself after a bounded number of requests. Prints
# requests, failures and percentiles per endpoint; everything is stopped and deleted afterwards.
set -euo pipefail
PY=${PY:-.venv/bin/python}
USERS=${USERS:-50}
DURATION=${DURATION:-60s}
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DIR=$(mktemp -d "${TMPDIR:-/tmp}/hostpolicy-load.XXXXXX")
export HOSTPOLICY_ENV=production SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export ALLOWED_HOSTS=127.0.0.1 CSRF_TRUSTED_ORIGINS="https://127.0.0.1:$PORT" HOSTPOLICY_BEHIND_PROXY=true
export DATABASE_URL="sqlite:///$DIR/db.sqlite3" STATIC_ROOT="$DIR/static" HOSTPOLICY_CACHE_DIR="$DIR/cache"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
"$PY" -m gunicorn generator.wsgi --bind "127.0.0.1:$PORT" --workers 2 --access-logfile "$DIR/access.log" \
  >"$DIR/gunicorn.log" 2>&1 &
pids+=($!)
nice -n 10 "$PY" manage.py db_worker --interval 0.2 >"$DIR/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/static/wizard/favicon.svg', timeout=1)" \
    2>/dev/null && break
  sleep 0.2
done
echo "loadtest: $USERS users for $DURATION against gunicorn (2 workers) and one task worker on 127.0.0.1:$PORT"
"$(dirname "$PY")/locust" -f loadtest/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
  --users "$USERS" --spawn-rate 10 --run-time "$DURATION" --stop-timeout 10 --only-summary \
  --exit-code-on-error 1 2>&1 | grep -v "^\[.*INFO/" || status=$?
echo "loadtest: PDFs rendered by the task worker: $(grep -c 'SUCCESSFUL\|Task id=' "$DIR/worker.log" || true)"
exit "${status:-0}"
