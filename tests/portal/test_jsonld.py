"""The JSON-LD of public pages, checked against schema.org.

Every <script type="application/ld+json"> block of the item pages (each kind and event format),
the edition pages and the home page is parsed and validated against a small offline copy of the
schema.org vocabulary: each @type must be a schema.org type, each property one that schema.org
allows on that type or one of its supertypes (domainIncludes), each value of a type the property
allows (rangeIncludes), and enumeration values members of the right enumeration. On top of that,
the rules for events that search engines rely on: name, startDate, location, eventAttendanceMode,
eventStatus and organizer present, and a fee given as an Offer with price and priceCurrency.

The vocabulary (TYPES, PROPERTIES, ENUMERATIONS) is transcribed by hand from the schema.org
definitions (https://schema.org/<Name>, as published in 2025); it holds only the types and properties the portal uses or is likely to use, so an
unknown property fails here until it is checked against schema.org and added.
"""

import datetime as dt
import json
import re

import pytest

from partnerpost.content.enums import ItemKind, ItemState
from partnerpost.content.models import Country
from tests.factories import make_item

# type -> its direct supertypes
TYPES = {
    "Thing": [],
    "CreativeWork": ["Thing"], "Article": ["CreativeWork"], "NewsArticle": ["Article"], "Report": ["Article"],
    "MediaObject": ["CreativeWork"], "ImageObject": ["MediaObject"], "WebPage": ["CreativeWork"], "WebSite": ["CreativeWork"],
    "Event": ["Thing"], "EducationEvent": ["Event"], "Organization": ["Thing"], "Person": ["Thing"],
    "Place": ["Thing"], "AdministrativeArea": ["Place"], "Country": ["AdministrativeArea"],
    "Intangible": ["Thing"], "VirtualLocation": ["Intangible"], "Offer": ["Intangible"], "Language": ["Intangible"],
    "StructuredValue": ["Intangible"], "ContactPoint": ["StructuredValue"], "PostalAddress": ["ContactPoint"],
    "Enumeration": ["Intangible"], "StatusEnumeration": ["Enumeration"], "EventStatusType": ["StatusEnumeration"],
    "EventAttendanceModeEnumeration": ["Enumeration"], "ItemAvailability": ["Enumeration"],
}
# Data types: how a plain JSON value of each is recognised.
_DATE = r"\d{4}-\d{2}-\d{2}"
DATATYPES = {
    "Text": lambda v: isinstance(v, str),
    "URL": lambda v: isinstance(v, str) and re.fullmatch(r"https?://[^\s]+", v) is not None,
    "Date": lambda v: isinstance(v, str) and re.fullmatch(_DATE, v) is not None and _parses(v),
    "DateTime": lambda v: isinstance(v, str) and re.fullmatch(_DATE + r"T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?", v) is not None and _parses(v),
    "Number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
}
# Enumerations: their members (each written https://schema.org/<Member>).
ENUMERATIONS = {
    "EventStatusType": {"EventCancelled", "EventMovedOnline", "EventPostponed", "EventRescheduled", "EventScheduled"},
    "EventAttendanceModeEnumeration": {"MixedEventAttendanceMode", "OfflineEventAttendanceMode", "OnlineEventAttendanceMode"},
    "ItemAvailability": {"InStock", "SoldOut", "PreOrder", "LimitedAvailability", "OnlineOnly", "InStoreOnly", "Discontinued",
                         "OutOfStock", "PreSale", "BackOrder", "Reserved", "MadeToOrder"},
}
_DATED = {"Event", "CreativeWorkSeason", "CreativeWorkSeries", "DatedMoneySpecification", "EducationalOccupationalProgram",
          "MerchantReturnPolicySeasonalOverride", "Role", "Schedule"}
