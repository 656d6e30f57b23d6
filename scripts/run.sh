#!/usr/bin/env bash
# `make run`: the PDF task worker in the background, at a lower CPU priority so that a render does not
# slow the pages; the web server in the foreground. Stopping the server (Ctrl-C) stops the worker too.
set -euo pipefail
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
nice -n 10 "$PY" manage.py db_worker --interval 0.5 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
"$PY" manage.py runserver "$HOST:$PORT"
