"""PostgreSQL's recent slice: a second, partial text index over the newest items, asked first by broad queries."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerpost.discovery import search
from partnerpost.discovery.search import postgres

pytestmark = pytest.mark.django_db


def _fill(count=400):
    """`count` index rows without items (matches() reads the index alone): every text says "budget", every
    hundredth from the 7th says "treasury", the even ones are events."""
    engine = search.backend()
    engine.upsert([
        search.Entry(pk, "en", f"Note {pk}", "The budget office" + (" and the treasury" if pk % 100 == 7 else ""),
                     kind="event" if pk % 2 == 0 else "news", year=2020)
        for pk in range(1, count + 1)
    ])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE discovery_search")
    return engine


def _matches(engine, words, tags=(), limit=50):
    now = connection.ops.adapt_datetimefield_value(dt.datetime.now(dt.timezone.utc))
    engine._queries = {}
    with CaptureQueriesContext(connection) as queries:
        found = engine.matches(words, list(tags), ["en"], now, limit)
    sliced = any("WITH found" in q["sql"] and "item_id > " in q["sql"] for q in queries.captured_queries)
    return found, sliced


@pytest.mark.postgres_only
def test_broad_queries_take_the_newest_items_from_the_slice_and_others_ask_the_whole_index(capsys):
    engine = _fill()
    call_command("search", "recent", "--items", "100")
    assert "covers items after id 300" in capsys.readouterr().out
    assert engine.recent_start() == 300

    found, sliced = _matches(engine, ["budget"])
    assert sliced and found.found == 51 and len(found.ids) == 50 and min(found.ids) > 300  # capped, from the newest
    assert found.counts["kind"] == {"event": 25, "news": 25}

    found, sliced = _matches(engine, ["treasury"])  # four matches, mostly older: the whole index, exact
    assert not sliced and sorted(found.ids) == [7, 107, 207, 307] and found.found == 4

    # More candidates wanted than the slice can hold: the whole index answers, and its count is exact.
    found, sliced = _matches(engine, ["budget"], limit=150)
    assert found.found == 151 and len(found.ids) == 150

    # A filter the slice cannot fill (events are half the rows): asked first only if expected to fill it.
    found, _ = _matches(engine, ["budget"], ["kevent"], limit=60)
    assert found.found == 61 and all(pk % 2 == 0 for pk in found.ids)

    # Without the slice, the same broad query gives the same count, from anywhere in the index.
    engine.make_recent(1000)
    assert engine.recent_start() is None
    found, sliced = _matches(engine, ["budget"])
    assert not sliced and found.found == 51


@pytest.mark.postgres_only
def test_the_slice_is_moved_to_the_newest_items_and_dropped_when_it_would_be_everything(capsys):
    engine = _fill()
    assert engine.make_recent(100) == 300
    engine.upsert([search.Entry(pk, "en", "Later", "budget", kind="news") for pk in range(401, 451)])
    assert engine.recent_start() == 300  # later items fall in the slice as it is
    found, _ = _matches(engine, ["later"])
    assert sorted(found.ids) == list(range(401, 451))
    call_command("search", "recent", "--items", "100")
    assert engine.recent_start() == 350
    call_command("search", "recent", "--items", "5000")
    assert "no slice is kept" in capsys.readouterr().out
    assert engine.recent_start() is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'discovery_search_recent%%'")
        assert cursor.fetchone()[0] == 0


@pytest.mark.postgres_only
def test_a_rebuild_makes_the_slice_for_a_large_index(monkeypatch, people, django_capture_on_commit_callbacks):
    from .test_search import _publish

    with django_capture_on_commit_callbacks(execute=True):
        items = [_publish(people.editor, people.icap, title=f"Budget note {n}") for n in range(3)]
    monkeypatch.setattr(postgres, "RECENT_FROM", 3)
    monkeypatch.setattr(postgres, "RECENT_ITEMS", 1)
    search.rebuild()
    assert search.backend().recent_start() == items[1].pk
    monkeypatch.setattr(postgres, "RECENT_FROM", 4)
    search.rebuild()
    assert search.backend().recent_start() is None  # too small: one index


def test_the_recent_command_explains_bad_input_and_sqlite():
    with pytest.raises(CommandError, match="--items: give a number of items of at least 1, not 0"):
        call_command("search", "recent", "--items", "0")
    if connection.vendor == "sqlite":
        from io import StringIO

        out = StringIO()
        call_command("search", "recent", stdout=out)
        assert "Nothing to do" in out.getvalue()
