"""News: announcements and stories with a publication date and nothing more particular."""

from __future__ import annotations

from ..enums import ItemKind
from . import Kind, register


@register
class News(Kind):
    value = ItemKind.NEWS
    order = 30
    fields = ("published_on",)
    schema_type = "NewsArticle"
    import_words = (
        r"website|anniversary|appoint(ed|ment)|elected|joins|new (director|president|member)|welcomes|"
        r"launch(es|ed)?|celebrat(es|ed|ion)|signs?|agreement|memorandum|partnership"
    )
    import_priority = 5

    def jsonld(self, item, data: dict, absolute_url: str) -> None:
        data["headline"] = item.title[:110]
