"""Items in several languages: a translation group links the versions of one story."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerpost.api import workflows as api_workflows
from partnerpost.content import workflows
from partnerpost.content.models import Item, TranslationGroup
from tests.factories import make_item, published


def _values(partner, language, title, **extra):
    return {"kind": "news", "partner": partner, "title": title, "summary": "…", "language": language, **extra}


def test_a_version_in_another_language_joins_the_group(people):
    original = published(people.icap, title="Virtual workshop", language="en")
    spanish = workflows.save_item(people.icap_contributor, workflows.ItemInput(
        values=_values(people.icap, "es", "Taller virtual"), translation_of=original))
    original.refresh_from_db()
    assert original.translation_group_id == spanish.translation_group_id is not None
    assert [v.pk for v in spanish.other_versions()] == [original.pk]
    assert "Linked as a version of “Virtual workshop” (en)." in spanish.audit_entries.last().note


@pytest.mark.parametrize("case, message", [
    ("other partner", "“EROPA news” belongs to another partner; the versions of one story come from one partner."),
    ("same language", "“ICAP news” is in the same language; a translation must be in another language."),
    ("taken language", "This story already has a version in that language: “Noticias ICAP”."),
])
def test_bad_translations_are_refused_with_the_reason_and_nothing_written(people, case, message):
    icap_news = published(people.icap, title="ICAP news", language="en")
    eropa_news = published(people.eropa, title="EROPA news", language="en")
    workflows.save_item(people.icap_contributor, workflows.ItemInput(
        values=_values(people.icap, "es", "Noticias ICAP"), translation_of=icap_news))
    target = {"other partner": eropa_news, "same language": icap_news, "taken language": icap_news}[case]
    language = {"other partner": "fr", "same language": "en", "taken language": "es"}[case]
    before = Item.objects.count()
    with pytest.raises(ValidationError) as caught:
        workflows.save_item(people.icap_contributor, workflows.ItemInput(
            values=_values(people.icap, language, "New version"), translation_of=target))
    assert caught.value.message_dict["translation_of"] == [message]
    assert Item.objects.count() == before and TranslationGroup.objects.count() == 1


def test_unlinking_leaves_no_group_of_one(people):
    original = published(people.icap, title="Workshop", language="en")
    french = workflows.save_item(people.icap_contributor, workflows.ItemInput(
        values=_values(people.icap, "fr", "Atelier"), translation_of=original))
    workflows.save_item(people.icap_contributor, workflows.ItemInput(values={}, translation_of=None), item=french)
    original.refresh_from_db()
    french.refresh_from_db()
    assert original.translation_group_id is None and french.translation_group_id is None


def test_item_page_offers_the_other_languages(client, people):
    original = published(people.icap, title="Virtual workshop", language="en")
    spanish = workflows.save_item(people.icap_contributor, workflows.ItemInput(
        values=_values(people.icap, "es", "Taller virtual"), translation_of=original))
    page = client.get(original.get_absolute_url()).content.decode()
    assert "Also in:" not in page  # the Spanish version is still a draft: readers are not sent to it
    Item.objects.filter(pk=spanish.pk).update(state="published")
    page = client.get(original.get_absolute_url()).content.decode()
    assert f'<a href="{spanish.get_absolute_url()}" hreflang="es" lang="es" dir="auto">Español</a>' in page


def test_web_form_links_by_address_and_names_what_it_cannot_find(client, people):
    original = published(people.icap, title="Virtual workshop", language="en")
    hidden = make_item(people.eropa, title="EROPA draft", language="en")
    client.force_login(people.icap_contributor)
    form = {"kind": "news", "partner": people.icap.pk, "title": "Taller virtual", "summary": "Cuatro sesiones.",
            "language": "es", "date_precision": "day"}
    response = client.post(reverse("workspace:create"), {**form, "translation_of": f"/items/{hidden.slug}/"})
    assert response.context["form"].errors["translation_of"] == [f"No item you may see has the address /items/{hidden.slug}/."]
    response = client.post(reverse("workspace:create"), {**form, "translation_of": f"http://testserver/items/{original.slug}/"})
    assert response.status_code == 302
    assert Item.objects.get(title="Taller virtual").translation_group_id == Item.objects.get(pk=original.pk).translation_group_id


def test_api_links_returns_and_refuses_translations(client, people):
    original = published(people.icap, title="Virtual workshop", language="en")
    hidden = make_item(people.eropa, title="EROPA draft", language="fr")
    _token, secret = api_workflows.create_token(people.icap_partner_editor, people.icap, "site")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    body = {"kind": "news", "title": "Taller virtual", "summary": "Cuatro sesiones.", "language": "es"}
    response = client.post("/api/v1/items", json.dumps({**body, "translation_of": hidden.slug}),
                           content_type="application/json", **auth)
    assert response.status_code == 422
    assert response.json()["errors"] == {"translation_of": [f"No item you may see has the slug {hidden.slug}."]}
    response = client.post("/api/v1/items", json.dumps({**body, "translation_of": original.slug}),
                           content_type="application/json", **auth)
    assert response.status_code == 201
    created = response.json()
    assert [(v["slug"], v["language"]) for v in created["translations"]] == [(original.slug, "en")]
    public = client.get(f"/api/v1/items/{original.slug}").json()
    assert public["translations"] == []  # the Spanish version is a draft
    Item.objects.filter(slug=created["slug"]).update(state="published")
    public = client.get(f"/api/v1/items/{original.slug}").json()
    assert [(v["slug"], v["language"], v["title"]) for v in public["translations"]] == [(created["slug"], "es", "Taller virtual")]
    response = client.patch(f"/api/v1/items/{created['slug']}", json.dumps({"translation_of": None}),
                            content_type="application/json", **auth)
    assert response.status_code == 409  # published: no longer the token's to change


def test_demo_has_stories_in_two_languages_and_the_edition_takes_one_version(client, db):
    from partnerpost.content import demo
    from partnerpost.editions import demo as edition_demo
    from partnerpost.editions.models import Entry

    demo.load(log=lambda *a: None)
    edition = edition_demo.load(log=lambda *a: None)
    ceremony = Item.objects.get(title="XLVI ICAP graduation ceremony")
    assert [(v.language, v.title) for v in ceremony.other_versions(public=True)] == [("es", "XLVI Ceremonia de graduación del ICAP")]
    compendium = Item.objects.get(title__startswith="Compendium of Digital Government")
    assert [v.language for v in compendium.other_versions(public=True)] == ["fr"]
    page = client.get(ceremony.get_absolute_url()).content.decode()
    assert 'hreflang="es" lang="es" dir="auto">Español</a>' in page
    titles = set(Entry.objects.filter(section__edition=edition).values_list("item__title", flat=True))
    assert "XLVI ICAP graduation ceremony" in titles and "XLVI Ceremonia de graduación del ICAP" not in titles
