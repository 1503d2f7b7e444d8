from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerpost.editions.models import Edition
from partnerpost.network.permissions import is_editor
from partnerpost.network.access import require

from . import outbox as sending
from .models import OutboxMessage


def _check(request):
    if not settings.EMAIL_BACKEND.endswith("OutboxBackend"):
        raise Http404("The outbox is only used when EMAIL_URL is outbox:")


@require(is_editor)
def outbox(request):
    _check(request)
    rows = OutboxMessage.objects.all()[:200]
    return render(request, "mailing/outbox.html", {"outbox_messages": rows})


@require(is_editor)
def outbox_message(request, pk):
    _check(request)
    message = get_object_or_404(OutboxMessage, pk=pk)
    return render(request, "mailing/outbox_message.html", {"message": message})


@require(is_editor)
@require_POST
def sending_action(request, pk, verb):
    """The buttons of the sending panel on the edition's page: resume a paused send, resend failed deliveries."""
    edition = get_object_or_404(Edition, pk=pk)
    try:
        if verb == "resume":
            if sending.resume_send(request.user, edition):
                messages.success(request, _("Sending resumed."))
            else:
                messages.info(request, _("Sending was not paused."))
        elif verb == "retry-failed":
            count = sending.retry_failed(request.user, edition)
            messages.success(request, _("%(n)d failed deliveries queued again.") % {"n": count})
        else:
            raise Http404
    except sending.SendError as exc:
        messages.error(request, str(exc))
    return redirect("compose:edition", edition.pk)
