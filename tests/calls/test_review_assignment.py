import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnerpost.calls import review_workflows as rw
from partnerpost.calls import workflows
from partnerpost.calls.review_models import Assignment
from tests.factories import make_call, make_user

pytestmark = pytest.mark.django_db

REVIEWER_COUNTRIES = ["KE", "BR", "FR", "IN", "JP", "MX", "NG", "DE"]
NOMINATION_COUNTRIES = REVIEWER_COUNTRIES + ["CA", "CL"]


def stage_for(people, call, n=3):
    return rw.save_stage(people.editor, call, rw.StageInput(
        name="Expert review", position=1, closes_at=timezone.now() + dt.timedelta(days=5),
        reviews_per_submission=n, categories=[rw.CategorySpec("impact", "Impact")]))


def sent(call, i, country):
    submission = workflows.start_submission(call, email=f"n{i}@gov.example")
    workflows.save_answers(submission, {"title": f"Nomination {i}", "country": country, "areas": ["E-health"]})
    return workflows.submit_submission(submission)


def test_sixty_nominations_to_eight_reviewers_three_each(people):
    call = make_call(people.icap, title="UNPSA 2021")
    stage = stage_for(people, call)
    subs = [sent(call, i, NOMINATION_COUNTRIES[i % len(NOMINATION_COUNTRIES)]) for i in range(60)]
    reviewers = []
    for i, country in enumerate(REVIEWER_COUNTRIES):
        reviewer = make_user(f"reviewer{i}")
        rw.add_reviewer(people.editor, stage, reviewer, country=country)
        reviewers.append(reviewer)
    created = rw.auto_assign(people.editor, stage)
    assert len(created) == 180
    per_submission = Counter(Assignment.objects.filter(stage=stage).values_list("submission_id", flat=True))
    assert set(per_submission.values()) == {3} and set(per_submission) == {s.pk for s in subs}
    loads = Counter(Assignment.objects.filter(stage=stage).values_list("reviewer_id", flat=True))
    assert sorted(loads.values()) == [22, 22, 22, 22, 23, 23, 23, 23]
    assert max(loads.values()) - min(loads.values()) <= 1
    for assignment in Assignment.objects.filter(stage=stage).select_related("submission", "reviewer__reviewer_profile"):
        assert assignment.submission.country != assignment.reviewer.reviewer_profile.country
    # running again adds nothing: every submission already has its three reviewers
    assert rw.auto_assign(people.editor, stage) == []


def test_no_reviewer_on_a_submission_from_their_own_institution(people):
    call = make_call(people.icap)
    stage = stage_for(people, call, n=1)
    submission = sent(call, 1, "KE")
    submission.answers["institution"] = "Ministry of Health"
    submission.save()
    insider, outsider = make_user("insider"), make_user("outside")
    rw.add_reviewer(people.editor, stage, insider, country="FR", institution="ministry of health")
    rw.add_reviewer(people.editor, stage, outsider, country="FR", institution="OECD")
    with pytest.raises(ValidationError) as caught:
        rw.assign_reviewer(people.editor, stage, submission, insider)
    assert caught.value.message_dict == {"reviewer": ["The submission comes from the reviewer's own institution."]}
    [made] = rw.auto_assign(people.editor, stage)
    assert made.reviewer == outsider


def test_hand_assignment_refuses_own_country_and_strangers(people):
    call = make_call(people.icap)
    stage = stage_for(people, call)
    submission = sent(call, 1, "KE")
    kenyan, stranger = make_user("wanjiru"), make_user("stranger")
    rw.add_reviewer(people.editor, stage, kenyan, country="KE")
    with pytest.raises(ValidationError) as caught:
        rw.assign_reviewer(people.editor, stage, submission, kenyan)
    assert caught.value.message_dict == {"reviewer": ["The submission comes from the reviewer's own country."]}
    with pytest.raises(ValidationError) as caught:
        rw.assign_reviewer(people.editor, stage, submission, stranger)
    assert caught.value.message_dict == {"reviewer": ["This person is not a reviewer of the stage “Expert review”."]}
    assert Assignment.objects.count() == 0
