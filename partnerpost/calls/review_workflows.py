"""Every change to a call's review panels goes through one function here (issue 16).

Permission, state, validation, save and audit row in one transaction, as in calls/workflows.py:
define a stage and its form (`save_stage`), add reviewers (`add_reviewer`), assign by hand
(`assign_reviewer`) or automatically (`auto_assign`), declare conflicts (`declare_conflict`, which
reassigns), score (`submit_review`), read the results (`stage_results`), shortlist and decide
(`shortlist_submission`, `decide_outcome`).

Errors: ValidationError with {field: [messages]} for bad values, WorkflowError for a wrong state
(a closed stage, a declared conflict), PermissionDenied for the wrong person.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerpost.lib.text import fold

from .enums import SubmissionState
from .models import Call, Submission
from .review_models import (
    Aggregate,
    Assignment,
    AssignmentState,
    Recommendation,
    Review,
    ReviewAction,
    ReviewAudit,
    ReviewerProfile,
    ReviewStage,
    Score,
    ScoreCategory,
    StageOutcome,
    StageReviewer,
)
from .workflows import WorkflowError, can_manage_call

#: Submissions that go to reviewers.
REVIEWABLE_STATES = {SubmissionState.SUBMITTED, SubmissionState.ACCEPTED}
#: Answer names read as the submitter's institution (for the conflict rule and anonymised review).
INSTITUTION_FIELDS = ("institution", "organization", "organisation")
#: Answer names hidden from reviewers when a stage is anonymised.
IDENTITY_FIELDS = INSTITUTION_FIELDS + ("contact", "name", "nominee", "author", "authors", "coauthors", "email")


@dataclass
class CategorySpec:
    name: str
    label: str
    weight: Decimal | int | str = 1
    scale_min: int = 0
    scale_max: int = 5
    scale_labels: dict = field(default_factory=dict)


@dataclass
class StageInput:
    name: str
    position: int
    closes_at: dt.datetime
    categories: list[CategorySpec]
    reviews_per_submission: int = 3
    aggregate: str = Aggregate.MEAN
    anonymised: bool = False
    outlier_distance: Decimal | int | str = 2


def _audit(stage, actor, action, submission=None, note=""):
    ReviewAudit.objects.create(stage=stage, submission=submission, action=action, note=note,
                               actor=actor if getattr(actor, "is_authenticated", False) else None)


def _require_manager(user, call: Call):
    if not can_manage_call(user, call.item):
        raise PermissionDenied(_("You may not manage the review of this call."))


# --- stages and their forms ------------------------------------------------------------------------------

def check_stage(data: StageInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (data.name or "").strip():
        errors["name"] = [_("Give the stage a name.")]
    if data.reviews_per_submission < 1:
        errors["reviews_per_submission"] = [_("Each submission needs at least one review.")]
    if data.aggregate not in Aggregate.values:
        errors["aggregate"] = [_("Choose the mean or the median.")]
    if not data.categories:
        errors["categories"] = [_("The review form needs at least one score category.")]
    seen = set()
    for spec in data.categories:
        key = f"category_{spec.name}"
        problems = []
        if spec.name in seen:
            problems.append(_("Two score categories are named “%(name)s”.") % {"name": spec.name})
        seen.add(spec.name)
        try:
            weight = Decimal(str(spec.weight))
        except ArithmeticError:
            weight = Decimal(0)
        if weight <= 0:
            problems.append(_("The weight of “%(label)s” must be a number above zero.") % {"label": spec.label})
        if spec.scale_min >= spec.scale_max:
            problems.append(_("The scale of “%(label)s” must run from a lower to a higher score.") % {"label": spec.label})
        for point in spec.scale_labels:
            if not str(point).lstrip("-").isdigit() or not spec.scale_min <= int(point) <= spec.scale_max:
                problems.append(_("The label for %(point)s is outside the scale %(low)s–%(high)s.") % {
                    "point": point, "low": spec.scale_min, "high": spec.scale_max})
        if problems:
            errors.setdefault(key, []).extend(problems)
    return errors


@transaction.atomic
def save_stage(user, call: Call, data: StageInput) -> ReviewStage:
    """Create or replace the stage at `data.position` with its score categories."""
    _require_manager(user, call)
    errors = check_stage(data)
    if errors:
        raise ValidationError(errors)
    stage, created = ReviewStage.objects.update_or_create(call=call, position=data.position, defaults={
        "name": data.name.strip(), "closes_at": data.closes_at, "reviews_per_submission": data.reviews_per_submission,
        "aggregate": data.aggregate, "anonymised": data.anonymised,
        "outlier_distance": Decimal(str(data.outlier_distance))})
    if not created and Review.objects.filter(assignment__stage=stage).exists():
        names = {c.name for c in stage.categories.all()}
        if names != {c.name for c in data.categories}:
            raise ValidationError({"categories": [_("Reviews were already sent: the score categories can no longer change.")]})
    kept = []
    for position, spec in enumerate(data.categories):
        category, _new = ScoreCategory.objects.update_or_create(stage=stage, name=spec.name, defaults={
            "label": spec.label, "weight": Decimal(str(spec.weight)), "scale_min": spec.scale_min,
            "scale_max": spec.scale_max, "scale_labels": {str(k): v for k, v in spec.scale_labels.items()},
            "position": position})
        kept.append(category.pk)
    stage.categories.exclude(pk__in=kept).delete()
    _audit(stage, user, ReviewAction.STAGE, note=_("Defined") if created else _("Changed"))
    return stage


# --- reviewers and assignments --------------------------------------------------------------------------

def _check_country(country: str) -> None:
    from partnerpost.content.models import Country

    if country and not Country.objects.filter(pk=country.strip().upper()).exists():
        raise ValidationError({"country": [_("Give your country as its two-letter ISO code, e.g. “KE”.")]})


def add_reviewer(user, stage: ReviewStage, reviewer, *, country: str = "", institution: str = "") -> StageReviewer:
    _require_manager(user, stage.call)
    _check_country(country)
    with transaction.atomic():
        profile, _created = ReviewerProfile.objects.get_or_create(user=reviewer)
        if country or institution:
            profile.country = (country or profile.country).upper()
            profile.institution = institution or profile.institution
            profile.save()
        membership, _created = StageReviewer.objects.get_or_create(stage=stage, user=reviewer)
    return membership


def submission_institution(submission: Submission) -> str:
    for name in INSTITUTION_FIELDS:
        value = submission.answers.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _key(text: str) -> str:
    return " ".join(fold(text).casefold().split())


def _profile(reviewer) -> ReviewerProfile:
    try:
        return reviewer.reviewer_profile
    except ReviewerProfile.DoesNotExist:
        return ReviewerProfile(user=reviewer)


def conflict_reason(reviewer, submission: Submission) -> str:
    """Why this reviewer may not review this submission automatically ('' when nothing stands in the way)."""
    profile = _profile(reviewer)
    if profile.country and submission.country and profile.country == submission.country:
        return _("The submission comes from the reviewer's own country.")
    institution = submission_institution(submission)
    if profile.institution and institution and _key(profile.institution) == _key(institution):
        return _("The submission comes from the reviewer's own institution.")
    if submission.user_id and submission.user_id == reviewer.pk:
        return _("The reviewer sent this submission.")
    return ""


def previous_stage(stage: ReviewStage) -> ReviewStage | None:
    return stage.call.review_stages.filter(position__lt=stage.position).order_by("-position").first()


def is_last_stage(stage: ReviewStage) -> bool:
    return not stage.call.review_stages.filter(position__gt=stage.position).exists()


def _reviewable(stage: ReviewStage):
    """Submitted answers; after the first stage, only those the previous stage let through."""
    submissions = stage.call.submissions.filter(state__in=REVIEWABLE_STATES)
    before = previous_stage(stage)
    if before is not None:
        submissions = submissions.filter(stage_outcomes__stage=before, stage_outcomes__decision="accept")
    return submissions.order_by("id")


@transaction.atomic
def assign_reviewer(user, stage: ReviewStage, submission: Submission, reviewer) -> Assignment:
    """Assign by hand; the same rules as the automatic assignment apply."""
    _require_manager(user, stage.call)
    if submission.call_id != stage.call_id or submission.state not in REVIEWABLE_STATES:
        raise WorkflowError(_("Only submitted answers to this call can be reviewed."))
    if not StageReviewer.objects.filter(stage=stage, user=reviewer).exists():
        raise ValidationError({"reviewer": [_("This person is not a reviewer of the stage “%(stage)s”.") % {"stage": stage.name}]})
    reason = conflict_reason(reviewer, submission)
    if reason:
        raise ValidationError({"reviewer": [reason]})
    if Assignment.objects.filter(stage=stage, submission=submission, reviewer=reviewer).exists():
        raise ValidationError({"reviewer": [_("This reviewer already has this submission.")]})
    assignment = Assignment.objects.create(stage=stage, submission=submission, reviewer=reviewer)
    _audit(stage, user, ReviewAction.ASSIGN, submission, reviewer.get_username())
    return assignment


def _loads(stage) -> Counter:
    loads = Counter({m.user_id: 0 for m in stage.stage_reviewers.all()})
    loads.update(Assignment.objects.filter(stage=stage).exclude(state=AssignmentState.CONFLICT)
                 .values_list("reviewer_id", flat=True))
    return loads


@transaction.atomic
def auto_assign(user, stage: ReviewStage) -> list[Assignment]:
    """Give every reviewable submission `reviews_per_submission` reviewers: the least loaded eligible ones,
    the most constrained submissions first, then even out the new assignments so that loads differ by
    at most one where the country and institution rules allow it."""
    _require_manager(user, stage.call)
    stage = ReviewStage.objects.select_for_update().get(pk=stage.pk)
    reviewers = {m.user_id: m.user for m in stage.stage_reviewers.select_related("user__reviewer_profile")}
    if not reviewers:
        raise ValidationError({"reviewers": [_("Add reviewers to the stage first.")]})
    submissions = list(_reviewable(stage))
    taken: dict[int, set[int]] = {s.pk: set() for s in submissions}
    active: Counter = Counter()
    for sub_id, rev_id, state in Assignment.objects.filter(stage=stage).values_list("submission_id", "reviewer_id", "state"):
        if sub_id in taken:
            taken[sub_id].add(rev_id)
            if state != AssignmentState.CONFLICT:
                active[sub_id] += 1
    eligible = {s.pk: [r for r in reviewers if r not in taken[s.pk] and not conflict_reason(reviewers[r], s)]
                for s in submissions}
    loads = _loads(stage)
    new: dict[int, list[int]] = {}
    for sub in sorted(submissions, key=lambda s: (len(eligible[s.pk]), s.pk)):
        wanted = stage.reviews_per_submission - active[sub.pk]
        choice = sorted(eligible[sub.pk], key=lambda r: (loads[r], r))[:max(wanted, 0)]
        for r in choice:
            loads[r] += 1
        new[sub.pk] = choice
    # Even out: move a new assignment from the busiest reviewer to the least busy one that may take it.
    for _round in range(len(submissions) * len(reviewers)):
        high = max(loads, key=lambda r: (loads[r], -r))
        low = min(loads, key=lambda r: (loads[r], r))
        if loads[high] - loads[low] <= 1:
            break
        moved = False
        for sub_id, chosen in new.items():
            if high in chosen and low not in chosen and low not in taken[sub_id] and low in eligible[sub_id]:
                chosen[chosen.index(high)] = low
                loads[high] -= 1
                loads[low] += 1
                moved = True
                break
        if not moved:
            break
    by_pk = {s.pk: s for s in submissions}
    created = []
    for sub_id, chosen in new.items():
        for r in chosen:
            created.append(Assignment.objects.create(stage=stage, submission=by_pk[sub_id], reviewer=reviewers[r]))
    _audit(stage, user, ReviewAction.ASSIGN,
           note=ngettext("Automatic assignment: %(count)s assignment.", "Automatic assignment: %(count)s assignments.",
                        len(created)) % {"count": len(created)})
    return created


def _reassign(stage, submission, actor) -> Assignment | None:
    taken = set(Assignment.objects.filter(stage=stage, submission=submission).values_list("reviewer_id", flat=True))
    loads = _loads(stage)
    candidates = [m.user for m in stage.stage_reviewers.select_related("user__reviewer_profile")
                  if m.user_id not in taken and not conflict_reason(m.user, submission)]
    if not candidates:
        _audit(stage, actor, ReviewAction.REASSIGN, submission, _("No other reviewer may take it."))
        return None
    chosen = min(candidates, key=lambda u: (loads[u.pk], u.pk))
    assignment = Assignment.objects.create(stage=stage, submission=submission, reviewer=chosen)
    _audit(stage, actor, ReviewAction.REASSIGN, submission, chosen.get_username())
    return assignment


def _own(reviewer, assignment: Assignment) -> Assignment:
    locked = (Assignment.objects.select_for_update().select_related("stage__call__item", "submission")
              .get(pk=assignment.pk))
    if locked.reviewer_id != getattr(reviewer, "pk", None):
        raise PermissionDenied(_("This assignment is not yours."))
    return locked


@transaction.atomic
def declare_conflict(reviewer, assignment: Assignment, conflict: bool, note: str = "", *, now=None) -> Assignment | None:
    """The reviewer says whether they have a conflict of interest. A conflict hands the submission to
    another reviewer (returned); none lets the reviewer see and score it."""
    locked = _own(reviewer, assignment)
    if locked.state != AssignmentState.PENDING:
        raise WorkflowError(_("You already declared on this submission."))
    if locked.stage.is_closed(now):
        raise WorkflowError(_("This stage closed on %(when)s.") % {"when": date_format(locked.stage.closes_at, "j F Y, H:i")})
    note = (note or "").strip()
    if conflict and not note:
        raise ValidationError({"conflict_note": [_("Say briefly what the conflict is; only the editors read it.")]})
    locked.state = AssignmentState.CONFLICT if conflict else AssignmentState.CLEAR
    locked.conflict_note = note if conflict else ""
    locked.save(update_fields=["state", "conflict_note"])
    _audit(locked.stage, reviewer, ReviewAction.CONFLICT if conflict else ReviewAction.CLEAR, locked.submission, note)
    assignment.state = locked.state
    return _reassign(locked.stage, locked.submission, reviewer) if conflict else None


def weighted(scores: dict[int, int], categories) -> Decimal:
    """Σ weight × score / Σ weight over the categories, to 4 decimals."""
    total = sum(Decimal(c.weight) for c in categories)
    value = sum(Decimal(c.weight) * scores[c.pk] for c in categories) / total
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@transaction.atomic
def submit_review(reviewer, assignment: Assignment, scores: dict, *, recommendation: str,
                  comment_to_submitter: str = "", comment_to_panel: str = "", now=None) -> Review:
    """Scores ({category name: int}), the two comments and a recommendation; replaces an earlier review
    of the same assignment while the stage is open."""
    locked = _own(reviewer, assignment)
    stage = locked.stage
    if locked.state == AssignmentState.CONFLICT:
        raise WorkflowError(_("You declared a conflict on this submission: you may not score it."))
    if locked.state == AssignmentState.PENDING:
        raise WorkflowError(_("Declare whether you have a conflict of interest first."))
    if stage.is_closed(now):
        raise WorkflowError(_("This stage closed on %(when)s: reviews are no longer taken.") % {
            "when": date_format(stage.closes_at, "j F Y, H:i")})
    categories = list(stage.categories.all())
    errors: dict[str, list[str]] = {}
    values: dict[int, int] = {}
    for category in categories:
        raw = scores.get(category.name)
        key = f"score_{category.name}"
        if raw in (None, ""):
            errors[key] = [_("Give a score for “%(label)s”.") % {"label": category.label}]
            continue
        try:
            value = int(str(raw).strip())
        except ValueError:
            errors[key] = [_("“%(label)s” takes a whole number.") % {"label": category.label}]
            continue
        if not category.scale_min <= value <= category.scale_max:
            errors[key] = [_("“%(label)s” is scored from %(low)s to %(high)s; %(value)s is outside the scale.") % {
                "label": category.label, "low": category.scale_min, "high": category.scale_max, "value": value}]
            continue
        values[category.pk] = value
    unknown = set(scores) - {c.name for c in categories}
    if unknown:
        errors["scores"] = [_("Unknown score categories: %(names)s.") % {"names": ", ".join(sorted(unknown))}]
    if recommendation not in Recommendation.values:
        errors["recommendation"] = [_("Choose a recommendation.")]
    if errors:
        raise ValidationError(errors)
    review, _created = Review.objects.update_or_create(assignment=locked, defaults={
        "comment_to_submitter": (comment_to_submitter or "").strip(),
        "comment_to_panel": (comment_to_panel or "").strip(), "recommendation": recommendation,
        "weighted_score": weighted(values, categories), "submitted_at": now or timezone.now()})
    review.scores.all().delete()
    Score.objects.bulk_create([Score(review=review, category_id=pk, value=v) for pk, v in values.items()])
    locked.state = AssignmentState.DONE
    locked.save(update_fields=["state"])
    assignment.state = locked.state
    _audit(stage, reviewer, ReviewAction.REVIEW, locked.submission, str(review.weighted_score))
    return review


def my_assignments(reviewer):
    """What a reviewer may see: their own assignments, nothing else."""
    return (Assignment.objects.filter(reviewer=reviewer).exclude(state=AssignmentState.CONFLICT)
            .select_related("stage__call__item", "submission"))


# --- results ----------------------------------------------------------------------------------------------

@dataclass
class Result:
    submission: Submission
    reviews: list[Review]
    score: Decimal | None
    spread: Decimal | None
    outliers: list[Review]
    category: str
    rank: int = 0
    outcome: StageOutcome | None = None


def _category(submission: Submission) -> str:
    areas = submission.areas()
    return areas[0] if areas else ""


def stage_results(stage: ReviewStage) -> list[Result]:
    """Per submission: the combined weighted score (mean or median, as the stage says), the spread
    (highest minus lowest reviewer score), the reviews whose score lies more than `outlier_distance`
    from the median; ranked within each category (best first)."""
    reviews: dict[int, list[Review]] = {}
    for review in (Review.objects.filter(assignment__stage=stage)
                   .select_related("assignment__reviewer").order_by("assignment__reviewer__username")):
        reviews.setdefault(review.assignment.submission_id, []).append(review)
    outcomes = {o.submission_id: o for o in stage.outcomes.all()}
    results = []
    for submission in (stage.call.submissions.filter(Q(state__in=REVIEWABLE_STATES) | Q(pk__in=list(outcomes)))
                       .prefetch_related("area_rows").order_by("id")):
        mine = reviews.get(submission.pk, [])
        values = [r.weighted_score for r in mine]
        score = spread = None
        outliers = []
        if values:
            middle = statistics.median(values)
            combined = middle if stage.aggregate == Aggregate.MEDIAN else sum(values) / len(values)
            score = Decimal(combined).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
            spread = max(values) - min(values)
            outliers = [r for r in mine if abs(r.weighted_score - middle) > stage.outlier_distance]
        results.append(Result(submission, mine, score, spread, outliers, _category(submission),
                              outcome=outcomes.get(submission.pk)))
    results.sort(key=lambda r: (r.category, r.score is None, -(r.score or 0), r.submission.pk))
    rank, current = 0, None
    for result in results:
        rank = rank + 1 if result.category == current else 1
        current = result.category
        result.rank = rank if result.score is not None else 0
    return results


# --- shortlist and decisions ------------------------------------------------------------------------------

@transaction.atomic
def shortlist_submission(user, stage: ReviewStage, submission: Submission, shortlisted: bool = True) -> StageOutcome:
    _require_manager(user, stage.call)
    outcome, _created = StageOutcome.objects.select_for_update().get_or_create(stage=stage, submission=submission)
    outcome.shortlisted = shortlisted
    outcome.save(update_fields=["shortlisted"])
    _audit(stage, user, ReviewAction.SHORTLIST, submission, _("On the shortlist") if shortlisted else _("Off the shortlist"))
    return outcome


def comments_for_submitter(stage: ReviewStage, submission: Submission) -> list[str]:
    return [text for text in Review.objects.filter(assignment__stage=stage, assignment__submission=submission)
            .order_by("id").values_list("comment_to_submitter", flat=True) if text]


@transaction.atomic
def decide_outcome(user, stage: ReviewStage, submission: Submission, decision: str, reason: str, *,
                   quiet: bool = False) -> StageOutcome:
    """Accept or decline a reviewed submission, with a reason (audited).

    Accepting in a stage that has a later one lets the submission through to it (its state stays
    "submitted" and nobody is emailed yet). Accepting in the last stage, or declining in any stage,
    is final: the submission becomes accepted or declined, and the submitter is told by email in their
    language with the reviewers' comments meant for them (never the panel's)."""
    _require_manager(user, stage.call)
    reason = (reason or "").strip()
    errors = {}
    if decision not in ("accept", "decline"):
        errors["decision"] = [_("Choose to accept or to decline.")]
    if not reason:
        errors["reason"] = [_("Give the reason for the decision: it is kept in the audit log.")]
    if errors:
        raise ValidationError(errors)
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.call_id != stage.call_id or not _reviewable(stage).filter(pk=locked.pk).exists():
        raise WorkflowError(_("This submission is not under review in the stage “%(stage)s”.") % {"stage": stage.name})
    outcome, _created = StageOutcome.objects.select_for_update().get_or_create(stage=stage, submission=locked)
    if outcome.decision:
        raise WorkflowError(_("This submission was already decided in this stage."))
    final = decision == "decline" or is_last_stage(stage)
    if final:
        _settle(user, locked, decision, reason)
    outcome.decision, outcome.reason, outcome.decided_at = decision, reason, timezone.now()
    outcome.save(update_fields=["decision", "reason", "decided_at"])
    _audit(stage, user, ReviewAction.DECIDE, locked, f"{decision}: {reason}")
    submission.state = locked.state
    if final and not quiet:
        _tell_outcome(stage, locked, decision, outcome.decided_at)
    return outcome


def _settle(user, submission: Submission, decision: str, reason: str) -> None:
    """The submission's final state, through the moderation workflow when it is still "submitted"; a
    submission the moderators had already accepted before review is declined here, with the same audit."""
    from .enums import SubmissionAction
    from .models import SubmissionArea, SubmissionAudit
    from .workflows import decide_submission

    if submission.state == SubmissionState.SUBMITTED:
        decide_submission(user, submission, decision, reason, quiet=True)
        submission.refresh_from_db()
        return
    if decision == "accept":  # accepted before review, and still accepted
        return
    before = submission.state
    submission.state, submission.decided_at, submission.decision_note = SubmissionState.DECLINED, timezone.now(), reason
    submission.save(update_fields=["state", "decided_at", "decision_note", "updated_at"])
    SubmissionArea.objects.filter(submission=submission).update(is_public=False)
    if before == SubmissionState.ACCEPTED:
        from .catalogue import bump_version

        bump_version(submission.call_id)
    SubmissionAudit.objects.create(submission=submission, actor=user, action=SubmissionAction.DECLINE,
                                   from_state=before, to_state=SubmissionState.DECLINED, note=reason)


def _tell_outcome(stage, submission, decision, decided_at) -> None:
    from django.conf import settings
    from django.utils import translation

    from partnerpost import notify

    address = submission.email or (submission.user.email if submission.user_id else "")
    if not address:
        return
    comments = comments_for_submitter(stage, submission)
    language = submission.language or settings.LANGUAGE_CODE

    def send():
        with translation.override(language):
            notify.send_templated("review-outcome", [address], {
                "submission": submission, "call": stage.call, "accepted": decision == "accept",
                "comments": comments, "decided_at": decided_at})
    transaction.on_commit(send)


# --- invitations ------------------------------------------------------------------------------------------

INVITATION_SALT = "partnerpost.calls.reviewer-invitation"


def invitation_token(stage: ReviewStage, email: str) -> str:
    from django.core import signing

    return signing.dumps({"st": stage.pk, "e": email}, salt=INVITATION_SALT, compress=True)


def read_invitation(token: str) -> tuple[ReviewStage, str] | None:
    """(stage, address) for a genuine invitation not older than CALLS_LINK_DAYS; None otherwise."""
    from django.conf import settings
    from django.core import signing

    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=settings.CALLS_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    stage = ReviewStage.objects.select_related("call__item").filter(pk=data.get("st")).first()
    return (stage, data.get("e", "")) if stage else None


def invite_reviewer(user, stage: ReviewStage, email: str, *, country: str = "", institution: str = "") -> str:
    """Email a signed, expiring invitation to review in this stage; returns the link."""
    from django.conf import settings
    from django.core.validators import validate_email
    from django.urls import reverse

    from partnerpost import notify

    _require_manager(user, stage.call)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid email address.")]}) from None
    link = settings.SITE_URL + reverse("calls_review:invitation", args=[invitation_token(stage, email)])
    _audit(stage, user, ReviewAction.ASSIGN, note=_("Invitation sent to %(email)s") % {"email": email})
    transaction.on_commit(lambda: notify.send_templated("review-invitation", [email], {
        "stage": stage, "call": stage.call, "link": link, "days": settings.CALLS_LINK_DAYS}))
    return link


@transaction.atomic
def accept_invitation(token: str, reviewer, *, country: str = "", institution: str = "") -> ReviewStage:
    """The invited person (signed in, or just registered) joins the stage's reviewers."""
    found = read_invitation(token)
    if found is None:
        raise WorkflowError(_("This invitation link is not valid or has expired; ask the editors for a new one."))
    stage, email = found
    _check_country(country)
    profile, _created = ReviewerProfile.objects.get_or_create(user=reviewer)
    if country or institution:
        profile.country = (country or profile.country).upper()
        profile.institution = institution or profile.institution
        profile.save()
    StageReviewer.objects.get_or_create(stage=stage, user=reviewer)
    _audit(stage, reviewer, ReviewAction.ASSIGN, note=_("%(user)s accepted the invitation sent to %(email)s") % {
        "user": reviewer.get_username(), "email": email})
    return stage


