"""Background tasks of registration (django-tasks; `partnerpost tasks worker` queues the periodic ones)."""

from __future__ import annotations

from django_tasks import task

from . import workflows


@task()
def registration_upkeep() -> dict:
    """Every few minutes: places offered in the last 24 hours before an event and not accepted in time pass
    to the next person waiting. Returns how many of each thing it did."""
    return {"lapsed": workflows.lapse_offers()}
