"""Demo review panels (issue 16), loaded after the calls demo by `partnerpost demo load`.

- UNPSA 2021: eight nominations to the open call in English, Spanish and French, three reviewers from
  three countries, an expert review stage with weighted scores, one winner in each of the four
  categories, published as an award item.
- Western Balkans PA Awards (ReSPA): a closed call with the programme's four categories, nominations,
  a jury stage and four winners.
- NISPAcee: papers sent to the open call for papers, a programme committee, accepted papers listed on
  the conference's event page.

The nominations, papers, people and scores are ILLUSTRATIVE, written for the demonstration. Safe to run
twice: a call that already has review stages is left as it is.
"""

from __future__ import annotations

import datetime as dt

REVIEWERS = [  # username, full name, country, institution
    ("reviewer.amara", "Amara Diallo", "SN", "Ecole nationale d'administration du Sénégal"),
    ("reviewer.bruno", "Bruno Ferreira", "PT", "Instituto Nacional de Administração"),
    ("reviewer.chen", "Chen Li", "SG", "Civil Service College"),
]

UNPSA_CATEGORIES = None  # read from content.demo at load time

# title, institution, country, category index, language, (impact, innovation, transferability) per reviewer
UNPSA_NOMINATIONS = [
    ("One-stop digital window for social benefits", "National Social Insurance Agency", "KE", 0, "en",
     [(5, 4, 4), (4, 4, 5), (5, 5, 4)]),
    ("Ventanilla única de trámites municipales", "Secretaría de Gobierno Digital", "CO", 0, "es",
     [(3, 4, 3), (4, 3, 3), (3, 3, 2)]),
    ("Performance contracts for district health boards", "Ministry of Public Service", "RW", 1, "en",
     [(4, 4, 5), (5, 4, 4), (4, 5, 4)]),
    ("Tableau de bord des objectifs de développement durable", "Direction générale de la planification", "MA", 1, "fr",
     [(3, 3, 4), (3, 4, 3), (2, 3, 3)]),
    ("Presupuesto con enfoque de género", "Ministerio de Hacienda", "CR", 2, "es",
     [(5, 5, 4), (5, 4, 5), (4, 5, 5)]),
    ("Women's access to land registration", "Land Administration Authority", "NP", 2, "en",
     [(4, 3, 3), (3, 3, 4), (4, 4, 3)]),
    ("Cellule de crise numérique pour les communes", "Agence de développement numérique", "CI", 3, "fr",
     [(4, 4, 4), (4, 5, 3), (5, 4, 4)]),
    ("Flood early warning through community radio", "Disaster Management Office", "BD", 3, "en",
     [(3, 4, 4), (4, 3, 3), (3, 3, 4)]),
]

WB_NOMINATIONS = [  # title, institution, country, category index, scores (merit, results) per reviewer
    ("Single digital gateway for permits", "Agency for Information Society", "AL", 0, [(5, 4), (4, 5), (5, 5)]),
    ("Open procurement portal", "Public Procurement Office", "ME", 0, [(3, 4), (4, 3), (3, 3)]),
    ("E-invoicing for small firms", "Tax Administration", "RS", 1, [(4, 5), (5, 4), (4, 4)]),
    ("Online training academy for civil servants", "Human Resources Management Agency", "MK", 2, [(5, 5), (4, 4), (5, 4)]),
    ("Blended courses for municipal staff", "Civil Service Agency", "BA", 2, [(3, 3), (3, 4), (4, 3)]),
    ("E-prescriptions in primary care", "Health Insurance Fund", "AL", 3, [(4, 4), (5, 5), (4, 5)]),
]

PAPERS = [  # title, author, country, accepted, scores (relevance, method) per reviewer
    ("Co-production of local services in Slovak municipalities", "Jana Kováčová", "SK", True, [(5, 4), (4, 4), (5, 5)]),
    ("Participatory budgeting after ten years: evidence from Poland", "Piotr Nowak", "PL", True, [(4, 4), (5, 4), (4, 5)]),
    ("Digital petitions and their effect on Estonian lawmaking", "Mari Tamm", "EE", True, [(4, 5), (4, 4), (5, 4)]),
    ("Citizen panels in Ukrainian cities", "Olena Shevchenko", "UA", True, [(4, 3), (4, 4), (3, 4)]),
    ("A note on administrative reform", "Anonymous contributor", "HU", False, [(2, 1), (1, 2), (2, 2)]),
]


def _reviewers(editor, stage, rw):
    from partnerpost.content.demo import DEMO_PASSWORD
    from partnerpost.network.models import User

    users = []
    for username, full, country, institution in REVIEWERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            first, last = full.split(" ", 1)
            user = User.objects.create_user(username=username, email=f"{username}@demo.invalid", password=DEMO_PASSWORD,
                                            first_name=first, last_name=last)
        rw.add_reviewer(editor, stage, user, country=country, institution=institution)
        users.append(user)
    return users


