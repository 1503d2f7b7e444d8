"""Pages of calls: the form's definition (workspace), answering in steps (public), moderation (workspace).
Thin: parse, call a workflow, render. The catalogue's pages are in catalogue_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerpost.content.models import Country, Item
from partnerpost.network.access import require
from partnerpost.lib.text import fold
from partnerpost.network.permissions import can_use_workspace
from partnerpost import notify
from django.conf import settings

from . import forms as call_forms
from . import workflows
from .catalogue import country_names
from .enums import EDITABLE_STATES, FieldRole, SubmissionState, WindowState
from .models import Call, Submission, SubmissionArea
from .tokens import make_token, read_token


# --- public: calls and answering ---------------------------------------------------------------------------

def _public_call(slug) -> Call:
    call = Call.objects.select_related("item__partner").filter(item__slug=slug).first()
    if call is None or not call.item.is_live:
        raise Http404
    return call


def call_list(request):
    calls = list(Call.objects.public().select_related("item__partner").order_by("-closes_at"))
    now = timezone.now()
    groups = {state: [c for c in calls if c.window(now) == state] for state in WindowState.values}
    return render(request, "calls/list.html", {"groups": groups, "WindowState": WindowState})


def _session_key(call) -> str:
    return f"calls:{call.pk}"


def _identity(request, call) -> dict:
    """Who is answering: a confirmed address (from a signed link, kept in the session) and/or the signed-in user."""
    return request.session.get(_session_key(call), {})


def _my_submission(request, call) -> Submission | None:
    ident = _identity(request, call)
    user = request.user
    mine = Submission.objects.filter(call=call)
    if ident.get("s"):
        found = mine.filter(pk=ident["s"]).first()
        if found:
            return found
    if user.is_authenticated:
        found = mine.filter(user=user).order_by("-id").first()
        if found:
            return found
    if ident.get("e"):
        return mine.filter(email=ident["e"], partner=None).order_by("-id").first()
    return None


def call_detail(request, slug):
    call = _public_call(slug)
    submission = _my_submission(request, call)
    form = call_forms.EmailForm()
    sent = False
    if request.method == "POST":
        form = call_forms.EmailForm(request.POST)
        if form.is_valid() and call.is_open():
            address = form.cleaned_data["email"].strip().lower()
            # The same answer whether or not the address may answer: the page reveals no invitation list.
            if workflows.may_answer(call, email=address):
                link = settings.SITE_URL + reverse("calls:resume", args=[call.slug, make_token(call, address)])
                notify.send_templated("call-link", [address], {"call": call, "link": link,
                                                               "days": settings.CALLS_LINK_DAYS})
            sent = True
    user_may = workflows.may_answer(call, user=request.user)
    return render(request, "calls/detail.html", {
        "call": call, "item": call.item, "submission": submission, "form": form, "sent": sent,
        "user_may_answer": user_may, "window": call.window(),
    })


def resume(request, slug, token):
    """A signed link: confirms the address, and brings its holder to their draft."""
    call = _public_call(slug)
    data = read_token(token, call)
    if data is None:
        messages.error(request, _("This link is not valid or has expired. Ask for a new one below."))
        return redirect("calls:detail", slug=slug)
    request.session[_session_key(call)] = {"e": data["e"], "s": data.get("s")}
    return redirect("calls:answer", slug=slug)


def answer(request, slug):
    """Start or continue: to the first step not yet done."""
    call = _public_call(slug)
    submission = _my_submission(request, call)
    if submission is None or submission.state not in EDITABLE_STATES:
        ident = _identity(request, call)
        try:
            submission = workflows.start_submission(call, user=request.user, email=ident.get("e", ""),
                                                    language=get_language())
        except PermissionDenied:
            if not request.user.is_authenticated and call.audience == "members":
                return redirect(f"{reverse('login')}?next={request.path}")
            messages.error(request, _("You may not answer this call. Ask for a link with your email address, or sign in."))
            return redirect("calls:detail", slug=slug)
        except workflows.WindowClosed as closed:
            messages.error(request, closed.errors["closes_at"][0])
            return redirect("calls:detail", slug=slug)
        request.session[_session_key(call)] = {**_identity(request, call), "s": submission.pk}
    if submission.state not in EDITABLE_STATES:
        return redirect("calls:mine", slug=slug)
    if call.eligibility.exists() and workflows.eligibility_problem(submission) is not None:
        return redirect("calls:eligibility", slug=slug)
    steps = call.steps()
    following = [s for s in steps if s > submission.step_reached]
    if submission.state == SubmissionState.RETURNED:
        return redirect("calls:step", slug=slug, step=steps[0])  # changes asked for: start from the top
    if not following:
        return redirect("calls:review", slug=slug)
    return redirect("calls:step", slug=slug, step=following[0])


def _editable(request, call) -> Submission:
    submission = _my_submission(request, call)
    if submission is None:
        raise PermissionDenied
    return submission


def eligibility(request, slug):
    call = _public_call(slug)
    submission = _editable(request, call)
    questions = list(call.eligibility.all())
    stopped = None
    form = call_forms.EligibilityForm(questions, initial={k: "yes" if v else "no" for k, v in submission.eligibility_answers.items()})
    if request.method == "POST":
        form = call_forms.EligibilityForm(questions, request.POST)
        if form.is_valid():
            try:
                workflows.answer_eligibility(submission, form.cleaned_data, actor=request.user)
                return redirect("calls:step", slug=slug, step=call.steps()[0])
            except workflows.NotEligible as no:
                stopped = no.question
            except workflows.AnswerErrors as error:
                for name, problems in error.errors.items():
                    form.add_error(name if name in form.fields else None, problems)
    return render(request, "calls/eligibility.html", {"call": call, "form": form, "stopped": stopped,
                                                       "submission": submission})


def step(request, slug, step):
    call = _public_call(slug)
    submission = _editable(request, call)
    steps = call.steps()
    if step not in steps:
        raise Http404
    if submission.state not in EDITABLE_STATES:
        return redirect("calls:mine", slug=slug)
    specs = [s for s in call.ordered_fields() if s.step == step]
    countries = list(Country.objects.values_list("code", "name"))
    errors = {}
    if request.method == "POST":
        form = call_forms.answer_form(specs, request.POST, request.FILES, countries=countries)
        answers, files = call_forms.posted_answers(specs, form)
        going_on = "continue" in request.POST
        try:
            workflows.save_answers(submission, answers, files, actor=request.user, step=step, require=going_on)
            if going_on:
                later = [s for s in steps if s > step]
                return redirect("calls:step", slug=slug, step=later[0]) if later else redirect("calls:review", slug=slug)
            messages.success(request, _("Your draft is saved. Come back to it with the link in your email or by signing in."))
            return redirect("calls:step", slug=slug, step=step)
        except workflows.WindowClosed as closed:
            messages.error(request, closed.errors["closes_at"][0])
            return redirect("calls:detail", slug=slug)
        except workflows.WorkflowError as error:
            messages.error(request, str(error))
            return redirect("calls:mine", slug=slug)
        except workflows.AnswerErrors as error:
            errors = error.errors
        submission.refresh_from_db()
    if errors:
        # show what was typed, with each refusal at its field
        form = call_forms.answer_form(specs, request.POST, countries=countries)
        form.is_valid()
    else:
        form = call_forms.answer_form(specs, initial=call_forms.stored_initial(specs, submission.answers), countries=countries)
    for name, problems in errors.items():
        target = name if name in form.fields else (f"{name}__name" if f"{name}__name" in form.fields else None)
        form.add_error(target, problems)
    attached = {f.field: f for f in submission.files.all()}
    return render(request, "calls/step.html", {
        "call": call, "submission": submission, "form": form, "step": step, "steps": steps,
        "position": steps.index(step) + 1, "attached": attached, "has_eligibility": call.eligibility.exists(),
    })


def review(request, slug):
    call = _public_call(slug)
    submission = _editable(request, call)
    errors = {}
    if request.method == "POST" and submission.state in EDITABLE_STATES:
        try:
            workflows.submit_submission(submission, actor=request.user)
            return redirect("calls:mine", slug=slug)
        except workflows.WindowClosed as closed:
            errors = closed.errors
        except workflows.AnswerErrors as error:
            errors = error.errors
        except workflows.WorkflowError as error:
            messages.error(request, str(error))
    labels = {s.name: s.label for s in call.ordered_fields()}
    labels.update({q.name: q.question for q in call.eligibility.all()})
    return render(request, "calls/review.html", {
        "call": call, "submission": submission, "rows": workflows.answer_rows(submission),
        "errors": [(labels.get(name, _("Closing time") if name == "closes_at" else name), problems, name)
                   for name, problems in errors.items()],
        "steps": call.steps(),
    })


def mine(request, slug):
    call = _public_call(slug)
    submission = _editable(request, call)
    return render(request, "calls/mine.html", {"call": call, "submission": submission,
                                               "rows": workflows.answer_rows(submission)})


# --- workspace: definition and moderation -----------------------------------------------------------------

def _managed_call_item(request, slug) -> Item:
    item = get_object_or_404(Item, slug=slug, kind="call")
    if not workflows.can_manage_call(request.user, item):
        raise PermissionDenied
    return item


@require(can_use_workspace)
def manage_list(request):
    items = workflows.manageable_calls(request.user).select_related("partner").order_by("-sort_date")
    forms_by_item = {c.item_id: c for c in Call.objects.filter(item__in=items)}
    rows = [(item, forms_by_item.get(item.pk)) for item in items]
    return render(request, "calls/manage_list.html", {"rows": rows})


@require(can_use_workspace)
def define(request, slug):
    item = _managed_call_item(request, slug)
    call = Call.objects.filter(item=item).first()
    form = call_forms.CallDefinitionForm(initial=call_forms.initial_for(call) if call else {
        "languages": ["en"], "audience": "email", "time_zone": "UTC"})
    if request.method == "POST":
        form = call_forms.CallDefinitionForm(request.POST)
        if form.is_valid():
            try:
                workflows.save_call(request.user, item, form.to_input())
                messages.success(request, _("The call's form is saved."))
                return redirect("calls_manage:define", slug=slug)
            except ValidationError as error:
                for key, problems in error.message_dict.items():
                    target = {"fields": "fields_text", "eligibility": "eligibility_text",
                              "invitations": "invitations_text"}.get(key, key)
                    form.add_error(target if target in form.fields else None, problems)
    return render(request, "calls/define.html", {"item": item, "call": call, "form": form})


def _managed_call(request, slug) -> Call:
    item = _managed_call_item(request, slug)
    call = Call.objects.filter(item=item).first()
    if call is None:
        raise Http404
    return call


@require(can_use_workspace)
def queue(request, slug):
    call = _managed_call(request, slug)
    rows = Submission.objects.filter(call=call).exclude(state=SubmissionState.DRAFT).select_related("duplicate_of")
    country = request.GET.get("country", "")
    area = request.GET.get("area", "")
    status = request.GET.get("status", SubmissionState.SUBMITTED)
    if country:
        rows = rows.filter(country=country)
    if area:
        rows = rows.filter(area_rows__area=area)
    if status:
        rows = rows.filter(state=status)
    area_field = call.field_by_role(FieldRole.AREA)
    # Country names in the editor's language (django-countries' translations), like the catalogue's.
    localized = country_names()
    names = {code: localized.get(code, name) for code, name in Country.objects.values_list("code", "name")}
    used = Submission.objects.filter(call=call).exclude(country="").values_list("country", flat=True).distinct()
    countries = sorted(({"code": code, "name": names.get(code, code)} for code in used if code),
                       key=lambda c: fold(c["name"]))
    return render(request, "calls/queue.html", {
        "call": call, "rows": [(s, names.get(s.country, "")) for s in rows.order_by("submitted_at", "id")[:500]],
        "countries": countries, "areas": area_field.choices if area_field else [],
        "states": [s for s in SubmissionState.choices if s[0] != SubmissionState.DRAFT],
        "chosen": {"country": country, "area": area, "status": status},
    })


@require(can_use_workspace)
def moderate(request, slug, pk):
    call = _managed_call(request, slug)
    submission = get_object_or_404(Submission.objects.select_related("duplicate_of"), call=call, pk=pk)
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        if decision not in {"accept", "return", "decline"}:
            messages.error(request, _("Choose a decision."))
        else:
            try:
                workflows.decide_submission(request.user, submission, decision, request.POST.get("reason", ""))
                messages.success(request, _("Decision recorded; the submitter has been emailed."))
                return redirect(f"{reverse('calls_manage:queue', args=[slug])}")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            except workflows.WorkflowError as error:
                messages.error(request, str(error))
    return render(request, "calls/moderate.html", {
        "call": call, "submission": submission, "rows": workflows.answer_rows(submission),
        "history": submission.audit_entries.select_related("actor"),
        "files": submission.files.all(),
        "country_name": Country.objects.filter(pk=submission.country).values_list("name", flat=True).first() or "",
    })


@require(can_use_workspace)
def attachment(request, slug, pk, field):
    """A submitted file, for the call's moderators only; never cached."""
    call = _managed_call(request, slug)
    stored = get_object_or_404(Submission.objects.get(call=call, pk=pk).files, field=field)
    from partnerpost.content import uploads

    kind = uploads.detect(stored.file.open("rb"))
    stored.file.seek(0)
    response = FileResponse(stored.file, content_type=kind.mime, as_attachment=True,
                            filename=f"{call.slug}-{pk}-{field}.{kind.extension}")
    response["Cache-Control"] = "private, no-store"
    return response
