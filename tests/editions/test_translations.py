"""An edition per language: making a translation in the composer, and what its renderings say."""

import datetime as dt
import re

import pytest

from django.contrib.messages import get_messages
from django.urls import reverse

from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.editions import renderers, workflows
from partnerpost.editions.enums import EditionAction, EditionState
from partnerpost.editions.models import Edition, EditionAuditEntry, Entry, Section
from partnerpost.editions.render import context_for
from tests.conftest import pdffonts
from tests.editions import pdftext
from tests.factories import make_item


@pytest.fixture
def original(people):
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="ICAP ceremony", start_date=dt.date(2020, 10, 30))
    make_item(people.icap, state=ItemState.PUBLISHED, title="Taller virtual de prospectiva", language="es", published_on=dt.date(2020, 11, 13))
    make_item(people.eropa, state=ItemState.PUBLISHED, kind=ItemKind.PUBLICATION, title="EROPA Bulletin", published_on=dt.date(2020, 10, 20))
    return workflows.create_edition(people.editor, Edition(
        title="Partners' Newsletter", period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31),
        period_label="October – November – December 2020", introduction="A quarter online.",
    ))


def _layout(edition):
    return [(s.title, s.partner_id, [(e.item.title, e.position) for e in s.entries.order_by("position")])
            for s in edition.sections.order_by("position")]


def _counts():
    return Edition.objects.count(), Section.objects.count(), Entry.objects.count(), EditionAuditEntry.objects.count()


def test_translation_copies_sections_and_entries_as_a_draft(people, original):
    translation = workflows.translate_edition(people.editor, original, "ar")
    assert translation.translation_of == original
    assert (translation.language, translation.state, translation.slug) == ("ar", EditionState.DRAFT, original.slug + "-ar")
    assert _layout(translation) == _layout(original)
    assert translation.title == original.title and translation.introduction == original.introduction
    assert translation.period_label == ""  # written from the dates in Arabic until the editor sets one
    audit = translation.audit_entries.get()
    assert (audit.action, audit.actor, audit.to_state) == (EditionAction.CREATE, people.editor, EditionState.DRAFT)
    assert audit.note == "Translation of “Partners' Newsletter” into Arabic"


def test_translation_of_a_published_edition_is_allowed(people, original):
    workflows.publish_edition(people.editor, original)
    translation = workflows.translate_edition(people.editor, original, "es")
    assert translation.state == EditionState.DRAFT and not original.translations.exclude(pk=translation.pk).exists()


@pytest.mark.parametrize("language, message", [
    ("en", "This edition is already in English; choose another language."),
    ("de", "Choose one of the network's languages: English, French, Spanish, Arabic, Chinese, Russian."),
    ("", "Choose one of the network's languages: English, French, Spanish, Arabic, Chinese, Russian."),
])
def test_translation_into_a_bad_language_is_refused_and_writes_nothing(people, original, language, message):
    before = _counts()
    with pytest.raises(workflows.EditionError) as error:
        workflows.translate_edition(people.editor, original, language)
    assert str(error.value) == message
    assert _counts() == before


def test_second_translation_into_one_language_is_refused(people, original):
    first = workflows.translate_edition(people.editor, original, "es")
    before = _counts()
    with pytest.raises(workflows.EditionError) as error:
        workflows.translate_edition(people.editor, original, "es")
    assert str(error.value) == "This edition already has a translation into Spanish: “Partners' Newsletter”. Edit that one."
    assert _counts() == before
    with pytest.raises(workflows.EditionError, match="itself a translation"):
        workflows.translate_edition(people.editor, first, "fr")
    assert _counts() == before


def test_composer_offers_only_the_languages_left(people, original, client):
    workflows.translate_edition(people.editor, original, "es")
    assert workflows.translation_languages(original) == [("fr", "French"), ("ar", "Arabic"), ("zh-hans", "Chinese"), ("ru", "Russian")]
    client.force_login(people.editor)
    page = client.get(reverse("compose:edition", args=[original.pk])).content.decode()
    assert '<option value="es">' not in page and '<option value="ar">Arabic</option>' in page
    assert "Make a translation" in page


def test_composer_makes_a_translation_and_opens_it(people, original, client):
    client.force_login(people.editor)
    response = client.post(reverse("compose:action", args=[original.pk, "translate"]), {"language": "ar"})
    translation = original.translations.get()
    assert response.status_code == 302 and response["Location"] == reverse("compose:edition", args=[translation.pk])
    page = client.get(response["Location"]).content.decode()
    assert "This edition is the Arabic translation of" in page
    assert '<span class="language-note">In English</span>' in page  # the English items, in the Arabic translation


def test_composer_refuses_a_duplicate_with_a_message_and_writes_nothing(people, original, client):
    client.force_login(people.editor)
    client.post(reverse("compose:action", args=[original.pk, "translate"]), {"language": "ar"})
    before = _counts()
    for language in ("ar", "en"):
        response = client.post(reverse("compose:action", args=[original.pk, "translate"]), {"language": language})
        assert response.status_code == 302 and response["Location"] == reverse("compose:edition", args=[original.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)][-2:] == [
        "This edition already has a translation into Arabic: “Partners' Newsletter”. Edit that one.",
        "This edition is already in English; choose another language.",
    ]
    assert _counts() == before


def test_non_editors_cannot_make_a_translation(people, original, client):
    url = reverse("compose:action", args=[original.pk, "translate"])
    before = _counts()
    response = client.post(url, {"language": "ar"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for user in (people.icap_partner_editor, people.outsider):
        client.force_login(user)
        assert client.post(url, {"language": "ar"}).status_code == 403
    with pytest.raises(workflows.PermissionDenied):
        workflows.translate_edition(people.icap_partner_editor, original, "ar")
    assert _counts() == before


def test_renaming_a_section_of_a_translation(people, original, client):
    translation = workflows.translate_edition(people.editor, original, "es")
    section = translation.sections.get(partner=people.eropa)
    client.force_login(people.editor)
    client.post(reverse("compose:action", args=[translation.pk, "rename-section"]),
                {"section": section.pk, "title": "Organización Regional Oriental de Administración Pública"})
    assert Section.objects.get(pk=section.pk).title == "Organización Regional Oriental de Administración Pública"
    assert original.sections.get(partner=people.eropa).title == "Eastern Regional Organization for Public Administration"
    with pytest.raises(workflows.EditionError, match="Give the section a title."):
        workflows.rename_section(people.editor, section, "  ")


def _arabic(people, original):
    translation = workflows.translate_edition(people.editor, original, "ar")
    translation.title = "نشرة الشركاء"
    translation.introduction = "ربع سنة عبر الإنترنت."
    translation.disclaimer = "الآراء الواردة هي آراء المؤلفين."
    workflows.update_edition(people.editor, translation)
    entry = Entry.objects.get(section__edition=translation, item__title="EROPA Bulletin")
    workflows.set_entry_summary(people.editor, entry, "النشرة الفصلية للمنظمة.")
    return translation


def test_arabic_translation_renders_right_to_left_everywhere(people, original):
    context = context_for(_arabic(people, original))
    web = renderers.render(context, "web").decode()
    assert '<html lang="ar" dir="rtl">' in web and '<article class="edition" lang="ar" dir="rtl">' in web
    email = renderers.render(context, "email").decode()
    assert '<html lang="ar" dir="rtl"' in email and '<body dir="rtl"' in email
    # An English item keeps its language and direction, and is marked as being in English.
    assert '<span class="language-note" lang="en" dir="ltr">In English</span>' in web
    assert '<h3 lang="en" dir="ltr"><a href="http' in web
    # The summary written for the translation is Arabic; the item's own is in its language.
    assert '<p lang="ar" dir="rtl">النشرة الفصلية للمنظمة.</p>' in web
    # (the CSS inliner writes the attributes in no fixed order)
    assert re.search(r'<p class="sum" (?=[^>]*dir="rtl")(?=[^>]*lang="ar")(?=[^>]*text-align: right)[^>]*>النشرة الفصلية للمنظمة\.</p>', email)
    assert "ICAP ceremony [In English]" in renderers.render(context, "text").decode()
    assert '<span lang="es">(En español)</span>' in renderers.render(context, "md").decode()


def test_spanish_item_in_spanish_translation_is_not_marked(people, original):
    context = context_for(workflows.translate_edition(people.editor, original, "es"))
    web = renderers.render(context, "web").decode()
    assert web.count('class="language-note"') == 2  # the two English items, not the Spanish one
    assert '<html lang="es" dir="ltr">' in web
    assert context["period"] == "octubre – diciembre 2020"


def test_publishing_a_translation_freezes_it_like_the_original(people, original):
    translation = _arabic(people, original)
    workflows.publish_edition(people.editor, translation)
    translation.refresh_from_db()
    assert translation.state == EditionState.PUBLISHED
    assert translation.snapshot["language"] == "ar" and translation.snapshot["title"] == "نشرة الشركاء"


def _fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "edition.pdf"
    path.write_bytes(pdf)
    return pdffonts(path)


def test_chinese_translation_prints_in_the_simplified_chinese_font(people, original, tmp_path):
    translation = workflows.translate_edition(people.editor, original, "zh-hans")
    translation.title = "伙伴通讯"
    translation.introduction = "本季度，网络伙伴几乎完全在线上会面。"
    workflows.update_edition(people.editor, translation)
    pdf = renderers.render(context_for(translation), "pdf")
    fonts = _fonts(pdf, tmp_path)
    assert "+Noto-Sans-SC" in fonts and "+Noto-Naskh-Arabic" not in fonts
    text = "".join(pdftext.read(pdf)["pages"])
    assert "伙伴通讯" in text and "网络伙伴几乎完全在线上会面" in text
    assert pdftext.read(pdf)["language"] == "zh-hans"


def test_russian_text_prints_in_the_cyrillic_faces(people, original, tmp_path):
    translation = workflows.translate_edition(people.editor, original, "ru")
    translation.title = "Вестник партнёров"
    workflows.update_edition(people.editor, translation)
    pdf = renderers.render(context_for(translation), "pdf")
    assert "+PP-Serif-Cyrillic-Bold" in _fonts(pdf, tmp_path)
    assert "Вестник партнёров" in "".join(pdftext.read(pdf)["pages"])


def test_settings_cannot_turn_a_translation_into_a_duplicate(people, original):
    workflows.translate_edition(people.editor, original, "es")
    arabic = workflows.translate_edition(people.editor, original, "ar")
    for language in ("es", "en"):
        arabic.language = language
        with pytest.raises(workflows.EditionError) as error:
            workflows.update_edition(people.editor, arabic)
        name = {"es": "Spanish", "en": "English"}[language]
        assert str(error.value) == f"“Partners' Newsletter” already has its {name} edition; choose another language."
    assert Edition.objects.get(pk=arabic.pk).language == "ar"


def test_a_translation_takes_the_items_version_in_its_language(people):
    import datetime as dt

    from partnerpost.content import workflows as item_workflows
    from partnerpost.editions import workflows as edition_workflows
    from partnerpost.editions.models import Edition, Entry
    from tests.factories import published

    english = published(people.icap, title="Graduation ceremony", language="en", published_on=dt.date(2020, 10, 30))
    other = published(people.icap, title="Annual report", language="en", published_on=dt.date(2020, 11, 2))
    spanish = item_workflows.save_item(people.icap_contributor, item_workflows.ItemInput(
        values={"kind": "news", "partner": people.icap, "title": "Ceremonia de graduación", "summary": "…",
                "language": "es", "published_on": dt.date(2020, 10, 30)}, translation_of=english))
    Item = type(english)
    Item.objects.filter(pk=spanish.pk).update(state="published")
    edition = edition_workflows.create_edition(people.editor, Edition(
        title="Newsletter", period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31)))
    assert set(Entry.objects.filter(section__edition=edition).values_list("item__title", flat=True)) == {
        "Graduation ceremony", "Annual report"}
    translation = edition_workflows.translate_edition(people.editor, edition, "es")
    assert set(Entry.objects.filter(section__edition=translation).values_list("item__title", flat=True)) == {
        "Ceremonia de graduación", "Annual report"}
    assert other.pk in set(Entry.objects.filter(section__edition=translation).values_list("item_id", flat=True))