def _score_all(stage, users, scores_by_title, rw):
    """Every reviewer declares no conflict and scores their assignments with the demo's marks."""
    names = [c.name for c in stage.categories.all()]
    for assignment in stage.assignments.select_related("submission", "reviewer"):
        marks = scores_by_title[assignment.submission.title][users.index(assignment.reviewer)]
        rw.declare_conflict(assignment.reviewer, assignment, False)
        best = sum(marks) >= 4 * len(marks)
        rw.submit_review(assignment.reviewer, assignment, dict(zip(names, marks)),
                         recommendation="accept" if best else "revise",
                         comment_to_submitter="Clear evidence of results." if best else
                         "Show more evidence of results and of what others could reuse.",
                         comment_to_panel="Strong candidate." if best else "Solid, but not among the best.")


def _decide_best_per_category(editor, stage, rw, reason_accept, reason_decline):
    winners = []
    seen = set()
    for result in rw.stage_results(stage):
        if result.outcome and result.outcome.decision:
            continue
        if result.category not in seen and result.rank == 1:
            seen.add(result.category)
            rw.shortlist_submission(editor, stage, result.submission)
            rw.decide_outcome(editor, stage, result.submission, "accept", reason_accept, quiet=True)
            winners.append(result.submission)
        else:
            rw.decide_outcome(editor, stage, result.submission, "decline", reason_decline, quiet=True)
    return winners


def _send(call, workflows, answers, email, language, when=None):
    submission = workflows.start_submission(call, email=email, language=language, now=when)
    questions = {q.name: q.expected for q in call.eligibility.all()}
    if questions:
        workflows.answer_eligibility(submission, questions, now=when)
    workflows.save_answers(submission, answers, now=when)
    return workflows.submit_submission(submission, now=when, quiet=True)


