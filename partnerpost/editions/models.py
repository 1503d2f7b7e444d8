from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partnerpost.content import uploads
from partnerpost.content.models import CONTENT_LANGUAGES, AuditRecord

from .enums import PUBLIC_STATES, EditionAction, EditionState

DEFAULT_DISCLAIMER = (
    "The views expressed are those of the individual authors and do not necessarily reflect the "
    "position of the United Nations."
)


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state__in=PUBLIC_STATES)

    def latest_for(self, language: str):
        """The latest published original, or its published translation into `language` when it has one."""
        edition = self.published().filter(translation_of=None).order_by("-period_start", "-published_at").first()
        if edition is not None and edition.language != language:
            return edition.translations.published().filter(language=language).first() or edition
        return edition

    def pick(self, slug=None, *, latest=False):
        """The edition a command names: by slug, or the latest published original (not a translation,
        which is published after its original). LookupError says why not."""
        if latest:
            edition = self.published().filter(translation_of=None).order_by("-period_start", "-published_at").first()
            if edition is None:
                raise LookupError("No edition has been published yet.")
            return edition
        edition = self.filter(slug=slug).first()
        if edition is None:
            raise LookupError(f"No edition with slug {slug!r}. `partnerpost edition list` shows them.")
        return edition


class Edition(models.Model):
    """One issue of the partners' newsletter."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    period_label = models.CharField(
        _("period as printed"), max_length=120, blank=True,
        help_text=_("For example “October – November – December 2020”. Left empty, it is written from the dates."),
    )
    volume = models.PositiveSmallIntegerField(_("volume"), null=True, blank=True)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=CONTENT_LANGUAGES, default="en")
    introduction = models.TextField(_("editorial introduction"), blank=True, help_text=_("Markdown."))
    introduction_html = models.TextField(editable=False, blank=True)
    disclaimer = models.TextField(_("disclaimer"), default=DEFAULT_DISCLAIMER, help_text=_("Printed at the foot of every page."))
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_text = models.CharField(_("contact line"), max_length=300, blank=True)
    translation_of = models.ForeignKey(
        "self", verbose_name=_("translation of"), null=True, blank=True, on_delete=models.SET_NULL, related_name="translations",
        help_text=_("Subscribers who prefer this edition's language receive it instead of the original."),
    )
    social_links = models.TextField(_("social links"), blank=True, help_text=_("One per line: label | https://address"))
    masthead = uploads.TypedImageField(
        _("masthead image"), upload_to=uploads.masthead_path, blank=True, validators=[uploads.image_validator],
        help_text=_("Optional. A wide PNG, JPEG or WebP banner shown above the title, for example 1200 × 300 pixels."),
    )
    masthead_alt = models.CharField(_("masthead image description"), max_length=300, blank=True,
                                    help_text=_("What the image shows, for readers who cannot see it. Required with an image."))
    preheader = models.CharField(
        _("preheader"), max_length=150, blank=True,
        help_text=_("The preview line that inboxes show after the subject. Left empty, it names the sections."),
    )

    state = models.CharField(_("state"), max_length=20, choices=EditionState.choices, default=EditionState.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: The render context frozen at publication: what readers got, whatever happens to the items later.
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    #: The print PDF of the published edition, rendered once and kept in the default storage
    #: (see `editions.stored`); its name carries a digest of the snapshot it was rendered from.
    pdf_name = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("editions:detail", args=[self.slug])

    def clean(self):
        super().clean()
        self.masthead_alt = self.masthead_alt.strip()
        if self.masthead and not self.masthead_alt:
            raise ValidationError({"masthead_alt": _("Describe the masthead image for readers who cannot see it.")})

    @property
    def is_published(self):
        return self.state in PUBLIC_STATES

    @property
    def is_editable(self):
        return self.state not in PUBLIC_STATES


class Section(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    partner = models.ForeignKey("network.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class Entry(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey("content.Item", on_delete=models.PROTECT, related_name="edition_entries")
    position = models.PositiveIntegerField(default=0)
    summary_override = models.TextField(_("summary for this edition"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = _("entries")

    def __str__(self):
        return str(self.item)


class EditionAuditEntry(AuditRecord):
    """One change to an edition: who, when, from which state to which, and what."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="audit_entries")
    action = models.CharField(max_length=20, choices=EditionAction.choices)
    from_state = models.CharField(max_length=20, choices=EditionState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=EditionState.choices, blank=True)

    class Meta(AuditRecord.Meta):
        verbose_name = _("edition audit entry")
        verbose_name_plural = _("edition audit log")
