"""Every change to an edition: one function each, checked against network.permissions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnerpost.content import workflows as item_workflows
from partnerpost.content.enums import EDITION_READY_STATES, ItemKind, ItemState
from partnerpost.content.models import Item
from partnerpost.network.models import Partner
from partnerpost.network.permissions import can_change_edition, is_editor

from .enums import EditionAction, EditionState
from .models import Edition, EditionAuditEntry, Entry, Section
from .render import build_context
from .signals import edition_published


class EditionError(Exception):
    """The edition or entry is not in a state that allows this change."""


def _check(user, edition=None):
    if not can_change_edition(user, edition):
        if edition is not None and edition.is_published:
            raise EditionError(_("This edition is published; its content is frozen."))
        raise PermissionDenied(_("Only secretariat editors may compose editions."))


def _audit(edition, user, action, from_state="", to_state="", note=""):
    EditionAuditEntry.objects.create(
        edition=edition, actor=user if getattr(user, "pk", None) else None, action=action,
        from_state=from_state, to_state=to_state or from_state, note=note,
    )


def live_at_publication_q(now=None) -> Q:
    """Items that would be public if the edition were published at `now`: published and live, or
    approved (publishing the edition publishes them now) with no go-live time still ahead and no
    unpublishing time already past. An edition is read at once by everyone it is sent to, so an item
    scheduled for later, or expired, must not be in it."""
    now = now or timezone.now()
    window = (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now)) & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    return Q(state__in=EDITION_READY_STATES) & window


def not_live_reason(item: Item, now=None) -> str:
    """Why this item cannot be in an edition published at `now`, naming it; "" when it can."""
    now = now or timezone.now()
    if item.state not in EDITION_READY_STATES:
        return _("“%(title)s” is %(state)s; remove it or have it approved first.") % {
            "title": item.title, "state": item.get_state_display().lower()}
    if item.go_live_at is not None and item.go_live_at > now:
        return _("“%(title)s” is scheduled to go live at %(when)s; remove it, or publish the edition after that.") % {
            "title": item.title, "when": timezone.localtime(item.go_live_at).strftime("%Y-%m-%d %H:%M %Z")}
    if item.expire_at is not None and item.expire_at <= now:
        return _("“%(title)s” was unpublished at %(when)s; remove it from the edition.") % {
            "title": item.title, "when": timezone.localtime(item.expire_at).strftime("%Y-%m-%d %H:%M %Z")}
    return ""


def candidates(edition: Edition):
    """Items that fall in the edition's period, would be live if it were published now, and are not in it yet."""
    start, end = edition.period_start, edition.period_end
    in_period = Q(kind=ItemKind.EVENT, start_date__lte=end, end_date__gte=start) | (
        ~Q(kind=ItemKind.EVENT) & Q(sort_date__gte=start, sort_date__lte=end)
    )
    # One version per story: the one in the edition's language when there is one, else the first written.
    siblings = Item.objects.filter(translation_group=OuterRef("translation_group")).exclude(pk=OuterRef("pk"))
    in_language = siblings.filter(language=edition.language)
    older = siblings.filter(pk__lt=OuterRef("pk"))
    return (
        Item.objects.filter(in_period, live_at_publication_q())
        .exclude(Q(translation_group__isnull=False) & ~Q(language=edition.language)
                 & (Exists(in_language) | Exists(older)))
        .exclude(edition_entries__section__edition=edition)
        .select_related("partner")
        .order_by("partner__display_order", "partner__name", "sort_date", "id")
    )


