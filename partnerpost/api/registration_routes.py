"""Event registration: the figures of an event's registration (public) and registering (public, no token).

Registering calls the same workflow as the form on the event page (registration.workflows.register):
the same checks, the same answer, the same lock on the event's seats."""

from __future__ import annotations

from typing import Any, Optional

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from ninja import Path, Schema
from ninja.responses import Status
from pydantic import Field

from partnerpost.content.models import Item
from partnerpost.network import ratelimit
from partnerpost.registration import workflows
from partnerpost.registration.enums import Refusal

from .errors import ApiError, NotFound, RateLimited
from .routing import PUBLIC_TAGS, v1
from .schemas import Error, Slug

REGISTRATION_TAGS = ["Event registration"]


class RegistrationSummary(Schema):
    open: bool = Field(description="Whether the event takes registrations now.")
    capacity: Optional[int] = Field(description="Places; null when there is no limit.")
    waiting_list: bool
    confirmed: int
    waitlisted: int


class RegistrationIn(Schema):
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    answers: dict[str, Any] = Field(default_factory=dict, description=(
        "Question key → answer: organization, country (ISO 3166 code) and position where the event asks them, "
        "and the event's own questions (text, one of the choices, or true/false)."))


class RegistrationCreated(Schema):
    id: int
    status: str = Field(description="confirmed, waitlisted or pending_approval.")


class RegistrationError(Error):
    reason: str = Field(description="closed, full, duplicate, cancelled_event or invalid.")


class Refused(ApiError):
    def __init__(self, refusal: workflows.Refused):
        status = 422 if refusal.code == Refusal.INVALID else 409
        super().__init__(str(Refusal(refusal.code).label).capitalize() + ".", refusal.errors, status=status)
        self.reason = refusal.code

    def body(self) -> dict:
        return {**super().body(), "reason": self.reason}


def _event(slug: str) -> Item:
    item = Item.objects.published().events().select_related("partner").filter(slug=slug).first()
    if item is None:
        raise NotFound("No published event has this slug.")
    return item


@v1.get("/events/{slug}/registration", response={200: RegistrationSummary, 304: None, 400: Error, 404: Error, 422: Error, 429: Error},
        summary="An event's registration: open or not, places, counts", tags=[*PUBLIC_TAGS, *REGISTRATION_TAGS])
def get_registration(request, slug: Slug = Path(...)):
    """Counts are of confirmed and waiting registrations; an event that takes no registrations here
    answers `open: false` with zero counts."""
    return workflows.summary(_event(slug))


@v1.post("/events/{slug}/registrations",
         response={201: RegistrationCreated, 400: Error, 404: Error, 409: RegistrationError, 422: RegistrationError, 429: Error},
         summary="Register for an event", tags=REGISTRATION_TAGS)
def create_registration(request, response: HttpResponse, payload: RegistrationIn, slug: Slug = Path(...)):
    """No token needed: this is the public form's workflow. 201 with the registration's id and status
    (`confirmed`, `waitlisted` or `pending_approval`); the person gets an email with a link to see or
    cancel it. Refusals answer 409 (`reason`: closed, full, duplicate, cancelled_event) or 422 (invalid
    answers, each named in `errors`), and write nothing. Posts are limited per client address
    (REGISTRATION_RATE per hour)."""
    verdict = ratelimit.hit(f"register:{ratelimit.client_ip(request) or 'unknown'}", settings.REGISTRATION_RATE, 3600)
    request.api_rate = verdict
    if not verdict.allowed:
        raise RateLimited(f"Too many registrations from this address; retry after {verdict.reset} seconds.",
                          headers=verdict.headers())
    item = _event(slug)
    language = translation.get_language_from_request(request) or settings.LANGUAGE_CODE
    try:
        registration = workflows.register(item, name=payload.name, email=payload.email, answers=payload.answers,
                                          language=language)
    except workflows.Refused as refusal:
        raise Refused(refusal) from None
    return Status(201, {"id": registration.pk, "status": registration.status})
