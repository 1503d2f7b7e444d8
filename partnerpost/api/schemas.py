"""The shapes of the API's requests and responses. The OpenAPI document is generated from these."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Optional

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema, create_model

from partnerpost.content import kinds
from partnerpost.content.enums import (
    CallType,
    DatePrecision,
    EventFormat,
    EventStatus,
    EventType,
    ItemKind,
    ItemState,
    OrganizerRole,
    PersonRole,
    PublicationType,
    ThemeKind,
)
from partnerpost.network.enums import PartnerKind

# Input text ---------------------------------------------------------------------

NO_NUL = r"^[^\x00]*$"


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


def Text(max_length: int | None = None, **kwargs):  # noqa: N802 - reads as a type
    """A string the database can store: no NUL characters, no lone surrogates."""
    return Annotated[str, Field(max_length=max_length, pattern=NO_NUL, **kwargs), AfterValidator(_clean_text)]


# Dates and times: exactly the ISO 8601 / RFC 3339 forms the document promises. (Left to itself,
# pydantic would also read numbers as Unix timestamps.)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})$")
_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _iso(pattern, kind, parse, example):
    def read(value):
        if isinstance(value, str):
            if not pattern.match(value):
                raise ValueError(f"Write the {kind} as {example}.")
            return parse(value.replace("z", "Z").replace("Z", "+00:00"))
        if isinstance(value, (dt.date, dt.time)):
            return value
        raise ValueError(f"Write the {kind} as {example}.")
    return read


IsoDate = Annotated[
    dt.date, BeforeValidator(_iso(_DATE, "date", dt.date.fromisoformat, "YYYY-MM-DD")),
    WithJsonSchema({"type": "string", "format": "date"}),
]
IsoDateTime = Annotated[
    dt.datetime, BeforeValidator(_iso(_DATETIME, "time", dt.datetime.fromisoformat, "YYYY-MM-DDThh:mm:ssZ, with its offset")),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
#: A time of day on the event's own clock (its time zone is a separate field).
WallTime = Annotated[
    dt.time, BeforeValidator(_iso(re.compile(_TIME), "time", dt.time.fromisoformat, "hh:mm")),
    WithJsonSchema({"type": "string", "pattern": _TIME, "description": "hh:mm on the event's own clock."}),
]
WallTimeOut = Annotated[
    dt.time, PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "description": "hh:mm on the event's own clock."}),
]

Slug = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=120)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. CR")]
RegionCode = Annotated[str, Field(pattern=r"^[0-9]{3}$", description="UN M49 code, e.g. 419")]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$", max_length=10, description="e.g. en, es, zh-hans")]


# Errors -------------------------------------------------------------------------

class Error(Schema):
    detail: str = Field(description="What went wrong, in a sentence.")
    errors: Optional[dict[str, list[str]]] = Field(
        None, description="Field name → messages, when particular fields are at fault.",
        examples=[{"start_date": ["An event needs its first day."]}],
    )


# Shared pieces ------------------------------------------------------------------

class PartnerRef(Schema):
    slug: str
    acronym: str
    name: str


class Place(Schema):
    code: str
    name: str


class ThemeOut(Schema):
    slug: str
    name: str
    kind: ThemeKind
    sdg_number: Optional[int] = None


class LinkOut(Schema):
    label: str
    url: str


class OrganizationOut(Schema):
    role: OrganizerRole
    name: str
    partner: Optional[str] = Field(None, description="The slug of the network partner, if it is one.")


class PersonOut(Schema):
    name: str
    role: PersonRole
    affiliation: str


class ImageOut(Schema):
    url: str
    alt: str


class FeeOut(Schema):
    amount: Decimal
    currency: str


class SeriesOut(Schema):
    slug: str
    name: str


class EventOut(Schema):
    type: Optional[EventType] = None
    format: Optional[EventFormat] = None
    status: EventStatus
    start_date: Optional[dt.date] = None
    end_date: Optional[dt.date] = None
    days: list[dt.date] = Field(description="For events held on separate days; empty otherwise.")
    date_precision: DatePrecision
    start_time: Optional[WallTimeOut] = None
    end_time: Optional[WallTimeOut] = None
    time_zone: str
    starts_at: Optional[dt.datetime] = Field(None, description="Start in UTC, when a start time is known.")
    ends_at: Optional[dt.datetime] = None
    venue: str
    city: str
    venue_country: Optional[Place] = None
    online_url: str
    registration_url: str
    fee: Optional[FeeOut] = None
    enrolment_deadline: Optional[dt.date] = None
    capacity: Optional[int] = None
    session_count: Optional[int] = None
    total_hours: Optional[Decimal] = None
    series: Optional[SeriesOut] = None
    people: list[PersonOut]
    calendar_url: str = Field(description="The event as an iCalendar file.")


class PublicationOut(Schema):
    type: Optional[PublicationType] = None
    document_url: str
    document_file_url: Optional[str] = None


class CallOut(Schema):
    type: Optional[CallType] = None
    deadline: Optional[dt.date] = None
    eligibility: str


class WinnerOut(Schema):
    name: str
    category: Optional[str] = None
    country: Optional[Place] = None


class AwardProgrammeOut(Schema):
    slug: str
    name: str
    website: str


class AwardOut(Schema):
    programme: Optional[AwardProgrammeOut] = None
    year: Optional[int] = None
    categories: list[str]
    winners: list[WinnerOut]


class VersionOut(Schema):
    slug: str
    language: str
    title: str
    url: str


class _ItemCommon(Schema):
    slug: str
    url: str = Field(description="The public page on the portal.")
    kind: ItemKind
    title: str
    summary: str
    body_html: str = Field(description="The body as sanitized HTML.")
    language: str
    partner: PartnerRef
    themes: list[ThemeOut]
    countries: list[Place]
    regions: list[Place]
    organizations: list[OrganizationOut]
    links: list[LinkOut]
    image: Optional[ImageOut] = None
    published_on: Optional[dt.date] = Field(None, description="The publication date given by the partner (not for events).")
    date: Optional[dt.date] = Field(None, description="The date lists sort by: an event's first day, otherwise its publication date.")
    first_published_at: Optional[dt.datetime] = None
    updated_at: dt.datetime
    translations: list[VersionOut] = Field(description="The same story in other languages (its translation group).")


#: Kinds whose object has nested parts, written out above; every other kind's object is built
#: from the `api_fields` its registry entry declares.
_WRITTEN_OUT = {"event": EventOut, "publication": PublicationOut, "call": CallOut, "award": AwardOut}


def _kind_schema(kind) -> type[Schema]:
    if kind.value in _WRITTEN_OUT:
        return _WRITTEN_OUT[kind.value]
    fields = {
        name: (Optional[python_type], Field(None, description=description))
        for name, (python_type, description) in kind.api_fields.items()
    }
    return create_model(f"{kind.value.title()}Out", __base__=Schema, **fields)


#: An item as the public sees it: the common fields, and one object for its kind (null for the others).
ItemOut = create_model("ItemOut", __base__=_ItemCommon, **{
    kind.api_key: (Optional[_kind_schema(kind)], Field(None, description=f"Present for {kind.value}s only."))
    for kind in kinds.all() if kind.api_key
})


class PartnerItemOut(ItemOut):
    """An item as its own partner's token sees it, in any state."""

    state: ItemState
    rejection_reason: str = Field(description="Why the secretariat returned it, when it did.")
    revision: int
    created_at: dt.datetime
    submitted_at: Optional[dt.datetime] = None
    go_live_at: Optional[dt.datetime] = None
    expire_at: Optional[dt.datetime] = None


