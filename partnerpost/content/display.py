"""How an item's dates, times and place read, in the active language.

Shared by the portal's template filters and the edition renderers, so a date reads the same
on the web page, in the email and in the PDF. English keeps the newsletter's own style
("24–26 November 2020"); the other languages follow their CLDR conventions through Babel
("24–26 novembre 2020", "24–26 نوفمبر 2020", "2020年11月24日至26日").
"""

from babel.dates import format_date, format_interval, format_skeleton
from babel.lists import format_list
from django.utils.formats import date_format
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from .enums import DatePrecision


def _locale() -> str | None:
    """The Babel locale of the active language, or None for English (which keeps its own style)."""
    language = get_language() or "en"
    return None if language.split("-")[0] == "en" else to_locale(language)


def _day(d):
    locale = _locale()
    if locale:
        return format_date(d, "long", locale=locale)
    return date_format(d, "j F Y")


def _localized_dates(start, end, days, precision, locale) -> str:
    if precision != DatePrecision.DAY:
        return _vague(start, precision)
    if len(days) > 1:
        return format_list([format_date(d, "long", locale=locale) for d in days], locale=locale)
    if start == end:
        return format_date(start, "long", locale=locale)
    last = format_date(end, "long", locale=locale)
    if not last.startswith(str(end.day)):
        # Year-first languages (Chinese) have their own interval pattern in CLDR.
        return format_interval(start, end, "yMMMMd", locale=locale)
    if start.year != end.year:
        return f"{format_date(start, 'long', locale=locale)} – {last}"
    # Day-first languages: CLDR's intervals abbreviate the month in several of them, while a
    # newsletter writes it out ("24–26 novembre 2020", "24 ноября – 3 декабря 2020 г.").
    if start.month == end.month:
        return f"{start.day}–{last}"
    return f"{format_skeleton('MMMMd', start, locale=locale)} – {last}"


def event_dates(item):
    """'13 October 2020', '24–26 November 2020', '3 & 5 November 2020', 'October 2020'."""
    start, end = item.start_date, item.end_date or item.start_date
    if start is None:
        return ""
    locale = _locale()
    if locale:
        return _localized_dates(start, end, [d.date for d in item.days.all()], item.date_precision, locale)
    if item.date_precision != DatePrecision.DAY:
        return _vague(start, item.date_precision)
    days = [d.date for d in item.days.all()]
    if len(days) > 1 and all(d.month == days[0].month and d.year == days[0].year for d in days):
        numbers = [str(d.day) for d in days]
        return _("%(days)s %(month_year)s") % {
            "days": ", ".join(numbers[:-1]) + " & " + numbers[-1],
            "month_year": date_format(days[0], "F Y"),
        }
    if len(days) > 1:
        return " & ".join(_day(d) for d in days)
    if start == end:
        text = _day(start)
    elif (start.year, start.month) == (end.year, end.month):
        text = f"{start.day}–{_day(end)}"
    elif start.year == end.year:
        text = f"{date_format(start, 'j F')} – {_day(end)}"
    else:
        text = f"{_day(start)} – {_day(end)}"
    return text


def item_date(item):
    """The date a non-event item carries, as precisely as it is known."""
    day = item.published_on or item.sort_date
    if day is None:
        return ""
    if item.date_precision != DatePrecision.DAY:
        return _vague(day, item.date_precision)
    return _day(day)


def _vague(day, precision):
    """'October 2020' for a month, 'October–December 2020' for a quarter."""
    locale = _locale()
    first = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if locale:
        if precision == DatePrecision.MONTH:
            return format_skeleton("yMMMM", day, locale=locale)
        return format_interval(first, first.replace(month=first.month + 2), "yMMMM", locale=locale)
    if precision == DatePrecision.MONTH:
        return date_format(day, "F Y")
    return f"{date_format(first, 'F')}–{date_format(first.replace(month=first.month + 2), 'F Y')}"


def event_time(item):
    if item.start_time is None:
        return ""
    text = item.start_time.strftime("%H:%M")
    if item.end_time:
        text += "–" + item.end_time.strftime("%H:%M")
    if item.time_zone:
        text += f" ({item.time_zone})"
    return text


def place(item):
    parts = [p for p in [item.venue, item.city, item.venue_country.name if item.venue_country_id else ""] if p]
    return ", ".join(dict.fromkeys(parts))
