"""Background tasks of the mailing app (django-tasks; see README, "Background tasks").

Only the queueing of an edition runs here. The sending itself stays with `partnerpost worker`, which
works through the delivery outbox over pooled SMTP connections.
"""

from django_tasks import task

from partnerpost.editions.models import Edition
from partnerpost.network.permissions import OPERATOR

from .outbox import send_edition as queue_deliveries


@task()
def send_edition(edition_id: int) -> dict:
    """Queue an edition for every confirmed subscriber, as `partnerpost send SLUG` does, when its time comes.

    Run by the task worker, so on the operator's behalf (OPERATOR: no user in the audit row). A SendError (the edition was unpublished
    meanwhile...) fails the task, with its message in `partnerpost tasks list`."""
    edition = Edition.objects.get(pk=edition_id)
    added = queue_deliveries(OPERATOR, edition)
    return {"edition": edition.slug, "queued": added}
