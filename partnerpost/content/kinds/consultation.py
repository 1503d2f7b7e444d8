"""Consultations: an open question put to the network, answered until a closing date.

The sample's online discussion board that followed the KIPA forum is one: partners and readers
were asked for their views, and the board stayed open for a while. A consultation carries the day
it closes (`deadline`) and where to respond (`response_url`: a discussion board, a form or a
mailto: address).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..enums import ItemKind
from . import Kind, register


@register
class Consultation(Kind):
    value = ItemKind.CONSULTATION
    order = 45
    fields = ("deadline", "response_url", "published_on")
    schema_type = "CreativeWork"
    api_key = "consultation"
    api_fields = {
        "closes_on": (dt.date, "The last day on which responses are taken."),
        "response_url": (str, "Where to respond: a discussion board, a form or a mailto: address."),
        "is_open": (bool, "Whether responses are still taken today."),
    }
    import_words = (
        r"discussion board|online discussion|e-consultation|public consultation|call for (views|comments)|"
        r"share your (views|experiences?)|consulta p[úu]blica|consultation (publique|en ligne)"
    )
    import_priority = 4
    date_fields = ("published_on", "deadline")

    def clean(self, item, extra=None) -> dict[str, str]:
        errors = {}
        if not item.deadline:
            errors["deadline"] = _("A consultation needs the day it closes.")
        if not item.response_url:
            errors["response_url"] = _("Say where to respond: the address of the discussion board or form.")
        if item.deadline and item.published_on and item.deadline < item.published_on:
            errors["deadline"] = _("The consultation closes before it was opened.")
        return errors

    def is_open(self, item) -> bool:
        return bool(item.deadline and item.deadline >= timezone.localdate())

    def facts(self, item) -> list[str]:
        if not item.deadline:
            return []
        return [_("Responses until %(date)s") % {"date": date_format(item.deadline, "j F Y")}]

    def edition_links(self, item) -> list[dict]:
        return [{"label": _("Respond"), "url": item.response_url}] if item.response_url else []

    def jsonld(self, item, data: dict, absolute_url: str) -> None:
        if item.deadline:
            data["expires"] = item.deadline.isoformat()
        if item.response_url and item.response_url.startswith("http"):
            data["discussionUrl"] = item.response_url

    def api_data(self, item, absolute) -> dict:
        return {"closes_on": item.deadline, "response_url": item.response_url, "is_open": self.is_open(item)}
