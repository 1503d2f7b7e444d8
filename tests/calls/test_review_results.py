import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from partnerpost.calls import review_workflows as rw
from partnerpost.calls import workflows
from partnerpost.calls.review_models import ReviewAudit
from tests.factories import make_call, make_user

pytestmark = pytest.mark.django_db

SPANISH_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                  "octubre", "noviembre", "diciembre"]


def sent(call, title, country, email, area, language="en"):
    s = workflows.start_submission(call, email=email, language=language)
    workflows.save_answers(s, {"title": title, "country": country, "areas": [area]})
    return workflows.submit_submission(s)


@pytest.fixture
def scored(people):
    call = make_call(people.icap, title="UNPSA 2021", languages=("en", "es"))
    stage = rw.save_stage(people.editor, call, rw.StageInput(
        name="Expert review", position=1, closes_at=timezone.now() + dt.timedelta(days=3),
        categories=[rw.CategorySpec("impact", "Impact", 3, 1, 5), rw.CategorySpec("novelty", "Novelty", 1, 1, 5)]))
    first = sent(call, "Salud digital", "UY", "uy@gov.example", "E-health", "es")
    second = sent(call, "Health kiosks", "KE", "ke@gov.example", "E-health")
    third = sent(call, "Citizen budget", "PH", "ph@gov.example", "E-participation")
    reviewers = [make_user(n) for n in ("ana_r", "ben_r", "cai_r")]
    for r in reviewers:
        rw.add_reviewer(people.editor, stage, r, country="FR")
    marks = {first: [(4, 2), (5, 5), (1, 1)], second: [(3, 3), (4, 2), (2, 4)], third: [(5, 1)]}
    for submission, pairs in marks.items():
        for reviewer, (impact, novelty) in zip(reviewers, pairs):
            a = rw.assign_reviewer(people.editor, stage, submission, reviewer)
            rw.declare_conflict(reviewer, a, False)
            rw.submit_review(reviewer, a, {"impact": impact, "novelty": novelty}, recommendation="accept",
                             comment_to_submitter=f"Note from {reviewer.username}.",
                             comment_to_panel=f"Panel only: {reviewer.username}.")
    return call, stage, first, second, third


def test_weighted_scores_spread_outliers_and_ranking_match_a_hand_calculation(scored):
    call, stage, first, second, third = scored
    results = {r.submission: r for r in rw.stage_results(stage)}
    # first: (3*4+1*2)/4 = 3.5, (3*5+5)/4 = 5, (3+1)/4 = 1 -> mean 9.5/3 = 3.1667, spread 4,
    # median 3.5: 1 is 2.5 away (> 2) -> outlier
    r = results[first]
    assert [x.weighted_score for x in r.reviews] == [Decimal("3.5"), Decimal("5"), Decimal("1")]
    assert (r.score, r.spread, [o.assignment.reviewer.username for o in r.outliers]) == (
        Decimal("3.1667"), Decimal("4"), ["cai_r"])
    # second: (9+3)/4 = 3, (12+2)/4 = 3.5, (6+4)/4 = 2.5 -> mean 3, spread 1, no outlier
    r = results[second]
    assert (r.score, r.spread, r.outliers) == (Decimal("3.0000"), Decimal("1"), [])
    # third: one review (15+1)/4 = 4
    assert results[third].score == Decimal("4.0000")
    assert [(r.category, r.rank, r.submission.title) for r in rw.stage_results(stage)] == [
        ("E-health", 1, "Salud digital"), ("E-health", 2, "Health kiosks"), ("E-participation", 1, "Citizen budget")]
    stage.aggregate = "median"
    stage.save()
    assert {r.submission: r.score for r in rw.stage_results(stage)} == {
        first: Decimal("3.5000"), second: Decimal("3.0000"), third: Decimal("4.0000")}


def test_shortlist_and_decision_are_audited_and_the_submitter_is_told_in_their_language(
        scored, people, smtp, django_capture_on_commit_callbacks):
    call, stage, first, second, third = scored
    rw.shortlist_submission(people.editor, stage, first)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = rw.decide_outcome(people.editor, stage, first, "accept", "Highest score in e-health.")
    first.refresh_from_db()
    assert (first.state, outcome.shortlisted, outcome.reason) == ("accepted", True, "Highest score in e-health.")
    assert list(ReviewAudit.objects.filter(stage=stage, submission=first, action__in=["shortlist", "decide"])
                .values_list("action", "note", "actor__username")) == [
        ("shortlist", "On the shortlist", "editor"), ("decide", "accept: Highest score in e-health.", "editor")]
    [(envelope, message)] = [m for m in smtp.messages if m[1]["To"] == "uy@gov.example"][-1:]
    body = message.get_body(("plain",)).get_content()
    assert message["Subject"].strip() == "Seleccionada: su respuesta a «UNPSA 2021»"  # the submitter wrote in Spanish
    assert "- Note from ana_r." in body and "- Note from cai_r." in body and "Panel only" not in body
    month = SPANISH_MONTHS[outcome.decided_at.month - 1]
    assert f"{outcome.decided_at.day} de {month} de {outcome.decided_at.year}" in body
    with pytest.raises(workflows.WorkflowError):  # decided once
        rw.decide_outcome(people.editor, stage, first, "decline", "Second thoughts.")
    with pytest.raises(rw.PermissionDenied):
        rw.decide_outcome(people.eropa_contributor, stage, second, "decline", "Not mine to decide.")


def test_two_stages_screening_lets_through_and_only_the_last_decision_is_final(people, smtp, django_capture_on_commit_callbacks):
    call = make_call(people.icap, title="Two-stage awards")
    screening = rw.save_stage(people.editor, call, rw.StageInput(
        name="Screening", position=1, closes_at=timezone.now() + dt.timedelta(days=3), reviews_per_submission=1,
        categories=[rw.CategorySpec("eligible", "Eligible", 1, 0, 1)]))
    jury = rw.save_stage(people.editor, call, rw.StageInput(
        name="Jury", position=2, closes_at=timezone.now() + dt.timedelta(days=9), reviews_per_submission=1,
        categories=[rw.CategorySpec("merit", "Merit", 1, 1, 5)]))
    passed = sent(call, "Passes screening", "KE", "a@gov.example", "E-health")
    stopped = sent(call, "Stopped at screening", "UY", "b@gov.example", "E-health")
    with django_capture_on_commit_callbacks(execute=True):
        rw.decide_outcome(people.editor, screening, passed, "accept", "Eligible.")
    passed.refresh_from_db()
    assert passed.state == "submitted" and smtp.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        rw.decide_outcome(people.editor, screening, stopped, "decline", "Runs for less than two years.")
    stopped.refresh_from_db()
    assert stopped.state == "declined" and [m[1]["To"] for m in smtp.messages] == ["b@gov.example"]
    assert list(rw._reviewable(jury)) == [passed]
    with pytest.raises(workflows.WorkflowError) as caught:
        rw.decide_outcome(people.editor, jury, stopped, "accept", "Second chance.")
    assert str(caught.value) == "This submission is not under review in the stage “Jury”."
    with pytest.raises(workflows.WorkflowError):
        rw.decide_outcome(people.editor, screening, passed, "decline", "Changed my mind.")
    rw.decide_outcome(people.editor, jury, passed, "accept", "Best of the round.")
    passed.refresh_from_db()
    assert passed.state == "accepted"
