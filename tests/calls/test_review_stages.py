import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partnerpost.calls import review_workflows as rw
from partnerpost.calls import workflows
from partnerpost.calls.review_models import Assignment, AssignmentState, Review, ReviewAudit, Score
from tests.factories import make_call, make_user

pytestmark = pytest.mark.django_db


def sent(call, title, country, email, areas=("E-health",)):
    submission = workflows.start_submission(call, email=email)
    workflows.save_answers(submission, {"title": title, "country": country, "areas": list(areas)})
    return workflows.submit_submission(submission)


def expert_stage(user, call, **extra):
    return rw.save_stage(user, call, rw.StageInput(
        name="Expert review", position=2, closes_at=timezone.now() + dt.timedelta(days=10),
        categories=[rw.CategorySpec("impact", "Impact", 3, 1, 5, {"1": "Weak", "5": "Outstanding"}),
                    rw.CategorySpec("novelty", "Novelty", 1, 1, 5)], **extra))


@pytest.fixture
def panel(people):
    call = make_call(people.icap, title="Awards 2021")
    stage = expert_stage(people.editor, call)
    submission = sent(call, "Digital health records", "KE", "ke@gov.example")
    reviewer = make_user("rita")
    rw.add_reviewer(people.editor, stage, reviewer, country="FR")
    assignment = rw.assign_reviewer(people.editor, stage, submission, reviewer)
    return call, stage, submission, reviewer, assignment


def test_a_stage_keeps_its_weighted_categories_and_labelled_scale(people):
    call = make_call(people.icap)
    stage = expert_stage(people.editor, call, aggregate="median", anonymised=True)
    assert [(c.name, c.weight, c.scale_min, c.scale_max) for c in stage.categories.all()] == [
        ("impact", Decimal("3.00"), 1, 5), ("novelty", Decimal("1.00"), 1, 5)]
    assert stage.categories.first().points() == [(1, "Weak"), (2, ""), (3, ""), (4, ""), (5, "Outstanding")]
    assert (stage.aggregate, stage.anonymised) == ("median", True)


def test_a_bad_stage_is_refused_naming_the_field_and_saves_nothing(people):
    call = make_call(people.icap)
    with pytest.raises(ValidationError) as caught:
        rw.save_stage(people.editor, call, rw.StageInput(
            name=" ", position=1, closes_at=timezone.now(), aggregate="mode",
            categories=[rw.CategorySpec("impact", "Impact", 0, 5, 1, {"9": "Off"}),
                        rw.CategorySpec("impact", "Impact again", 1)]))
    assert caught.value.message_dict == {
        "name": ["Give the stage a name."],
        "aggregate": ["Choose the mean or the median."],
        "category_impact": ["The weight of “Impact” must be a number above zero.",
                            "The scale of “Impact” must run from a lower to a higher score.",
                            "The label for 9 is outside the scale 5–1.",
                            "Two score categories are named “impact”."],
    }
    assert call.review_stages.count() == 0
    with pytest.raises(PermissionDenied):
        expert_stage(people.eropa_contributor, call)


def test_a_review_with_scores_comments_and_recommendation(panel):
    call, stage, submission, reviewer, assignment = panel
    assert rw.declare_conflict(reviewer, assignment, False) is None
    review = rw.submit_review(reviewer, assignment, {"impact": 4, "novelty": "2"}, recommendation="shortlist",
                              comment_to_submitter="Clear results.", comment_to_panel="Strong, but costly.")
    # (3*4 + 1*2) / 4 = 3.5
    assert review.weighted_score == Decimal("3.5000")
    assert sorted(Score.objects.filter(review=review).values_list("category__name", "value")) == [
        ("impact", 4), ("novelty", 2)]
    assert (review.comment_to_submitter, review.comment_to_panel) == ("Clear results.", "Strong, but costly.")
    assert list(ReviewAudit.objects.filter(stage=stage).values_list("action", flat=True)) == [
        "stage", "assign", "clear", "review"]


def test_a_score_outside_the_scale_is_refused_and_nothing_is_half_saved(panel):
    call, stage, submission, reviewer, assignment = panel
    rw.declare_conflict(reviewer, assignment, False)
    with pytest.raises(ValidationError) as caught:
        rw.submit_review(reviewer, assignment, {"impact": 6, "novelty": "x"}, recommendation="maybe")
    assert caught.value.message_dict == {
        "score_impact": ["“Impact” is scored from 1 to 5; 6 is outside the scale."],
        "score_novelty": ["“Novelty” takes a whole number."],
        "recommendation": ["Choose a recommendation."],
    }
    assert (Review.objects.count(), Score.objects.count()) == (0, 0)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.CLEAR


def test_a_review_after_the_stage_closed_is_refused(panel):
    call, stage, submission, reviewer, assignment = panel
    rw.declare_conflict(reviewer, assignment, False)
    later = stage.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(workflows.WorkflowError) as caught:
        rw.submit_review(reviewer, assignment, {"impact": 3, "novelty": 3}, recommendation="accept", now=later)
    assert "reviews are no longer taken" in str(caught.value)
    assert Review.objects.count() == 0


def test_a_declared_conflict_blocks_scoring_and_reassigns(panel, people):
    call, stage, submission, reviewer, assignment = panel
    other = make_user("omar")
    rw.add_reviewer(people.editor, stage, other, country="JO")
    with pytest.raises(workflows.WorkflowError):  # must declare first
        rw.submit_review(reviewer, assignment, {"impact": 3, "novelty": 3}, recommendation="accept")
    with pytest.raises(ValidationError) as caught:
        rw.declare_conflict(reviewer, assignment, True, "")
    assert list(caught.value.message_dict) == ["conflict_note"]
    replacement = rw.declare_conflict(reviewer, assignment, True, "I advised this ministry in 2020.")
    assert (replacement.reviewer, replacement.submission, replacement.state) == (other, submission, "pending")
    with pytest.raises(workflows.WorkflowError) as caught:
        rw.submit_review(reviewer, assignment, {"impact": 3, "novelty": 3}, recommendation="accept")
    assert str(caught.value) == "You declared a conflict on this submission: you may not score it."
    assert Review.objects.count() == 0
    assert list(rw.my_assignments(reviewer)) == []
    assert list(rw.my_assignments(other)) == [replacement]


def test_only_the_assigned_reviewer_may_declare_or_score(panel, people):
    call, stage, submission, reviewer, assignment = panel
    for user in (people.editor, people.outsider):
        with pytest.raises(PermissionDenied):
            rw.declare_conflict(user, assignment, False)
        with pytest.raises(PermissionDenied):
            rw.submit_review(user, assignment, {"impact": 3, "novelty": 3}, recommendation="accept")


def test_a_decision_without_a_reason_is_refused(panel, people):
    call, stage, submission, reviewer, assignment = panel
    with pytest.raises(ValidationError) as caught:
        rw.decide_outcome(people.editor, stage, submission, "accept", "  ")
    assert caught.value.message_dict == {"reason": ["Give the reason for the decision: it is kept in the audit log."]}
    submission.refresh_from_db()
    assert submission.state == "submitted"
    assert not stage.outcomes.exists()