class PageInfo(Schema):
    next: Optional[str] = Field(None, description="The URL of the next page, or null on the last page.")
    limit: int


class ItemPage(PageInfo):
    results: list[ItemOut]


class PartnerItemPage(PageInfo):
    results: list[PartnerItemOut]


class PartnerOut(Schema):
    slug: str
    acronym: str
    name: str
    kind: PartnerKind
    description: str
    website: str
    country: Optional[Place] = None
    region: Optional[Place] = None
    logo_url: Optional[str] = None
    url: str = Field(description="The partner's page on the portal.")
    items_url: str = Field(description="The partner's published items in this API.")


class PartnerPage(PageInfo):
    results: list[PartnerOut]


class TokenPartnerOut(Schema):
    partner: PartnerOut
    token_name: str
    token_prefix: str
    expires_at: Optional[dt.datetime] = None


class ThemeList(Schema):
    results: list[ThemeOut]


class EditionSummary(Schema):
    slug: str
    title: str
    url: str
    pdf_url: str
    period: str
    period_start: dt.date
    period_end: dt.date
    volume: Optional[int] = None
    number: Optional[int] = None
    language: str
    published_at: Optional[dt.datetime] = None


class EditionEntryOut(Schema):
    title: str
    kind: str
    kind_label: str
    summary: str
    url: str
    language: str
    when: str
    time: str
    where: str
    organizers: list[str]
    facts: list[str]
    links: list[LinkOut]