_VALIDITY = {"Offer", "Demand", "JobPosting", "MonetaryAmount", "PriceSpecification"}
# property -> (domainIncludes, rangeIncludes)
PROPERTIES = {
    # Thing
    "name": ({"Thing"}, {"Text"}),
    "alternateName": ({"Thing"}, {"Text"}),
    "description": ({"Thing"}, {"Text", "TextObject"}),
    "url": ({"Thing"}, {"URL"}),
    "image": ({"Thing"}, {"ImageObject", "URL"}),
    "sameAs": ({"Thing"}, {"URL"}),
    "identifier": ({"Thing"}, {"PropertyValue", "Text", "URL"}),
    "mainEntityOfPage": ({"Thing"}, {"CreativeWork", "URL"}),
    # CreativeWork
    "abstract": ({"CreativeWork"}, {"Text"}),
    "about": ({"CreativeWork", "Certification", "CommunicateAction", "Event"}, {"Thing"}),
    "author": ({"CreativeWork", "Rating"}, {"Organization", "Person"}),
    "publisher": ({"CreativeWork", "PublicationEvent"}, {"Organization", "Person"}),
    "datePublished": ({"CreativeWork"}, {"Date", "DateTime"}),
    "dateModified": ({"CreativeWork", "DataFeedItem"}, {"Date", "DateTime"}),
    "headline": ({"CreativeWork"}, {"Text"}),
    "keywords": ({"CreativeWork", "Event", "Organization", "Place", "Product"}, {"DefinedTerm", "Text", "URL"}),
    "inLanguage": ({"CreativeWork", "Event", "BroadcastService", "CommunicateAction", "LinkRole", "PronounceableText", "WriteAction"},
                   {"Language", "Text"}),
    "encoding": ({"CreativeWork"}, {"MediaObject"}),
    "expires": ({"CreativeWork"}, {"Date", "DateTime"}),
    "discussionUrl": ({"CreativeWork"}, {"URL"}),
    "contentUrl": ({"MediaObject"}, {"URL"}),
    "encodingFormat": ({"CreativeWork", "MediaObject"}, {"Text", "URL"}),
    "articleBody": ({"Article"}, {"Text"}),
    "offers": ({"CreativeWork", "EducationalOccupationalProgram", "Event", "MenuItem", "Product", "Service", "Trip"}, {"Demand", "Offer"}),
    # Event
    "startDate": (_DATED, {"Date", "DateTime"}),
    "endDate": (_DATED, {"Date", "DateTime"}),
    "eventStatus": ({"Event"}, {"EventStatusType"}),
    "eventAttendanceMode": ({"Event"}, {"EventAttendanceModeEnumeration"}),
    "location": ({"Action", "Event", "InteractionCounter", "Organization"}, {"Place", "PostalAddress", "Text", "VirtualLocation"}),
    "organizer": ({"Event"}, {"Organization", "Person"}),
    "performer": ({"Event"}, {"Organization", "Person"}),
    "superEvent": ({"Event"}, {"Event"}),
    "maximumAttendeeCapacity": ({"Event", "Place"}, {"Integer"}),
    # Place and address
    "address": ({"GeoCoordinates", "GeoShape", "Organization", "Person", "Place"}, {"PostalAddress", "Text"}),
    "addressLocality": ({"PostalAddress"}, {"Text"}),
    "addressRegion": ({"PostalAddress", "DefinedRegion"}, {"Text"}),
    "addressCountry": ({"DefinedRegion", "GeoCoordinates", "GeoShape", "PostalAddress"}, {"Country", "Text"}),
    "streetAddress": ({"PostalAddress"}, {"Text"}),
    "postalCode": ({"DefinedRegion", "GeoCoordinates", "GeoShape", "PostalAddress"}, {"Text"}),
    # Offer
    "price": ({"Offer", "PriceSpecification", "TradeAction"}, {"Number", "Text"}),
    "priceCurrency": ({"DonateAction", "LoanOrCredit", "MonetaryAmount", "MonetaryAmountDistribution", "Offer", "PaymentChargeSpecification",
                       "PriceSpecification", "Reservation", "Ticket", "TradeAction"}, {"Text"}),
    "validFrom": ({"Demand", "LocationFeatureSpecification", "MonetaryAmount", "Offer", "OpeningHoursSpecification", "Permit",
                   "PriceSpecification"}, {"Date", "DateTime"}),
    "validThrough": (_VALIDITY, {"Date", "DateTime"}),
    "availability": ({"Demand", "Offer"}, {"ItemAvailability"}),
    # Organization and Person
    "logo": ({"Brand", "Organization", "Place", "Product", "Service", "Certification"}, {"ImageObject", "URL"}),
    "email": ({"ContactPoint", "Organization", "Person"}, {"Text"}),
    "affiliation": ({"Person"}, {"Organization"}),
    "jobTitle": ({"Person"}, {"DefinedTerm", "Text"}),
}
EVENT_REQUIRED = ("name", "startDate", "location", "eventAttendanceMode", "eventStatus", "organizer")


