"""The workspace through the web: who may reach which page, and every bad input of the item form."""

import pytest
from django.urls import reverse

from partnerpost.content.enums import ItemState
from partnerpost.content.models import AuditEntry, AwardCategory, AwardProgramme, Item
from tests.factories import make_item


def event_form(partner, **overrides):
    data = {
        "kind": "event", "partner": partner.pk, "title": "Taller virtual Prospectiva e innovación",
        "summary": "Cuatro sesiones en línea.", "body": "", "language": "es",
        "event_type": "workshop", "event_format": "online", "event_status": "scheduled",
        "start_date": "2020-11-13", "end_date": "", "date_precision": "day",
        "fee_amount": "50", "fee_currency": "usd", "session_count": "4", "total_hours": "6",
        "enrolment_deadline": "2020-11-13",
        "people_text": "Alain Jordá | facilitator\nAlfredo Acosta Fonseca | Facilitator | ICAP",
        "organizers_text": "ICAP", "co_organizers_text": "", "supporters_text": "UNCDF Malaysia",
        "links_text": "Programme | https://icap.ac.cr/taller",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_anonymous_is_sent_to_sign_in(client, people):
    response = client.get(reverse("workspace:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/workspace/"


@pytest.mark.parametrize("url_name", ["workspace:dashboard", "workspace:create"])
def test_outsider_is_refused(client, people, url_name):
    client.force_login(people.outsider)
    assert client.get(reverse(url_name)).status_code == 403


def test_review_queue_is_for_editors_only(client, people):
    client.force_login(people.icap_contributor)
    assert client.get(reverse("workspace:review")).status_code == 403
    client.force_login(people.editor)
    assert client.get(reverse("workspace:review")).status_code == 200


def test_other_partners_draft_is_invisible(client, people):
    item = make_item(people.icap)
    client.force_login(people.eropa_contributor)
    assert client.get(reverse("workspace:item", args=[item.pk])).status_code == 404
    assert client.get(reverse("workspace:edit", args=[item.pk])).status_code == 404
    assert client.post(reverse("workspace:transition", args=[item.pk, "submit"])).status_code == 404
    assert Item.objects.get(pk=item.pk).state == ItemState.DRAFT


def test_dashboard_lists_only_own_partners_items(client, people):
    make_item(people.icap, title="Ours")
    make_item(people.eropa, title="Theirs")
    client.force_login(people.icap_contributor)
    make_item(people.icap, title="Ours, published", state=ItemState.PUBLISHED)
    make_item(people.icap, title="Ours, also published", state=ItemState.PUBLISHED)
    response = client.get(reverse("workspace:dashboard"))
    assert sorted(i.title for i in response.context["items"]) == ["Ours", "Ours, also published", "Ours, published"]
    assert response.context["counts"] == {"draft": 1, "submitted": 0, "approved": 0, "published": 2, "withdrawn": 0}


def test_create_event_with_every_detail(client, people):
    client.force_login(people.icap_contributor)
    response = client.post(reverse("workspace:create"), event_form(people.icap, submit="1"))
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workspace/items/{item.pk}/"
    assert item.state == ItemState.SUBMITTED
    assert (item.fee_amount, item.fee_currency, item.session_count, item.language) == (50, "USD", 4, "es")
    assert [(p.name, p.role, p.affiliation) for p in item.people.all()] == [
        ("Alain Jordá", "facilitator", ""), ("Alfredo Acosta Fonseca", "facilitator", "ICAP"),
    ]
    assert [(o.role, o.partner_id, o.name) for o in item.organizations.all()] == [
        ("organizer", people.icap.pk, ""), ("supporter", None, "UNCDF Malaysia"),
    ]
    assert [(link.label, link.url) for link in item.links.all()] == [("Programme", "https://icap.ac.cr/taller")]


def test_contributor_cannot_create_for_another_partner(client, people):
    client.force_login(people.icap_contributor)
    response = client.post(reverse("workspace:create"), event_form(people.eropa))
    assert response.status_code == 200
    assert "Select a valid choice" in response.context["form"].errors["partner"][0]
    assert Item.objects.count() == 0


BAD_INPUTS = [
    ({"end_date": "2020-11-10"}, "end_date", "The last day is before the first day."),
    ({"start_date": ""}, "start_date", "An event needs its first day."),
    ({"start_date": "13/11/2020"}, "start_date", "Enter a valid date."),
    ({"fee_currency": ""}, "fee_currency", "Give the currency of the fee, e.g. USD."),
    ({"fee_amount": "", "fee_currency": "USD"}, "fee_amount", "A currency was given without a fee."),
    ({"fee_currency": "US$"}, "fee_currency", "Use a three-letter ISO 4217 code in capitals, e.g. USD or EUR."),
    ({"fee_amount": "-5"}, "fee_amount", "Ensure this value is greater than or equal to 0."),
    ({"registration_url": "javascript:alert(1)"}, "registration_url", "Enter a web address that starts with http:// or https://."),
    ({"online_url": "ftp://example.org/x"}, "online_url", "Enter a web address that starts with http:// or https://."),
    ({"links_text": "Programme | https://ok.example\nSlides | javascript:alert(1)"}, "links_text",
     "Line 2: javascript:alert(1) is not a web address; it must start with http:// or https://."),
    ({"links_text": " | https://ok.example"}, "links_text", "Line 1: write a label before the bar, e.g. Programme | https://example.org"),
    ({"start_time": "16:00"}, "time_zone", "Give the time zone of the start time, e.g. America/Costa_Rica or UTC-06:00."),
    ({"start_time": "16:00", "time_zone": "Mars/Olympus"}, "time_zone",
     "Unknown time zone 'Mars/Olympus': use an IANA name such as Europe/Ljubljana or an offset such as UTC-06:00."),
    ({"end_time": "18:00"}, "end_time", "Give a start time before an end time."),
    ({"start_time": "16:00", "end_time": "15:00", "time_zone": "UTC-6"}, "end_time", "The event ends before it starts."),
    ({"days_text": "2020-11-03"}, "days_text", "List at least two separate days, or use the first and last day fields."),
    ({"days_text": "2020-11-03, 5 Nov"}, "days_text", "5 Nov is not a date; write it as YYYY-MM-DD."),
    ({"people_text": "Alain Jordá | juggler"}, "people_text", "Line 1: the role must be facilitator, speaker or moderator, not juggler."),
    ({"event_format": "in_person"}, "city", "An in-person or hybrid event needs its city or venue."),
    ({"enrolment_deadline": "2020-12-01"}, "enrolment_deadline", "The enrolment deadline is after the event has ended."),
    ({"days_text": "2020-11-03, 2020-11-05"}, "enrolment_deadline", "The enrolment deadline is after the event has ended."),
    ({"title": ""}, "title", "This field is required."),
    ({"summary": "x" * 801}, "summary", "Ensure this value has at most 800 characters (it has 801)."),
    ({"kind": "webinar"}, "kind", "Select a valid choice. webinar is not one of the available choices."),
    ({"organizers_text": "x" * 201}, "organizers_text", "Line 1: a name may have at most 200 characters."),
]


@pytest.mark.parametrize("overrides,field,message", BAD_INPUTS, ids=[b[1] + str(i) for i, b in enumerate(BAD_INPUTS)])
def test_bad_input_is_explained_and_nothing_is_saved(client, people, overrides, field, message):
    client.force_login(people.icap_contributor)
    response = client.post(reverse("workspace:create"), event_form(people.icap, **overrides))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field) == [message], response.context["form"].errors
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert Item.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_award_errors_name_the_line(client, people):
    programme = AwardProgramme.objects.create(name="UN Public Service Awards", slug="unpsa")
    other = AwardProgramme.objects.create(name="Other awards", slug="other")
    AwardCategory.objects.create(programme=programme, name="Digital transformation")
    wrong = AwardCategory.objects.create(programme=other, name="Elsewhere")
    client.force_login(people.editor)
    base = {"kind": "award", "partner": people.icap.pk, "title": "Awards", "summary": "Winners", "language": "en",
            "award_programme": programme.pk}
    response = client.post(reverse("workspace:create"), {**base, "winners_text": "Estonia Tax Board | Digital transformation | EE\nX | Nope"})
    assert response.context["form"].errors["winners_text"] == ["Line 2: Nope is not a category of UN Public Service Awards."]
    response = client.post(reverse("workspace:create"), {**base, "winners_text": "A | Digital transformation | ZZ"})
    assert response.context["form"].errors["winners_text"] == ["Line 1: ZZ is not an ISO country code."]
    response = client.post(reverse("workspace:create"), {**base, "award_categories": [wrong.pk]})
    assert response.context["form"].errors["award_categories"] == ["Elsewhere belongs to another programme."]
    assert Item.objects.count() == 0
    response = client.post(reverse("workspace:create"), {**base, "winners_text": "Estonia Tax Board | Digital transformation | ee"})
    item = Item.objects.get()
    assert [(w.name, w.category.name, w.country_id) for w in item.winners.all()] == [("Estonia Tax Board", "Digital transformation", "EE")]


def test_fields_of_other_kinds_are_dropped(client, people):
    client.force_login(people.icap_contributor)
    client.post(reverse("workspace:create"), event_form(people.icap, kind="news", published_on="2020-10-20"))
    item = Item.objects.get()
    assert (item.kind, item.fee_amount, item.fee_currency, item.start_date, item.published_on.isoformat()) == (
        "news", None, "", None, "2020-10-20")
    assert item.people.count() == 0


def test_edit_form_round_trips_lists(client, people):
    client.force_login(people.icap_contributor)
    client.post(reverse("workspace:create"), event_form(people.icap, days_text="2020-11-05, 2020-11-03", enrolment_deadline=""))
    item = Item.objects.get()
    form = client.get(reverse("workspace:edit", args=[item.pk])).context["form"]
    assert form.initial["days_text"] == "2020-11-03, 2020-11-05"
    assert form.initial["links_text"] == "Programme | https://icap.ac.cr/taller"
    assert form.initial["organizers_text"] == "ICAP"
    assert form.initial["supporters_text"] == "UNCDF Malaysia"


def test_failed_edit_keeps_what_was_stored(client, people):
    client.force_login(people.icap_contributor)
    client.post(reverse("workspace:create"), event_form(people.icap))
    item = Item.objects.get()
    response = client.post(reverse("workspace:edit", args=[item.pk]), event_form(people.icap, title="New", end_date="2020-01-01", links_text="x | bad"))
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.title == "Taller virtual Prospectiva e innovación"
    assert [link.url for link in item.links.all()] == ["https://icap.ac.cr/taller"]


def test_edit_of_submitted_item_is_refused_for_contributor(client, people):
    item = make_item(people.icap, state=ItemState.SUBMITTED)
    client.force_login(people.icap_contributor)
    assert client.get(reverse("workspace:edit", args=[item.pk])).status_code == 403


def test_transition_buttons_follow_permissions(client, people):
    item = make_item(people.icap, state=ItemState.SUBMITTED)
    client.force_login(people.icap_contributor)
    assert client.post(reverse("workspace:transition", args=[item.pk, "approve"])).status_code == 403
    client.force_login(people.editor)
    response = client.post(reverse("workspace:transition", args=[item.pk, "reject"]), {"reason": ""}, follow=True)
    assert "Give the reason for returning the item" in response.content.decode()
    assert Item.objects.get(pk=item.pk).state == ItemState.SUBMITTED
    client.post(reverse("workspace:transition", args=[item.pk, "approve"]))
    client.post(reverse("workspace:transition", args=[item.pk, "publish"]), {"go_live_at": "not a date"})
    assert Item.objects.get(pk=item.pk).state == ItemState.APPROVED
    client.post(reverse("workspace:transition", args=[item.pk, "publish"]))
    assert Item.objects.get(pk=item.pk).state == ItemState.PUBLISHED


def test_transitions_need_post(client, people):
    item = make_item(people.icap)
    client.force_login(people.icap_contributor)
    assert client.get(reverse("workspace:transition", args=[item.pk, "submit"])).status_code == 405
    assert client.post(reverse("workspace:transition", args=[item.pk, "explode"])).status_code == 404


def test_outbox_is_for_editors(client, people, settings):
    settings.EMAIL_BACKEND = "partnerpost.mailing.backends.OutboxBackend"
    assert client.get("/outbox/").status_code == 302
    client.force_login(people.icap_contributor)
    assert client.get("/outbox/").status_code == 403
    client.force_login(people.editor)
    assert client.get("/outbox/").status_code == 200


def test_outbox_keeps_notifications(client, people, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "partnerpost.mailing.backends.OutboxBackend"
    item = make_item(people.icap, title="Bulletin 41")
    client.force_login(people.icap_contributor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workspace:transition", args=[item.pk, "submit"]))
    client.force_login(people.editor)
    page = client.get("/outbox/").content.decode()
    assert "[ICAP] For review: Bulletin 41" in page and "editor@example.org" in page


def test_oversized_document_is_refused(client, people, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_UPLOAD_MB = 1
    client.force_login(people.icap_contributor)
    data = {"kind": "publication", "partner": people.icap.pk, "title": "Annual report", "summary": "A year.",
            "language": "en", "document_file": SimpleUploadedFile("report.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))}
    response = client.post(reverse("workspace:create"), data)
    assert response.context["form"].errors["document_file"] == ["The file is 1.0 MB; the limit is 1 MB."]
    assert Item.objects.count() == 0


def test_image_needs_a_description(client, people):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    client.force_login(people.icap_contributor)
    data = {"kind": "news", "partner": people.icap.pk, "title": "New website", "summary": "Redesigned.", "language": "en",
            "image": SimpleUploadedFile("site.png", buffer.getvalue(), content_type="image/png")}
    response = client.post(reverse("workspace:create"), data)
    assert response.context["form"].errors["image_alt"] == ["Describe the image for readers who cannot see it."]
    data["image"] = SimpleUploadedFile("site.png", b"not a picture", content_type="image/png")
    response = client.post(reverse("workspace:create"), data)
    assert response.context["form"].errors["image"] == [
        "Image: this file is a text file; upload a PNG, JPEG or WebP image."]
    assert Item.objects.count() == 0


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url", ["/workspace/", "/workspace/?state=submitted", "/workspace/review/"])
def test_workspace_lists_do_a_constant_number_of_queries(client, people, url):
    for state in (ItemState.SUBMITTED, ItemState.APPROVED, ItemState.DRAFT):
        make_item(people.icap, state=state)
    client.force_login(people.editor)
    few = _queries(client, url)
    for _ in range(10):
        for state in (ItemState.SUBMITTED, ItemState.APPROVED, ItemState.DRAFT):
            make_item(people.eropa, state=state)
    assert _queries(client, url) == few


def test_item_history_query_count_is_constant(client, people):
    from partnerpost.content import workflows

    item = make_item(people.icap)
    client.force_login(people.editor)
    url = reverse("workspace:item", args=[item.pk])
    few = _queries(client, url)
    for _ in range(5):
        workflows.submit_item(people.icap_contributor, item)
        workflows.reject_item(people.editor, item, "Again")
    assert _queries(client, url) == few
