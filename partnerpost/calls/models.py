"""A call's form, window and answers, attached to the content Item of kind "call".

The item keeps the title, the organizing partner, the description, the editorial state and
everything that makes a call appear in the archive, the calendar, the feeds and editions; a
`Call` row adds what answering needs. Answers are `Submission` rows: one JSON object of answers
keyed by field name, plus a few columns copied out of it at each save (title, country, region,
areas, folded text) so that the queue, the duplicate check and the catalogue read indexes, not JSON.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerpost.content import uploads
from partnerpost.content.models import AuditRecord
from partnerpost.content.models import Item as _Item

from .enums import (
    Audience,
    CallAction,
    FieldRole,
    FieldType,
    SubmissionAction,
    SubmissionState,
    WindowState,
)


class CallQuerySet(models.QuerySet):
    def public(self):
        """Calls whose item the public may see."""
        from partnerpost.content.models import live_q

        return self.filter(item__in=_Item.objects.filter(live_q()))


class Call(models.Model):
    item = models.OneToOneField("content.Item", on_delete=models.CASCADE, related_name="call_form")
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    languages = models.JSONField(_("accepted languages"), default=list)
    audience = models.CharField(_("who may answer"), max_length=10, choices=Audience.choices,
                                default=Audience.CONFIRMED_EMAIL)
    is_catalogue = models.BooleanField(
        _("publish accepted answers as a catalogue"), default=False,
        help_text=_("A compendium: accepted submissions become public entries with facets, charts and exports."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Moved on whenever an entry joins or leaves the catalogue (catalogue.bump_version): what the catalogue
    #: page keeps (facet counts, charts, the map) is kept under it, so a change is seen at once.
    catalogue_version = models.PositiveIntegerField(default=0, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-closes_at", "id"]
        verbose_name = _("call form")
        verbose_name_plural = _("call forms")

    def __str__(self):
        return self.item.title

    @property
    def slug(self) -> str:
        return self.item.slug

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def tzinfo(self):
        from partnerpost.lib.timezones import resolve_time_zone

        return resolve_time_zone(self.time_zone)

    def window(self, now: dt.datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return WindowState.UPCOMING
        if now >= self.closes_at:
            return WindowState.CLOSED
        return WindowState.OPEN

    def is_open(self, now: dt.datetime | None = None) -> bool:
        return self.window(now) == WindowState.OPEN

    def local_close(self) -> dt.datetime:
        return self.closes_at.astimezone(self.tzinfo)

    def local_open(self) -> dt.datetime:
        return self.opens_at.astimezone(self.tzinfo)

    def field_by_role(self, role: str):
        for field in self.ordered_fields():
            if field.role == role:
                return field
        return None

    def ordered_fields(self) -> list:
        cached = getattr(self, "_ordered_fields", None)
        if cached is None:
            cached = list(self.fields.all())
            self._ordered_fields = cached
        return cached

    def steps(self) -> list[int]:
        return sorted({f.step for f in self.ordered_fields()})


class CallField(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="fields")
    name = models.SlugField(_("name"), max_length=60)
    label = models.CharField(_("label"), max_length=300)
    type = models.CharField(_("type"), max_length=10, choices=FieldType.choices)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("options"), default=list, blank=True)
    help_text = models.CharField(_("help"), max_length=500, blank=True)
    step = models.PositiveSmallIntegerField(_("step"), default=1)
    role = models.CharField(_("role"), max_length=10, choices=FieldRole.choices, blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["step", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["call", "name"], name="calls_unique_field_name")]

    def __str__(self):
        return self.name


class EligibilityQuestion(models.Model):
    """A yes/no question asked before the form; the wrong answer stops the submission with `reason`."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="eligibility")
    name = models.SlugField(_("name"), max_length=60)
    question = models.CharField(_("question"), max_length=300)
    expected = models.BooleanField(_("answer that may continue"), default=True)
    reason = models.CharField(_("reason shown when it stops"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["call", "name"], name="calls_unique_question_name")]


class Invitation(models.Model):
    """A focal point invited to answer a call open to invited people only."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "email"], name="calls_unique_invitation")]


class CallAudit(AuditRecord):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="audit_entries")
    action = models.CharField(max_length=10, choices=CallAction.choices)

    class Meta(AuditRecord.Meta):
        verbose_name = _("call audit entry")
        verbose_name_plural = _("call audit log")


class SubmissionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=SubmissionState.ACCEPTED, call__is_catalogue=True)


class Submission(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="submissions")
    state = models.CharField(_("state"), max_length=10, choices=SubmissionState.choices,
                             default=SubmissionState.DRAFT, db_index=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    eligibility_answers = models.JSONField(default=dict, blank=True)
    #: The confirmed address the receipt and decisions go to.
    email = models.EmailField(_("email"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="call_submissions")
    #: Set when a partner's system answered through the API.
    partner = models.ForeignKey("network.Partner", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="call_submissions")
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Copied from the answers at each save.
    title = models.CharField(_("title"), max_length=300, blank=True)
    title_key = models.CharField(max_length=300, blank=True, db_index=True)
    country = models.CharField(_("country"), max_length=2, blank=True, db_index=True)
    region = models.CharField(_("region"), max_length=3, blank=True, db_index=True)
    search_text = models.TextField(blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    step_reached = models.PositiveSmallIntegerField(default=0)
    return_reason = models.TextField(_("reason for return"), blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    #: "2020-04": the month it was (last) sent, in the call's time zone, for the catalogue's chart over time.
    month = models.CharField(max_length=7, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["call", "state", "title"], name="calls_sub_listing_idx"),
            models.Index(fields=["call", "state", "country"], name="calls_sub_country_idx"),
            models.Index(fields=["call", "state", "region"], name="calls_sub_region_idx"),
            models.Index(fields=["call", "state", "year"], name="calls_sub_year_idx"),
            models.Index(fields=["call", "state", "month"], name="calls_sub_month_idx"),
        ]

    def __str__(self):
        return self.title or f"#{self.pk}"

    @property
    def is_editable(self) -> bool:
        from .enums import EDITABLE_STATES

        return self.state in EDITABLE_STATES

    def areas(self) -> list[str]:
        return [a.area for a in self.area_rows.all()]


class SubmissionArea(models.Model):
    """One area a submission is filed under: the catalogue's facet, counted in the database."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="area_rows")
    area = models.CharField(max_length=200, db_index=True)
    # Copied from the submission (workflows keep them in step) so that a catalogue's area counts are
    # read from one index, without a join.
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    is_public = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["submission", "area"], name="calls_unique_area")]
        indexes = [models.Index(fields=["call", "is_public", "area"], name="calls_area_count_idx")]


def attachment_path(instance, filename: str) -> str:
    return uploads._stored_name("call-files", filename)


class SubmissionFile(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    field = models.SlugField(max_length=60)
    file = uploads.TypedFileField(upload_to=attachment_path, validators=[uploads.document_validator], db_index=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "field"], name="calls_one_file_per_field")]


class SubmissionAudit(AuditRecord):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="audit_entries")
    action = models.CharField(max_length=10, choices=SubmissionAction.choices)
    from_state = models.CharField(max_length=10, choices=SubmissionState.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=SubmissionState.choices, blank=True)

    class Meta(AuditRecord.Meta):
        verbose_name = _("submission audit entry")
        verbose_name_plural = _("submission audit log")


# Review panels (issue 16) live in their own module.
from .review_models import (  # noqa: E402,F401
    Assignment,
    ReviewAudit,
    Review,
    ReviewerProfile,
    ReviewStage,
    Score,
    ScoreCategory,
    StageOutcome,
    StageReviewer,
)
