"""The deployment recipes in the repository refer to things that exist and hold together.

Docker cannot build or run here (no daemon on the development machines), so these tests check what can be
checked without it: the compose file's shape and every command it runs, the systemd units with
systemd-analyze, and the Dockerfile's production steps run by hand (collectstatic in production mode).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_every_part_with_real_commands():
    services = _compose()["services"]
    assert sorted(services) == ["migrate", "postgres", "proxy", "redis", "sender1", "sender2", "tasks", "web1", "web2"]
    commands = {name: service.get("command") for name, service in services.items()}
    assert commands["web1"] == commands["web2"] == ["partnerpost", "serve", "--no-collectstatic", "--workers", "2",
                                                    "--threads", "4"]
    assert commands["sender1"] == commands["sender2"] == ["partnerpost", "worker"]
    assert commands["tasks"] == ["partnerpost", "tasks", "worker"]
    assert commands["migrate"] == ["partnerpost", "migrate", "--noinput"]
    for name in ("web1", "web2", "sender1", "sender2", "tasks"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        environment = services[name]["environment"]
        assert environment["CACHE_URL"] == "redis://redis:6379/0"
        assert environment["DATABASE_URL"].startswith("postgres://partnerpost:")
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    caddyfile = (ROOT / "deploy/docker/Caddyfile").read_text()
    assert "reverse_proxy web1:8000 web2:8000" in caddyfile and "health_uri /readyz" in caddyfile
    # Each command's options exist (argparse refuses an unknown one).
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for command in (commands["web1"], commands["sender1"], commands["tasks"], commands["migrate"]):
        done = subprocess.run([sys.executable, "-m", "partnerpost", *command[1:], "--help"], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr


def test_systemd_units_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    partnerpost = shutil.which("partnerpost", path=str(Path(sys.executable).parent))
    assert partnerpost, "the partnerpost command is not installed beside this Python"
    units = sorted((ROOT / "deploy/systemd").glob("partnerpost*.*"))
    names = []
    for unit in units:
        if unit.suffix not in (".service", ".timer"):
            continue
        # The units name the install location of docs/operations.md; here, the checkout's own command.
        text = unit.read_text().replace("/srv/partnerpost/.venv/bin/partnerpost", partnerpost)
        (tmp_path / unit.name).write_text(text)
        names.append(str(tmp_path / unit.name))
    assert [Path(n).name for n in names] == ["partnerpost-backup.service", "partnerpost-backup.timer",
                                             "partnerpost-sender@.service", "partnerpost-tasks.service",
                                             "partnerpost-web.service"]
    done = subprocess.run([analyze, "verify", *names], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_the_images_collectstatic_step_works_in_production_mode(tmp_path):
    """The Dockerfile's RUN collectstatic line, with its environment, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARTNERPOST_ENV": "production",
           "PARTNERPOST_VAR_DIR": str(tmp_path / "var"), "MEDIA_ROOT": str(tmp_path / "media"),
           "SECRET_KEY": "collectstatic-only-not-a-secret-0123456789abcdef", "ALLOWED_HOSTS": "build",
           "DEBUG": "false"}
    env.pop("DATABASE_URL", None)
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "SECRET_KEY=collectstatic-only-not-a-secret-0123456789abcdef ALLOWED_HOSTS=build DEBUG=false" in dockerfile
    assert "USER partnerpost" in dockerfile and dockerfile.count("FROM python:3.11-slim-bookworm") == 2
    # `partnerpost backup` and `restore` on PostgreSQL run pg_dump and pg_restore: the runtime stage has them.
    assert "postgresql-client" in dockerfile.split("AS runtime", 1)[1]
    done = subprocess.run([sys.executable, "-m", "partnerpost", "collectstatic", "--noinput", "--verbosity", "0"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    static = tmp_path / "var" / "static"
    assert (static / "staticfiles.json").is_file()  # the manifest of hashed names (production storage)
    assert (static / "portal" / "site.css").is_file() and list((static / "portal").glob("site.*.css.gz"))
