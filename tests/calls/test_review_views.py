import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerpost.calls import review_workflows as rw
from partnerpost.calls import workflows
from partnerpost.calls.review_models import Assignment, Review, StageReviewer
from tests.factories import make_call, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(people):
    call = make_call(people.icap, title="Western Balkans Awards")
    stage = rw.save_stage(people.editor, call, rw.StageInput(
        name="Jury", position=1, closes_at=timezone.now() + dt.timedelta(days=3), anonymised=True,
        categories=[rw.CategorySpec("impact", "Impact", 2, 1, 5, {"5": "Outstanding"})]))
    subs = []
    for i, country in enumerate(["AL", "RS"]):
        s = workflows.start_submission(call, email=f"s{i}@gov.example")
        workflows.save_answers(s, {"title": f"Service hub {i}", "country": country, "areas": ["E-health"],
                                   "contact": {"name": "Ana Secret", "email": "ana@gov.example"}})
        subs.append(workflows.submit_submission(s))
    mine, theirs = make_user("rev1"), make_user("rev2")
    for r in (mine, theirs):
        rw.add_reviewer(people.editor, stage, r, country="FR")
    a1 = rw.assign_reviewer(people.editor, stage, subs[0], mine)
    a2 = rw.assign_reviewer(people.editor, stage, subs[1], theirs)
    return call, stage, subs, mine, theirs, a1, a2


def test_a_reviewer_sees_only_their_own_assignments(client, setup, people):
    call, stage, subs, mine, theirs, a1, a2 = setup
    client.force_login(mine)
    page = client.get(reverse("calls_review:mine")).content.decode()
    assert f"Submission #{subs[0].pk}" in page and f"Submission #{subs[1].pk}" not in page
    assert client.get(reverse("calls_review:assignment", args=[a2.pk])).status_code == 404
    assert client.post(reverse("calls_review:assignment", args=[a2.pk]), {"action": "declare", "conflict": "no"}).status_code == 404
    # reviewers may not reach the editors' pages
    assert client.get(reverse("calls_manage:review", args=[call.slug])).status_code == 403
    # people who review nothing get no reviewer pages
    client.force_login(people.outsider)
    assert client.get(reverse("calls_review:mine")).status_code == 403
    client.logout()
    assert client.get(reverse("calls_review:mine")).status_code == 302


def test_declare_then_score_through_the_pages_with_anonymised_answers(client, setup):
    call, stage, subs, mine, theirs, a1, a2 = setup
    client.force_login(mine)
    url = reverse("calls_review:assignment", args=[a1.pk])
    before = client.get(url).content.decode()
    assert "Service hub 0" not in before and "Do you have a conflict of interest?" in before
    assert client.post(url, {"action": "declare", "conflict": "no"}).status_code == 302
    page = client.get(url).content.decode()
    assert "Service hub 0" in page and "Ana Secret" not in page and "ana@gov.example" not in page
    refused = client.post(url, {"action": "score", "score_impact": "9", "recommendation": "accept"})
    assert "“Impact” is scored from 1 to 5; 9 is outside the scale." in refused.content.decode()
    assert Review.objects.count() == 0
    done = client.post(url, {"action": "score", "score_impact": "4", "recommendation": "accept",
                             "comment_to_submitter": "Well argued.", "comment_to_panel": "Check the budget."})
    assert done.status_code == 302
    review = Review.objects.get()
    assert (review.weighted_score, review.comment_to_submitter) == (4, "Well argued.")


def test_an_editor_invites_and_the_invitee_creates_an_account(client, setup, people, smtp, django_capture_on_commit_callbacks):
    call, stage, *_ = setup
    client.force_login(people.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calls_manage:review", args=[call.slug]),
                               {"action": "invite", "stage": stage.pk, "email": "Jury.Member@example.org"})
    assert response.status_code == 302
    message = smtp.messages[-1][1]
    assert message["To"] == "jury.member@example.org"
    assert message["Subject"].strip() == "Invitation to review for “Western Balkans Awards”"
    link = re.search(r"http\S+/calls/review/invitation/\S+/", message.get_body(("plain",)).get_content()).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    client.logout()
    assert client.get(path[:-3] + "xx/").status_code == 400
    bad = client.post(path, {"username": "rev1", "password": "long-enough-pass-42", "country": "QQ", "institution": "ReSPA"})
    assert "This user name is taken." in bad.content.decode()
    assert "Give your country as its two-letter ISO code" in bad.content.decode()
    ok = client.post(path, {"username": "jury", "password": "long-enough-pass-42", "country": "ME", "institution": "ReSPA"})
    assert ok.status_code == 302
    jury = StageReviewer.objects.get(stage=stage, user__username="jury").user
    assert (jury.email, jury.reviewer_profile.country, jury.reviewer_profile.institution) == (
        "jury.member@example.org", "ME", "ReSPA")


