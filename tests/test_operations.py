"""Operations (issue 10, defects 7, 8 and 10): a broken PDF cache falls back to rendering; a locked
database gives a 503 page that keeps the input, and SQLite runs in WAL mode; secret tokens never
reach a log; HEAD works wherever GET does; static files and the bad-Host 400 page carry CSP and
X-Frame-Options; X-Forwarded-Proto is believed only when a setting says a proxy is in front."""
import logging
import os
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from generator import policy
from generator.answers import load_document
from generator.render.pdf import render_pdf_cached

from test_wizard import BUSINESS_OK, _free_port, _Session, new_draft, page_form

ROOT = Path(__file__).resolve().parent.parent


# --- defect 7: the PDF cache -----------------------------------------------------------------------

def test_a_cache_path_that_is_not_a_directory_falls_back_to_rendering(tmp_path, allru_answers, caplog):
    not_a_dir = tmp_path / "cache"
    not_a_dir.write_text("a file where the cache directory should be")
    document = policy.build(load_document(allru_answers).answers)
    with caplog.at_level(logging.WARNING, logger="generator.render.pdf"):
        pdf = render_pdf_cached(document, directory=not_a_dir)
    assert pdf.startswith(b"%PDF-")
    assert any("PDF cache" in r.getMessage() for r in caplog.records)
    assert not_a_dir.read_text() == "a file where the cache directory should be"


@pytest.mark.django_db
def test_pdf_download_works_with_a_broken_cache(client, allru_answers, tmp_path, settings):
    broken = tmp_path / "cache"
    broken.write_text("not a directory")
    settings.HOSTPOLICY_CACHE_DIR = broken
    token = new_draft(client, allru_answers)
    response = client.get(f"/d/{token}/download/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF-")


# --- servers in subprocesses ---------------------------------------------------------------------------

def _wait_for(port, proc, log):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/wizard/favicon.svg", timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("server did not start")


def _stop(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _migrate(env):
    result = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _start_draft(browser):
    status, html, _ = browser.get("/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    request = urllib.request.Request(browser.base + "/start/", data=urllib.parse.urlencode({"csrfmiddlewaretoken": csrf}).encode(),
                                     headers={"Referer": browser.base + "/"})
    try:
        browser.opener.open(request, timeout=10)
    except urllib.error.HTTPError as e:
        assert e.code == 302, e.code
        return re.search(r"/d/([A-Za-z0-9_-]{43})/", e.headers["Location"]).group(1)
    raise AssertionError("expected a redirect")


# --- defect 8: database unavailable; defect 10: tokens in runserver's log --------------------------

def test_locked_database_gives_a_503_page_that_keeps_the_input(tmp_path):
    db_path = tmp_path / "db.sqlite3"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db_path}", DEBUG="false", ALLOWED_HOSTS="127.0.0.1",
               HOSTPOLICY_SQLITE_BUSY_TIMEOUT="0.3", PYTHONUNBUFFERED="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _migrate(env)
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # set by the settings, kept by the file
    port = _free_port()
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        _wait_for(port, server, log)
        browser = _Session(f"http://127.0.0.1:{port}")
        token = _start_draft(browser)
        status, html, _ = browser.get(f"/d/{token}/business/")
        assert status == 200
        form = page_form(html)
        csrf = form["csrfmiddlewaretoken"][0]

        locker = sqlite3.connect(db_path, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")  # another writer holds the lock; readers go on (WAL)
        try:
            fields = {**{k: v for k, v in form.items()}, **{k: [v] for k, v in BUSINESS_OK.items()},
                      "legal_name": ["Zebra & <Sons> Ltd"], "nav": ["next"], "csrfmiddlewaretoken": [csrf]}
            body = urllib.parse.urlencode([(k, v) for k, vs in fields.items() for v in vs]).encode()
            request = urllib.request.Request(f"{browser.base}/d/{token}/business/", data=body,
                                             headers={"Referer": f"{browser.base}/d/{token}/business/"})
            with pytest.raises(urllib.error.HTTPError) as caught:
                browser.opener.open(request, timeout=30)
            error = caught.value
            page = error.read().decode()
            assert error.code == 503
            assert error.headers["Retry-After"] == "10"
            assert "Nothing was saved" in page
            assert "Zebra &amp; &lt;Sons&gt; Ltd" in page  # the input, escaped, shown and in the retry form
            retry = page_form(page, css_class="mb-4")
            assert retry["legal_name"] == ["Zebra & <Sons> Ltd"] and retry["csrfmiddlewaretoken"] == [csrf]
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        # once the database is free, the same form goes through
        request = urllib.request.Request(f"{browser.base}/d/{token}/business/", data=body,
                                         headers={"Referer": f"{browser.base}/d/{token}/business/"})
        try:
            browser.opener.open(request, timeout=30)
            raise AssertionError("expected a redirect")
        except urllib.error.HTTPError as e:
            assert e.code == 302
        status, html, _ = browser.get(f"/d/{token}/business/")
        assert "Zebra &amp; &lt;Sons&gt; Ltd" in html
    finally:
        _stop(server)
    text = log.read_text()
    assert "/d/<redacted>/business/" in text
    assert token not in text


# --- defect 10: gunicorn in production mode ---------------------------------------------------------

HOST = "policies.example.com"


def _production_env(tmp_path, **extra):
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ}
    env.update({
        "HOSTPOLICY_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "staticfiles"), "HOSTPOLICY_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _request(port, path, method="GET", host=HOST, proto="https"):
    headers = {"Host": host}
    if proto:
        headers["X-Forwarded-Proto"] = proto
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn as the README starts it (gunicorn.conf.py from the project directory), behind a proxy."""
    servers = []

    def start(**extra):
        env = _production_env(tmp_path, **extra)
        for args in (("migrate", "--noinput"), ("collectstatic", "--noinput")):
            result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                                    text=True, timeout=120)
            assert result.returncode == 0, result.stderr
        port = _free_port()
        log = tmp_path / f"gunicorn-{port}.log"
        with open(log, "w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "generator.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        servers.append(proc)
        _wait_for(port, proc, log)
        return port, log

    yield start
    for proc in servers:
        _stop(proc)


def test_production_headers_head_and_log_redaction(gunicorn):
    port, log = gunicorn(HOSTPOLICY_BEHIND_PROXY="true")
    token = secrets.token_urlsafe(32)
    # HEAD wherever GET is allowed
    status, headers, body = _request(port, "/", method="HEAD")
    assert status == 200 and body == b""
    assert _request(port, f"/d/{token}/business/", method="HEAD")[0] == 404
    # static files carry CSP and X-Frame-Options too
    status, headers, _ = _request(port, "/static/wizard/favicon.svg")
    assert status == 200
    assert "default-src 'self'" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"
    # so does the 400 page of a bad Host header
    status, headers, _ = _request(port, "/", host="evil.example")
    assert status == 400
    assert "default-src 'self'" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"
    # the access log names the path without the token
    deadline = time.monotonic() + 10  # gunicorn writes the access line after the response
    while len(re.findall(r'HTTP/1\.\d" \d{3} ', log.read_text())) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    text = log.read_text()
    assert f"/d/<redacted>/business/" in text
    assert token not in text


def test_forwarded_proto_is_ignored_without_a_proxy_setting(gunicorn):
    port, _ = gunicorn()
    status, headers, _ = _request(port, "/", proto="https")
    assert status == 301 and headers["Location"] == f"https://{HOST}/"  # the claim is not believed