def _unique_slug(edition: Edition) -> str:
    base = slugify(f"{edition.title} {edition.period_start:%Y-%m}")[:100] or "edition"
    slug, n = base, 2
    while Edition.objects.filter(slug=slug).exclude(pk=edition.pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


#: What a new edition takes over from the one before it unless the editor writes otherwise.
CARRIED_OVER = ("disclaimer", "contact_text", "contact_email", "social_links")


def carried_over(language: str | None = None) -> dict[str, str]:
    """The footer of the latest original edition (in `language` when there is one): its disclaimer,
    contact line and address, and social links, to start a new edition with. Empty when there is none."""
    originals = Edition.objects.filter(translation_of=None).order_by("-period_start", "-created_at", "-id")
    previous = (originals.filter(language=language).first() if language else None) or originals.first()
    if previous is None:
        return {}
    return {field: getattr(previous, field) for field in CARRIED_OVER}


@transaction.atomic
def create_edition(user, edition: Edition, populate: bool = True) -> Edition:
    """Save a new draft edition; with `populate`, one section per partner holding the period's items."""
    _check(user)
    if edition.period_end < edition.period_start:
        raise EditionError(_("The period ends before it starts."))
    edition.state = EditionState.DRAFT
    edition.slug = _unique_slug(edition)
    edition.full_clean(exclude=["slug"])
    edition.save()
    added = 0
    if populate:
        for item in candidates(edition):
            _add(edition, item)
            added += 1
    _audit(edition, user, EditionAction.CREATE, "", EditionState.DRAFT,
           _("%(n)d items of the period added") % {"n": added} if populate else "")
    return edition


def translation_languages(edition: Edition) -> list[tuple[str, str]]:
    """The network's languages an edition can still be translated into: not its own, not one it has."""
    if edition.translation_of_id:
        return []
    taken = {edition.language, *edition.translations.values_list("language", flat=True)}
    return [(code, str(name)) for code, name in settings.LANGUAGES if code not in taken]


@transaction.atomic
def translate_edition(user, edition: Edition, language: str) -> Edition:
    """A draft translation of `edition` into `language`, for the editor to write.

    It copies the edition's settings, sections and entries: each entry takes the item's version in
    the target language when its translation group has one that is live, and otherwise the same
    item, printed in its own language and marked as such. The title,
    introduction and disclaimer start as the original's text, to be rewritten; the period label is
    left empty so that it is written from the dates in the target language until the editor sets
    one; summaries are the items' own until the editor writes one for this edition. Subscribers
    who prefer `language` receive the translation once it is published (see mailing.worker).
    """
    _check(user)
    # Locked, so that two editors pressing the button at once do not make two translations.
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    names = dict(settings.LANGUAGES)
    if edition.translation_of_id:
        raise EditionError(_("This edition is itself a translation; make translations from the original, “%(title)s”.")
                           % {"title": edition.translation_of.title})
    if language not in names:
        raise EditionError(_("Choose one of the network's languages: %(languages)s.")
                           % {"languages": ", ".join(str(name) for name in names.values())})
    if language == edition.language:
        raise EditionError(_("This edition is already in %(language)s; choose another language.")
                           % {"language": names[language]})
    existing = edition.translations.filter(language=language).first()
    if existing:
        raise EditionError(_("This edition already has a translation into %(language)s: “%(title)s”. Edit that one.")
                           % {"language": names[language], "title": existing.title})
    translation = Edition(
        title=edition.title, period_start=edition.period_start, period_end=edition.period_end, period_label="",
        volume=edition.volume, number=edition.number, language=language,
        introduction=edition.introduction, disclaimer=edition.disclaimer,
        contact_email=edition.contact_email, contact_text=edition.contact_text, social_links=edition.social_links,
        # The same picture; its description starts as the original's, to be translated with the rest.
        masthead=edition.masthead.name, masthead_alt=edition.masthead_alt,
        translation_of=edition, state=EditionState.DRAFT,
    )
    base = slugify(f"{edition.slug}-{language}")[:110]
    slug, n = base, 2
    while Edition.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    translation.slug = slug
    translation.full_clean()
    translation.save()
    version_of_group = dict(Item.objects.filter(
        live_at_publication_q(), language=language,
        translation_group__items__edition_entries__section__edition=edition,
    ).values_list("translation_group_id", "pk"))
    for section in edition.sections.prefetch_related("entries__item"):
        copy = Section.objects.create(edition=translation, title=section.title, partner_id=section.partner_id,
                                      position=section.position)
        Entry.objects.bulk_create([
            Entry(section=copy, item_id=version_of_group.get(entry.item.translation_group_id, entry.item_id)
                  if entry.item.translation_group_id else entry.item_id, position=entry.position)
            for entry in section.entries.all()
        ])
    _audit(translation, user, EditionAction.CREATE, "", EditionState.DRAFT,
           _("Translation of “%(title)s” into %(language)s") % {"title": edition.title, "language": names[language]})
    return translation


def _check_translation(edition: Edition) -> None:
    """Settings may name the original an edition translates; one edition per language, one level deep."""
    original = edition.translation_of
    if original is None:
        return
    names = dict(settings.LANGUAGES)
    if original.pk == edition.pk or original.translation_of_id:
        raise EditionError(_("A translation is made from an original edition, not from itself or another translation."))
    if edition.language == original.language or original.translations.filter(language=edition.language).exclude(pk=edition.pk).exists():
        raise EditionError(_("“%(title)s” already has its %(language)s edition; choose another language.")
                           % {"title": original.title, "language": names.get(edition.language, edition.language)})


@transaction.atomic
def update_edition(user, edition: Edition) -> Edition:
    _check(user, Edition.objects.get(pk=edition.pk))
    if edition.period_end < edition.period_start:
        raise EditionError(_("The period ends before it starts."))
    _check_translation(edition)
    edition.full_clean()
    edition.save()
    _audit(edition, user, EditionAction.EDIT, edition.state)
    return edition


def _section_for(edition: Edition, partner: Partner) -> Section:
    section = edition.sections.filter(partner=partner).first()
    if section:
        return section
    # New partner sections go where the partner's display order puts them.
    later = edition.sections.filter(partner__display_order__gt=partner.display_order).order_by("position").first()
    if later is None:
        position = (edition.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    else:
        position = later.position
        edition.sections.filter(position__gte=position).update(position=F("position") + 1)
    return Section.objects.create(edition=edition, partner=partner, title=partner.name, position=position)


def _add(edition: Edition, item: Item, section: Section | None = None) -> Entry:
    if Entry.objects.filter(section__edition=edition, item=item).exists():
        raise EditionError(_("“%(title)s” is already in this edition.") % {"title": item.title})
    if item.state not in EDITION_READY_STATES:
        raise EditionError(_("Only approved or published items can go into an edition."))
    reason = not_live_reason(item)
    if reason:
        raise EditionError(reason)
    section = section or _section_for(edition, item.partner)
    position = (section.entries.aggregate(m=Max("position"))["m"] or 0) + 1
    return Entry.objects.create(section=section, item=item, position=position)


@transaction.atomic
def add_entry(user, edition: Edition, item: Item, section: Section | None = None) -> Entry:
    _check(user, edition)
    entry = _add(edition, item, section)
    _audit(edition, user, EditionAction.ADD, edition.state, note=item.title)
    return entry


@transaction.atomic
def remove_entry(user, entry: Entry) -> None:
    edition = entry.section.edition
    _check(user, edition)
    section = entry.section
    _audit(edition, user, EditionAction.REMOVE, edition.state, note=entry.item.title)
    entry.delete()
    if not section.entries.exists() and section.partner_id:
        section.delete()


def _swap(queryset, obj, direction: str):
    siblings = list(queryset)
    index = siblings.index(obj)
    target = index - 1 if direction == "up" else index + 1
    if direction not in {"up", "down"}:
        raise EditionError(_("Move up or down."))
    if not 0 <= target < len(siblings):
        return False
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, row in enumerate(siblings, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    return True


@transaction.atomic
def move_entry(user, entry: Entry, direction: str) -> bool:
    _check(user, entry.section.edition)
    return _swap(entry.section.entries.order_by("position", "id"), entry, direction)


@transaction.atomic
def move_section(user, section: Section, direction: str) -> bool:
    _check(user, section.edition)
    return _swap(section.edition.sections.order_by("position", "id"), section, direction)


@transaction.atomic
def reorder(user, edition: Edition, layout: list[tuple[int, list[int]]]) -> None:
    """Apply a whole new order: [(section_id, [entry_id, ...]), ...]. Every entry must appear once."""
    _check(user, edition)
    sections = {s.pk: s for s in edition.sections.all()}
    entries = {e.pk: e for e in Entry.objects.filter(section__edition=edition)}
    seen = [entry_id for _, ids in layout for entry_id in ids]
    if [s for s, _ in layout if s not in sections] or sorted(seen) != sorted(entries) or len(layout) != len(sections):
        raise EditionError(_("The new order does not match the edition; reload the page and try again."))
    for position, (section_id, ids) in enumerate(layout, start=1):
        Section.objects.filter(pk=section_id).update(position=position)
        for entry_position, entry_id in enumerate(ids, start=1):
            Entry.objects.filter(pk=entry_id).update(section_id=section_id, position=entry_position)


@transaction.atomic
def set_entry_summary(user, entry: Entry, summary: str) -> Entry:
    _check(user, entry.section.edition)
    entry.summary_override = (summary or "").strip()
    entry.save(update_fields=["summary_override"])
    return entry


@transaction.atomic
def add_section(user, edition: Edition, title: str) -> Section:
    _check(user, edition)
    title = (title or "").strip()
    if not title:
        raise EditionError(_("Give the section a title."))
    position = (edition.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    return Section.objects.create(edition=edition, title=title[:200], position=position)


@transaction.atomic
def rename_section(user, section: Section, title: str) -> Section:
    """A section's heading, for instance a partner's name as written in a translation's language."""
    _check(user, section.edition)
    title = (title or "").strip()
    if not title:
        raise EditionError(_("Give the section a title."))
    section.title = title[:200]
    section.save(update_fields=["title"])
    return section


@transaction.atomic
def mark_ready(user, edition: Edition) -> Edition:
    _check(user, edition)
    if not Entry.objects.filter(section__edition=edition).exists():
        raise EditionError(_("Add at least one item before marking the edition ready."))
    from_state = edition.state
    edition.state = EditionState.READY
    edition.save(update_fields=["state", "updated_at"])
    _audit(edition, user, EditionAction.READY, from_state, EditionState.READY)
    return edition


@transaction.atomic
def publish_edition(user, edition: Edition) -> Edition:
    """Publish approved items of the edition, then freeze what the edition says."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    _check(user, edition)
    entries = Entry.objects.filter(section__edition=edition).select_related("item")
    if not entries:
        raise EditionError(_("An empty edition cannot be published."))
    now = timezone.now()
    for entry in entries:  # every entry checked before anything is published
        reason = not_live_reason(entry.item, now)
        if reason:
            raise EditionError(reason)
    for entry in entries:
        if entry.item.state == ItemState.APPROVED:
            item_workflows.publish_item(user, entry.item)
    edition.snapshot = build_context(edition)
    from_state = edition.state
    edition.state = EditionState.PUBLISHED
    edition.published_at = timezone.now()
    edition.published_by = user if getattr(user, "pk", None) else None
    edition.save(update_fields=["snapshot", "state", "published_at", "published_by", "updated_at"])
    _audit(edition, user, EditionAction.PUBLISH, from_state, EditionState.PUBLISHED)
    transaction.on_commit(lambda: edition_published.send(sender=Edition, edition=edition))
    return edition


@transaction.atomic
def mark_edition_sent(user, edition: Edition, queued: int) -> Edition:
    """Record that the edition went to the outbox (`queued` new deliveries); the first time, it becomes sent."""
    if not is_editor(user):
        raise PermissionDenied(_("Only secretariat editors may send editions."))
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if not edition.is_published:
        raise EditionError(_("Publish the edition before sending it."))
    from_state = edition.state
    if edition.state != EditionState.SENT:
        edition.state = EditionState.SENT
        edition.sent_at = timezone.now()
        edition.save(update_fields=["state", "sent_at", "updated_at"])
    _audit(edition, user, EditionAction.SEND, from_state, EditionState.SENT,
           _("%(n)d deliveries queued") % {"n": queued})
    return edition
