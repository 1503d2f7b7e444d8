"""Querying: search() with ranking and facet counts, and search_editions().

Bounded work for broad queries
At most CANDIDATES matches are collected per query (SQLite: the most recent, by id; PostgreSQL:
the first found in table order, for a broad query on a large index among the newest items: see postgres.py). Below that number everything is exact. Above it
``Results.capped`` is true, ``total`` is a lower bound (show it as "10,000+") and facet counts
are counted over those candidates. One SQL statement returns, for each live candidate, its id,
whether its title holds every word, and its facet string (``Entry.facets``); the facets are counted
here in one pass (``engine.count_facets``), which costs less than grouping each facet in SQL. (PostgreSQL's GIN index still reads the
whole list of a word's documents before the LIMIT applies: tens of milliseconds for a word in
most items.) Ranking (see `_ranked`) scores a bounded pool, the newest matches and those with
every word in the title, in Python from their stored text, the same way on both engines: FTS5's
bm25() and PostgreSQL's ts_rank() read every match of every query word (bm25 counts each word's
documents before it scores a row), so a common word costs them tens or hundreds of milliseconds
however few rows are ranked.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerpost.content.enums import ItemKind
from partnerpost.content.filters import FACETS, ItemFilters
from partnerpost.content.models import Item

from .analysis import PUNCTUATION, _query_stems, _stems, fold, terms
from .engine import HIT_CLOSE, HIT_OPEN, _token, backend
from .snippets import snippets as cut_snippets

#: How many matches a query collects at most; beyond it counts are lower bounds.
CANDIDATES = 10_000

_VALUE = re.compile(r"[0-9A-Za-z_-]{1,60}")


@dataclass
class Hit:
    item: Item
    snippet: str  # safe HTML with <mark> around matches
    url: str = ""  # the item's address, when the search page has worked it out


@dataclass
class Results:
    hits: list[Hit]
    total: int
    facets: dict = field(default_factory=dict)
    #: True when there were more than CANDIDATES matches: total and facet counts are lower bounds.
    capped: bool = False


def _marked(snippet: str) -> str:
    return html.escape(snippet).replace(HIT_OPEN, "<mark>").replace(HIT_CLOSE, "</mark>")


def search_editions(query: str, limit: int = 5) -> list[tuple]:
    """Published editions that match, best first, each with a snippet: [(edition, snippet), ...]."""
    from partnerpost.editions.models import Edition

    words = terms(query)
    if not words:
        return []
    engine = backend("edition")
    languages = set(Edition.objects.order_by().values_list("language", flat=True).distinct())
    live_sql, live_params = Edition.objects.published().order_by().values("pk").query.sql_with_params()
    rows = engine.search_live(words, languages, live_sql, list(live_params), limit)
    by_id = Edition.objects.in_bulk([pk for pk, _ in rows])
    return [(by_id[pk], _marked(snippet or "")) for pk, snippet in rows if pk in by_id]




def _filter_tags(filters) -> list[str] | None:
    """The index tags the filters (an ItemFilters, or a dict or QueryDict of them) require, or None when
    a filter can match nothing."""
    from partnerpost.content.models import Theme
    from partnerpost.network.models import Partner

    if not isinstance(filters, ItemFilters):
        filters = ItemFilters.from_query(filters, FACETS)
    values = filters.facets()
    if any(value and not _VALUE.fullmatch(value) for value in values.values()):
        return None
    tags = []
    if values["kind"]:
        tags.append(_token("k", values["kind"]))
    if values["partner"]:
        pk = Partner.objects.filter(slug=values["partner"]).values_list("pk", flat=True).first()
        if pk is None:
            return None
        tags.append(f"p{pk}")
    if values["theme"]:
        pk = Theme.objects.filter(slug=values["theme"]).values_list("pk", flat=True).first()
        if pk is None:
            return None
        tags.append(f"t{pk}")
    if values["region"]:
        tags.append(_token("r", values["region"]))
    if values["country"]:
        tags.append(_token("c", values["country"]))
    if values["language"]:
        tags.append(_token("l", values["language"]))
    if values["year"]:
        if not values["year"].isdigit():
            return None
        tags.append(f"y{int(values['year'])}")
    return tags


#: What a search result's card shows (discovery/search.html): with `cards`, the hits' items hold these alone.
CARD_FIELDS = ("kind", "event_type", "title", "slug", "language", "state", "go_live_at", "expire_at", "start_date", "end_date",
               "date_precision", "published_on", "sort_date", "partner__acronym")


def search(query: str, filters=None, *, page: int = 1, size: int = 20, cards: bool = False, prepare=None) -> Results:
    """Hits ranked by relevance, with snippets, and facet counts over the live matches (filters applied).
    `cards`: the hits' items hold only what the search page's cards show (CARD_FIELDS and the event days);
    otherwise what a listing shows (``for_listing``). `prepare`, when given, replaces both: a function that
    readies the hits' queryset for what the caller reads (the API passes its with_details, so a page of hits
    loads its related rows in a fixed number of queries).

    Exact up to CANDIDATES matches; beyond, see the module's docstring. Ranking: see `_ranked`."""
    words = terms(query)
    tags = _filter_tags(filters or {})
    if not words or tags is None:
        return Results([], 0, {})
    engine = backend()
    languages = engine.languages()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    found = engine.matches(words, tags, languages, now, CANDIDATES)
    hits = []
    offset = (page - 1) * size
    if offset < len(found.ids):
        texts = {}
        ids = _ranked(engine, words, languages, found.ids, found.in_title, texts)[offset:offset + size]
        # Snippets from the texts ranking read (the hits of the first pages are among them); others read now.
        texts.update(engine.texts([pk for pk in ids if pk not in texts]))
        snippets = cut_snippets(words, languages, {pk: texts[pk] for pk in ids if pk in texts})
        # By primary key alone, live checked here: with state in the query, SQLite may walk a state index instead.
        items = Item.objects.filter(pk__in=ids)
        if prepare is not None:
            items = prepare(items)
        elif cards:
            items = items.select_related("partner").prefetch_related("days").only(*CARD_FIELDS)
        else:
            items = items.for_listing().defer("body", "body_html")  # the long texts: a hit shows the snippet instead
        by_id = {item.pk: item for item in items if item.is_live}
        hits = [Hit(by_id[pk], _marked(snippets.get(pk) or "")) for pk in ids if pk in by_id]
    return Results(hits, len(found.ids), _facets(found.counts), found.found > CANDIDATES)


