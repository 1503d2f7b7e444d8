"""Reminders before the start, sent by the task queue: never twice, never to the cancelled, with the joining link."""

import datetime as dt

import pytest
from django.utils import timezone

from partnerpost.registration import workflows
from partnerpost.registration.tasks import registration_upkeep
from tests.conftest import run_queued_tasks
from tests.registration.conftest import make_event, open_registration

pytestmark = pytest.mark.django_db(transaction=True)


def test_reminders_days_then_hours_never_twice_never_to_cancelled(smtp, people, settings):
    start = (timezone.now() + dt.timedelta(days=5)).replace(second=0, microsecond=0)
    item = make_event(people.icap, start_date=start.date(), end_date=start.date(), start_time=start.time(), time_zone="UTC",
                      online_url="https://meet.example.org/budget-room")
    open_registration(item, reminder_days=2, reminder_hours=1)
    keep = workflows.register(item, name="Ana", email="ana@example.org", answers={"organization": "X"})
    gone = workflows.register(item, name="Bo", email="bo@example.org", answers={"organization": "X"})
    workflows.cancel_registration(gone)
    smtp.messages.clear()
    assert workflows.send_reminders(start - dt.timedelta(days=3)) == 0
    assert workflows.send_reminders(start - dt.timedelta(days=2)) == 1
    assert workflows.send_reminders(start - dt.timedelta(days=2) + dt.timedelta(minutes=5)) == 0
    assert workflows.send_reminders(start - dt.timedelta(minutes=59)) == 1
    assert workflows.send_reminders(start - dt.timedelta(minutes=30)) == 0
    assert [(r, m["Subject"]) for r, m in smtp.messages] == [(["ana@example.org"], f"Reminder: {item.title}")] * 2
    text = smtp.messages[0][1].get_body(("plain",)).get_content()
    assert "Join online: https://meet.example.org/budget-room" in text
    keep.refresh_from_db()
    assert keep.reminded_days_at == start - dt.timedelta(days=2)


def test_late_registrant_gets_one_reminder_not_two(smtp, people):
    start = timezone.now() + dt.timedelta(minutes=30)
    item = make_event(people.icap, start_date=start.date(), end_date=start.date() + dt.timedelta(days=1),
                      start_time=start.time().replace(microsecond=0), time_zone="UTC", event_format="in_person",
                      city="San José", online_url="")
    open_registration(item, reminder_days=2, reminder_hours=1)
    workflows.register(item, name="Cy", email="cy@example.org", answers={"organization": "X"})
    smtp.messages.clear()
    registration_upkeep.enqueue()
    assert run_queued_tasks() == 1
    assert run_queued_tasks() == 0
    registration_upkeep.enqueue()
    run_queued_tasks()
    assert len(smtp.messages) == 1
    assert "Join online" not in smtp.messages[0][1].get_body(("plain",)).get_content()