class EditionSectionOut(Schema):
    title: str
    partner: str = Field(description="The partner's acronym, when the section is one partner's.")
    entries: list[EditionEntryOut]


class EditionOut(EditionSummary):
    introduction_html: str
    disclaimer: str
    sections: list[EditionSectionOut]


class EditionPage(PageInfo):
    results: list[EditionSummary]


class FacetOption(Schema):
    value: str
    label: str
    count: int


class SearchHit(Schema):
    item: ItemOut
    snippet: str = Field(description="HTML: matching words in <mark>.")


class EditionHit(Schema):
    slug: str
    title: str
    url: str
    snippet: str


class SearchResults(PageInfo):
    query: str
    total: int = Field(description="How many published items match, with the filters applied; a lower bound when "
                                   "total_capped is true.")
    total_capped: bool = Field(description="True when more items match than the search counts (10,000): total and the "
                                           "facet counts are then counted over the first 10,000 matches only.")
    results: list[SearchHit]
    facets: dict[str, list[FacetOption]] = Field(
        description="For each facet (kind, partner, theme, region, country, language, year): the values among the matches, with counts.",
    )
    editions: list[EditionHit] = Field(description="Newsletter editions that match; first page without filters only.")


# Writes -------------------------------------------------------------------------

class LinkIn(Schema):
    label: Text(200, min_length=1)
    url: Text(500, min_length=1)


class PersonIn(Schema):
    name: Text(200, min_length=1)
    role: PersonRole = PersonRole.SPEAKER
    affiliation: Text(200) = ""


class WinnerIn(Schema):
    name: Text(300, min_length=1)
    category: Optional[Text(300)] = Field(None, description="A category name of the award programme.")
    country: Optional[CountryCode] = None


class ItemFields(Schema):
    """Every field a partner may set. Fields of other kinds than the item's are ignored and cleared."""

    title: Text(300)
    summary: Text(800)
    body: Text(50000) = Field("", description="Markdown. Links must start with http(s):// or mailto:.")
    language: LanguageCode = "en"
    themes: list[Slug] = Field([], max_length=50, description="Theme slugs; GET /api/v1/themes lists them.")
    countries: list[CountryCode] = Field([], max_length=250)
    regions: list[RegionCode] = Field([], max_length=50)
    organizers: list[Text(200)] = Field([], max_length=50, description="A partner's acronym links it; other names are kept as written.")
    co_organizers: list[Text(200)] = Field([], max_length=50)
    supporters: list[Text(200)] = Field([], max_length=50)
    links: list[LinkIn] = Field([], max_length=50)
    # Events
    event_type: Optional[EventType] = None
    event_format: Optional[EventFormat] = None
    event_status: EventStatus = EventStatus.SCHEDULED
    start_date: Optional[IsoDate] = None
    end_date: Optional[IsoDate] = None
    days: list[IsoDate] = Field([], max_length=100, description="Separate days of an event; they set the first and last day.")
    date_precision: DatePrecision = DatePrecision.DAY
    start_time: Optional[WallTime] = None
    end_time: Optional[WallTime] = None
    time_zone: Text(64) = Field("", description="An IANA name such as America/Costa_Rica, or an offset such as UTC-06:00.")
    venue: Text(200) = ""
    city: Text(100) = ""
    venue_country: Optional[CountryCode] = None
    online_url: Text(200) = ""
    registration_url: Text(200) = ""
    fee_amount: Optional[Decimal] = Field(None, ge=0, max_digits=10, decimal_places=2, allow_inf_nan=False)
    fee_currency: Text(3) = Field("", description="ISO 4217 code, e.g. USD.")
    enrolment_deadline: Optional[IsoDate] = None
    capacity: Optional[int] = Field(None, ge=0, le=2147483647)
    session_count: Optional[int] = Field(None, ge=0, le=32767)
    total_hours: Optional[Decimal] = Field(None, ge=0, max_digits=6, decimal_places=1, allow_inf_nan=False)
    series: Text(200) = Field("", description="The programme the event belongs to; made if new.")
    people: list[PersonIn] = Field([], max_length=100)
    # Publications, news, calls, awards
    published_on: Optional[IsoDate] = None
    publication_type: Optional[PublicationType] = None
    document_url: Text(200) = ""
    call_type: Optional[CallType] = None
    deadline: Optional[IsoDate] = None
    eligibility: Text(5000) = ""
    award_programme: Optional[Slug] = Field(None, description="The slug of an award programme.")
    award_year: Optional[int] = Field(None, ge=1900, le=2100)
    award_categories: list[Text(300)] = Field([], max_length=50, description="Category names of the award programme.")
    winners: list[WinnerIn] = Field([], max_length=200)
    # Consultations (they close on `deadline`)
    response_url: Text(500) = Field("", description="Where to respond: a web address, or mailto: and an address.")
    translation_of: Optional[Slug] = Field(
        None, description="The slug of the same story in another language, from the same partner; links the two.")


