"""Background tasks of the mailing app (django-tasks; see README, "Background tasks").

Only the queueing of an edition runs here. The sending itself stays with `partnerpost worker`, which
works through the delivery outbox over pooled SMTP connections.
"""

from django_tasks import task

from partnerpost.editions.models import Edition


@task(takes_context=True)
def send_edition(context, edition_id: int) -> dict:
    """Queue an edition for every confirmed subscriber when its time comes: a send scheduled on the
    edition's page or with `partnerpost send SLUG --at`.

    Run by the task worker, on the operator's behalf (no user in the audit rows; the schedule keeps
    who asked for it). A schedule cancelled meanwhile queues nothing. A SendError (the edition was
    unpublished meanwhile...) fails the task, with its message in `partnerpost tasks list`."""
    from .workflows import run_scheduled_send

    edition = Edition.objects.get(pk=edition_id)
    added = run_scheduled_send(edition, str(context.task_result.id))
    if added is None:
        return {"edition": edition.slug, "queued": 0, "cancelled": True}
    return {"edition": edition.slug, "queued": added}
