"""Calls: the public list and forms, answers from a partner's system, and a catalogue's entries.

Every operation goes through `partnerpost.calls`: the window, the answers' rules and the catalogue
filters are the same as on the web pages."""

from __future__ import annotations

import base64
import binascii
from typing import Any, Optional

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Schema
from ninja.responses import Status
from pydantic import Field

from partnerpost.calls import catalogue
from partnerpost.calls import workflows as call_workflows
from partnerpost.calls.enums import FieldType
from partnerpost.calls.models import Call
from partnerpost.network.models import Partner

from .auth import auth
from .errors import ApiError, Conflict, InvalidInput, NotFound
from .routing import ONE, PUBLIC_TAGS, READ, TOKEN_TAGS, v1
from .schemas import Error, Slug


class CallWindowOut(Schema):
    slug: str
    title: str
    partner: str = Field(description="The organizing partner's acronym.")
    opens_at: str = Field(description="ISO 8601, UTC.")
    closes_at: str = Field(description="ISO 8601, UTC; answers are refused from this instant on.")
    time_zone: str = Field(description="The call's own time zone (IANA name), in which its window is set.")
    state: str = Field(description="upcoming, open or closed.")
    audience: str = Field(description="email (anyone with a confirmed address), invited or members.")
    languages: list[str]
    is_catalogue: bool
    url: str


class CallFieldOut(Schema):
    name: str
    type: str = Field(description="text, long_text, choice, choices, country, date, url, file, contact or yes_no.")
    label: str
    required: bool
    step: int
    choices: Optional[list[str]] = Field(None, description="The options of choice and choices fields.")


class CallQuestionOut(Schema):
    name: str
    question: str
    continue_if: bool = Field(description="The answer (true = yes) that lets a submission go on.")


class CallFormOut(CallWindowOut):
    fields: list[CallFieldOut]
    eligibility: list[CallQuestionOut]


class CallWindowList(Schema):
    results: list[CallWindowOut]


class CallAnswersIn(Schema):
    answers: dict[str, Any] = Field(description=(
        "Field name → answer; eligibility questions take true or false. A `file` field takes "
        '`{"name": "report.pdf", "content_base64": "<the file, base64>"}`, checked like an upload on the web '
        "form: a PDF, Word, Excel, PowerPoint or OpenDocument file by its content, within the size limit, "
        "past the virus scan. The whole request body must stay within 10 MB (a file of about 7.5 MB)."))


class CallSubmissionOut(Schema):
    id: int
    call: str
    state: str
    submitted_at: Optional[str]
    possible_duplicate_of: Optional[int]


class CatalogueEntryOut(Schema):
    id: int
    title: str
    country: Optional[str]
    country_name: Optional[str]
    region: Optional[str]
    region_name: Optional[str]
    year: Optional[int]
    areas: list[str]
    answers: dict[str, Any]


class CatalogueEntryPage(Schema):
    count: int
    results: list[CatalogueEntryOut]
    facets: dict[str, dict[str, int]]


def _call_data(request, call: Call) -> dict:
    return {"slug": call.slug, "title": call.title, "partner": call.item.partner.acronym,
            "opens_at": call.opens_at.isoformat().replace("+00:00", "Z"),
            "closes_at": call.closes_at.isoformat().replace("+00:00", "Z"),
            "time_zone": call.time_zone, "state": call.window(), "audience": call.audience,
            "languages": call.languages, "is_catalogue": call.is_catalogue,
            "url": request.build_absolute_uri(f"/calls/{call.slug}/")}


def _public_call(slug: str) -> Call:
    call = Call.objects.public().select_related("item__partner").filter(item__slug=slug).first()
    if call is None:
        raise NotFound("No published call has this slug.")
    return call


@v1.get("/calls", response={200: CallWindowList, **READ}, summary="List calls", tags=PUBLIC_TAGS)
def list_calls(request):
    """Published calls that take answers through Partnerpost, latest close first, with their window and state."""
    calls = Call.objects.public().select_related("item__partner").order_by("-closes_at", "id")
    return {"results": [_call_data(request, c) for c in calls]}


@v1.get("/calls/{slug}", response={200: CallFormOut, **ONE}, summary="One call with its form", tags=PUBLIC_TAGS)
def get_call(request, slug: Slug = Path(...)):
    call = _public_call(slug)
    data = _call_data(request, call)
    data["fields"] = [{"name": f.name, "type": f.type, "label": f.label, "required": f.required, "step": f.step,
                       "choices": f.choices or None} for f in call.ordered_fields()]
    data["eligibility"] = [{"name": q.name, "question": q.question, "continue_if": q.expected}
                           for q in call.eligibility.all()]
    return data


@v1.post("/calls/{slug}/submissions", response={201: CallSubmissionOut, 400: Error, 401: Error, 403: Error, 404: Error,
                                                 409: Error, 422: Error, 429: Error},
         summary="Answer a call", auth=auth, tags=TOKEN_TAGS)
