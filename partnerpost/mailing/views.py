from django.conf import settings
from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from partnerpost.editions.models import Edition
from partnerpost.network.permissions import can_use_workspace, is_editor
from partnerpost.network.access import require

from . import outbox as sending
from . import workflows
from .forms import SendForm
from .models import OutboxMessage, SendAuditEntry


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


def _edition(pk) -> Edition:
    return get_object_or_404(Edition, pk=pk)


@require(is_editor)
@require_POST
def sending_action(request, pk, verb):
    """The buttons of the sending desk on the edition's page: pause, resume, cancel, resend failed deliveries."""
    edition = _edition(pk)
    try:
        if verb == "resume":
            if sending.resume_send(request.user, edition):
                messages.success(request, _("Sending resumed."))
            else:
                messages.info(request, _("Sending was not paused."))
        elif verb == "pause":
            workflows.pause_sending(request.user, edition)
            messages.success(request, _("Sending paused. Nothing more goes out until you resume it."))
        elif verb == "cancel":
            cancelled = workflows.cancel_send(request.user, edition)
            if cancelled.schedule is not None:
                messages.success(request, _("The send scheduled for %(when)s is cancelled.") % {
                    "when": date_format(timezone.localtime(cancelled.schedule.run_at), "DATETIME_FORMAT")})
            if cancelled.deliveries:
                messages.success(request, ngettext(
                    "%(n)d waiting delivery cancelled.", "%(n)d waiting deliveries cancelled.", cancelled.deliveries) % {"n": cancelled.deliveries})
        elif verb == "retry-failed":
            count = sending.retry_failed(request.user, edition)
            messages.success(request, _("%(n)d failed deliveries queued again.") % {"n": count})
        else:
            raise Http404
    except sending.SendError as exc:
        messages.error(request, str(exc))
    return redirect("compose:edition", edition.pk)


@require(is_editor)
@require_POST
def send_test_view(request, pk):
    edition = _edition(pk)
    try:
        sent = workflows.send_test(request.user, edition, request.POST.get("addresses", ""))
    except sending.SendError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Test sent to %(addresses)s.") % {"addresses": ", ".join(sent)})
    return redirect("compose:edition", edition.pk)


@require(is_editor)
def confirm(request, pk):
    """The confirm step of "Send to N subscribers": the number, then now or at a set time."""
    edition = _edition(pk)
    recipients = workflows.recipients_count(edition)
    form = SendForm(request.POST or None, initial={"when": "now", "expected": recipients})
    changed = ""
    if request.method == "POST" and form.is_valid():
        seen = form.cleaned_data["expected"]
        if seen != recipients:
            form = SendForm(initial={"when": form.cleaned_data["when"], "at": form.cleaned_data["at"], "expected": recipients})
            changed = _("The number of recipients changed from %(old)d to %(new)d since the page was opened; "
                        "check it and confirm again.") % {"old": seen, "new": recipients}
        else:
            try:
                if form.cleaned_data["when"] == "now":
                    count = workflows.start_send(request.user, edition)
                    messages.success(request, ngettext("Sending to %(n)d subscriber has started.", "Sending to %(n)d subscribers has started.", count) % {"n": count})
                else:
                    schedule = workflows.schedule_send(request.user, edition, form.cleaned_data["at"])
                    messages.success(request, _("The edition will be sent at %(when)s.") % {
                        "when": date_format(timezone.localtime(schedule.run_at), "DATETIME_FORMAT")})
                return redirect("compose:edition", edition.pk)
            except sending.SendError as exc:
                form.add_error("at" if form.cleaned_data["when"] == "later" else None, str(exc))
    return render(request, "mailing/send_confirm.html", {
        "edition": edition, "form": form, "changed": changed, "recipients": recipients, "schedule": workflows.waiting_schedule(edition),
        "time_zone": settings.TIME_ZONE,
    })


@require(is_editor)
def progress_fragment(request, pk):
    """The desk's live part, polled by htmx while a send runs or waits for its time. HTTP 286 tells htmx
    to stop polling once there is nothing more to follow."""
    edition = _edition(pk)
    context = {"edition": edition, "d": workflows.desk(edition)}
    response = render(request, "mailing/_desk_status.html", context)
    if not context["d"]["polling"]:
        response.status_code = 286
    return response


@require(is_editor)
def report(request, pk):
    edition = _edition(pk)
    return render(request, "mailing/report.html", {
        "edition": edition, "counts": workflows.send_counts(edition), "problems": workflows.problems(edition),
        "limit": 500, "audit": SendAuditEntry.objects.filter(edition=edition).select_related("actor").order_by("at", "id"),
        "schedules": edition.scheduled_sends.select_related("scheduled_by"),
    })


@require(is_editor)
def report_csv(request, pk):
    edition = _edition(pk)
    response = StreamingHttpResponse(workflows.report_csv_lines(edition), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deliveries-{edition.slug}.csv"'
    return response


@require(can_use_workspace)
def registrant_messages(request, pk):
    """An event's messages to its registrants: the form to write one, and how each is going
    (sent, waiting, failed). The registration desk loads it as a fragment (htmx); alone, a page."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from partnerpost.content.models import Item
    from partnerpost.registration.forms import EmailForm
    from partnerpost.registration.permissions import can_manage

    event = get_object_or_404(Item.objects.events(), pk=pk)
    if not can_manage(request.user, event):
        raise PermissionDenied
    form = EmailForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                broadcast = workflows.send_to_registrants(request.user, event, data["audience"], data["subject"], data["message"])
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                count = broadcast.deliveries.count()
                messages.success(request, ngettext("%(n)d email is on its way.", "%(n)d emails are on their way.", count) % {"n": count})
                return redirect("registration:desk", event.pk)
    context = {"item": event, "form": form, "broadcasts": workflows.registrant_messages(request.user, event)}
    fragment = request.headers.get("HX-Request") == "true" and request.method == "GET"
    return render(request, "mailing/_registrant_messages.html" if fragment else "mailing/registrant_messages.html", context,
                  status=400 if request.method == "POST" else 200)
