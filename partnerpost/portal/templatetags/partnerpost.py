from django import template

from partnerpost.content import display

register = template.Library()

event_dates = register.filter("event_dates", display.event_dates)
item_date = register.filter("item_date", display.item_date)
event_time = register.filter("event_time", display.event_time)
place = register.filter("place", display.place)


@register.simple_tag(takes_context=True)
def page_url(context, number):
    query = context.get("query", "")
    return f"?{query}&page={number}" if query else f"?page={number}"
