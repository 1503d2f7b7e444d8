"""Filling the index and keeping it in line.

Only published items are in the index. The workflow signal, changes to an item's themes,
countries and regions, and deletions keep it in line, and the publishing window
(go_live_at, expire_at) is checked at query time, so scheduled or expired items neither show
nor count. Each hit's item is checked again (``Item.is_live``) when it is loaded.

A rebuild runs in one transaction: on SQLite searches go on with the old index until it commits;
on PostgreSQL they wait for it (TRUNCATE locks the table), minutes for a million items.

The receivers below are connected when this module is imported (the package imports it, and
the app imports the package when it is ready).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete

from partnerpost.content.enums import ItemState
from partnerpost.content.models import Item
from partnerpost.lib.markup import plain_text

from .engine import Entry, backend

class _Names:
    """Partner and country names, loaded once per batch of entries."""

    def __init__(self):
        from partnerpost.content.models import Country
        from partnerpost.network.models import Partner

        self.partners = {pk: (name, acronym) for pk, name, acronym in Partner.objects.values_list("pk", "name", "acronym")}
        self.countries = dict(Country.objects.values_list("code", "name"))


def _entries(ids, names: _Names | None = None) -> list[Entry]:
    """Index entries for the published items among `ids`, in a fixed number of queries."""
    from partnerpost.content.models import ItemOrganization

    names = names or _Names()
    ids = list(ids)
    organizers, themes, countries, regions = {}, {}, {}, {}
    for item_id, partner_id, name in (ItemOrganization.objects.filter(item_id__in=ids)
                                      .order_by("item_id", "position", "id").values_list("item_id", "partner_id", "name")):
        organizers.setdefault(item_id, []).append(names.partners[partner_id][0] if partner_id else name)
    for through, column, target in ((Item.themes.through, "theme_id", themes), (Item.countries.through, "country_id", countries),
                                    (Item.regions.through, "region_id", regions)):
        for item_id, value in through.objects.filter(item_id__in=ids).order_by("item_id", column).values_list("item_id", column):
            target.setdefault(item_id, []).append(value)
    rows = Item.objects.filter(pk__in=ids, state=ItemState.PUBLISHED).order_by("pk").values_list(
        "pk", "language", "title", "summary", "body_html", "partner_id", "venue_country_id", "city", "kind", "sort_date",
        "go_live_at", "expire_at",
    )
    entries = []
    for pk, language, title, summary, body_html, partner_id, country, city, kind, sort_date, go_live_at, expire_at in rows:
        partner_name, acronym = names.partners.get(partner_id, ("", ""))
        body = " ".join(filter(None, [summary, plain_text(body_html), partner_name, acronym, " ".join(organizers.get(pk, [])),
                                      city, names.countries.get(country, "") if country else ""]))
        entries.append(Entry(pk, language, title, body, kind, partner_id, sort_date.year if sort_date else None, go_live_at, expire_at,
                             tuple(themes.get(pk, ())), tuple(countries.get(pk, ())), tuple(regions.get(pk, ()))))
    return entries


def edition_row(edition) -> Entry:
    """An edition is found by its title, period, introduction and the titles and summaries it carried."""
    context = edition.snapshot or {}
    parts = [context.get("period", ""), plain_text(context.get("introduction_html", ""))]
    for section in context.get("sections", []):
        parts.append(section["title"])
        parts += [f"{entry['title']}. {entry['summary']}" for entry in section["entries"]]
    return Entry(edition.pk, edition.language, edition.title, " ".join(p for p in parts if p))


def index_edition(edition) -> None:
    if edition.is_published and edition.snapshot:
        backend("edition").upsert([edition_row(edition)])


def refresh(item: Item) -> None:
    """Bring one item's index entry in line with its state."""
    refresh_ids([item.pk])


def refresh_ids(ids) -> None:
    engine = backend()
    ids = list(ids)
    entries = _entries(ids)
    found = {e.pk for e in entries}
    engine.remove([pk for pk in ids if pk not in found])
    engine.upsert(entries)


def rebuild(progress=None, chunk=2000) -> int:
    """Index every published item and edition again, from empty tables, in one transaction."""
    from partnerpost.editions.models import Edition

    engine = backend()
    ids = list(Item.objects.filter(state=ItemState.PUBLISHED).order_by("id").values_list("id", flat=True))
    with transaction.atomic():
        engine.clear()
        if hasattr(engine, "start_bulk"):
            engine.start_bulk()
        names = _Names()
        for start in range(0, len(ids), chunk):
            entries = _entries(ids[start:start + chunk], names)
            engine.upsert(entries, fresh=True)
            if progress:
                progress(min(start + chunk, len(ids)), len(ids))
        engine.finish()
        editions = backend("edition")
        editions.clear()
        editions.upsert([edition_row(e) for e in Edition.objects.published()], fresh=True)
    return len(ids)


# Keeping the index in line with changes made outside the workflow functions ------------------------


def _item_deleted(sender, instance, **kwargs):
    backend().remove([instance.pk])


def _relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse:  # theme.items.add(...): pk_set holds items
        if action == "pre_clear":
            instance._search_item_ids = list(instance.items.values_list("pk", flat=True))
        ids = instance.__dict__.pop("_search_item_ids", []) if action == "post_clear" else pk_set or []
    else:
        ids = [instance.pk]
    if action in {"post_add", "post_remove", "post_clear"} and ids:
        refresh_ids(ids)


post_delete.connect(_item_deleted, sender=Item, dispatch_uid="search-index-delete")


def _connect_labels():
    from django.db.models.signals import post_save

    from partnerpost.content.models import Country, Region, Theme
    from partnerpost.network.models import Partner

    from .query import forget_labels

    for model in (Partner, Theme, Country, Region):
        for signal in (post_save, post_delete):
            signal.connect(forget_labels, sender=model, weak=False, dispatch_uid=f"search-labels-{signal is post_save}-{model.__name__}")


_connect_labels()
for _through in (Item.themes.through, Item.countries.through, Item.regions.through):
    m2m_changed.connect(_relations_changed, sender=_through, dispatch_uid=f"search-index-{_through._meta.model_name}")
