"""Finding 11: field help and errors are announced (aria-describedby names ids that exist), <time>
values are valid HTML, danger buttons are readable, and the month calendar does not lead crawlers on
forever. The axe run in Chromium is in test_a11y_browser.py."""

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerpost.api import workflows as api_workflows
from partnerpost.content.enums import ItemKind, ItemState
from tests.content.test_views import event_form
from tests.factories import make_item

CSS = Path(__file__).resolve().parents[2] / "partnerpost" / "portal" / "static" / "portal" / "site.css"


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.described, self.times = set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described.append((tag, attrs.get("name") or attrs.get("id") or "", attrs["aria-describedby"]))
        if tag == "time" and "datetime" in attrs:
            self.times.append(attrs["datetime"])


def _parse(response) -> _Ids:
    parser = _Ids()
    parser.feed(response.content.decode())
    return parser


def _dangling(parsed):
    return [(tag, name, ref) for tag, name, refs in parsed.described for ref in refs.split() if ref not in parsed.ids]


def test_item_form_points_help_and_errors_at_ids_that_exist(client, people):
    client.force_login(people.icap_contributor)
    new = _parse(client.get(reverse("workspace:create")))
    assert len(new.described) >= 5
    assert _dangling(new) == []
    assert ("textarea", "summary", "id_summary_helptext") in new.described
    invalid = client.post(reverse("workspace:create"), event_form(people.icap, title="", start_date="", fee_currency="dollars"))
    assert invalid.status_code == 200
    parsed = _parse(invalid)
    assert _dangling(parsed) == []
    assert ("input", "title", "id_title_error") in [(t, n, r) for t, n, refs in parsed.described for r in refs.split()]


def test_other_forms_using_the_shared_field_point_at_ids_that_exist(client, people):
    client.force_login(people.editor)
    for path in [reverse("compose:list"), "/workspace/tokens/"]:
        parsed = _parse(client.get(path))
        assert _dangling(parsed) == [], path


VALID_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?")


def test_time_elements_carry_valid_datetimes(client, people):
    item = make_item(people.icap, kind=ItemKind.EVENT, state=ItemState.PUBLISHED, title="Timed",
                     start_time=dt.time(9, 0), time_zone="America/Costa_Rica")
    api_workflows.create_token(people.icap_partner_editor, people.icap, "ICAP website")
    client.force_login(people.editor)
    from partnerpost.content import workflows

    workflows.withdraw_item(people.editor, item, "checking the history")
    seen = []
    for path in ["/workspace/", reverse("workspace:item", args=[item.pk]), "/workspace/tokens/"]:
        times = _parse(client.get(path)).times
        assert times, path
        seen += times
    bad = [value for value in seen if not VALID_DATETIME.fullmatch(value)]
    assert bad == []
    assert any(timezone.now().strftime("%Y-%m-%dT") in value for value in seen)


def _luminance(hex_colour):
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def _effective(selectors):
    """The colour and background the stylesheet gives an element with all these classes (later rules win;
    only rules whose selector is made of these classes count, as for a plain button)."""
    css = CSS.read_text()
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    found = {}
    for selector_list, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for selector in selector_list.split(","):
            classes = re.fullmatch(r"\s*((?:\.[\w-]+)+)\s*", selector)
            if classes and set(classes.group(1).split(".")[1:]) <= set(selectors):
                for name, value in re.findall(r"(?<![\w-])(color|background)\s*:\s*([^;]+)", body):
                    value = value.strip()
                    value = variables.get(value[6:-1], value) if value.startswith("var(") else value
                    if re.fullmatch(r"#[0-9a-fA-F]{3}", value):
                        value = "#" + "".join(c * 2 for c in value[1:])
                    if re.fullmatch(r"#[0-9a-fA-F]{6}", value):
                        found[name] = value
    return found


@pytest.mark.parametrize("classes", [("button", "button-danger"), ("button", "button-small", "button-danger"),
                                     ("button", "button-ghost", "button-danger")])
def test_danger_buttons_have_enough_contrast(classes):
    colours = _effective(classes)
    assert _contrast(colours["color"], colours["background"]) >= 4.5, colours


def test_month_calendar_links_are_bounded_and_nofollow(client, people):
    make_item(people.icap, state=ItemState.PUBLISHED, kind=ItemKind.EVENT, title="Old forum", start_date=dt.date(2001, 5, 2))
    today = timezone.localdate()
    html = client.get("/events/calendar/").content.decode()
    assert re.findall(r'rel="(prev|next)( nofollow)?"', html) == [("prev", " nofollow"), ("next", " nofollow")]
    last = f"{today.year + 5}-{today.month:02d}"
    at_end = client.get("/events/calendar/", {"month": last}).content.decode()
    assert 'rel="next nofollow"' not in at_end and 'rel="prev nofollow"' in at_end
    first = "1996-05"  # five years before the first event
    at_start = client.get("/events/calendar/", {"month": first}).content.decode()
    assert 'rel="prev nofollow"' not in at_start and 'rel="next nofollow"' in at_start
    assert 'rel="prev nofollow"' in client.get("/events/calendar/", {"month": "1996-06"}).content.decode()
    # a crawler following "next" stops at the bound
    month, steps = f"{today.year + 3}-{today.month:02d}", 0
    while steps < 100:
        found = re.search(r'href="\?month=(\d{4}-\d{2})" rel="next nofollow"', client.get("/events/calendar/", {"month": month}).content.decode())
        if not found:
            break
        month, steps = found.group(1), steps + 1
    assert month == last


def test_robots_txt_disallows_the_calendars_query_urls(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /events/calendar/?" in lines
