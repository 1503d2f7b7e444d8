"""The sending panel on an edition's page in the workspace.

The composer (editions) sits below mailing and may not import it; its template loads this tag
instead, so the page shows the send's progress, a pause and its reason, and the buttons that
resume it or queue failed deliveries again."""

from django import template

from partnerpost.mailing.models import Delivery, DeliveryStatus
from partnerpost.mailing.outbox import paused, progress

register = template.Library()


@register.inclusion_tag("mailing/_sending_panel.html", takes_context=True)
def sending_panel(context, edition):
    counts = progress(edition) if edition.pk else {"total": 0}
    retryable = 0
    if counts["total"] and counts.get(DeliveryStatus.FAILED):
        from partnerpost.audience.models import Subscriber

        retryable = Delivery.objects.filter(edition=edition, status=DeliveryStatus.FAILED,
                                            subscriber__in=Subscriber.objects.receiving()).count()
    return {
        "edition": edition, "counts": counts, "pause": paused(edition) if counts["total"] else None,
        "retryable": retryable, "csrf_token": context.get("csrf_token"),
    }
