"""Calls: for papers, inputs, nominations and applications, each with a deadline."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..enums import ItemKind
from . import Kind, register


@register
class Call(Kind):
    value = ItemKind.CALL
    order = 40
    fields = ("call_type", "deadline", "eligibility", "published_on")
    schema_type = "CreativeWork"
    api_key = "call"
    import_words = (
        r"call for (papers|proposals|inputs|nominations|applications|submissions|contributions|"
        r"abstracts)|convocatoria|appel (à|a) (communications|candidatures|contributions|propositions)|"
        r"chamada"
    )
    import_priority = 0
    date_fields = ("published_on", "deadline")

    def is_open(self, item) -> bool:
        return bool(item.deadline and item.deadline >= timezone.localdate())

    def facts(self, item) -> list[str]:
        if item.deadline:
            return [_("Deadline: %(date)s") % {"date": date_format(item.deadline, "j F Y")}]
        return []

    def api_data(self, item, absolute) -> dict:
        return {"type": item.call_type or None, "deadline": item.deadline, "eligibility": item.eligibility}
