"""Pages in the six UN languages: prefixes, lang and dir, the switcher and hreflang links."""

import re

import pytest
from django.urls import reverse

LANGS = {"fr": "ltr", "es": "ltr", "ar": "rtl", "zh-hans": "ltr", "ru": "ltr"}


@pytest.mark.parametrize("code, direction", LANGS.items())
def test_each_language_has_its_home_page_with_lang_and_dir(client, db, code, direction):
    response = client.get(f"/{code}/")
    assert response.status_code == 200
    html = response.content.decode()
    tag = re.search(r"<html[^>]*>", html).group(0)
    assert f'lang="{code}"' in tag
    assert ('dir="rtl"' in tag) == (direction == "rtl")


@pytest.mark.parametrize("code, events", [("fr", "Manifestations"), ("es", "Eventos"), ("ar", "الفعاليات"),
                                          ("zh-hans", "活动"), ("ru", "Мероприятия")])
def test_navigation_is_translated(client, db, code, events):
    html = client.get(f"/{code}/").content.decode()
    nav = html.split('class="main-nav"')[1].split("</nav>")[0]
    assert f">{events}</a>" in nav and ">Events</a>" not in nav


def test_english_stays_at_the_unprefixed_addresses(client, db):
    tag = re.search(r"<html[^>]*>", client.get("/").content.decode()).group(0)
    assert 'lang="en"' in tag and "dir=" not in tag
    assert client.get("/items/").status_code == 200
    assert client.get("/en/").status_code == 404  # one address per page: English has no prefix


@pytest.mark.parametrize("path", ["/xx/", "/xx/items/", "/fr-ca/", "/zh/", "/ar/nowhere/"])
def test_unknown_language_prefix_is_a_404(client, db, path):
    assert client.get(path).status_code == 404


def test_switcher_and_hreflang_point_at_the_same_page_in_each_language(client, db):
    html = client.get("/fr/items/?kind=event").content.decode()
    for code in ("fr", "es", "ar", "zh-hans", "ru"):
        assert f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/items/?kind=event">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/items/?kind=event">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/items/?kind=event">' in html
    switcher = html.split('class="language-switcher"')[1].split("</nav>")[0]
    assert '<a href="/es/items/?kind=event" hreflang="es" lang="es">Español</a>' in switcher
    assert 'href="/ar/items/?kind=event" hreflang="ar" lang="ar" dir="rtl"' in switcher
    assert 'href="/fr/items/?kind=event" hreflang="fr" lang="fr" aria-current="true"' in switcher


def test_machine_addresses_have_one_address(client, db):
    assert client.get("/robots.txt").status_code == 200 and client.get("/fr/robots.txt").status_code == 404
    assert client.get("/api/v1/items").status_code == 200 and client.get("/fr/api/v1/items").status_code == 404


def test_links_inside_a_language_stay_in_it(client, db):
    html = client.get("/es/").content.decode()
    assert 'href="/es/items/"' in html and 'href="/es/events/"' in html


def test_workspace_in_another_language_still_needs_the_second_factor(client, people, settings):
    settings.REQUIRE_EDITOR_2FA = True
    client.force_login(people.editor)
    response = client.get("/fr/workspace/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor"))


@pytest.mark.parametrize("language, expected", [
    ("en", ["24–26 November 2020", "24 November – 3 December 2020", "3 & 5 November 2020", "October–December 2020"]),
    ("fr", ["24–26 novembre 2020", "24 novembre – 3 décembre 2020", "3 novembre 2020 et 5 novembre 2020", "octobre\u2009–\u2009décembre 2020"]),
    ("es", ["24–26 de noviembre de 2020", "24 de noviembre – 3 de diciembre de 2020", "3 de noviembre de 2020 y 5 de noviembre de 2020", "octubre–diciembre de 2020"]),
    ("ar", ["24–26 نوفمبر 2020", "24 نوفمبر – 3 ديسمبر 2020", "3 نوفمبر 2020 و5 نوفمبر 2020", "أكتوبر – ديسمبر 2020"]),
    ("zh-hans", ["2020年11月24日至26日", "2020年11月24日至12月3日", "2020年11月3日和2020年11月5日", "2020年10月至12月"]),
    ("ru", [t.replace(" г.", "\u202fг.") for t in ["24–26 ноября 2020 г.", "24 ноября – 3 декабря 2020 г.", "3 ноября 2020 г. и 5 ноября 2020 г.", "октябрь – декабрь 2020 г."]]),
])
def test_event_dates_read_naturally_in_each_language(people, language, expected):
    import datetime as dt

    from django.utils import translation

    from partnerpost.content.display import event_dates, item_date
    from tests.factories import make_item

    D = dt.date
    symposium = make_item(people.icap, kind="event", start_date=D(2020, 11, 24), end_date=D(2020, 11, 26))
    forum = make_item(people.icap, kind="event", start_date=D(2020, 11, 24), end_date=D(2020, 12, 3))
    workshop = make_item(people.icap, kind="event", start_date=D(2020, 11, 3), end_date=D(2020, 11, 5))
    workshop.days.create(date=D(2020, 11, 3))
    workshop.days.create(date=D(2020, 11, 5))
    news = make_item(people.icap, published_on=D(2020, 10, 5), date_precision="quarter")
    with translation.override(language):
        assert [event_dates(symposium), event_dates(forum), event_dates(workshop), item_date(news)] == expected
