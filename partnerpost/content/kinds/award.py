"""Awards: a programme's prizes of one year, with categories and winners."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..enums import ItemKind
from . import Kind, place_ref, register


@register
class Award(Kind):
    value = ItemKind.AWARD
    order = 50
    fields = ("award_programme", "award_year", "published_on")
    lists = ("award_categories", "winners")
    schema_type = "CreativeWork"
    api_key = "award"
    import_words = r"awards?|prizes?|premios?|prix|pr[ée]mio|winners?|laureates?|champions"
    import_priority = 1

    def clean(self, item, extra=None) -> dict[str, str]:
        errors = {}
        if extra is None:
            return errors
        programme = item.award_programme
        wrong = [c for c in extra.award_categories or [] if programme is None or c.programme_id != programme.pk]
        if wrong:
            errors["award_categories"] = (
                _("%(category)s belongs to another programme.") % {"category": wrong[0]} if programme
                else _("Choose the award programme before its categories.")
            )
        return errors

    def api_data(self, item, absolute) -> dict:
        programme = item.award_programme
        return {
            "programme": {"slug": programme.slug, "name": programme.name, "website": programme.website} if programme else None,
            "year": item.award_year,
            "categories": [c.name for c in item.award_categories.all()],
            "winners": [
                {"name": w.name, "category": w.category.name if w.category_id else None, "country": place_ref(w.country)}
                for w in item.winners.all()
            ],
        }
