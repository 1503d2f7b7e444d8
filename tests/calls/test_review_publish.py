import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerpost.calls import review_workflows as rw
from partnerpost.calls import workflows
from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import AwardProgramme
from partnerpost.editions import workflows as edition_workflows
from partnerpost.editions.models import Edition
from tests.factories import make_call, make_item, make_user

pytestmark = pytest.mark.django_db


def decided(people, call, rows):
    stage = rw.save_stage(people.editor, call, rw.StageInput(
        name="Jury", position=1, closes_at=timezone.now() + dt.timedelta(days=2),
        categories=[rw.CategorySpec("merit", "Merit", 1, 1, 5)]))
    out = {}
    for i, (title, country, area, decision, extra) in enumerate(rows):
        s = workflows.start_submission(call, email=f"p{i}@gov.example")
        workflows.save_answers(s, {"title": title, "country": country, "areas": [area]})
        s = workflows.submit_submission(s)
        if extra:
            s.answers.update(extra)
            s.save()
        rw.decide_outcome(people.editor, stage, s, decision, f"Reason for {title}.")
        out[title] = s
    return stage, out


def test_winners_become_an_award_item_that_the_composer_offers(people, client):
    programme = AwardProgramme.objects.create(name="Test awards", slug="test-awards")
    call = make_call(people.icap, title="Test awards 2021")
    stage, subs = decided(people, call, [
        ("Open data portal", "UY", "Information sharing", "accept", {"nominee": "Agencia de Gobierno Electrónico"}),
        ("Telehealth network", "KE", "E-health", "accept", None),
        ("Paper forms", "FR", "E-health", "decline", None)])
    today = timezone.localdate()
    edition = edition_workflows.create_edition(people.editor, Edition(
        title="Next edition", period_start=today - dt.timedelta(days=1), period_end=today + dt.timedelta(days=30)),
        populate=False)
    with pytest.raises(rw.PermissionDenied):
        rw.publish_winners(people.eropa_contributor, stage, programme, 2021)
    with pytest.raises(rw.ValidationError) as caught:
        rw.publish_winners(people.editor, stage, programme, 21)
    assert caught.value.message_dict == {"year": ["Give the year of the awards, e.g. 2021."]}
    item = rw.publish_winners(people.editor, stage, programme, 2021)
    assert (item.kind, item.state, item.award_year, item.award_programme, item.title) == (
        ItemKind.AWARD, ItemState.PUBLISHED, 2021, programme, "Test awards 2021: the winners")
    assert [(w.name, w.category.name, w.country.code) for w in item.winners.order_by("position")] == [
        ("Agencia de Gobierno Electrónico", "Information sharing", "UY"), ("Telehealth network", "E-health", "KE")]
    assert [c.name for c in item.award_categories.all()] == ["Information sharing", "E-health"]
    assert item in list(edition_workflows.candidates(edition))
    client.force_login(people.editor)
    page = client.get(reverse("compose:edition", args=[edition.pk])).content.decode()
    assert "Test awards 2021: the winners" in page
    assert "Paper forms" not in client.get(item.get_absolute_url()).content.decode()


def test_accepted_papers_become_the_programme_of_the_event_page(people, client):
    call = make_call(people.icap, title="Call for papers")
    event = make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Annual conference",
                      start_date=dt.date(2030, 5, 20))
    stage, subs = decided(people, call, [
        ("Merit pay in Slovakia", "SK", "E-health", "accept", {"authors": "J. Novak"}),
        ("Civil service reform in Estonia", "EE", "E-health", "accept", None),
        ("A rejected essay", "PL", "E-health", "decline", None)])
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Accepted papers" not in page
    with pytest.raises(rw.ValidationError):
        rw.publish_programme(people.editor, stage, call.item)
    assert rw.publish_programme(people.editor, stage, event) == 2
    page = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>Civil service reform in Estonia</strong> · Estonia</li>" in page
    assert "<strong>Merit pay in Slovakia</strong> · J. Novak · Slovakia</li>" in page
    assert "A rejected essay" not in page
    # declined submissions stay private: no public page lists them
    assert "A rejected essay" not in client.get(reverse("calls:detail", args=[call.slug])).content.decode()