def load(log=print) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from partnerpost.content import workflows as content
    from partnerpost.content.demo import UNPSA, WBPAA
    from partnerpost.content.models import AwardProgramme, Item
    from partnerpost.network.models import Partner, User

    from . import review_workflows as rw
    from . import workflows
    from .demo import NISPACEE_TITLE, UNPSA_TITLE, _call_item
    from .models import Call
    from .workflows import CallInput, FieldSpec

    editor = User.objects.get(username="editor")
    made = {"stages": 0, "winners": 0, "papers": 0}
    later = timezone.now() + dt.timedelta(days=30)
    with transaction.atomic():
        # --- UNPSA 2021 -------------------------------------------------------------------------------
        call = Call.objects.filter(item__title=UNPSA_TITLE).first()
        if call is not None and not call.review_stages.exists():
            categories = UNPSA["categories"]
            for n, (title, institution, country, cat, language, _marks) in enumerate(UNPSA_NOMINATIONS):
                _send(call, workflows, {
                    "title": title, "institution": institution, "country": country, "category": categories[cat],
                    "summary": f"{title}: an illustrative nomination written for the demo.", "started": "2018-03-01",
                    "nominator": {"name": f"Nominator {n + 1}", "email": f"nominator{n + 1}@demo.invalid"}},
                    f"nominator{n + 1}@demo.invalid", language)
            screening = rw.save_stage(editor, call, rw.StageInput(
                name="Eligibility screening", position=1, closes_at=later, reviews_per_submission=1,
                categories=[rw.CategorySpec("eligible", "Meets the rules of the round", 1, 0, 1, {"0": "No", "1": "Yes"})]))
            stage = rw.save_stage(editor, call, rw.StageInput(
                name="Expert review", position=2, closes_at=later, reviews_per_submission=3, anonymised=True,
                categories=[rw.CategorySpec("impact", "Impact and results", 3, 1, 5, {"1": "Little", "3": "Clear", "5": "Exceptional"}),
                            rw.CategorySpec("innovation", "Innovation", 2, 1, 5, {"1": "Routine", "5": "Ground-breaking"}),
                            rw.CategorySpec("transferability", "Can others adapt it?", 1, 1, 5, {"1": "Hardly", "5": "Readily"})]))
            # screening: one reviewer checks each nomination against the rules; all pass
            _reviewers(editor, screening, rw)
            rw.auto_assign(editor, screening)
            for assignment in screening.assignments.select_related("submission", "reviewer"):
                rw.declare_conflict(assignment.reviewer, assignment, False)
                rw.submit_review(assignment.reviewer, assignment, {"eligible": 1}, recommendation="accept",
                                 comment_to_panel="Run by a public institution for more than two years.")
            for submission in call.submissions.filter(state="submitted"):
                rw.decide_outcome(editor, screening, submission, "accept", "Meets the rules of the round.", quiet=True)
            users = _reviewers(editor, stage, rw)
            rw.auto_assign(editor, stage)
            _score_all(stage, users, {t: m for t, _i, _c, _k, _l, m in UNPSA_NOMINATIONS}, rw)
            winners = _decide_best_per_category(editor, stage, rw, "Highest weighted score in its category.",
                                                "Another nomination in the category scored higher.")
            programme = AwardProgramme.objects.get(slug=UNPSA["slug"])
            rw.publish_winners(editor, stage, programme, 2021, title="2021 UN Public Service Awards: the winners (demo)")
            made["stages"] += 2
            made["winners"] += len(winners)

        # --- Western Balkans PA Awards (ReSPA) ---------------------------------------------------------
        respa = Partner.objects.get(acronym="ReSPA")
        item, new = _call_item(
            editor, respa, "Call for nominations: Western Balkans Public Administration Awards",
            "Administrations of the Western Balkans nominated their best services in four categories. (Demo: illustrative nominations.)",
            "ReSPA invited the administrations of its member countries to nominate initiatives in digital government, "
            "the e-economy, e-learning, and e-health and social innovation. A jury chose one winner in each category.",
            "nominations", dt.date(2020, 9, 1))
        if new:
            opens, closes = dt.datetime(2020, 9, 1, 9, 0), dt.datetime(2020, 10, 15, 18, 0)
            wb = workflows.save_call(editor, item, CallInput(
                opens=opens, closes=closes, time_zone="Europe/Podgorica", languages=["en"], audience="email",
                fields=[FieldSpec("title", "text", "Name of the initiative", True, role="title"),
                        FieldSpec("institution", "text", "Nominated institution", True),
                        FieldSpec("country", "country", "Country", True, role="country"),
                        FieldSpec("category", "choice", "Category", True, WBPAA["categories"], role="area"),
                        FieldSpec("summary", "long_text", "The initiative", True, step=2, role="summary")]))
            when = dt.datetime(2020, 9, 20, 10, 0, tzinfo=dt.UTC)
            for n, (title, institution, country, cat, _m) in enumerate(WB_NOMINATIONS):
                _send(wb, workflows, {"title": title, "institution": institution, "country": country,
                                      "category": WBPAA["categories"][cat],
                                      "summary": f"{title}: an illustrative nomination written for the demo."},
                      f"wb.nominator{n + 1}@demo.invalid", "en", when)
            stage = rw.save_stage(editor, wb, rw.StageInput(
                name="Jury decision", position=1, closes_at=later, reviews_per_submission=3, aggregate="median",
                categories=[rw.CategorySpec("merit", "Merit of the initiative", 2, 1, 5),
                            rw.CategorySpec("results", "Results shown", 1, 1, 5)]))
            users = _reviewers(editor, stage, rw)
            rw.auto_assign(editor, stage)
            _score_all(stage, users, {t: m for t, _i, _c, _k, m in WB_NOMINATIONS}, rw)
            winners = _decide_best_per_category(editor, stage, rw, "The jury's choice in this category.",
                                                "Another nomination in the category was preferred.")
            rw.publish_winners(editor, stage, AwardProgramme.objects.get(slug=WBPAA["slug"]), 2020,
                               title="Western Balkans Public Administration Awards: the jury's winners (demo)")
            made["stages"] += 1
            made["winners"] += len(winners)

        # --- NISPAcee call for papers ------------------------------------------------------------------
        call = Call.objects.filter(item__title=NISPACEE_TITLE).first()
        if call is not None and not call.review_stages.exists():
            nispacee = call.item.partner
            event = Item.objects.filter(kind="event", partner=nispacee, title="The 30th NISPAcee Annual Conference").first()
            if event is None:
                event = Item(kind="event", partner=nispacee, title="The 30th NISPAcee Annual Conference",
                             summary="NISPAcee's annual conference, with the papers accepted through its call for papers. (Demo.)",
                             event_type="conference", event_format="in_person", city="Bratislava", language="en",
                             start_date=timezone.localdate() + dt.timedelta(days=120),
                             end_date=timezone.localdate() + dt.timedelta(days=122))
                event = content.create_item(editor, event)
                content.submit_item(editor, event)
                content.approve_item(editor, event)
                content.publish_item(editor, event)
            for n, (title, author, country, _ok, _m) in enumerate(PAPERS):
                _send(call, workflows, {
                    "title": title, "track": "Public sector innovation", "country": country,
                    "abstract": f"{title}: an illustrative abstract written for the demo.",
                    "author": {"name": author, "email": f"author{n + 1}@demo.invalid"}},
                    f"author{n + 1}@demo.invalid", "en")
            stage = rw.save_stage(editor, call, rw.StageInput(
                name="Programme committee", position=1, closes_at=later, reviews_per_submission=3, anonymised=True,
                categories=[rw.CategorySpec("relevance", "Relevance to the theme", 1, 1, 5),
                            rw.CategorySpec("method", "Method and evidence", 1, 1, 5)]))
            users = _reviewers(editor, stage, rw)
            rw.auto_assign(editor, stage)
            _score_all(stage, users, {t: m for t, _a, _c, _ok, m in PAPERS}, rw)
            for title, _a, _c, ok, _m in PAPERS:
                submission = call.submissions.get(title=title)
                rw.decide_outcome(editor, stage, submission, "accept" if ok else "decline",
                                  "Fits the theme, with sound evidence." if ok else "Outside the conference's theme.",
                                  quiet=True)
            made["papers"] = rw.publish_programme(editor, stage, event)
            made["stages"] += 1
    log(f"Review panels: {made['stages']} stages created, {made['winners']} winners published, "
        f"{made['papers']} accepted papers listed.")
    return made
