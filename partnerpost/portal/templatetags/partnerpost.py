from django import template

from partnerpost.content import display

register = template.Library()

event_dates = register.filter("event_dates", display.event_dates)
item_date = register.filter("item_date", display.item_date)
event_time = register.filter("event_time", display.event_time)
place = register.filter("place", display.place)


@register.filter
def html_datetime(value) -> str:
    """A time as the datetime attribute of <time> wants it: to the second, with its offset
    ("2026-11-30T14:32:40+00:00"). Django's "c" format adds microseconds, which HTML does not allow."""
    import datetime as dt

    from django.utils import timezone

    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return ""


@register.simple_tag(takes_context=True)
def page_url(context, number):
    query = context.get("query", "")
    return f"?{query}&page={number}" if query else f"?page={number}"
