"""`partnerpost tasks`, `send --at` and the settings: what an operator types, and the errors bad input gets."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partnerpost.mailing.models import Delivery


@pytest.mark.parametrize("args, message", [
    (["list", "--limit", "0"], "--limit must be at least 1, not 0."),
    (["list", "--limit", "many"], "--limit must be a number, not 'many'."),
    (["list", "--limit", "5000"], "--limit must be at most 1000, not 5000."),
    (["worker", "--interval", "-1"], "--interval must be at least 0, not -1."),
    (["worker", "--interval", "nan"], "--interval must be at least 0, not nan."),
    (["worker", "--max-tasks", "0"], "--max-tasks must be at least 1, not 0."),
    (["worker", "--queue", "mail"], "No queue named mail; the queues are: default."),
    (["worker", "--queue", ","], "--queue needs at least one queue name (or * for all)."),
])
def test_bad_options_are_named(db, args, message):
    with pytest.raises(CommandError) as raised:
        call_command("tasks", *args)
    assert str(raised.value) == message
    assert DBTaskResult.objects.count() == 0


def test_missing_or_unknown_action(db):
    with pytest.raises(CommandError, match="the following arguments are required: ACTION"):
        call_command("tasks")
    with pytest.raises(CommandError, match="invalid choice: 'start'"):
        call_command("tasks", "start")


def test_worker_and_list_need_the_database_backend(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.TASKS_BACKEND = "immediate"
    for action in ("worker", "list"):
        with pytest.raises(CommandError, match="TASKS_BACKEND is 'immediate': tasks run where they are queued"):
            call_command("tasks", action)


@pytest.fixture
def edition(worked):
    from partnerpost.audience.models import Subscriber
    from partnerpost.content import demo
    from partnerpost.editions import demo as edition_demo

    demo.load(log=lambda *_: None)
    Subscriber.objects.create(email="reader@example.org", status="confirmed")
    return edition_demo.load(log=lambda *_: None)


@pytest.mark.parametrize("when, message", [
    ("tomorrow", "--at must be a date and time such as 2026-12-01T09:00, not 'tomorrow'."),
    ("2026-13-01T09:00", "--at must be a date and time such as 2026-12-01T09:00, not '2026-13-01T09:00'."),
    ("2020-01-01T09:00", "--at: 2020-01-01 09:00 UTC is in the past; choose a later time, or send now."),
])
def test_send_at_refuses_bad_times(edition, when, message):
    with pytest.raises(CommandError) as raised:
        call_command("send", edition.slug, "--at", when)
    assert str(raised.value) == message
    assert DBTaskResult.objects.count() == 0 and Delivery.objects.count() == 0


def test_send_at_refuses_what_could_not_be_sent_then(edition):
    from partnerpost.editions.models import Edition

    draft = Edition.objects.create(title="Draft", slug="draft", period_start=dt.date(2021, 1, 1), period_end=dt.date(2021, 3, 31))
    with pytest.raises(CommandError, match="Publish the edition before sending it."):
        call_command("send", draft.slug, "--at", "2099-01-01T09:00")
    with pytest.raises(CommandError, match="--at and --wait do not go together"):
        call_command("send", edition.slug, "--at", "2099-01-01T09:00", "--wait")
    assert DBTaskResult.objects.count() == 0


def test_send_at_queues_the_deliveries_when_the_time_comes(edition, capsys, settings):
    settings.TIME_ZONE = "Europe/Paris"
    timezone.activate("Europe/Paris")
    try:
        call_command("send", edition.slug, "--at", "2099-01-01T09:00")
    finally:
        timezone.deactivate()
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "partnerpost.mailing.tasks.send_edition"
    assert queued.args_kwargs == {"args": [edition.pk], "kwargs": {}}
    assert queued.run_after == dt.datetime(2099, 1, 1, 8, 0, tzinfo=dt.timezone.utc)  # 09:00 in Paris
    assert "its deliveries will be queued at 2099-01-01 09:00 CET" in capsys.readouterr().out

    call_command("tasks", "worker", "--until-empty", "--no-periodic", "--interval", "0")
    assert Delivery.objects.count() == 0  # not yet: its time has not come

    DBTaskResult.objects.update(run_after=timezone.now() - dt.timedelta(seconds=1))  # ...and now it has
    call_command("tasks", "worker", "--until-empty", "--no-periodic", "--interval", "0")
    queued.refresh_from_db()
    assert (queued.status, queued.return_value) == ("SUCCESSFUL", {"edition": edition.slug, "queued": 1})
    assert list(Delivery.objects.values_list("email", "status")) == [("reader@example.org", "pending")]


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "PARTNERPOST_ENV"}}
    env.update({"PARTNERPOST_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/tasks.sqlite3",
                "PYTHONPATH": os.getcwd()}, **extra)
    return env


def test_bad_tasks_backend_is_named(tmp_path):
    result = subprocess.run([sys.executable, "-m", "partnerpost", "check"], env=_env(tmp_path, TASKS_BACKEND="celery"),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "TASKS_BACKEND must be database or immediate, not 'celery'" in result.stderr


def test_sigterm_lets_the_task_under_way_finish(tmp_path):
    env = _env(tmp_path)
    partnerpost = [sys.executable, "-m", "partnerpost"]
    assert subprocess.run(partnerpost + ["migrate", "--noinput"], env=env, capture_output=True, timeout=120).returncode == 0
    marker = tmp_path / "started"
    enqueue = f"from tests.tasks.jobs import nap; nap.enqueue(1.5, {str(marker)!r})"
    assert subprocess.run(partnerpost + ["shell", "-c", enqueue], env=env, capture_output=True, timeout=60).returncode == 0

    worker = subprocess.Popen(partnerpost + ["tasks", "worker", "--no-periodic", "--interval", "0.2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the worker never started the task"
        worker.send_signal(signal.SIGTERM)  # mid-task
        out, err = worker.communicate(timeout=30)
    finally:
        worker.kill()
    assert worker.returncode == 0, err
    assert "nap successful" in out and "Task worker stopped after 1 task." in out
    listing = subprocess.run(partnerpost + ["tasks", "list"], env=env, capture_output=True, text=True, timeout=60).stdout
    assert listing.splitlines()[1].split()[2:4] == ["nap", "successful"]
