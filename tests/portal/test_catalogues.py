"""The interface catalogues: complete, consistent with their English, and compiled."""

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from partnerpost.lib.catalogues import check

LOCALE = Path(__file__).resolve().parents[2] / "partnerpost" / "locale"
LANGUAGES = ["fr", "es", "ar", "zh_Hans", "ru"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_keeps_every_placeholder(language):
    problems = check(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with open(folder / "django.po", "rb") as handle:
        source = read_po(handle)
    with open(folder / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for message in source:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        key = f"{message.context}\x04{ids[0]}" if message.context else ids[0]
        if isinstance(message.id, tuple):
            found = tuple(compiled._catalog.get((key, n)) for n in range(len(message.string)))
        else:
            found = compiled._catalog.get(key)
        if found != message.string:
            stale.append(ids[0])
    assert stale == [], f"{language}: django.mo is older than django.po; run compilemessages"


def test_every_language_of_the_interface_has_a_catalogue():
    from django.conf import settings

    codes = {code for code, _name in settings.LANGUAGES} - {"en"}
    assert {language.lower().replace("_", "-") for language in LANGUAGES} == codes