class ItemCreate(ItemFields):
    kind: ItemKind
    submit: bool = Field(False, description="Submit for review straight away.")

    model_config = {"json_schema_extra": {"examples": [{
        "kind": "event", "title": "Taller virtual: Prospectiva e innovación", "summary": "Cuatro sesiones en línea.",
        "language": "es", "event_type": "workshop", "event_format": "online", "start_date": "2020-11-13",
        "fee_amount": "50.00", "fee_currency": "USD", "organizers": ["ICAP"],
        "links": [{"label": "Programme", "url": "https://icap.ac.cr/taller"}],
        "people": [{"name": "Alain Jordá", "role": "facilitator"}],
    }]}}


class ItemPatch(Schema):
    """Only the fields sent change. null clears a field."""

    kind: Optional[ItemKind] = None
    title: Optional[Text(300)] = None
    summary: Optional[Text(800)] = None
    body: Optional[Text(50000)] = None
    language: Optional[LanguageCode] = None
    themes: Optional[list[Slug]] = Field(None, max_length=50)
    countries: Optional[list[CountryCode]] = Field(None, max_length=250)
    regions: Optional[list[RegionCode]] = Field(None, max_length=50)
    organizers: Optional[list[Text(200)]] = Field(None, max_length=50)
    co_organizers: Optional[list[Text(200)]] = Field(None, max_length=50)
    supporters: Optional[list[Text(200)]] = Field(None, max_length=50)
    links: Optional[list[LinkIn]] = Field(None, max_length=50)
    event_type: Optional[EventType] = None
    event_format: Optional[EventFormat] = None
    event_status: Optional[EventStatus] = None
    start_date: Optional[IsoDate] = None
    end_date: Optional[IsoDate] = None
    days: Optional[list[IsoDate]] = Field(None, max_length=100)
    date_precision: Optional[DatePrecision] = None
    start_time: Optional[WallTime] = None
    end_time: Optional[WallTime] = None
    time_zone: Optional[Text(64)] = None
    venue: Optional[Text(200)] = None
    city: Optional[Text(100)] = None
    venue_country: Optional[CountryCode] = None
    online_url: Optional[Text(200)] = None
    registration_url: Optional[Text(200)] = None
    fee_amount: Optional[Decimal] = Field(None, ge=0, max_digits=10, decimal_places=2, allow_inf_nan=False)
    fee_currency: Optional[Text(3)] = None
    enrolment_deadline: Optional[IsoDate] = None
    capacity: Optional[int] = Field(None, ge=0, le=2147483647)
    session_count: Optional[int] = Field(None, ge=0, le=32767)
    total_hours: Optional[Decimal] = Field(None, ge=0, max_digits=6, decimal_places=1, allow_inf_nan=False)
    series: Optional[Text(200)] = None
    people: Optional[list[PersonIn]] = Field(None, max_length=100)
    published_on: Optional[IsoDate] = None
    publication_type: Optional[PublicationType] = None
    document_url: Optional[Text(200)] = None
    call_type: Optional[CallType] = None
    deadline: Optional[IsoDate] = None
    eligibility: Optional[Text(5000)] = None
    award_programme: Optional[Slug] = None
    award_year: Optional[int] = Field(None, ge=1900, le=2100)
    award_categories: Optional[list[Text(300)]] = Field(None, max_length=50)
    winners: Optional[list[WinnerIn]] = Field(None, max_length=200)
    response_url: Optional[Text(500)] = None
    translation_of: Optional[Slug] = Field(None, description="Link to another language version; null unlinks.")

    model_config = {"json_schema_extra": {"examples": [{"summary": "Five sessions online.", "session_count": 5}]}}
