from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from partnerpost.network.permissions import is_editor
from partnerpost.network.access import require

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
