from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerpost.lib import m49
from partnerpost.lib.timezones import resolve_time_zone

from . import uploads
from .enums import (
    AuditAction,
    CallType,
    DatePrecision,
    EventFormat,
    EventStatus,
    EventType,
    ItemKind,
    ItemState,
    OrganizerRole,
    PersonRole,
    PublicationType,
    ThemeKind,
)

web_url = URLValidator(schemes=["http", "https"], message=_("Enter a web address that starts with http:// or https://."))


def response_address(value: str) -> None:
    """A web address, or a mailto: address, where people can respond."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    if value.lower().startswith("mailto:"):
        try:
            validate_email(value[7:].split("?")[0])
        except ValidationError:
            raise ValidationError(_("%(value)s is not an email address.") % {"value": value[7:]}) from None
        return
    try:
        web_url(value)
    except ValidationError:
        raise ValidationError(
            _("Enter a web address that starts with http:// or https://, or mailto: and an email address.")
        ) from None

CONTENT_LANGUAGES = sorted(
    [(code, name) for code, name in ALL_LANGUAGES if "-" not in code or code in {"zh-hans", "pt-br"}],
    key=lambda pair: str(pair[1]),
)


class Region(models.Model):
    """A UN M49 region or sub-region."""

    code = models.CharField(_("M49 code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=80)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Country(models.Model):
    """An ISO 3166-1 country or area, placed in its M49 sub-region."""

    code = models.CharField(_("ISO 3166 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="countries")

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name


class Theme(models.Model):
    """A controlled subject: the 17 SDGs and the network's own topics."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=ThemeKind.choices)
    sdg_number = models.PositiveSmallIntegerField(_("SDG number"), null=True, blank=True, unique=True)
    display_order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        if self.sdg_number:
            return f"SDG {self.sdg_number}: {self.name}"
        return self.name


class Series(models.Model):
    """A recurring programme of events, such as a dialogue series."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def __str__(self):
        return self.name


class AwardProgramme(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    website = models.URLField(_("website"), blank=True, validators=[web_url])

    class Meta:
        ordering = ["name"]
        verbose_name = _("award programme")
        verbose_name_plural = _("award programmes")

    def __str__(self):
        return self.name


class AwardCategory(models.Model):
    programme = models.ForeignKey(AwardProgramme, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="unique_category_per_programme")]
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")

    def __str__(self):
        return self.name


class TranslationGroup(models.Model):
    """The versions of one story in several languages: each item of the group is one language."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("translation group")
        verbose_name_plural = _("translation groups")

    def __str__(self):
        return f"#{self.pk}"


def live_q(now: dt.datetime | None = None) -> Q:
    """The filter for items the public may see: published, live, not expired."""
    now = now or timezone.now()
    return (
        Q(state=ItemState.PUBLISHED)
        & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    )


