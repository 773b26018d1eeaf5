"""Two slow clients holding half-sent request bodies do not stop the app from answering:
gunicorn runs with the repository's gunicorn.conf.py (threaded workers)."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status


@pytest.fixture
def gunicorn_server(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "MAATJES_ENV": "production",
        "MAATJES_SECRET_KEY": "s" * 48,
        "MAATJES_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "MAATJES_ALLOW_SQLITE_IN_PRODUCTION": "1",
        "MAATJES_BIND": f"127.0.0.1:{port}",
        "MAATJES_WORKERS": "2",
        "MAATJES_ACCESS_LOG": str(tmp_path / "access.log"),
    }
    env.pop("MAATJES_TEST_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(f"{base}/healthz", 1)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.2)
        yield base, port, tmp_path / "access.log"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        process.stderr.close()


def test_two_slow_clients_do_not_stop_healthz(gunicorn_server):
    base, port, _log = gunicorn_server
    slow = []
    for _ in range(2):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(
            b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
            b"email=slow"
        )
        slow.append(s)
    time.sleep(1)
    try:
        for _ in range(3):
            assert _get(f"{base}/healthz", 5) == 200
    finally:
        for s in slow:
            s.close()


def test_the_access_log_holds_no_tokens_or_query_strings(gunicorn_server):
    base, _port, log = gunicorn_server
    for path in ("/password/very-secret-token", "/calendar/another-secret.ics", "/login?q=Ismael"):
        with contextlib.suppress(OSError):  # 404s raise; only the log matters here
            _get(base + path, 5)
    time.sleep(0.5)
    text = log.read_text()
    assert "/password/[token]" in text and "/calendar/[token]" in text
    assert "very-secret" not in text and "another-secret" not in text and "Ismael" not in text
