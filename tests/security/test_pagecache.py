"""Finding 10 (page cache): with the default memory cache, each process keeps its own pages. A
withdrawal made in one process must be seen at once by every other, not after a minute."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from partnerpost.content import workflows
from partnerpost.content.enums import ItemState
from tests.factories import make_item, move_to

ROOT = Path(__file__).resolve().parents[2]
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
PROCESS_A = {"default": {"BACKEND": LOCMEM, "LOCATION": "process-a"}}
PROCESS_B = {"default": {"BACKEND": LOCMEM, "LOCATION": "process-b"}}


def test_a_withdrawal_in_one_process_is_seen_by_another_at_once(client, people, django_capture_on_commit_callbacks):
    item = move_to(make_item(people.icap, title="Soon withdrawn"), ItemState.PUBLISHED, people.editor)
    with override_settings(CACHES=PROCESS_A):  # process A keeps the archive page in its own memory
        assert "Soon withdrawn" in client.get("/items/").content.decode()
        kept = client.get("/items/")
        assert kept["X-Page-Cache"] == "hit" and "Soon withdrawn" in kept.content.decode()
    with override_settings(CACHES=PROCESS_B):  # process B, with a memory of its own, takes the withdrawal
        with django_capture_on_commit_callbacks(execute=True):
            workflows.withdraw_item(people.editor, item, "Published by mistake")
    with override_settings(CACHES=PROCESS_A):  # process A's next answer no longer shows the item
        after = client.get("/items/")
        assert after["X-Page-Cache"] == "miss"
        assert "Soon withdrawn" not in after.content.decode()
        assert "Soon withdrawn" not in client.get("/items/").content.decode()


def test_the_content_version_moves_for_every_process(db, settings):
    """A real second process changes the version this process reads."""
    from partnerpost.network.paging import current_version

    before = current_version()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "partnerpost.settings", "PYTHONPATH": str(ROOT),
           "CONTENT_VERSION_FILE": str(settings.CONTENT_VERSION_FILE)}
    env.pop("CACHE_URL", None)
    script = "import django; django.setup(); from partnerpost.network.paging import bump_version; bump_version()"
    subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=ROOT, timeout=120)
    middle = current_version()
    assert middle != before
    subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=ROOT, timeout=120)
    assert current_version() not in {before, middle}