def create_submission(request, response: HttpResponse, payload: CallAnswersIn, slug: Slug = Path(...)):
    """Answers from the token's partner, checked by the same rules as the web form, and sent at once.
    A closed (or not yet open) call answers 409 with `errors.closes_at`; a refused answer 422 naming its
    field; a call the partner may not answer 403. Nothing is kept when the answers are refused.

    A file field's answer is an object `{"name": "report.pdf", "content_base64": "JVBERi0x…"}` (standard
    base64, RFC 4648). It goes through the checks of the web form's uploads: the type by content (PDF,
    Word, Excel, PowerPoint, OpenDocument), the size limit and the virus scan; bad base64, a wrong type or
    a file over the limit answer 422 naming the field. The request body may be at most 10 MB (413 past it),
    which holds a file of about 7.5 MB."""
    call = _public_call(slug)
    partner = Partner.objects.get(pk=request.auth.partner_id)
    creator = request.auth.created_by
    answers = dict(payload.answers)
    questions = {q.name for q in call.eligibility.all()}
    eligibility = {name: answers.pop(name) for name in list(answers) if name in questions}
    files, refused = _file_answers(call, answers)
    written = []
    try:
        with transaction.atomic():
            submission = call_workflows.start_submission(call, partner=partner, email=creator.email if creator else "")
            try:
                if creator is not None:
                    submission.user = creator
                    submission.save(update_fields=["user"])
                if questions:
                    call_workflows.answer_eligibility(submission, eligibility, actor=creator)
                try:
                    call_workflows.save_answers(submission, answers, files, actor=creator)
                except call_workflows.AnswerErrors as problems:
                    raise call_workflows.AnswerErrors({**problems.errors, **refused}) from None
                if refused:  # files that could not even be decoded
                    raise call_workflows.AnswerErrors(refused)
                submission = call_workflows.submit_submission(submission, actor=creator)
            except Exception:
                # the rows go with the transaction; the stored files must go by hand
                try:
                    written = [f.file for f in submission.files.all()]
                except DatabaseError:  # a failed statement: the transaction can tell nothing more
                    written = []
                raise
    except PermissionDenied:
        raise ApiError("This partner may not answer this call.", status=403) from None
    except call_workflows.WindowClosed as closed:
        raise Conflict(closed.errors["closes_at"][0], closed.errors) from None
    except call_workflows.AnswerErrors as refused:
        raise InvalidInput(refused.errors) from None
    finally:
        for stored in written:
            stored.storage.delete(stored.name)
    response["Location"] = request.build_absolute_uri(f"/calls/{call.slug}/")
    return Status(201, {"id": submission.pk, "call": call.slug, "state": submission.state,
                        "submitted_at": submission.submitted_at.isoformat().replace("+00:00", "Z"),
                        "possible_duplicate_of": submission.duplicate_of_id})


def _file_answers(call: Call, answers: dict) -> tuple[dict, dict]:
    """Take the answers to file fields out of `answers` and decode them into uploads for the workflow,
    which checks them exactly as it checks the web form's (type by content, size, virus scan).
    Returns (field name -> upload, field name -> [problem]) for the answers that cannot be decoded."""
    files, refused = {}, {}
    for spec in call.ordered_fields():
        if spec.type != FieldType.FILE or spec.name not in answers:
            continue
        value = answers.pop(spec.name)
        if value is None:
            continue
        if not isinstance(value, dict) or set(value) != {"name", "content_base64"}:
            refused[spec.name] = [_('%(label)s: send the file as {"name": …, "content_base64": …}.') % {"label": spec.label}]
            continue
        name, encoded = value["name"], value["content_base64"]
        if not isinstance(name, str) or not name.strip() or len(name) > 200 or "/" in name or "\\" in name:
            refused[spec.name] = [_("%(label)s: give the file a name (at most 200 characters, no folders).") % {"label": spec.label}]
            continue
        try:
            if not isinstance(encoded, str):
                raise ValueError
            content = base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error):
            refused[spec.name] = [_("%(label)s: content_base64 is not valid base64.") % {"label": spec.label}]
            continue
        if not content:
            refused[spec.name] = [_("%(label)s: the file is empty.") % {"label": spec.label}]
            continue
        files[spec.name] = SimpleUploadedFile(name.strip(), content)
    return files, refused


@v1.get("/calls/{slug}/entries", response={200: CatalogueEntryPage, **ONE}, summary="A catalogue's published entries", tags=PUBLIC_TAGS)
def list_entries(request, slug: Slug = Path(...), area: str = Query("", max_length=200),
                 region: str = Query("", max_length=3), country: str = Query("", max_length=2),
                 year: Optional[int] = Query(None, ge=1900, le=2999), q: str = Query("", max_length=200),
                 limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)):
    """Accepted entries of a compendium call, filtered by the catalogue's facets (`area`, `region` as an
    M49 code, `country` as an ISO code, `year`) and words (`q`), with the counts of each facet. `count` is
    the number of matching entries; `results` holds `limit` of them (at most 1000) from `offset`, by title."""
    call = _public_call(slug)
    if not call.is_catalogue:
        raise NotFound("This call publishes no catalogue.")
    filters = catalogue.Filters(area=area, region=region, country=country.upper(), year=year, q=q)
    rows = catalogue.entries(call, filters)
    counts = catalogue.facet_counts(call, rows, filters.active())
    names = catalogue.country_names()
    window = rows.order_by("title", "id").prefetch_related("area_rows")[offset:offset + limit]
    results = [catalogue.entry_data(call, s, names) for s in window]
    return {"count": rows.count(), "results": results,
            "facets": {facet: {str(value): n for value, _label, n in values} for facet, values in counts.items()}}
