"""Pages of the review panels: the reviewer's assignments (declare, score, comment), the invitation link,
and the editors' review page per call (stages, invitations, assignment, results, shortlist, decisions).
Thin: parse, call review_workflows, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from partnerpost.content.models import AwardProgramme, Country, Item
from partnerpost.network.access import require
from partnerpost.network.permissions import can_use_workspace

from . import review_forms
from . import review_workflows as rw
from .review_models import Assignment, AssignmentState, Recommendation, ReviewStage
from .views import _managed_call
from .workflows import WorkflowError


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- reviewers ------------------------------------------------------------------------------------------------

@require(rw.may_review)
def my_reviews(request):
    assignments = rw.my_assignments(request.user).order_by("stage__closes_at", "submission_id")
    return render(request, "calls/review/mine.html", {"assignments": assignments})


@require(rw.may_review)
def assignment(request, pk):
    # Only the reviewer's own assignment exists for them: anything else is a 404, not a hint.
    mine = get_object_or_404(Assignment.objects.select_related("stage__call__item", "submission"),
                             pk=pk, reviewer=request.user)
    stage = mine.stage
    errors = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "declare":
                conflict = request.POST.get("conflict") == "yes"
                rw.declare_conflict(request.user, mine, conflict, request.POST.get("conflict_note", ""))
                if conflict:
                    messages.success(request, _("Conflict recorded: the submission goes to another reviewer."))
                    return redirect("calls_review:mine")
                return redirect("calls_review:assignment", pk=mine.pk)
            if request.POST.get("action") == "score":
                scores = {c.name: request.POST.get(f"score_{c.name}", "") for c in stage.categories.all()}
                rw.submit_review(request.user, mine, scores, recommendation=request.POST.get("recommendation", ""),
                                 comment_to_submitter=request.POST.get("comment_to_submitter", ""),
                                 comment_to_panel=request.POST.get("comment_to_panel", ""))
                messages.success(request, _("Review saved. You may change it until the stage closes."))
                return redirect("calls_review:mine")
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            messages.error(request, _errors(error))
        except WorkflowError as error:
            messages.error(request, str(error))
        mine.refresh_from_db()
    review = getattr(mine, "review", None) if mine.state == AssignmentState.DONE else None
    current = {s.category_id: s.value for s in review.scores.all()} if review else {}
    categories = [(c, current.get(c.pk), errors.get(f"score_{c.name}", [])) for c in stage.categories.all()]
    shown = mine.state in (AssignmentState.CLEAR, AssignmentState.DONE)
    return render(request, "calls/review/assignment.html", {
        "assignment": mine, "stage": stage, "call": stage.call, "submission": mine.submission,
        "rows": rw.visible_answers(mine) if shown else [], "shown": shown, "categories": categories,
        "review": review, "post": request.POST if request.method == "POST" else {},
        "recommendations": Recommendation.choices, "errors": errors, "closed": stage.is_closed(),
        "country_name": Country.objects.filter(pk=mine.submission.country).values_list("name", flat=True).first() or "",
    })


def invitation(request, token):
    found = rw.read_invitation(token)
    if found is None:
        return render(request, "calls/review/invitation.html", {"invalid": True}, status=400)
    stage, email = found
    form = review_forms.ReviewerSignUpForm()
    if request.method == "POST":
        if request.user.is_authenticated:
            try:
                rw.accept_invitation(token, request.user, country=request.POST.get("country", "")[:2],
                                     institution=request.POST.get("institution", ""))
            except ValidationError as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, _("You are a reviewer of “%(stage)s”.") % {"stage": stage.name})
                return redirect("calls_review:mine")
        form = review_forms.ReviewerSignUpForm(request.POST)
        if not request.user.is_authenticated and form.is_valid():
            data = form.cleaned_data
            user = get_user_model().objects.create_user(username=data["username"], email=email,
                                                        password=data["password"])
            rw.accept_invitation(token, user, country=data["country"], institution=data["institution"])
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your reviewer account is ready."))
            return redirect("calls_review:mine")
    return render(request, "calls/review/invitation.html", {
        "stage": stage, "call": stage.call, "email": email, "form": form,
        "login_url": f"{reverse('login')}?next={request.path}"})


# --- editors ------------------------------------------------------------------------------------------------

def _stage(call, pk) -> ReviewStage:
    return get_object_or_404(ReviewStage, call=call, pk=pk)


@require(can_use_workspace)
def manage(request, slug):
    call = _managed_call(request, slug)
    stage_form = review_forms.StageForm(prefix="stage")
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "define":
                stage_form = review_forms.StageForm(request.POST, prefix="stage")
                if stage_form.is_valid():
                    d = stage_form.cleaned_data
                    rw.save_stage(request.user, call, rw.StageInput(
                        name=d["name"], position=d["position"], closes_at=d["closes_at"], categories=d["categories"],
                        reviews_per_submission=d["reviews_per_submission"], aggregate=d["aggregate"],
                        anonymised=d["anonymised"]))
                    messages.success(request, _("Stage saved."))
                    return redirect("calls_manage:review", slug=slug)
                messages.error(request, _("The stage was not saved: see the errors below."))
            else:
                stage = _stage(call, request.POST.get("stage"))
                if action == "invite":
                    rw.invite_reviewer(request.user, stage, request.POST.get("email", ""))
                    messages.success(request, _("Invitation sent."))
                elif action == "assign_one":
                    submission = get_object_or_404(call.submissions, pk=request.POST.get("submission") or 0)
                    member = get_object_or_404(stage.stage_reviewers.select_related("user"),
                                               user_id=request.POST.get("reviewer") or 0)
                    rw.assign_reviewer(request.user, stage, submission, member.user)
                    messages.success(request, _("Reviewer assigned."))
                elif action == "assign":
                    made = rw.auto_assign(request.user, stage)
                    messages.success(request, ngettext("%(count)s assignment made.", "%(count)s assignments made.",
                                                          len(made)) % {"count": len(made)})
                elif action in ("shortlist", "unshortlist"):
                    submission = get_object_or_404(call.submissions, pk=request.POST.get("submission"))
                    rw.shortlist_submission(request.user, stage, submission, action == "shortlist")
                    messages.success(request, _("Shortlist updated."))
                elif action == "decide":
                    submission = get_object_or_404(call.submissions, pk=request.POST.get("submission"))
                    rw.decide_outcome(request.user, stage, submission, request.POST.get("decision", ""),
                                      request.POST.get("reason", ""))
                    messages.success(request, _("Decision recorded; the submitter has been emailed."))
                elif action == "publish_winners":
                    programme = AwardProgramme.objects.filter(pk=request.POST.get("programme") or None).first()
                    year = request.POST.get("year", "")
                    item = rw.publish_winners(request.user, stage, programme, int(year) if year.isdigit() else 0)
                    messages.success(request, _("Winners published as “%(title)s”.") % {"title": item.title})
                elif action == "publish_programme":
                    event = Item.objects.filter(pk=request.POST.get("event") or None, kind="event").first()
                    count = rw.publish_programme(request.user, stage, event)
                    messages.success(request, ngettext("%(count)s accepted paper listed on “%(event)s”.",
                                                          "%(count)s accepted papers listed on “%(event)s”.",
                                                          count) % {"count": count, "event": event.title})
                else:
                    raise Http404
                return redirect(f"{reverse('calls_manage:review', args=[slug])}#stage-{stage.pk}")
        except ValidationError as error:
            messages.error(request, _errors(error))
        except WorkflowError as error:
            messages.error(request, str(error))
    stages = []
    for stage in call.review_stages.prefetch_related("categories", "stage_reviewers__user__reviewer_profile"):
        loads = rw._loads(stage)
        stages.append({"stage": stage, "results": rw.stage_results(stage), "reviewable": rw._reviewable(stage),
                       "reviewers": [(m.user, loads[m.user_id]) for m in stage.stage_reviewers.all()],
                       "history": stage.audit_entries.select_related("actor", "submission").order_by("-at", "-id")[:20]})
    return render(request, "calls/review/manage.html", {
        "call": call, "stages": stages, "stage_form": stage_form, "programmes": AwardProgramme.objects.all(),
        "events": Item.objects.filter(kind="event", partner=call.item.partner).order_by("-start_date")[:50],
        "this_year": call.closes_at.year})
