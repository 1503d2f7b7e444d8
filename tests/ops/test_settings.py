"""Settings of this area refuse bad values by name (each case starts a fresh process, as a server would)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start(**env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "partnerpost.settings", **env}
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                           "print(settings.STORAGES['default']['BACKEND'], settings.SESSION_ENGINE, "
                           "settings.CACHES['default']['BACKEND'])"],
                          env=environment, capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize(("env", "message"), [
    ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE must be filesystem or s3, not 'ftp'"),
    ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs S3_BUCKET (and usually S3_ENDPOINT_URL, S3_ACCESS_KEY_ID and "
                              "S3_SECRET_ACCESS_KEY)"),
    ({"CACHE_URL": "memcached://127.0.0.1:11211"}, "CACHE_URL must start with redis:// or rediss://, not 'memcached'"),
    ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be text or json, not 'xml'"),
    ({"METRICS_ALLOWED_NETWORKS": "10.0.0.0/8,intranet"}, "METRICS_ALLOWED_NETWORKS: 'intranet' does not appear to "
                                                           "be an IPv4 or IPv6 network"),
])
def test_bad_operations_settings_are_refused_by_name(env, message):
    started = _start(**env)
    assert started.returncode == 1
    assert started.stderr.strip().splitlines()[-1] == f"django.core.exceptions.ImproperlyConfigured: {message}"


def test_defaults_and_redis_choices():
    assert _start(CACHE_URL="", MEDIA_STORAGE="").stdout.split() == [
        "django.core.files.storage.FileSystemStorage", "django.contrib.sessions.backends.db",
        "django.core.cache.backends.locmem.LocMemCache"]
    assert _start(CACHE_URL="redis://127.0.0.1:6379/6").stdout.split() == [
        "django.core.files.storage.FileSystemStorage", "django.contrib.sessions.backends.cached_db",
        "partnerpost.ops.cache.FallbackRedisCache"]


def test_health_endpoints_answer_plain_http_in_production(tmp_path):
    """Load balancers and Prometheus talk plain HTTP to the process: no redirect to HTTPS for them."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "partnerpost.settings",
                   "PARTNERPOST_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "testserver",
                   "DEBUG": "false", "PARTNERPOST_VAR_DIR": str(tmp_path)}
    code = ("import django; django.setup(); from django.test import Client; c = Client(); "
            "print(c.get('/healthz').status_code, c.get('/metrics').status_code, c.get('/items/').status_code)")
    done = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.stdout.split() == ["200", "200", "301"], done.stderr
