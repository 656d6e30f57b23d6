"""Production mode as the README deploys it: check --deploy, collectstatic, gunicorn behind a proxy.

Each runs manage.py or gunicorn in a subprocess with HOSTPOLICY_ENV=production, because settings
are read once per process. SQLite stands in for PostgreSQL here; the database URL is the only
difference.
"""
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOST = "policies.example.com"


@pytest.fixture
def production_env(tmp_path):
    # A clean environment, as on a server: nothing the test run itself set may leak in.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ}
    env.update({
        "HOSTPOLICY_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "staticfiles"),
        "HOSTPOLICY_CACHE_DIR": str(tmp_path / "cache"),
        "HOSTPOLICY_BEHIND_PROXY": "true",  # these requests come as from the TLS proxy, X-Forwarded-Proto and all
    })
    return env


def manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_passes_with_no_warnings(production_env):
    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(production_env):
    del production_env["SECRET_KEY"]
    result = manage(production_env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     headers={"Host": HOST, "X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_collectstatic_and_gunicorn_serve_the_wizard(production_env):
    for args in (("migrate", "--noinput"), ("collectstatic", "--noinput")):
        result = manage(production_env, *args)
        assert result.returncode == 0, result.stdout + result.stderr
    assert (Path(production_env["STATIC_ROOT"]) / "staticfiles.json").exists()

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "generator.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env=production_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, headers, body = _get(port, "/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        html = body.decode()
        assert status == 200 and "HostPolicy" in html
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        # static files are the hashed, compressed copies, served by WhiteNoise
        css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', html)
        assert css, "the page does not link the hashed stylesheet"
        status, headers, _ = _get(port, css.group(1))
        assert status == 200 and "max-age=315360000" in headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=10)
