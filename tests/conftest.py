import os
import shutil
import socket
import threading
from dataclasses import dataclass

import pytest

from tests.factories import make_partner, make_user

IN_CI = bool(os.environ.get("CI"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CI set nothing may skip: a skip becomes a failure that keeps its reason."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI, which is not allowed: {reason}"


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres_only are left out (deselected, not skipped) when the suite runs on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    chosen, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres_only") else chosen).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = chosen


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONTENT_VERSION_FILE = tmp_path / "content-version"
    # Hashing strength is not under test; the default hasher costs 0.4 s per password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()  # rate-limit counters must not leak from one test into the next
    # A request to a /fr/ page leaves French active in this thread (LocaleMiddleware activates, nothing
    # deactivates); a test that fails before its next English request would hand French to the next test.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _rate_windows_hold_still(monkeypatch):
    """Rate limits count in fixed windows (a minute, an hour). A test's requests a few milliseconds apart could
    still fall on both sides of a window's edge and find the count started again (seen once in CI). The limits'
    clock stands still at one second past the hour, so every test's requests fall in one window."""
    import time
    import types

    from partnerpost.network import ratelimit

    pinned = time.time() // 3600 * 3600 + 1
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: pinned))


@dataclass
class Personas:
    icap: object
    eropa: object
    editor: object
    icap_contributor: object
    icap_partner_editor: object
    eropa_contributor: object
    outsider: object


@pytest.fixture
def people(db):
    """The persona set: secretariat editor, ICAP contributor and partner editor, EROPA contributor, outsider."""
    icap = make_partner("ICAP", "Instituto Centroamericano de Administración Pública", display_order=3)
    eropa = make_partner("EROPA", "Eastern Regional Organization for Public Administration", display_order=4)
    return Personas(
        icap=icap,
        eropa=eropa,
        editor=make_user("editor", editor=True),
        icap_contributor=make_user("ana", partner=icap),
        icap_partner_editor=make_user("pablo", partner=icap, role="editor"),
        eropa_contributor=make_user("eri", partner=eropa),
        outsider=make_user("olga"),
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        self.raw = []
        #: the envelope sender (MAIL FROM) of each message, in the order of `messages`
        self.senders = []
        self._lock = threading.Lock()
        self.port = free_port()
        #: address -> replies to give to RCPT TO, in order, before accepting it
        self.rcpt_script = {}
        #: how many DATA commands to answer by dropping the connection
        self.drop_data = 0
        self.delay = 0.0
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        script = self.rcpt_script.get(address)
        if script:
            return script.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        import email
        from email import policy

        if self.drop_data:
            self.drop_data -= 1
            server.transport.close()
            return "421 closing"
        if self.delay:
            await asyncio.sleep(self.delay)

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
            self.senders.append(envelope.mail_from)
            self.raw.append(envelope.content)
        return "250 OK"

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


@pytest.fixture
def smtp(settings):
    sink = SmtpSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    sink.stop()


def run_queued_tasks() -> int:
    """Run the background tasks that are due, one by one, as `partnerpost tasks worker --until-empty` does
    (django-tasks-db's claim and run), but without closing the database connection between tasks, which
    would end the test's transaction on PostgreSQL. Returns how many ran."""
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="tests", excluded_queue_names=[])
    ran = 0
    while True:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if result is None:
                return ran
            result.claim("tests")
        worker.run_task(result)
        ran += 1


def chromium_paths():
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    return browser, driver


def pdffonts(path) -> str:
    """`pdffonts` on a PDF file: the fonts it embeds. Skips, saying why, where poppler-utils is missing."""
    import subprocess

    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts is not installed (poppler-utils; make test installs it where it can)")
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
