"""Review panels on a call (issue 16): stages, their score categories, reviewers, assignments, reviews.

A call has ordered `ReviewStage`s (eligibility screening, expert review, jury decision...). Each stage has
its own reviewers (`StageReviewer`), its own form (`ScoreCategory` rows with weights and labelled scales,
plus the two comment boxes and a recommendation on every `Review`) and its own close. An `Assignment`
pairs one reviewer with one submission in one stage; the reviewer declares conflicts on it before the
submission is shown, and writes one `Review` with one `Score` per category. Every change writes a
`ReviewAudit` row. All changes go through calls/review_workflows.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partnerpost.content.models import AuditRecord


class Aggregate(models.TextChoices):
    MEAN = "mean", _("Mean of the reviewers' weighted scores")
    MEDIAN = "median", _("Median of the reviewers' weighted scores")


class Recommendation(models.TextChoices):
    ACCEPT = "accept", pgettext_lazy("review recommendation", "Accept")
    SHORTLIST = "shortlist", pgettext_lazy("review recommendation", "Shortlist")
    REVISE = "revise", pgettext_lazy("review recommendation", "Revise")
    REJECT = "reject", pgettext_lazy("review recommendation", "Reject")


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("Waiting for the conflict declaration")
    CLEAR = "clear", _("No conflict declared: to review")
    CONFLICT = "conflict", _("Conflict declared")
    DONE = "done", _("Reviewed")


class ReviewAction(models.TextChoices):
    STAGE = "stage", _("Stage defined")
    ASSIGN = "assign", _("Reviewer assigned")
    CLEAR = "clear", _("No conflict declared")
    CONFLICT = "conflict", _("Conflict declared")
    REASSIGN = "reassign", _("Reassigned after a conflict")
    REVIEW = "review", _("Review sent")
    SHORTLIST = "shortlist", _("Shortlisted")
    DECIDE = "decide", _("Decision")
    PUBLISH = "publish", _("Outcome published")


class ReviewStage(models.Model):
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="review_stages")
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    closes_at = models.DateTimeField(_("reviews close at"))
    reviews_per_submission = models.PositiveSmallIntegerField(_("reviews per submission"), default=3)
    aggregate = models.CharField(_("combine reviewers' scores by"), max_length=6, choices=Aggregate.choices,
                                 default=Aggregate.MEAN)
    anonymised = models.BooleanField(_("hide submitters' names and institutions from reviewers"), default=False)
    #: A reviewer's weighted score this far (in scale points) from the submission's median is flagged.
    outlier_distance = models.DecimalField(_("flag a score this far from the median"), max_digits=5,
                                           decimal_places=2, default=2)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, through="StageReviewer", related_name="+")

    class Meta:
        ordering = ["call", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["call", "position"], name="calls_unique_stage_position")]

    def __str__(self):
        return self.name

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class ScoreCategory(models.Model):
    stage = models.ForeignKey(ReviewStage, on_delete=models.CASCADE, related_name="categories")
    name = models.SlugField(_("name"), max_length=60)
    label = models.CharField(_("label"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    scale_min = models.SmallIntegerField(_("lowest score"), default=0)
    scale_max = models.SmallIntegerField(_("highest score"), default=5)
    #: {"0": "Absent", "5": "Outstanding"}: labels for some or all points of the scale.
    scale_labels = models.JSONField(_("labels of the scale"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["stage", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["stage", "name"], name="calls_unique_score_category")]

    def __str__(self):
        return self.label

    def points(self) -> list[tuple[int, str]]:
        return [(v, self.scale_labels.get(str(v), "")) for v in range(self.scale_min, self.scale_max + 1)]


class ReviewerProfile(models.Model):
    """Where a reviewer comes from: automatic assignment never gives them a submission from the same
    country or institution."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    country = models.CharField(_("country"), max_length=2, blank=True)
    institution = models.CharField(_("institution"), max_length=300, blank=True)


class StageReviewer(models.Model):
    stage = models.ForeignKey(ReviewStage, on_delete=models.CASCADE, related_name="stage_reviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_stages")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stage", "user"], name="calls_unique_stage_reviewer")]


class Assignment(models.Model):
    stage = models.ForeignKey(ReviewStage, on_delete=models.CASCADE, related_name="assignments")
    submission = models.ForeignKey("calls.Submission", on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments")
    state = models.CharField(_("state"), max_length=10, choices=AssignmentState.choices,
                             default=AssignmentState.PENDING, db_index=True)
    conflict_note = models.TextField(_("conflict"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["stage", "submission", "id"]
        constraints = [models.UniqueConstraint(fields=["stage", "submission", "reviewer"],
                                               name="calls_unique_assignment")]


class Review(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    comment_to_submitter = models.TextField(_("comments for the submitter"), blank=True)
    comment_to_panel = models.TextField(_("comments for the panel only"), blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices)
    #: Σ weight·score / Σ weight, stored at each save.
    weighted_score = models.DecimalField(max_digits=8, decimal_places=4)
    submitted_at = models.DateTimeField(default=timezone.now)


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    category = models.ForeignKey(ScoreCategory, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(_("score"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "category"], name="calls_unique_score")]


class ReviewAudit(AuditRecord):
    stage = models.ForeignKey(ReviewStage, on_delete=models.CASCADE, related_name="audit_entries")
    submission = models.ForeignKey("calls.Submission", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="review_audit")
    action = models.CharField(max_length=10, choices=ReviewAction.choices)

    class Meta(AuditRecord.Meta):
        verbose_name = _("review audit entry")
        verbose_name_plural = _("review audit log")


class StageOutcome(models.Model):
    """What the panel made of one submission in one stage: on the shortlist or not, and the decision with its reason."""

    stage = models.ForeignKey(ReviewStage, on_delete=models.CASCADE, related_name="outcomes")
    submission = models.ForeignKey("calls.Submission", on_delete=models.CASCADE, related_name="stage_outcomes")
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    decision = models.CharField(_("decision"), max_length=10, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    #: Set when the outcome was published (an award item, or a line of the programme list).
    published_item = models.ForeignKey("content.Item", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stage", "submission"], name="calls_unique_stage_outcome")]