def _parses(value):
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def ancestry(name: str) -> set[str]:
    """A type and all its supertypes."""
    found, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo += TYPES.get(current, [])
    return found


def _types(node) -> list[str]:
    value = node.get("@type")
    return value if isinstance(value, list) else [value]


def _local(value: str) -> str | None:
    match = re.fullmatch(r"https?://schema\.org/(\w+)", value)
    return match.group(1) if match else None


def validate(node, path="$") -> list[str]:
    """Every departure from the vocabulary, as 'path: problem' lines; [] when the node is valid."""
    errors = []
    if not isinstance(node, dict):
        return [f"{path}: expected an object, found {type(node).__name__}"]
    types = _types(node)
    for name in types:
        if name not in TYPES:
            errors.append(f"{path}: @type {name!r} is not a schema.org type (or not in this test's vocabulary)")
    known = [name for name in types if name in TYPES]
    if not known:
        return errors
    lineage = set().union(*(ancestry(name) for name in known))
    for prop, value in node.items():
        if prop in {"@context", "@type", "@id"}:
            if prop == "@context" and value not in ("https://schema.org", "https://schema.org/", "http://schema.org"):
                errors.append(f"{path}.@context: {value!r} is not schema.org")
            continue
        where = f"{path}.{prop}"
        if prop not in PROPERTIES:
            errors.append(f"{where}: {prop!r} is not a schema.org property (or not in this test's vocabulary)")
            continue
        domain, expected = PROPERTIES[prop]
        if not domain & lineage:
            errors.append(f"{where}: {prop!r} is not a property of {'/'.join(known)} (schema.org allows it on {', '.join(sorted(domain))})")
        for n, item in enumerate(value if isinstance(value, list) else [value]):
            errors += _check_value(item, expected, f"{where}[{n}]" if isinstance(value, list) else where)
    return errors


def _check_value(value, expected, where) -> list[str]:
    if isinstance(value, dict):
        inner = [name for name in _types(value) if name in TYPES]
        if inner and not any(ancestry(name) & expected for name in inner):
            return [f"{where}: a {'/'.join(inner)} where schema.org expects {' or '.join(sorted(expected))}"] + validate(value, where)
        return validate(value, where)
    enumerations = expected & set(ENUMERATIONS)
    if enumerations:
        member = _local(value) if isinstance(value, str) else None
        if not any(member in ENUMERATIONS[e] for e in enumerations):
            return [f"{where}: {value!r} is not a member of {' or '.join(sorted(enumerations))}"]
        return []
    if any(DATATYPES[t](value) for t in expected if t in DATATYPES):
        return []
    if expected & {"Language"} and isinstance(value, str):
        return []
    return [f"{where}: {value!r} is not a {' or '.join(sorted(expected))}"]


def check_event(node, fee=None) -> list[str]:
    """The rules for events on top of the vocabulary."""
    errors = [f"$.{name}: an Event needs it" for name in EVENT_REQUIRED if not node.get(name)]
    locations = node.get("location")
    for location in locations if isinstance(locations, list) else [locations] if locations else []:
        if not (isinstance(location, dict) and {"Place", "VirtualLocation"} & set(_types(location))):
            errors.append(f"$.location: {location!r} is neither a Place nor a VirtualLocation")
    if fee is not None:
        amount, currency = fee
        offers = node.get("offers")
        offers = offers if isinstance(offers, list) else [offers] if offers else []
        if not any(isinstance(o, dict) and "Offer" in _types(o) and o.get("priceCurrency") == currency
                   and str(o.get("price")) == str(amount) for o in offers):
            errors.append(f"$.offers: the fee {amount} {currency} is not given as an Offer with price and priceCurrency")
    return errors