def _ranked(engine, words, languages, newest, in_title, texts) -> list[int]:
    """Every live match, best first: a pool of the RANK_POOL newest matches and the TITLE_POOL newest
    with every word in the title is ordered by a BM25-like score computed here from the stored text (title
    words count five times, repeated words count with saturation, long texts count less); the
    other matches follow, newest first. Scoring a bounded pool keeps a broad word as cheap as a
    rare one, which neither FTS5's bm25() nor ts_rank() does: both read every match of every word.
    The pool's texts are added to `texts` ({id: (title, body)}), for the snippets."""
    pool = list(dict.fromkeys([*newest[:RANK_POOL], *sorted(in_title, reverse=True)[:TITLE_POOL]]))
    texts.update(engine.texts(pool))
    forms = [_forms(word, languages) for word in words]
    measured = {pk: _measure(texts[pk], forms) for pk in pool if pk in texts}
    if measured:
        mean_title = sum(m[0] for m in measured.values()) / len(measured) or 1
        mean_body = sum(m[1] for m in measured.values()) / len(measured) or 1
    scores = {}
    for pk, (title_length, body_length, counts) in measured.items():
        title_norm = _K1 * (1 - _B + _B * title_length / mean_title)
        body_norm = _K1 * (1 - _B + _B * body_length / mean_body)
        score = sum(5 * t * (_K1 + 1) / (t + title_norm) + b * (_K1 + 1) / (b + body_norm) for t, b in counts)
        scores[pk] = score + (10 if pk in in_title else 0)
    ranked = sorted(scores, key=lambda pk: (-scores[pk], -pk))
    chosen = set(ranked)
    return ranked + [pk for pk in newest if pk not in chosen]