class ItemQuerySet(models.QuerySet):
    def published(self, now: dt.datetime | None = None):
        return self.filter(live_q(now))

    def events(self):
        return self.filter(kind=ItemKind.EVENT)

    def upcoming(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        return self.events().filter(end_date__gte=today).order_by("start_date", "starts_at", "title")

    def past(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        # start_date < today follows from end_date < today; said outright, it lets SQLite walk the events index
        # by start date (the order asked for) instead of the end date index and a sort of every past event.
        return self.events().filter(end_date__lt=today, start_date__lt=today).order_by("-start_date", "title")

    def in_region(self, code: str):
        # A join and DISTINCT, not "id IN (...)": with a region as wide as Asia, walking the listing and probing
        # the tags finds a page sooner (measured at a million items; "id IN" was 2-5 times slower here).
        return self.filter(
            Q(regions__code__in=m49.descendants(code)) | Q(countries__code__in=m49.countries_in(code))
        ).distinct()

    def with_theme(self, slug: str):
        """Items with the theme, as "id IN (the theme's items)", not a join: no row repeated, and the count can
        start from the theme's tags instead of walking every item (at a million items, 1.6 s to 0.2 s on SQLite)."""
        return self.filter(pk__in=Item.themes.through.objects.filter(theme__slug=slug).values("item_id"))

    def in_country(self, code: str):
        """Items tagged with the country (an ISO code, any case), as "id IN (...)": see with_theme (and no DISTINCT)."""
        return self.filter(pk__in=Item.countries.through.objects.filter(country_id=code.upper()).values("item_id"))

    def for_listing(self):
        """Everything a list of item cards shows, in a fixed number of queries."""
        return self.select_related("partner", "venue_country", "series").prefetch_related("themes", "days")

    def visible_to(self, user):
        from partnerpost.content.permissions import visible_items_filter

        return self.filter(visible_items_filter(user))


class Item(models.Model):
    """One piece of content: an event, publication, news story, call or award."""

    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.EVENT)
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(
        _("summary"), max_length=800, help_text=_("Two or three sentences. Shown in lists and in the newsletter.")
    )
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown. Links must start with http(s):// or mailto:."))
    body_html = models.TextField(editable=False, blank=True)
    language = models.CharField(_("content language"), max_length=10, choices=CONTENT_LANGUAGES, default="en")
    #: Set by workflows.save_item when this item is a version of another in another language.
    translation_group = models.ForeignKey(
        TranslationGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="items", editable=False,
    )
    partner = models.ForeignKey(
        "network.Partner", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="items"
    )
    image = uploads.TypedImageField(
        _("image"), upload_to=uploads.image_path, blank=True, validators=[uploads.image_validator], db_index=True,
        help_text=_("A PNG, JPEG or WebP picture."),
    )
    image_alt = models.CharField(_("image description"), max_length=300, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="items")
    countries = models.ManyToManyField(Country, verbose_name=_("countries"), blank=True, related_name="items")
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), blank=True, related_name="items")

    # Editorial workflow; change only through content.workflows.
    state = models.CharField(_("state"), max_length=20, choices=ItemState.choices, default=ItemState.DRAFT, db_index=True)
    go_live_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    expire_at = models.DateTimeField(_("unpublish at"), null=True, blank=True)
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    rejection_reason = models.TextField(_("reason for return"), blank=True, editable=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: The date lists sort and filter by: an event's first day, otherwise its publication date. Never empty, so
    #: lists (the API's keyset pages included) can walk the listing index instead of sorting every live item.
    sort_date = models.DateField(default=timezone.localdate, db_index=True, editable=False)

    # Events
    event_type = models.CharField(_("type of event"), max_length=20, choices=EventType.choices, blank=True)
    event_format = models.CharField(_("format"), max_length=20, choices=EventFormat.choices, blank=True)
    event_status = models.CharField(
        _("event status"), max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    start_date = models.DateField(_("first day"), null=True, blank=True, db_index=True)
    end_date = models.DateField(_("last day"), null=True, blank=True, db_index=True)
    date_precision = models.CharField(
        _("date precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True,
        help_text=_("An IANA name such as America/Costa_Rica, or an offset such as UTC-06:00."),
    )
    starts_at = models.DateTimeField(null=True, blank=True, editable=False)
    ends_at = models.DateTimeField(null=True, blank=True, editable=False)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    venue_country = models.ForeignKey(
        Country, verbose_name=_("venue country"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    online_url = models.URLField(_("online link"), blank=True, validators=[web_url])
    registration_url = models.URLField(_("registration link"), blank=True, validators=[web_url])
    fee_amount = models.DecimalField(
        _("fee"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    fee_currency = models.CharField(_("fee currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, e.g. USD."))
    enrolment_deadline = models.DateField(_("enrolment deadline"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    session_count = models.PositiveSmallIntegerField(_("number of sessions"), null=True, blank=True)
    total_hours = models.DecimalField(
        _("total hours"), max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    series = models.ForeignKey(
        Series, verbose_name=_("series"), null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )

    # Publications, news and awards
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    publication_type = models.CharField(_("type of publication"), max_length=20, choices=PublicationType.choices, blank=True)
    document_url = models.URLField(_("document link"), blank=True, validators=[web_url])
    document_file = uploads.TypedFileField(
        _("document file"), upload_to=uploads.document_path, blank=True, validators=[uploads.document_validator],
        db_index=True,  # the media view finds the item by its file's name
        help_text=_("PDF, Word, Excel, PowerPoint or OpenDocument. Readers download it."),
    )

    # Calls
    call_type = models.CharField(_("type of call"), max_length=20, choices=CallType.choices, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    eligibility = models.TextField(_("who may answer"), blank=True)

    # Awards
    award_programme = models.ForeignKey(
        AwardProgramme, verbose_name=_("award programme"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="items",
    )
    award_year = models.PositiveSmallIntegerField(_("award year"), null=True, blank=True)
    award_categories = models.ManyToManyField(AwardCategory, verbose_name=_("award categories"), blank=True)

    # Consultations (their closing day is `deadline`)
    response_url = models.CharField(
        _("where to respond"), max_length=500, blank=True, validators=[response_address],
        help_text=_("The discussion board or form, or mailto: and an address."),
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["-sort_date", "-id"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        indexes = [
            models.Index(fields=["state", "kind", "sort_date"]),
            # the archive and partner pages: published items, newest first, read in index order
            models.Index(fields=["state", "sort_date", "id"], name="content_item_listing_idx"),
            # the feeds: published items, most recently published first, read in index order
            models.Index(fields=["state", "first_published_at", "id"], name="content_item_feed_idx"),
            # the events pages: past events by their first day, upcoming ones by their last (content/0014)
            models.Index(fields=["state", "kind", "start_date"], name="content_item_events_idx"),
            models.Index(fields=["state", "kind", "end_date"], name="content_item_upcoming_idx"),
            # the minute-by-minute look for items whose publishing window just opened or closed
            models.Index(fields=["go_live_at"], condition=Q(go_live_at__isnull=False), name="content_item_go_live_idx"),
            models.Index(fields=["expire_at"], condition=Q(expire_at__isnull=False), name="content_item_expire_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:item", args=[self.slug])

    # Facts derived from the row ------------------------------------------------

    @property
    def kind_def(self):
        """This item's kind in the registry: its fields, rules, facts and schema."""
        from . import kinds

        return kinds.get(self.kind)

    def other_versions(self, public: bool = False) -> list:
        """The same story in other languages (prefetch "translation_group__items" for lists)."""
        if not self.translation_group_id:
            return []
        versions = [v for v in self.translation_group.items.all() if v.pk != self.pk]
        if public:
            versions = [v for v in versions if v.is_live]
        return sorted(versions, key=lambda v: v.language)

    @property
    def is_open(self):
        """For calls and consultations: whether answers are still taken today."""
        return self.kind_def.is_open(self)

    @property
    def is_event(self):
        return self.kind == ItemKind.EVENT

    @property
    def is_all_day(self):
        return self.start_time is None

    @property
    def is_live(self):
        now = timezone.now()
        return (
            self.state == ItemState.PUBLISHED
            and (self.go_live_at is None or self.go_live_at <= now)
            and (self.expire_at is None or self.expire_at > now)
        )

    @property
    def is_scheduled(self):
        return self.state == ItemState.PUBLISHED and self.go_live_at is not None and self.go_live_at > timezone.now()

    @property
    def is_online(self):
        return self.event_format in {EventFormat.ONLINE, EventFormat.HYBRID}

    def compute_derived(self):
        """Fill the columns that follow from others. Called by the workflow before saving."""
        from partnerpost.lib.markup import render_markdown

        self.body_html = render_markdown(self.body)
        if self.kind == ItemKind.EVENT and self.start_date:
            if self.end_date is None:
                self.end_date = self.start_date
            self.starts_at = self.ends_at = None
            if self.start_time is not None and self.time_zone:
                tz = resolve_time_zone(self.time_zone)
                self.starts_at = dt.datetime.combine(self.start_date, self.start_time, tz).astimezone(dt.UTC)
                if self.end_time is not None:
                    self.ends_at = dt.datetime.combine(self.end_date, self.end_time, tz).astimezone(dt.UTC)
            self.sort_date = self.start_date
        else:
            fallback = (self.first_published_at or self.created_at or timezone.now()).date()
            self.sort_date = self.kind_def.sort_date(self) or self.published_on or self.deadline or fallback

    def clean(self):
        from django.core.exceptions import ValidationError

        from . import kinds

        errors = {}
        if self.kind in ItemKind.values:
            errors.update(kinds.get(self.kind).clean(self))
        if self.image and not self.image_alt:
            errors["image_alt"] = _("Describe the image for readers who cannot see it.")
        if self.go_live_at and self.expire_at and self.expire_at <= self.go_live_at:
            errors["expire_at"] = _("Unpublishing must come after publishing.")
        if errors:
            raise ValidationError(errors)


class EventDay(models.Model):
    """One day of an event held on separate days ("3 & 5 November")."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["item", "date"], name="unique_event_day")]


class ItemOrganization(models.Model):
    """An organizer, co-organizer or supporter: a partner of the network or a named outside body."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="organizations")
    role = models.CharField(max_length=20, choices=OrganizerRole.choices)
    partner = models.ForeignKey("network.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=False) | ~Q(name=""), name="organization_has_partner_or_name"
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.partner.name if self.partner_id else self.name


class ItemLink(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=200)
    url = models.URLField(max_length=500, validators=[web_url])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.label


class ItemPerson(models.Model):
    """A facilitator, speaker or moderator of an event."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=PersonRole.choices, default=PersonRole.SPEAKER)
    affiliation = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class AwardWinner(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="winners")
    category = models.ForeignKey(AwardCategory, null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(max_length=300)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class AuditRecord(models.Model):
    """What every audit row holds: who, when, and a note. Each audited model adds its subject, its
    actions and its states (items here, editions in editions.models)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class AuditEntry(AuditRecord):
    """One change to an item: who, when, from which state to which, and why."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="audit_entries")
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    from_state = models.CharField(max_length=20, choices=ItemState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=ItemState.choices, blank=True)

    class Meta(AuditRecord.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")


class ScheduleSweep(models.Model):
    """How far in time a recurring look at the items has got (see `content.tasks.publish_due_items`).

    One row per kind of look, so each run starts where the previous one stopped: nothing is announced twice,
    and nothing is missed while no worker runs."""

    name = models.CharField(max_length=50, unique=True)
    swept_until = models.DateTimeField()

    def __str__(self):
        return f"{self.name} until {self.swept_until:%Y-%m-%d %H:%M:%S}"


class LiveTotal(models.Model):
    """How many items the public could see at the moment `as_of`: the archive's total, kept up to date by
    every change to an item and by the minute's look at publishing windows (see `content.livetotal`), so that
    no reader's request has to count a million rows."""

    name = models.CharField(max_length=50, unique=True)
    count = models.BigIntegerField(default=0)
    as_of = models.DateTimeField()
    #: When the figure was last counted from scratch (`partnerpost content recount`, the daily task).
    counted_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name}: {self.count} as of {self.as_of:%Y-%m-%d %H:%M:%S}"
