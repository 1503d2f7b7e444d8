"""The `partnerpost` command as an operator uses it, in real subprocesses."""

import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import free_port

PARTNERPOST = [sys.executable, "-m", "partnerpost"]


def _run(args, env_overrides, **kwargs):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "PARTNERPOST_ENV"}}
    # The CLI tests use a database file of their own, whatever the suite runs on.
    env["DATABASE_URL"] = f"sqlite:///{env_overrides.get('PARTNERPOST_VAR_DIR', '/tmp')}/cli.sqlite3"
    env.update(env_overrides)
    return subprocess.run(PARTNERPOST + args, env=env, capture_output=True, text=True, timeout=120, **kwargs)


def test_production_refuses_insecure_defaults_and_names_them(tmp_path):
    result = _run(["check"], {"PARTNERPOST_ENV": "production", "DEBUG": "true", "PARTNERPOST_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "Partnerpost will not start in production mode" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert "DEBUG is on" in result.stderr
    assert "ALLOWED_HOSTS is empty" in result.stderr


def test_production_starts_with_safe_settings(tmp_path):
    result = _run(["check", "--deploy", "--fail-level", "ERROR"], {
        "PARTNERPOST_ENV": "production", "SECRET_KEY": "x7" * 30, "ALLOWED_HOSTS": "news.example.org",
        "PARTNERPOST_VAR_DIR": str(tmp_path),
    })
    assert result.returncode == 0, result.stderr


def test_bad_variable_is_named(tmp_path):
    result = _run(["check"], {"EMAIL_URL": "pigeon://loft", "PARTNERPOST_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "EMAIL_URL must start with smtp://, smtps://, console: or outbox:, not 'pigeon://loft'" in result.stderr


def test_help_lists_our_commands(tmp_path):
    result = _run(["help"], {"PARTNERPOST_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0
    assert "demo" in result.stdout and "serve" in result.stdout
    result = _run(["demo", "--help"], {"PARTNERPOST_VAR_DIR": str(tmp_path)})
    assert "Load the demo partners, items and users." in result.stdout


def test_serve_answers_with_granian_and_whitenoise(tmp_path):
    env = {"PARTNERPOST_VAR_DIR": str(tmp_path), "DEBUG": "false"}
    assert _run(["migrate", "--noinput"], env).returncode == 0
    port = free_port()
    env_full = {**os.environ, **env, "DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3"}
    server = subprocess.Popen(PARTNERPOST + ["serve", "--port", str(port), "--workers", "1"], env=env_full,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                    page = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("partnerpost serve did not answer: " + (server.stdout.read() if server.poll() is not None else ""))
                time.sleep(0.3)
        assert "Partners' newsroom" in page
        assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
        assert len(assets) == 4  # stylesheet, icon, brand mark, htmx
        for path in assets:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                assert response.status == 200, path
    finally:
        server.terminate()
        server.wait(timeout=20)
