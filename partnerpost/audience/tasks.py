"""Background tasks of the audience app (django-tasks; see README, "Background tasks").

The subscription form answers at once and the same way for every address; the confirmation email is
sent here, in the background, so neither the answer's content nor its timing tells whether an address
was already subscribed. A relay that is down does not lose the confirmation: the task tries again
later, waiting twice as long each time.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from .models import Subscriber

log = logging.getLogger(__name__)

#: Tries in all, and the wait before the second; it doubles each time (1, 2, 4 ... 64 minutes: about two hours).
CONFIRMATION_TRIES = 8
CONFIRMATION_FIRST_WAIT = dt.timedelta(minutes=1)


class ConfirmationNotSent(Exception):
    pass


@task()
def send_confirmation(subscriber_id: int, attempt: int = 1) -> str:
    """Send a pending subscriber the confirmation link, if one is due. Returns what happened."""
    from .workflows import confirmation_due, deliver_confirmation

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not confirmation_due(subscriber):
        return "nothing due"
    if deliver_confirmation(subscriber):
        return "sent"
    if attempt >= CONFIRMATION_TRIES:
        raise ConfirmationNotSent(f"The relay did not take the confirmation for subscriber {subscriber_id} in {attempt} tries.")
    if not send_confirmation.get_backend().supports_defer:
        raise ConfirmationNotSent(f"The relay did not take the confirmation for subscriber {subscriber_id}, and "
                                  "TASKS_BACKEND=immediate cannot try again later.")
    wait = CONFIRMATION_FIRST_WAIT * 2 ** (attempt - 1)
    retry = send_confirmation.using(run_after=timezone.now() + wait).enqueue(subscriber_id, attempt + 1)
    log.warning("Confirmation for subscriber %s not sent (try %d); trying again in %s (task %s)", subscriber_id, attempt, wait, retry.id)
    return f"not sent; try {attempt + 1} queued"