#: How many of the newest matches (and, beside them, title matches) are ranked by relevance.
RANK_POOL = 100
#: ... and how many of the newest title matches join them.
TITLE_POOL = 50
_K1, _B = 1.2, 0.75


def _forms(word: str, languages) -> list[str]:
    """How a query word may begin in a text that matched it: the word, its English stem and its
    stems in the languages present, each as a prefix (accents folded)."""
    english = _stems("porter", word)[0]
    english = english[:-1] if english.endswith("i") else english  # policy -> polici: count "polic..."
    found = {fold(word), english, *_query_stems(word, languages)}
    return sorted(" " + form for form in found if len(form) >= 3 or form == fold(word))


def _normal(text: str) -> str:
    """Lower case, accents off, punctuation as spaces."""
    text = text.lower()
    if not text.isascii():
        text = fold(text)
    return " " + text.translate(PUNCTUATION)


def _measure(text, forms):
    """(title length, body length, [(title count, body count) per query word]). A word is counted
    where a word of the text begins with one of its forms, so the stems of every language count."""
    title, body = _normal(text[0]), _normal(text[1])
    counts = [(max(title.count(f) for f in word_forms), max(body.count(f) for f in word_forms)) for word_forms in forms]
    return title.count(" "), body.count(" "), counts


#: How long a process keeps the facet labels at most (a theme or country renamed in another process shows by then).
LABEL_SECONDS = 60
_kept_labels = {}


def _labels():
    """The labels of facet values: four small tables read whole, so the number of queries never depends on
    the results. Kept in the process while the content version stands (a saved partner moves it on), for at
    most LABEL_SECONDS, and dropped when this process saves a partner, theme, country or region."""
    from partnerpost.content.models import Country, Region, Theme
    from partnerpost.network.models import Partner
    from partnerpost.network.paging import current_version

    key = (connection.alias, connection.settings_dict["NAME"], current_version())
    kept = _kept_labels.get("labels")
    if kept and kept[0] == key and time.monotonic() - kept[1] < LABEL_SECONDS:
        return kept[2]
    labels = (
        {str(pk): (slug, acronym) for pk, slug, acronym in Partner.objects.values_list("pk", "slug", "acronym")},
        {str(pk): (slug, name) for pk, slug, name in Theme.objects.values_list("pk", "slug", "name")},
        dict(Country.objects.values_list("code", "name")),
        dict(Region.objects.values_list("code", "name")),
    )
    _kept_labels["labels"] = (key, time.monotonic(), labels)
    return labels


def forget_labels(**kwargs):
    """Signal receiver: a partner, theme, country or region was saved or deleted."""
    _kept_labels.clear()


def _facets(counts) -> dict:
    """Options with labels, from {facet: {value (text): count}}."""
    partner_names, theme_names, country_names, region_names = _labels()
    kinds = dict(ItemKind.choices)

    def options(facet, label, order, top=None):
        found = [(*label(value), n) for value, n in counts.get(facet, {}).items() if label(value)]
        return sorted(found, key=order)[:top]

    by_count = lambda o: (-o[2], o[1])  # noqa: E731
    return {
        "kind": options("kind", lambda v: (v, str(kinds.get(v, v))), lambda o: (-o[2], o[0])),
        "partner": options("partner", lambda v: partner_names.get(v), by_count),
        "theme": options("theme", lambda v: theme_names.get(v), by_count, 15),
        "region": options("region", lambda v: (v, region_names[v]) if v in region_names else None, by_count, 15),
        "country": options("country", lambda v: (v, country_names[v]) if v in country_names else None, by_count, 15),
        "language": options("language", lambda v: (v, v), lambda o: (-o[2], o[0])),
        "year": options("year", lambda v: (v, v), lambda o: -int(o[0])),
    }


FACET_LABELS = {"kind": _("Kind"), "partner": _("Partner"), "theme": _("Theme"), "region": _("Region"), "country": _("Country"),
                "language": _("Language"), "year": _("Year")}
