import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partnerpost.calls import workflows
from partnerpost.calls.enums import CallAction, WindowState
from partnerpost.calls.models import Call, CallAudit, CallField
from partnerpost.content.enums import ItemKind
from tests.factories import make_call, make_item

pytestmark = pytest.mark.django_db


def _input(**overrides):
    values = dict(opens=dt.datetime(2021, 3, 1, 9, 0), closes=dt.datetime(2021, 5, 15, 23, 59),
                  time_zone="Pacific/Auckland", languages=["en", "fr"],
                  fields=[workflows.FieldSpec("title", "text", "Title", required=True, role="title")])
    values.update(overrides)
    return workflows.CallInput(**values)


def test_save_call_stores_window_in_utc_from_the_calls_time_zone(people):
    item = make_item(people.icap, kind=ItemKind.CALL, title="Call")
    call = workflows.save_call(people.editor, item, _input())
    assert call.closes_at == dt.datetime(2021, 5, 15, 11, 59, tzinfo=dt.UTC)
    assert call.opens_at == dt.datetime(2021, 2, 28, 20, 0, tzinfo=dt.UTC)
    assert call.time_zone == "Pacific/Auckland"
    item.refresh_from_db()
    assert item.deadline == dt.date(2021, 5, 15)
    assert list(CallAudit.objects.filter(call=call).values_list("action", flat=True)) == [CallAction.DEFINE]


def test_window_state_follows_the_close():
    call = Call(opens_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC), closes_at=dt.datetime(2021, 2, 1, tzinfo=dt.UTC))
    assert call.window(dt.datetime(2020, 12, 31, 23, 59, tzinfo=dt.UTC)) == WindowState.UPCOMING
    assert call.window(dt.datetime(2021, 1, 31, 23, 59, tzinfo=dt.UTC)) == WindowState.OPEN
    assert call.window(dt.datetime(2021, 2, 1, tzinfo=dt.UTC)) == WindowState.CLOSED


def test_save_call_refuses_two_fields_of_one_name_naming_it(people):
    item = make_item(people.icap, kind=ItemKind.CALL)
    fields = [workflows.FieldSpec("title", "text", "Title", role="title"), workflows.FieldSpec("title", "long_text", "Again")]
    with pytest.raises(ValidationError) as caught:
        workflows.save_call(people.editor, item, _input(fields=fields))
    assert caught.value.message_dict == {"fields": ["Two fields are named “title”; each field needs its own name."]}
    assert not Call.objects.filter(item=item).exists()


def test_save_call_refuses_a_choice_field_without_options(people):
    item = make_item(people.icap, kind=ItemKind.CALL)
    fields = [workflows.FieldSpec("title", "text", "Title"), workflows.FieldSpec("area", "choices", "Area", choices=[" "])]
    with pytest.raises(ValidationError) as caught:
        workflows.save_call(people.editor, item, _input(fields=fields))
    assert caught.value.message_dict == {"fields": ["The choice field “area” has no options."]}


def test_save_call_refuses_a_close_before_the_opening_and_an_unknown_zone(people):
    item = make_item(people.icap, kind=ItemKind.CALL)
    with pytest.raises(ValidationError) as caught:
        workflows.save_call(people.editor, item, _input(closes=dt.datetime(2021, 2, 1), time_zone="Mars/Olympus"))
    assert caught.value.message_dict == {
        "time_zone": ["Unknown time zone “Mars/Olympus”: use an IANA name such as Europe/Paris."]}
    with pytest.raises(ValidationError) as caught:
        workflows.save_call(people.editor, item, _input(closes=dt.datetime(2021, 2, 1)))
    assert caught.value.message_dict == {"closes": ["The call must close after it opens."]}


def test_a_failed_change_keeps_the_stored_form(people):
    call = make_call(people.icap)
    before = list(call.fields.values_list("name", flat=True))
    bad = [workflows.FieldSpec("x", "choice", "X")]
    with pytest.raises(ValidationError):
        workflows.save_call(people.editor, call.item, _input(fields=bad))
    assert list(CallField.objects.filter(call=call).values_list("name", flat=True)) == before


def test_only_secretariat_and_partner_editors_define_a_call(people):
    item = make_item(people.icap, kind=ItemKind.CALL)
    for user in (people.icap_contributor, people.eropa_contributor, people.outsider):
        with pytest.raises(PermissionDenied):
            workflows.save_call(user, item, _input())
    assert workflows.save_call(people.icap_partner_editor, item, _input()).item_id == item.pk


def test_a_form_only_goes_on_call_items(people):
    item = make_item(people.icap, kind=ItemKind.NEWS)
    with pytest.raises(workflows.WorkflowError):
        workflows.save_call(people.editor, item, _input())


def test_definition_page_shows_errors_naming_the_field(client, people):
    item = make_item(people.icap, kind=ItemKind.CALL, title="A call")
    client.force_login(people.icap_partner_editor)
    response = client.post(f"/workspace/calls/{item.slug}/form/", {
        "opens": "2021-03-01T09:00", "closes": "2021-05-15T23:59", "time_zone": "UTC", "languages": ["en"],
        "audience": "email", "fields_text": "title | text | Title | required | 1 | title\ntitle | long_text | Again",
    })
    assert response.status_code == 200
    assert "Two fields are named “title”; each field needs its own name." in response.content.decode()
    response = client.post(f"/workspace/calls/{item.slug}/form/", {
        "opens": "2021-03-01T09:00", "closes": "2021-05-15T23:59", "time_zone": "UTC", "languages": ["en"],
        "audience": "email",
        "fields_text": "title | text | Title | required | 1 | title\narea | choices | Areas | required | 1 | area | A; B",
    })
    assert response.status_code == 302
    call = Call.objects.get(item=item)
    assert [(f.name, f.type, f.required, f.choices, f.role) for f in call.fields.all()] == [
        ("title", "text", True, [], "title"), ("area", "choices", True, ["A", "B"], "area")]


def test_definition_page_refuses_other_partners(client, people):
    item = make_item(people.icap, kind=ItemKind.CALL)
    client.force_login(people.eropa_contributor)
    assert client.get(f"/workspace/calls/{item.slug}/form/").status_code == 403
    client.logout()
    assert client.get(f"/workspace/calls/{item.slug}/form/").status_code == 302