def blocks(response) -> list:
    html = response.content.decode()
    return [json.loads(text) for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


# The validator itself ----------------------------------------------------------------------------

GOOD_EVENT = {
    "@context": "https://schema.org", "@type": "Event", "name": "Taller", "startDate": "2020-11-13", "endDate": "2020-11-13T18:00:00+00:00",
    "eventStatus": "https://schema.org/EventScheduled", "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
    "location": {"@type": "VirtualLocation", "url": "https://icap.ac.cr/"}, "organizer": [{"@type": "Organization", "name": "ICAP"}],
    "offers": {"@type": "Offer", "price": "50.00", "priceCurrency": "USD", "validThrough": "2020-11-10"},
}


def test_validator_accepts_a_valid_event():
    assert validate(GOOD_EVENT) == [] and check_event(GOOD_EVENT, fee=("50.00", "USD")) == []


@pytest.mark.parametrize(("change", "problem"), [
    ({"@type": "Evnt"}, "$: @type 'Evnt' is not a schema.org type"),
    ({"startTime": "10:00"}, "$.startTime: 'startTime' is not a schema.org property"),
    ({"headline": "Taller"}, "$.headline: 'headline' is not a property of Event"),
    ({"eventStatus": "https://schema.org/EventOnline"}, "$.eventStatus: 'https://schema.org/EventOnline' is not a member of EventStatusType"),
    ({"eventStatus": "https://schema.org/OnlineEventAttendanceMode"}, "is not a member of EventStatusType"),
    ({"eventAttendanceMode": "online"}, "$.eventAttendanceMode: 'online' is not a member of EventAttendanceModeEnumeration"),
    ({"organizer": {"@type": "Place", "name": "ICAP"}}, "$.organizer: a Place where schema.org expects Organization or Person"),
    ({"startDate": "13 November 2020"}, "$.startDate: '13 November 2020' is not a Date or DateTime"),
    ({"location": {"@type": "Place", "name": "Seoul", "adress": "Seoul"}}, "$.location.adress: 'adress' is not a schema.org property"),
    ({"offers": {"@type": "Offer", "price": "50.00", "priceCurrency": "USD", "headline": "x"}}, "$.offers.headline: 'headline' is not a property of Offer"),
])
def test_validator_rejects_departures_from_schema_org(change, problem):
    errors = validate({**GOOD_EVENT, **change})
    assert any(problem in error for error in errors), errors


def test_event_rules_reject_missing_fields_and_a_fee_outside_offers():
    bare = {key: value for key, value in GOOD_EVENT.items() if key not in {"location", "eventAttendanceMode", "offers"}}
    assert check_event(bare, fee=("50.00", "USD")) == [
        "$.location: an Event needs it", "$.eventAttendanceMode: an Event needs it",
        "$.offers: the fee 50.00 USD is not given as an Offer with price and priceCurrency",
    ]
    assert check_event({**GOOD_EVENT, "location": "Seoul"}) == ["$.location: 'Seoul' is neither a Place nor a VirtualLocation"]


# The pages ---------------------------------------------------------------------------------------

EVENTS = {
    "online": dict(event_format="online", online_url="https://zoom.example.org/j/1"),
    "in person": dict(event_format="in_person", city="Ljubljana", venue="Grand Hotel Union"),
    "hybrid": dict(event_format="hybrid", city="Seoul", registration_url="https://unpog.org/register"),
    "cancelled, with a fee": dict(event_format="in_person", city="San José", event_status="cancelled", fee_amount="350.00",
                                  fee_currency="USD", enrolment_deadline=dt.date(2020, 11, 1), registration_url="https://icap.ac.cr/matricula"),
    "postponed, timed": dict(event_format="online", event_status="postponed", start_time=dt.time(9, 30), end_time=dt.time(12),
                             time_zone="America/Costa_Rica", fee_amount="0.00", fee_currency="USD"),
}


@pytest.mark.parametrize("case", list(EVENTS))
def test_event_pages_emit_valid_schema_org(client, people, case):
    fields = dict(EVENTS[case])
    if fields.get("city") == "Ljubljana":
        fields["venue_country"] = Country.objects.get(code="SI")
    item = make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title=f"Event {case}",
                     start_date=dt.date(2020, 11, 13), end_date=dt.date(2020, 11, 14), **fields)
    item.organizations.create(role="organizer", partner=people.icap)
    item.people.create(name="Ana Gómez")
    [data] = blocks(client.get(item.get_absolute_url()))
    fee = (fields["fee_amount"], fields["fee_currency"]) if "fee_amount" in fields else None
    assert validate(data) == [] and check_event(data, fee=fee) == []
    assert data["@type"] == "Event"


