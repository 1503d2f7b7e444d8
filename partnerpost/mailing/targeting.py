"""Targeted editions: a subscriber who follows partners or themes receives only the matching entries.

A subscriber's *selection* is the pair (partners followed, themes followed), read in the claiming
transaction for a whole batch with two queries. Each of the two narrows the edition, as the
preference centre promises ("leave empty to hear from every partner", "leave empty for every
theme"): an entry is kept when its item's partner, or the partner of the section holding it, is
one of the chosen partners (or none was chosen), and one of its item's themes is one of the chosen
themes (or none was chosen). Nobody chose anything: the whole edition.

Templates are built once per distinct *result*, not per person: two selections that keep the same
entries of an edition share one template (see `Templates` in worker.py). A selection that keeps
every entry gets the plain edition; one that keeps nothing gets the whole edition too, with a line
saying that nothing in it matched, rather than an empty letter.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The selection of someone who follows nothing in particular: everything.
EVERYTHING: tuple = ()


def selections(subscriber_ids) -> dict[int, tuple]:
    """Each subscriber's selection, as (sorted partner ids, sorted theme ids); absent when they chose nothing."""
    from partnerpost.audience.models import Subscriber

    ids = list(subscriber_ids)
    partners: dict[int, set] = {}
    themes: dict[int, set] = {}
    through = Subscriber.partners.through
    for subscriber_id, partner_id in through.objects.filter(subscriber_id__in=ids).values_list("subscriber_id", "partner_id"):
        partners.setdefault(subscriber_id, set()).add(partner_id)
    through = Subscriber.themes.through
    for subscriber_id, theme_id in through.objects.filter(subscriber_id__in=ids).values_list("subscriber_id", "theme_id"):
        themes.setdefault(subscriber_id, set()).add(theme_id)
    return {
        pk: (tuple(sorted(partners.get(pk, ()))), tuple(sorted(themes.get(pk, ()))))
        for pk in set(partners) | set(themes)
    }


@dataclass
class EntryFacts:
    """What matching needs to know of one entry of a render context."""

    entry_id: int
    partners: frozenset  # the item's partner and the section's partner (ids)
    themes: frozenset  # the item's themes (ids)


def index(context: dict) -> list[EntryFacts]:
    """The partners and themes of every entry of a render context (two queries, once per edition and language)."""
    from partnerpost.content.models import Item
    from partnerpost.network.models import Partner

    item_ids = {entry["item_id"] for section in context["sections"] for entry in section["entries"]}
    item_partner = dict(Item.objects.filter(pk__in=item_ids).values_list("pk", "partner_id"))
    item_themes: dict[int, set] = {}
    for item_id, theme_id in Item.themes.through.objects.filter(item_id__in=item_ids).values_list("item_id", "theme_id"):
        item_themes.setdefault(item_id, set()).add(theme_id)
    acronyms = {section["partner"] for section in context["sections"] if section.get("partner")}
    partner_ids = dict(Partner.objects.filter(acronym__in=acronyms).values_list("acronym", "pk"))
    facts = []
    for section in context["sections"]:
        section_partner = partner_ids.get(section.get("partner") or "")
        for entry in section["entries"]:
            owners = {section_partner, item_partner.get(entry["item_id"])} - {None}
            facts.append(EntryFacts(entry["id"], frozenset(owners), frozenset(item_themes.get(entry["item_id"], ()))))
    return facts


def matching(facts: list[EntryFacts], selection: tuple) -> frozenset | None:
    """The ids of the entries a selection keeps; None when it keeps them all (or nobody chose anything)."""
    if not selection:
        return None
    partners, themes = set(selection[0]), set(selection[1])
    kept = frozenset(f.entry_id for f in facts
                     if (not partners or f.partners & partners) and (not themes or f.themes & themes))
    return None if len(kept) == len(facts) else kept


def narrow(context: dict, kept: frozenset) -> dict:
    """A copy of a render context holding only the kept entries (and the sections that still have one),
    with the line that says so. `kept` empty: the whole edition, with a line saying nothing matched."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(context.get("language") or "en"):
        link = gettext("Read the full edition on the web")
        if not kept:
            note = gettext("Nothing in this edition matches the partners and themes you follow, so here it is in full.")
            return {**context, "targeted_note": note, "targeted_link": link}
        note = gettext("This copy holds only the news of the partners and themes you follow.")
    sections = []
    for section in context["sections"]:
        entries = [entry for entry in section["entries"] if entry["id"] in kept]
        if entries:
            sections.append({**section, "entries": entries})
    return {**context, "sections": sections, "entry_count": sum(len(s["entries"]) for s in sections),
            "targeted_note": note, "targeted_link": link}