def may_review(user) -> bool:
    return bool(user.is_authenticated and StageReviewer.objects.filter(user=user).exists())


def visible_answers(assignment: Assignment) -> list:
    """The answers a reviewer sees: every row, except the submitter's identity when the stage is anonymised."""
    from .workflows import answer_rows

    rows = answer_rows(assignment.submission)
    if not assignment.stage.anonymised:
        return rows
    return [(spec, value) for spec, value in rows if spec.name not in IDENTITY_FIELDS and spec.type != "contact"]


# --- outcomes published -----------------------------------------------------------------------------------

def _accepted_outcomes(stage: ReviewStage):
    return (stage.outcomes.filter(decision="accept", submission__state=SubmissionState.ACCEPTED)
            .select_related("submission").prefetch_related("submission__area_rows").order_by("submission_id"))


def winner_name(submission: Submission) -> str:
    for name in ("nominee", "institution", "organization", "organisation"):
        value = submission.answers.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return submission.title


@transaction.atomic
def publish_winners(user, stage: ReviewStage, programme, year: int, *, title: str = "", summary: str = ""):
    """The accepted submissions of the stage become one published award item (content kind "award") with a
    winner per submission: its category (the submission's area), name and country. Made through
    content.workflows.save_item, submitted, approved and published, so the edition composer offers it for
    the edition whose period holds today. Declined submissions are never named."""
    from partnerpost.content import workflows as content_workflows
    from partnerpost.content.enums import ItemKind
    from partnerpost.content.models import AwardCategory, Country

    _require_manager(user, stage.call)
    outcomes = list(_accepted_outcomes(stage))
    errors = {}
    if not outcomes:
        errors["winners"] = [_("No submission of this stage is accepted yet: decide first.")]
    if programme is None:
        errors["programme"] = [_("Choose the award programme.")]
    if not isinstance(year, int) or not 1900 <= year <= 2100:
        errors["year"] = [_("Give the year of the awards, e.g. 2021.")]
    if errors:
        raise ValidationError(errors)
    categories, winners = [], []
    for position, outcome in enumerate(outcomes):
        area = _category(outcome.submission)
        category = None
        if area:
            category, _created = AwardCategory.objects.get_or_create(
                programme=programme, name=area, defaults={"position": programme.categories.count()})
            if category not in categories:
                categories.append(category)
        winners.append(content_workflows.Winner(
            name=winner_name(outcome.submission), category=category,
            country=Country.objects.filter(pk=outcome.submission.country).first()))
    call = stage.call
    item_title = title.strip() or _("%(programme)s %(year)s: the winners") % {"programme": programme.name, "year": year}
    data = content_workflows.ItemInput(values={
        "kind": ItemKind.AWARD, "partner": call.item.partner, "title": item_title[:300],
        "summary": summary.strip() or _("The winners of %(call)s, chosen by its review panel.") % {"call": call.title},
        "language": call.item.language, "award_programme": programme, "award_year": year,
        "published_on": timezone.localdate()},
        related=content_workflows.Related(award_categories=categories, winners=winners))
    item = content_workflows.save_item(user, data, submit=True)
    item = content_workflows.approve_item(user, item)
    item = content_workflows.publish_item(user, item)
    for outcome in outcomes:
        outcome.published_item = item
        outcome.save(update_fields=["published_item"])
        _audit(stage, user, ReviewAction.PUBLISH, outcome.submission, item.title)
    return item


