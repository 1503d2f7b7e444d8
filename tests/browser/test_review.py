"""Review panels in headless Chromium: the reviewer declares, scores and comments; the editor reads the
ranking, shortlists, decides with a reason and publishes the winners, which the edition composer offers."""

import datetime as dt

import pytest
from django.utils import timezone

from partnerpost.calls import review_workflows as rw
from partnerpost.calls import workflows
from partnerpost.calls.review_models import Review
from partnerpost.content import demo
from partnerpost.content.models import AwardProgramme, Item
from partnerpost.editions import workflows as edition_workflows
from partnerpost.editions.models import Edition
from partnerpost.network.models import Partner, User
from tests.browser.test_journey import Session
from tests.factories import make_call, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sent(call, title, country, email, area):
    s = workflows.start_submission(call, email=email)
    workflows.save_answers(s, {"title": title, "country": country, "areas": [area],
                               "contact": {"name": "Nominee Person", "email": email}})
    return workflows.submit_submission(s)


def test_reviewer_declares_scores_comments_then_editor_ranks_decides_publishes(browser, live_server, smtp, settings):
    settings.SITE_URL = live_server.url
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load(log=lambda *_: None)
    editor = User.objects.get(username="editor")
    call = make_call(Partner.objects.get(acronym="UN DESA"), title="Public Service Awards: nominations")
    stage = rw.save_stage(editor, call, rw.StageInput(
        name="Expert review", position=1, closes_at=timezone.now() + dt.timedelta(days=7), reviews_per_submission=1,
        anonymised=True, categories=[
            rw.CategorySpec("impact", "Impact", 3, 1, 5, {"1": "Little", "5": "Exceptional"}),
            rw.CategorySpec("novelty", "Innovation", 1, 1, 5, {"1": "Routine", "5": "New"})]))
    mine = _sent(call, "Digital land registry", "KE", "ke@gov.example", "E-health")
    other = _sent(call, "Mobile clinics booking", "UY", "uy@gov.example", "E-health")
    rita, omar = make_user("rita"), make_user("omar")
    rw.add_reviewer(editor, stage, rita, country="FR")
    rw.add_reviewer(editor, stage, omar, country="JO")
    rw.assign_reviewer(editor, stage, mine, rita)
    done = rw.assign_reviewer(editor, stage, other, omar)
    rw.declare_conflict(omar, done, False)
    rw.submit_review(omar, done, {"impact": 3, "novelty": 2}, recommendation="revise")

    s = Session(browser, live_server.url)
    s.go("/accounts/login/?next=/calls/review/")
    s.type("username", "rita")
    s.type("password", "test-pass-123")
    s.button("Sign in")
    s.wait_text("My reviews")
    assert "Mobile clinics booking" not in s.text()
    s.shot("16-review-mine")
    s.link(f"Submission #{mine.pk}")
    s.wait_text("Do you have a conflict of interest?")
    assert "Digital land registry" not in s.text()
    s.shot("16-review-declare")
    s.click("input[name='conflict'][value='no']")
    s.button("Send my declaration")
    s.wait_text("Your review")
    assert "Digital land registry" in s.text() and "Nominee Person" not in s.text()
    # a missing score is refused with the category named
    s.click("input[name='score_impact'][value='5']")
    s.find("textarea[name='comment_to_submitter']").send_keys("Strong results across districts.")
    s.button("Send my review")
    s.wait_text("Give a score for “Innovation”.")
    s.shot("16-review-refused")
    assert Review.objects.filter(assignment__reviewer=rita).count() == 0
    s.click("input[name='score_impact'][value='5']")
    s.click("input[name='score_novelty'][value='3']")
    s.find("textarea[name='comment_to_panel']").send_keys("Costs not shown.")
    s.find("select[name='recommendation'] option[value='accept']").click()
    s.shot("16-review-score")
    s.button("Send my review")
    s.wait_message("Review saved.")
    review = Review.objects.get(assignment__reviewer=rita)
    # (3*5 + 1*3) / 4 = 4.5
    assert (str(review.weighted_score), review.comment_to_submitter, review.comment_to_panel) == (
        "4.5000", "Strong results across districts.", "Costs not shown.")

    # the editor: ranking, shortlist, decision with reason, publication
    browser.delete_all_cookies()
    s.sign_in("editor")
    s.go(f"/workspace/calls/{call.slug}/review/")
    s.wait_text("Results")
    rows = [r.text for r in s.driver.find_elements("css selector", ".results tbody tr")]
    assert rows[0].startswith("E-health 1 Digital land registry KE 4.50 0.00 1")
    assert rows[1].startswith("E-health 2 Mobile clinics booking UY 2.75 0.00 1")
    s.click_through(f"form input[name='submission'][value='{mine.pk}'] ~ button[value='shortlist']")
    s.wait_message("Shortlist updated.")
    s.find(f"#reason-{stage.pk}-{mine.pk}")
    s.click_through(f"form input[name='submission'][value='{mine.pk}'] ~ button[value='accept']")
    s.wait_message("Give the reason for the decision")
    assert Item.objects.get(pk=call.item.pk) and mine.stage_outcomes.get().decision == ""
    s.find(f"#reason-{stage.pk}-{mine.pk}").send_keys("Best weighted score of the category.")
    s.click_through(f"form input[name='submission'][value='{mine.pk}'] ~ button[value='accept']")
    s.wait_message("Decision recorded")
    s.shot("16-editor-results")
    mail = [m for m in smtp.messages if m[1]["To"] == "ke@gov.example"][-1][1]
    body = mail.get_body(("plain",)).get_content()
    assert "Strong results across districts." in body and "Costs not shown." not in body
    programme = AwardProgramme.objects.get(slug="unpsa")
    s.find(f"#programme-{stage.pk} option[value='{programme.pk}']").click()
    s.find(f"#year-{stage.pk}").clear()
    s.find(f"#year-{stage.pk}").send_keys("2021")
    s.button("Publish the winners")
    s.wait_message("Winners published")
    award = Item.objects.get(kind="award", award_year=2021, winners__name="Digital land registry")
    assert award.state == "published"
    today = timezone.localdate()
    edition = edition_workflows.create_edition(editor, Edition(
        title="Next edition", period_start=today, period_end=today + dt.timedelta(days=30)), populate=False)
    s.go(f"/workspace/editions/{edition.pk}/")
    s.wait_text(award.title)
    s.shot("16-editor-composer-offers-winners")
