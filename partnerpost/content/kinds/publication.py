"""Publications: reports, bulletins, compendiums, policy papers, journals, books."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..enums import ItemKind
from . import Kind, register


@register
class Publication(Kind):
    value = ItemKind.PUBLICATION
    order = 20
    fields = ("published_on", "publication_type", "document_url", "document_file")
    schema_type = "CreativeWork"
    api_key = "publication"
    import_words = (
        r"reports?|bulletins?|compendium|journal|review|handbook|guide(book)?|books?|publications?|"
        r"survey|volume|policy (brief|paper)s?|working papers?|toolkit|newsletter|issue|study|"
        r"informe|revista|bolet[ií]n|libro|rapport|guide|[ée]tude|relat[óo]rio|manual|yearbook|atlas"
    )
    import_priority = 2

    def edition_links(self, item) -> list[dict]:
        return [{"label": _("Read the publication"), "url": item.document_url}] if item.document_url else []

    def api_data(self, item, absolute) -> dict:
        return {
            "type": item.publication_type or None,
            "document_url": item.document_url,
            "document_file_url": absolute(item.document_file.url) if item.document_file else None,
        }