@transaction.atomic
def publish_programme(user, stage: ReviewStage, event) -> int:
    """The accepted papers of the stage become the programme list shown on the conference's event page."""
    from partnerpost.content.enums import ItemKind

    _require_manager(user, stage.call)
    if event is None or event.kind != ItemKind.EVENT:
        raise ValidationError({"event": [_("Choose the conference's event.")]})
    outcomes = list(_accepted_outcomes(stage))
    if not outcomes:
        raise ValidationError({"event": [_("No submission of this stage is accepted yet: decide first.")]})
    for outcome in outcomes:
        outcome.published_item = event
        outcome.save(update_fields=["published_item"])
        _audit(stage, user, ReviewAction.PUBLISH, outcome.submission, event.title)
    return len(outcomes)


def programme_for(event) -> list[dict]:
    """The accepted papers listed on an event's page: title, authors and country, in order. Only accepted
    submissions whose outcome was published to this event; nothing declined, no reviewer's word."""
    from partnerpost.content.models import Country

    rows = []
    outcomes = (StageOutcome.objects.filter(published_item=event, decision="accept",
                                            submission__state=SubmissionState.ACCEPTED)
                .select_related("submission").order_by("submission__title", "submission_id"))
    names = dict(Country.objects.values_list("code", "name"))
    for outcome in outcomes:
        s = outcome.submission
        authors = s.answers.get("authors") or s.answers.get("author") or ""
        if isinstance(authors, dict):  # a contact answer: its name only, never the address
            authors = authors.get("name", "")
        rows.append({"title": s.title, "authors": authors if isinstance(authors, str) else "",
                     "country": names.get(s.country, "")})
    return rows
