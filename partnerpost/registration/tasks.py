"""Background tasks of registration (django-tasks; `partnerpost tasks worker` queues the periodic ones)."""

from __future__ import annotations

from django_tasks import task

from . import workflows


@task()
def registration_upkeep() -> dict:
    """Every few minutes: places offered in the last 24 hours before an event and not accepted in time pass
    to the next person waiting, and so do places whose invoice is unpaid past its due day; reminders that are due go out; personal data past its keeping time is deleted. Returns how many of each."""
    return {"lapsed": workflows.lapse_offers(), "released_unpaid": workflows.release_unpaid(),
            "reminded": workflows.send_reminders(),
            "purged": workflows.purge_personal_data()}
