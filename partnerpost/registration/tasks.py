"""Background tasks of registration (django-tasks; `partnerpost tasks worker` queues the periodic ones)."""

from __future__ import annotations

from django_tasks import task

from . import emails, workflows
from .models import Registration


@task()
def registration_upkeep() -> dict:
    """Every few minutes: places offered in the last 24 hours before an event and not accepted in time pass
    to the next person waiting, and so do places whose invoice is unpaid past its due day; reminders that are due go out; personal data past its keeping time is deleted. Returns how many of each."""
    return {"lapsed": workflows.lapse_offers(), "released_unpaid": workflows.release_unpaid(),
            "reminded": workflows.send_reminders(),
            "purged": workflows.purge_personal_data()}


@task()
def send_registrant_message(registration_id: int, subject: str, message: str) -> int:
    """One organizer's message to one registrant (queued by workflows.email_registrants)."""
    registration = Registration.objects.select_related("item").filter(pk=registration_id, purged_at__isnull=True).first()
    if registration is None:
        return 0
    return emails.send("message", registration, {"subject": subject, "message": message})
