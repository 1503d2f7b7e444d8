import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partnerpost.content import workflows
from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import AuditEntry, Item
from tests.factories import make_item


def _new_event(partner, **fields):
    values = dict(
        kind=ItemKind.EVENT, partner=partner, title="Virtual workshop on foresight",
        summary="Four online sessions.", start_date=dt.date(2020, 11, 13), event_format="online",
    )
    values.update(fields)
    return Item(**values)


def test_create_item_saves_draft_with_audit_row(people):
    item = workflows.create_item(people.icap_contributor, _new_event(people.icap, body="Hello *world*"))
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT
    assert re.fullmatch(r"virtual-workshop-on-foresight-[a-z2-9]{5}", item.slug)  # see tests/security/test_slugs.py
    assert item.body_html == "<p>Hello <em>world</em></p>"
    assert item.end_date == dt.date(2020, 11, 13)
    assert item.sort_date == dt.date(2020, 11, 13)
    assert item.created_by == people.icap_contributor
    entry = AuditEntry.objects.get(item=item)
    assert (entry.action, entry.from_state, entry.to_state, entry.actor) == ("create", "", "draft", people.icap_contributor)


def test_create_item_for_other_partner_is_refused(people):
    with pytest.raises(PermissionDenied):
        workflows.create_item(people.eropa_contributor, _new_event(people.icap))
    assert Item.objects.count() == 0


def test_create_item_with_end_before_start_writes_nothing(people):
    with pytest.raises(ValidationError) as info:
        workflows.create_item(people.icap_contributor, _new_event(people.icap, end_date=dt.date(2020, 11, 1)))
    assert info.value.message_dict == {"end_date": ["The last day is before the first day."]}
    assert Item.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_slugs_stay_unique(people):
    first = workflows.create_item(people.icap_contributor, _new_event(people.icap))
    second = workflows.create_item(people.icap_contributor, _new_event(people.icap))
    assert first.slug != second.slug
    assert all(re.fullmatch(r"virtual-workshop-on-foresight-[a-z2-9]{5}", s) for s in (first.slug, second.slug))


def test_timed_event_is_stored_in_utc_with_its_zone(people):
    item = workflows.create_item(
        people.icap_contributor,
        _new_event(people.icap, start_time=dt.time(16, 0), time_zone="UTC-06:00", start_date=dt.date(2020, 10, 30)),
    )
    assert item.starts_at == dt.datetime(2020, 10, 30, 22, 0, tzinfo=dt.UTC)
    assert item.time_zone == "UTC-06:00"


def test_separate_days_set_first_and_last_day(people):
    related = workflows.Related(days=[dt.date(2020, 11, 5), dt.date(2020, 11, 3)])
    item = workflows.create_item(people.icap_contributor, _new_event(people.icap), related)
    assert (item.start_date, item.end_date) == (dt.date(2020, 11, 3), dt.date(2020, 11, 5))
    assert list(item.days.values_list("date", flat=True)) == [dt.date(2020, 11, 3), dt.date(2020, 11, 5)]


def test_full_journey_writes_one_audit_row_per_step(people):
    item = workflows.create_item(people.icap_contributor, _new_event(people.icap))
    workflows.submit_item(people.icap_contributor, item)
    workflows.reject_item(people.editor, item, "Add the registration link, please.")
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT
    assert item.rejection_reason == "Add the registration link, please."
    item.registration_url = "https://example.org/register"
    workflows.update_item(people.icap_contributor, item, changed=["registration_url"])
    workflows.submit_item(people.icap_contributor, item)
    item.refresh_from_db()
    assert item.rejection_reason == ""
    workflows.approve_item(people.editor, item)
    workflows.publish_item(people.editor, item)
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED and item.is_live
    assert item.first_published_at is not None
    rows = list(AuditEntry.objects.filter(item=item).values_list("action", "from_state", "to_state", "note"))
    assert rows == [
        ("create", "", "draft", ""),
        ("submit", "draft", "submitted", ""),
        ("reject", "submitted", "draft", "Add the registration link, please."),
        ("edit", "draft", "draft", "registration_url"),
        ("submit", "draft", "submitted", ""),
        ("approve", "submitted", "approved", ""),
        ("publish", "approved", "published", ""),
    ]
    assert item.revision == 7


def test_reject_needs_a_reason(people):
    item = make_item(people.icap, state=ItemState.SUBMITTED)
    with pytest.raises(workflows.WorkflowError, match="Give the reason"):
        workflows.reject_item(people.editor, item, "   ")
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED


def test_wrong_state_says_so(people):
    item = make_item(people.icap, state=ItemState.SUBMITTED)
    with pytest.raises(workflows.WorkflowError, match="This item is submitted for review, so it cannot be submitted now."):
        workflows.submit_item(people.icap_contributor, item)


def test_contributor_cannot_approve(people):
    item = make_item(people.icap, state=ItemState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        workflows.approve_item(people.icap_contributor, item)
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED
    assert AuditEntry.objects.count() == 0


def test_contributor_cannot_edit_submitted_item(people):
    item = make_item(people.icap, state=ItemState.SUBMITTED)
    item.title = "Changed"
    with pytest.raises(PermissionDenied):
        workflows.update_item(people.icap_contributor, item)
    assert Item.objects.get(pk=item.pk).title != "Changed"


def test_scheduled_publication_goes_live_later(people):
    item = make_item(people.icap, state=ItemState.APPROVED)
    later = timezone.now() + dt.timedelta(days=1)
    workflows.publish_item(people.editor, item, go_live_at=later)
    item.refresh_from_db()
    assert item.state == ItemState.PUBLISHED
    assert item.is_scheduled and not item.is_live
    assert list(Item.objects.published()) == []
    assert list(Item.objects.published(now=later + dt.timedelta(seconds=1))) == [item]
    assert AuditEntry.objects.get(item=item).action == "schedule"


def test_withdraw_and_redraft(people):
    item = make_item(people.icap, state=ItemState.PUBLISHED)
    workflows.withdraw_item(people.icap_partner_editor, item, "Postponed to next year")
    item.refresh_from_db()
    assert item.state == ItemState.WITHDRAWN and list(Item.objects.published()) == []
    workflows.redraft_item(people.icap_contributor, item)
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT


def test_submission_emails_editors_and_decision_emails_members(people, smtp, django_capture_on_commit_callbacks):
    item = make_item(people.icap, title="Graduation ceremony")
    with django_capture_on_commit_callbacks(execute=True):
        workflows.submit_item(people.icap_contributor, item)
    assert [(to, msg["Subject"]) for to, msg in smtp.messages] == [(["editor@example.org"], "[ICAP] For review: Graduation ceremony")]
    body = smtp.messages[0][1].get_body(("plain",)).get_content()
    assert f"http://127.0.0.1:8000/workspace/items/{item.pk}/" in body
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflows.reject_item(people.editor, item, "The date is missing.")
    received = sorted((to[0], msg["Subject"]) for to, msg in smtp.messages)
    assert received == [
        ("ana@example.org", "Returned for changes: Graduation ceremony"),
        ("pablo@example.org", "Returned for changes: Graduation ceremony"),
    ]
    assert "The date is missing." in smtp.messages[0][1].get_body(("plain",)).get_content()


def test_failed_notification_does_not_undo_the_change(people, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    item = make_item(people.icap)
    with django_capture_on_commit_callbacks(execute=True):
        workflows.submit_item(people.icap_contributor, item)
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED
