"""The demo edition's Spanish and Arabic translations: the PDF, the email and the loader."""

import email
import re

import pypdfium2 as pdfium
import pytest

from partnerpost.editions import demo as edition_demo
from partnerpost.editions import renderers
from partnerpost.editions.enums import EditionState
from partnerpost.editions.models import Edition
from partnerpost.editions.render import context_for
from partnerpost.mailing.worker import _build
from tests.conftest import pdffonts
from tests.editions import pdftext


@pytest.fixture
def arabic(demo_edition):
    return demo_edition.translations.get(language="ar")


@pytest.fixture
def spanish(demo_edition):
    return demo_edition.translations.get(language="es")


def test_demo_has_published_spanish_and_arabic_translations(demo_edition, arabic, spanish):
    assert [(t.language, t.state) for t in demo_edition.translations.order_by("language")] == [
        ("ar", EditionState.PUBLISHED), ("es", EditionState.PUBLISHED)]
    assert spanish.snapshot["title"] == "Boletín de los asociados de la UNPAN"
    assert spanish.snapshot["period"] == "octubre – noviembre – diciembre de 2020"
    assert arabic.snapshot["title"] == "نشرة شركاء شبكة الأمم المتحدة للإدارة العامة"
    # Every entry of the Arabic edition has an Arabic summary; the Spanish edition keeps ICAP's own Spanish one.
    arabic_entries = [e for s in arabic.snapshot["sections"] for e in s["entries"]]
    assert len(arabic_entries) == 27 and {e["summary_language"] for e in arabic_entries} == {"ar"}
    spanish_entries = {e["title"]: e for s in spanish.snapshot["sections"] for e in s["entries"]}
    taller = spanish_entries["Taller virtual Prospectiva e innovación en la gestión territorial"]
    assert (taller["language"], taller["summary_language"]) == ("es", "es")


def test_demo_loader_runs_twice_without_a_second_translation(demo_edition):
    again = edition_demo.load(log=lambda *_: None)
    assert again == demo_edition
    assert Edition.objects.count() == 3 and demo_edition.translations.count() == 2


def test_latest_edition_is_the_original_or_the_readers_translation(demo_edition, arabic):
    assert Edition.objects.pick(latest=True) == demo_edition
    assert Edition.objects.latest_for("ar") == arabic
    assert Edition.objects.latest_for("fr") == demo_edition


def test_arabic_pdf_is_set_right_to_left_in_noto_naskh_arabic(arabic, tmp_path):
    pdf = renderers.render(context_for(arabic), "pdf")
    path = tmp_path / "ar.pdf"
    path.write_bytes(pdf)
    fonts = pdffonts(path)
    embedded = {line.split()[0].split("+", 1)[1] for line in fonts.splitlines()[2:]}
    assert {"Noto-Naskh-Arabic", "Noto-Naskh-Arabic-Bold"} <= embedded
    assert all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in fonts.splitlines()[2:])  # embedded, subset, ToUnicode
    read = pdftext.read(pdf)
    assert read["language"] == "ar"
    text = "".join(read["pages"])
    # (words without vowel marks: the text layer gives a mark such as the shadda apart from its letter)
    for words in ("نشرة شركاء شبكة الأمم المتحدة للإدارة العامة", "تشرين الأول/أكتوبر", "استجابات رقمية للجائحة",
                  "إدارة الشؤون الاقتصادية والاجتماعية بالأمم المتحدة", "الآراء الواردة في هذه النشرة هي آراء أصحابها"):
        assert words in text, words
    # Set right to left: along the title, each letter in reading order stands left of the one before.
    page = pdfium.PdfDocument(pdf)[0]
    textpage = page.get_textpage()
    first_page = textpage.get_text_bounded()
    start = first_page.index("نشرة شركاء")
    lefts = [textpage.get_charbox(start + k)[0] for k in range(len("نشرة شركاء"))]
    assert lefts[0] > lefts[3] > lefts[-1]
    # …and it sits on the right of the page, where an Arabic masthead starts.
    assert lefts[0] > page.get_width() * 0.7
    # An English item's title keeps reading left to right inside it.
    title = "Compendium of Digital Government"
    start = first_page.index(title)
    assert textpage.get_charbox(start)[0] < textpage.get_charbox(start + len(title) - 1)[0]


def test_arabic_and_spanish_email_carry_their_language(demo_edition):
    for language, direction, words in (("ar", "rtl", "نشرة شركاء شبكة الأمم المتحدة للإدارة العامة"),
                                       ("es", "ltr", "Boletín de los asociados de la UNPAN")):
        message = b"".join(chunk for chunk in _build(demo_edition.pk, language).chunks if isinstance(chunk, bytes))
        head, _, body = message.partition(b"\r\n\r\n")
        assert f"Content-Language: {language}\r\n".encode() in head + b"\r\n"
        html = body.decode("ascii")
        assert f'<html lang=3D"{language}" dir=3D"{direction}"' in html
        assert f'<body dir=3D"{direction}"' in html

        parsed = email.message_from_bytes(message.replace(b"@@", b"x"))
        parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in parsed.walk() if not part.is_multipart()}
        assert words in parts["text/html"] and words in parts["text/plain"]
    # A subscriber whose language has no translation gets the original, in English, with a line in
    # their language saying so; the message speaks both.
    english = b"".join(chunk for chunk in _build(demo_edition.pk, "fr").chunks if isinstance(chunk, bytes))
    assert b"Content-Language: fr, en\r\n" in english
    parsed = email.message_from_bytes(english.replace(b"@@", b"x"))
    parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in parsed.walk() if not part.is_multipart()}
    note = "Ce numéro n’a pas encore été traduit dans votre langue\u00a0; voici la version originale."
    assert note in re.sub(r" *\r?\n", " ", parts["text/plain"])
    assert note.replace("\u00a0", "&nbsp;") in parts["text/html"]  # the CSS inliner writes the no-break space as an entity
    assert 'lang="fr"' in parts["text/html"]  # the note is marked as French
    # In the original's own language there is no note.
    original = b"".join(chunk for chunk in _build(demo_edition.pk, "en").chunks if isinstance(chunk, bytes))
    assert b"Content-Language: en\r\n" in original and b"translated into your language" not in original