def test_an_expired_invitation_is_refused(setup, people, settings):
    call, stage, *_ = setup
    token = rw.invitation_token(stage, "late@example.org")
    settings.CALLS_LINK_DAYS = 0
    assert rw.read_invitation(token) is None


def test_the_editor_page_defines_a_stage_and_refuses_bad_lines(client, setup, people):
    call, stage, *_ = setup
    client.force_login(people.editor)
    url = reverse("calls_manage:review", args=[call.slug])
    bad = client.post(url, {"action": "define", "stage-name": "Screening", "stage-position": "2",
                            "stage-closes_at": "2030-01-01T10:00", "stage-reviews_per_submission": "1",
                            "stage-aggregate": "mean", "stage-categories": "eligible | Eligible | 1 | 0 | 1\nbroken line"})
    assert "Line 2: give name | label | weight | lowest | highest." in bad.content.decode()
    assert call.review_stages.count() == 1
    client.post(url, {"action": "define", "stage-name": "Screening", "stage-position": "2",
                      "stage-closes_at": "2030-01-01T10:00", "stage-reviews_per_submission": "1",
                      "stage-aggregate": "median", "stage-categories": "eligible | Eligible | 1 | 0 | 1 | 0=No; 1=Yes"})
    screening = call.review_stages.get(position=2)
    assert [(c.name, c.scale_labels) for c in screening.categories.all()] == [("eligible", {"0": "No", "1": "Yes"})]
    client.force_login(people.eropa_contributor)
    assert client.get(url).status_code == 403


def test_the_editor_assigns_by_hand_and_the_rules_hold(client, setup, people):
    call, stage, subs, mine, theirs, a1, a2 = setup
    local = make_user("albanian")
    rw.add_reviewer(people.editor, stage, local, country="AL")
    client.force_login(people.editor)
    url = reverse("calls_manage:review", args=[call.slug])
    refused = client.post(url, {"action": "assign_one", "stage": stage.pk, "submission": subs[0].pk,
                                "reviewer": local.pk}, follow=True)
    assert "The submission comes from the reviewer&#x27;s own country." in refused.content.decode()
    assert not Assignment.objects.filter(reviewer=local).exists()
    client.post(url, {"action": "assign_one", "stage": stage.pk, "submission": subs[1].pk, "reviewer": local.pk})
    assert list(Assignment.objects.filter(reviewer=local).values_list("submission_id", flat=True)) == [subs[1].pk]
    # someone who is not a reviewer of the stage is not found
    assert client.post(url, {"action": "assign_one", "stage": stage.pk, "submission": subs[1].pk,
                             "reviewer": people.outsider.pk}).status_code == 404


def test_a_signed_in_person_accepts_an_invitation(client, setup, people):
    call, stage, *_ = setup
    token = rw.invitation_token(stage, "olga@example.org")
    client.force_login(people.outsider)
    page = client.get(reverse("calls_review:invitation", args=[token])).content.decode()
    assert "You are signed in as olga." in page
    bad = client.post(reverse("calls_review:invitation", args=[token]), {"country": "QQ", "institution": "X"})
    assert "Give your country as its two-letter ISO code, e.g. “KE”." in bad.content.decode()
    assert not StageReviewer.objects.filter(user=people.outsider).exists()
    client.post(reverse("calls_review:invitation", args=[token]), {"country": "lt", "institution": "Vilnius University"})
    profile = people.outsider.reviewer_profile
    assert (profile.country, profile.institution) == ("LT", "Vilnius University")
    assert client.get(reverse("calls_review:mine")).status_code == 200


def test_signing_in_lands_each_person_on_a_page_they_may_use(client, setup, people):
    """A call's reviewer is no partner's member: the sign-in takes them to their reviews, not to a refusing workspace."""
    reviewer = setup[3]
    for user, landing in ((reviewer, "/calls/review/"), (people.icap_contributor, "/workspace/"),
                          (people.editor, "/workspace/"), (people.outsider, "/")):
        client.force_login(user)
        response = client.get("/welcome/")
        assert (response.status_code, response["Location"]) == (302, landing), user
        assert client.get(landing).status_code == 200, user
        client.logout()
    response = client.post("/accounts/login/", {"username": reviewer.username, "password": "test-pass-123"})
    assert response.status_code == 302 and response["Location"] == "/welcome/"
