"""The task worker on the database backend, the periodic tick and `partnerpost tasks` / `search rebuild --background`."""

import datetime as dt

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from partnerpost.tasks import schedule
from partnerpost.tasks.models import PeriodicRun


def test_two_ticks_in_one_period_queue_each_task_once(db):
    noon = dt.datetime(2026, 12, 1, 12, 0, 5, tzinfo=dt.timezone.utc)
    first = schedule.tick(noon)
    second = schedule.tick(noon + dt.timedelta(seconds=40))  # same minute, same day: another worker's tick
    assert [(t.job.name, t.result is not None) for t in first] == [
        ("publish_due_items", True), ("prune_task_history", True), ("poll_partner_feeds", True),
        ("registration_upkeep", True), ("recount_live_total", True)]
    assert [(t.job.name, t.result) for t in second] == [
        ("publish_due_items", None), ("prune_task_history", None), ("poll_partner_feeds", None), ("registration_upkeep", None),
        ("recount_live_total", None)]
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "partnerpost.content.tasks.publish_due_items", "partnerpost.content.tasks.recount_live_total",
        "partnerpost.importer.feed_tasks.poll_partner_feeds",
        "partnerpost.registration.tasks.registration_upkeep", "partnerpost.tasks.housekeeping.prune_task_history"]
    # the next minute: the minute task again, not the daily one, the hourly feed poll nor the five-minute upkeep
    third = schedule.tick(noon + dt.timedelta(minutes=1))
    assert [(t.job.name, t.result is not None) for t in third] == [
        ("publish_due_items", True), ("prune_task_history", False), ("poll_partner_feeds", False), ("registration_upkeep", False),
        ("recount_live_total", False)]
    assert DBTaskResult.objects.count() == 6
    assert list(PeriodicRun.objects.filter(name="publish_due_items").values_list("period_start", flat=True)) == [
        dt.datetime(2026, 12, 1, 12, 1, tzinfo=dt.timezone.utc), dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)]
    first_result = first[0].result
    assert PeriodicRun.objects.get(name="publish_due_items", period_start__minute=0).result_id == str(first_result.id)


def _indexed_items(people):
    from partnerpost.content import workflows
    from partnerpost.content.enums import ItemKind
    from partnerpost.content.models import Item

    for title in ("Digital government review", "Digital skills for civil servants"):
        item = workflows.create_item(people.editor, Item(kind=ItemKind.NEWS, partner=people.icap, title=title,
                                                         summary="On digital services.", published_on=dt.date(2020, 10, 5)))
        for step in (workflows.submit_item, workflows.approve_item, workflows.publish_item):
            step(people.editor, item)


def test_worker_runs_a_queued_rebuild_on_the_database_backend(worked, people, capsys):
    from partnerpost.discovery import search

    _indexed_items(people)
    assert search.search("digital").total == 2
    search.backend().clear()
    assert search.search("digital").total == 0

    call_command("search", "rebuild", "--background")
    [queued] = DBTaskResult.objects.all()
    assert (queued.task_path, queued.status) == ("partnerpost.discovery.tasks.rebuild_search_index", "READY")
    assert f"Queued the rebuild as task {queued.id}" in capsys.readouterr().out
    assert search.search("digital").total == 0  # queued, not run

    call_command("tasks", "worker", "--until-empty", "--no-periodic", "--interval", "0")
    queued.refresh_from_db()
    assert (queued.status, queued.return_value) == ("SUCCESSFUL", 2)
    assert search.search("digital").total == 2
    out = capsys.readouterr().out
    assert "rebuild_search_index successful" in out and "Task worker stopped after 1 task." in out

    call_command("tasks", "list")
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split() == ["queued", "task", "status", "took", "id"]
    assert listing[1].split()[2:4] == ["rebuild_search_index", "successful"] and listing[1].endswith(str(queued.id))


def test_worker_ticks_the_schedule_and_stops_after_max_tasks(worked, capsys):
    call_command("tasks", "worker", "--max-tasks", "1", "--interval", "0")
    assert "Task worker stopped after 1 task." in capsys.readouterr().out
    assert PeriodicRun.objects.count() == 5  # every periodic task queued by the worker's tick...
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["READY", "READY", "READY", "READY", "SUCCESSFUL"]  # ...one run
    call_command("tasks", "worker", "--until-empty", "--interval", "0")
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert DBTaskResult.objects.count() == PeriodicRun.objects.count()  # one task per periodic row, none twice
