"""What the two engines share: the entry an item is indexed as, its facet tags, the facet
counting statement and the choice of engine (``backend``)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.db import connection

from partnerpost.lib import m49

from .analysis import stemmed

HIT_OPEN, HIT_CLOSE = "\x02", "\x03"


@dataclass
class Entry:
    """What the index holds about one item (or one edition: text only)."""

    pk: int
    language: str
    title: str
    body: str
    kind: str = ""
    partner_id: int | None = None
    year: int | None = None
    go_live_at: object = None
    expire_at: object = None
    themes: tuple = ()
    countries: tuple = ()
    regions: tuple = ()
    stems: str | None = None  # worked out on first use

    def stemmed(self) -> str:
        if self.stems is None:
            self.stems = stemmed(f"{self.title} {self.body}", self.language)
        return self.stems

    def facets(self) -> str:
        """The facet values counted for this item, one word each: a facet letter (FACET_LETTERS) and the value
        as shown, e.g. "kevent len p3 y2019 t5 cPH r142". Regions are the item's own (filters use those around)."""
        words = [f"k{self.kind}", f"l{self.language}"]
        if self.partner_id:
            words.append(f"p{self.partner_id}")
        if self.year:
            words.append(f"y{self.year}")
        words += [f"t{pk}" for pk in self.themes]
        words += [f"c{code}" for code in self.countries]
        words += [f"r{code}" for code in self.regions]
        return " ".join(dict.fromkeys(word.replace(" ", "") for word in words))

    def tags(self) -> list[str]:
        """One token per facet value; a region filter matches the regions around a tagged region or country."""
        tags = [_token("k", self.kind), _token("l", self.language)]
        if self.partner_id:
            tags.append(f"p{self.partner_id}")
        if self.year:
            tags.append(f"y{self.year}")
        tags += [f"t{pk}" for pk in self.themes]
        tags += [_token("c", code) for code in self.countries]
        tags += [_token("r", code) for code in sorted(_regions_around(self.regions, self.countries))]
        return list(dict.fromkeys(tags))


def _token(prefix: str, value) -> str:
    return prefix + re.sub(r"[^0-9a-z]", "", str(value).lower())


def _regions_around(regions, countries) -> set[str]:
    codes = set()
    for code in regions:
        codes.update(m49.ancestors(code) if code in m49.REGIONS else [code])
    for country in countries:
        if country in m49.COUNTRY_REGION:
            codes.update(m49.ancestors(m49.COUNTRY_REGION[country]))
    return codes


_PRESENT_LANGUAGES = (
    # A loose index scan: one index probe per language present, however many rows.
    "WITH RECURSIVE present(language) AS (SELECT min(language) FROM {table} UNION ALL "
    "SELECT (SELECT min(language) FROM {table} WHERE language > present.language) FROM present "
    "WHERE present.language IS NOT NULL) SELECT language FROM present WHERE language IS NOT NULL"
)


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


#: The first letter of each word of an entry's facet string, and the facet it counts for.
FACET_LETTERS = {"k": "kind", "l": "language", "p": "partner", "y": "year", "t": "theme", "c": "country", "r": "region"}


def count_facets(strings) -> dict:
    """{facet: {value: count}} over the facet strings (Entry.facets) of the live matches. Counted here, in
    one pass at C speed (Counter over the words of all the strings), rather than in SQL: grouping each facet's
    values over up to CANDIDATES rows cost both engines more than the match itself."""
    counts = {}
    for word, n in Counter(" ".join(strings).split()).items():
        facet = FACET_LETTERS.get(word[0])
        if facet:
            counts.setdefault(facet, {})[word[1:]] = n
    return counts


@dataclass
class Matches:
    """What a query found: how many rows (up to the limit and one), the live ones' ids newest first,
    those with every word in the title, and the facet counts {facet: {value: count}} of the live ones."""

    found: int
    ids: list
    in_title: set
    counts: dict

    @classmethod
    def from_row(cls, found, ids, titled, facets) -> Matches:
        """From the one row both engines' statements return: the number found, then the live candidates'
        ids, those with every word in the title (each comma-separated) and their facet strings (space-separated).
        Aggregated into strings by the database, ten thousand candidates cross into Python as four values
        rather than as ten thousand rows (which cost more than the match itself)."""
        return cls(found, sorted(_numbers(ids), reverse=True), set(_numbers(titled)), count_facets([facets] if facets else []))


def _numbers(joined) -> list[int]:
    return list(map(int, joined.split(","))) if joined else []


_TABLES = {"item": ("discovery_fts", "discovery_entry", "discovery_search", "item_id"),
           "edition": ("discovery_fts_edition", None, "discovery_search_edition", "edition_id")}


def backend(kind: str = "item"):
    """The engine of this database, for the item index or the edition index."""
    from .postgres import PostgresBackend
    from .sqlite import SQLiteBackend

    fts, entries, pg, key = _TABLES[kind]
    if connection.vendor == "postgresql":
        return PostgresBackend(pg, key, entries=bool(entries))
    return SQLiteBackend(fts, entries)