@pytest.mark.parametrize(("fields", "mode", "location_type"), [
    (dict(city="Ljubljana"), "https://schema.org/OfflineEventAttendanceMode", "Place"),
    (dict(online_url="https://icap.ac.cr/aula"), "https://schema.org/OnlineEventAttendanceMode", "VirtualLocation"),
])
def test_event_without_a_format_is_described_by_what_is_known(client, people, fields, mode, location_type):
    item = make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, start_date=dt.date(2020, 11, 13),
                     **fields)
    [data] = blocks(client.get(item.get_absolute_url()))
    assert validate(data) == [] and check_event(data) == []
    assert data["eventAttendanceMode"] == mode and data["location"]["@type"] == location_type


def test_event_with_nothing_known_of_where_makes_no_false_claim(client, people):
    """Imported events often say nothing of place or format: the location is "to be announced" and no
    attendance mode is claimed (consumers then assume an ordinary, offline event)."""
    item = make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, start_date=dt.date(2020, 11, 13))
    [data] = blocks(client.get(item.get_absolute_url()))
    assert validate(data) == []
    assert check_event(data) == ["$.eventAttendanceMode: an Event needs it"]
    assert data["location"] == {"@type": "Place", "name": "To be announced"}


@pytest.mark.parametrize(("kind", "fields"), [
    (ItemKind.PUBLICATION, dict(publication_type="bulletin", document_url="https://eropa.co/bulletin.pdf", body="A **volume** on reform.")),
    (ItemKind.NEWS, dict(body="The network met in Seoul.")),
    (ItemKind.CALL, dict(call_type="papers", deadline=dt.date(2020, 12, 1), eligibility="Researchers.")),
    (ItemKind.AWARD, dict(award_year=2020)),
])
def test_other_item_pages_emit_valid_schema_org(client, people, kind, fields):
    item = make_item(people.eropa, state=ItemState.PUBLISHED, kind=kind, title=f"A {kind}", **fields)
    if "body" in fields:
        item.compute_derived()
        item.save()
    [data] = blocks(client.get(item.get_absolute_url()))
    assert validate(data) == []
    assert data["@type"] in {"CreativeWork", "Article", "NewsArticle", "Report"}


def test_demo_content_pages_emit_valid_schema_org(db, client):
    """Every public page of the demo newsletter (items of each kind, the edition, home) validates."""
    from partnerpost.content import demo
    from partnerpost.content.models import Item
    from partnerpost.editions import demo as edition_demo

    demo.load(log=lambda *_: None)
    edition = edition_demo.load(log=lambda *_: None)
    formatless = {item.get_absolute_url() for item in Item.objects.published().filter(kind=ItemKind.EVENT, event_format="")}
    pages = ["/", edition.get_absolute_url(), *(item.get_absolute_url() for item in Item.objects.published())]
    found = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        for data in blocks(response):
            problems = validate(data) + (check_event(data) if data.get("@type") == "Event" else [])
            if url in formatless and data.get("location") == {"@type": "Place", "name": "To be announced"}:
                # nothing is known of where or how: no attendance mode is claimed (see the test above)
                problems = [p for p in problems if p != "$.eventAttendanceMode: an Event needs it"]
            assert problems == [], (url, problems)
            found[data["@type"]] = found.get(data["@type"], 0) + 1
    assert found.get("Event", 0) > 0 and found.get("CreativeWork", 0) > 0 and found.get("NewsArticle", 0) > 0
