"""The filter vocabulary for items, shared by the portal archive and events pages, the JSON API, the
search page, the feeds and the calendars: the same names in every URL (?kind=event&partner=icap&theme=...),
parsed once and applied once.

- kind: an ItemKind value; partner and theme: slugs; region: a UN M49 code (its sub-regions and
  countries included); country: an ISO 3166-1 alpha-2 code; language: a content language code;
  year: the year of the item's date; date_from, date_to: the item's date, both ends included.

Checking the values (known choices, formats) stays with each caller: the archive form reports them,
the API answers 422, the search finds nothing. An empty value is no filter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields

#: The filters the search page offers as facets, in the order it shows them.
FACETS = ("kind", "partner", "theme", "region", "country", "language", "year")
#: Every filter, by its URL parameter name.
NAMES = (*FACETS, "date_from", "date_to")


@dataclass(frozen=True)
class ItemFilters:
    kind: str = ""
    partner: str = ""
    theme: str = ""
    region: str = ""
    country: str = ""
    language: str = ""
    year: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def __post_init__(self):
        for name in FACETS:  # enum members (ItemKind) and numbers become their text
            value = getattr(self, name)
            object.__setattr__(self, name, str(value or "").strip())

    @classmethod
    def from_query(cls, data, names=NAMES) -> ItemFilters:
        """From a QueryDict or a dict (its last value for a name given twice, as QueryDict.get).
        A date that is not YYYY-MM-DD is left out."""
        values = {}
        for name in names:
            raw = str(data.get(name) or "").strip()
            if name in ("date_from", "date_to"):
                try:
                    values[name] = dt.date.fromisoformat(raw) if raw else None
                except ValueError:
                    values[name] = None
            else:
                values[name] = raw
        return cls(**values)

    def replace(self, **changes) -> ItemFilters:
        return ItemFilters(**{**asdict(self), **changes})

    def facets(self) -> dict[str, str]:
        """{name: value} for every facet, '' when not set: what the search engine takes."""
        return {name: getattr(self, name) for name in FACETS}

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def apply(self, queryset):
        """The items of an Item queryset that pass every filter set."""
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.partner:
            queryset = queryset.filter(partner__slug=self.partner)
        if self.theme:
            queryset = queryset.with_theme(self.theme)
        if self.region:
            queryset = queryset.in_region(self.region)
        if self.country:
            queryset = queryset.in_country(self.country)
        if self.language:
            queryset = queryset.filter(language=self.language)
        if self.year:
            queryset = queryset.filter(sort_date__year=int(self.year)) if self.year.isdigit() else queryset.none()
        if self.date_from:
            queryset = queryset.filter(sort_date__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(sort_date__lte=self.date_to)
        return queryset

    def query_string(self) -> str:
        """The filters set, as URL parameters (partner=icap&kind=event), in the order of NAMES."""
        from urllib.parse import urlencode

        return urlencode([(name, str(getattr(self, name))) for name in NAMES if getattr(self, name)])
