"""Thin views: the public form, the registrant's signed link, and the organizer's settings page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from partnerpost.content.models import Item
from partnerpost.network import ratelimit
from partnerpost.network.access import require
from partnerpost.network.permissions import can_use_workspace

from . import workflows
from .enums import Status
from .forms import RegisterForm, SettingsForm
from .models import RegistrationSettings
from .permissions import can_manage
from .tokens import read_token


def box_context(item, form=None) -> dict | None:
    """What the event page shows about registration (None when the event takes none here)."""
    config = workflows.settings_for(item) if item.is_event else None
    if config is None or not config.enabled:
        return None
    config.item = item
    figures = workflows.summary(item, config)
    places_left = None if config.capacity is None else max(0, config.capacity - figures["confirmed"])
    return {"config": config, "figures": figures, "places_left": places_left,
            "form": form if form is not None else RegisterForm(config), "close": config.effective_close()}


def _live_event(slug):
    item = get_object_or_404(Item.objects.published().events().select_related("partner"), slug=slug)
    return item


@require_POST
def register(request, slug):
    item = _live_event(slug)
    box = box_context(item)
    if box is None:
        raise Http404(_("This event takes no registrations here."))
    form = RegisterForm(box["config"], request.POST)
    verdict = ratelimit.hit(f"register:{ratelimit.client_ip(request) or 'unknown'}", settings.REGISTRATION_RATE, 3600)
    refusal = None
    if not verdict.allowed:
        refusal = _("Too many registrations from this address. Please try again later.")
    elif form.is_valid():
        try:
            registration = workflows.register(item, name=form.cleaned_data["name"], email=form.cleaned_data["email"],
                                              answers=form.answers(), language=translation.get_language())
        except workflows.Refused as exc:
            form.add_refusal(exc.errors)
            refusal = " ".join(exc.errors.get("registration", []) + exc.errors.get("email", []))
        else:
            return render(request, "registration/registered.html", {"item": item, "registration": registration})
    box["form"] = form
    return render(request, "registration/register.html", {"item": item, "box": box, "refusal": refusal}, status=400)


def manage(request, token):
    """The registrant's own page, reached from the signed link in their emails: see, cancel, accept an offer."""
    registration = read_token(token)
    if registration is None:
        return render(request, "registration/bad_link.html", status=404)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                workflows.cancel_registration(registration)
                messages.success(request, _("Your registration is cancelled."))
            elif action == "accept":
                workflows.accept_offer(registration)
                messages.success(request, _("The place is yours: your registration is confirmed."))
            else:
                raise Http404
        except workflows.Refused as exc:
            messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
        return redirect("registration:manage", token)
    registration.refresh_from_db()
    return render(request, "registration/manage.html", {
        "registration": registration, "item": registration.item, "token": token,
        "can_cancel": registration.status in (Status.PENDING_APPROVAL, Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED),
        "can_accept": registration.status == Status.OFFERED})


def _managed_event(user, pk) -> Item:
    item = get_object_or_404(Item.objects.events().select_related("partner"), pk=pk)
    if not can_manage(user, item):
        raise PermissionDenied
    return item


@require(can_use_workspace)
def edit_settings(request, pk):
    item = _managed_event(request.user, pk)
    config = RegistrationSettings.objects.filter(item=item).first()
    initial = {} if config else {"capacity": item.capacity, "fee_amount": item.fee_amount, "fee_currency": item.fee_currency}
    form = SettingsForm(request.POST or None, instance=config, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            workflows.save_settings(request.user, item, form.values())
        except ValidationError as exc:
            form.add_domain_errors(exc.message_dict)
        else:
            messages.success(request, _("The registration settings are saved."))
            return redirect("registration:settings", item.pk)
    return render(request, "registration/settings.html", {"item": item, "form": form, "config": config})


# -- the organizer's desk ---------------------------------------------------------------------------------

@require(can_use_workspace)
def desk(request, pk):
    item = _managed_event(request.user, pk)
    config = workflows.settings_for(item)
    query, status = request.GET.get("q", "").strip()[:200], request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    rows = workflows.registrations_for(request.user, item, query=query, status=status).select_related("invoice")
    counts = workflows.status_counts(item)
    audit = item.registration_audit.select_related("actor", "registration").order_by("-at", "-pk")[:100]
    return render(request, "registration/desk.html", {
        "item": item, "config": config, "rows": rows, "query": query, "status": status,
        "counts": [(value, label, counts[value]) for value, label in Status.choices], "audit": audit,
        "statuses": Status})


@require(can_use_workspace)
def export(request, pk, fmt):
    from django.http import HttpResponse

    from . import exports

    item = _managed_event(request.user, pk)
    rows = workflows.registrations_for(request.user, item, query=request.GET.get("q", "")[:200],
                                       status=request.GET.get("status", "") if request.GET.get("status") in Status.values else "")
    config = workflows.settings_for(item)
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(config, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.as_xlsx(config, rows),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="registrations-{item.slug}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require(can_use_workspace)
@require_POST
def change(request, pk, registration_id, action):
    from django.shortcuts import get_object_or_404 as get

    from .models import Registration

    item = _managed_event(request.user, pk)
    registration = get(Registration, pk=registration_id, item=item)
    try:
        if action == "approve":
            workflows.approve_registration(request.user, registration)
            messages.success(request, _("Approved."))
        elif action == "remove":
            outcome = workflows.remove_registration(request.user, registration, note=request.POST.get("note", "")[:500])
            messages.success(request, _("Removed.") + (" " + _("The first person waiting has the place.") if outcome.promoted else ""))
        else:
            raise Http404
    except workflows.Refused as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    return redirect("registration:desk", item.pk)


# -- invoices ---------------------------------------------------------------------------------------------

def _pdf(content: bytes, filename: str):
    from django.http import HttpResponse

    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def invoice_for_registrant(request, token):
    from .documents import invoice_pdf

    registration = read_token(token)
    invoice = getattr(registration, "invoice", None) if registration else None
    if invoice is None:
        raise Http404
    return _pdf(invoice_pdf(invoice), f"invoice-{invoice.number}.pdf")


@require(can_use_workspace)
def invoice_for_organizer(request, pk, number):
    from .documents import invoice_pdf
    from .models import Invoice

    item = _managed_event(request.user, pk)
    invoice = get_object_or_404(Invoice.objects.select_related("registration__item__partner"), number=number, registration__item=item)
    return _pdf(invoice_pdf(invoice), f"invoice-{invoice.number}.pdf")


@require(can_use_workspace)
@require_POST
def mark_paid(request, pk, number):
    from .models import Invoice

    item = _managed_event(request.user, pk)
    invoice = get_object_or_404(Invoice, number=number, registration__item=item)
    try:
        workflows.mark_invoice_paid(request.user, invoice, amount=request.POST.get("amount", ""),
                                    reference=request.POST.get("reference", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, _("Invoice %(number)s is marked paid.") % {"number": number})
    return redirect("registration:desk", item.pk)


@require(can_use_workspace)
def payments_upload(request, pk):
    item = _managed_event(request.user, pk)
    problems = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [_("Choose a CSV file.")]
        elif upload.size > 2 * 1024 * 1024:
            problems = [_("The file is larger than 2 MB.")]
        else:
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                problems = [_("The file is not UTF-8 text.")]
            else:
                try:
                    paid = workflows.import_payments(request.user, item, text)
                except ValidationError as exc:
                    problems = exc.message_dict.get("csv", [])
                else:
                    from django.utils.translation import ngettext

                    messages.success(request, ngettext("%(n)d invoice marked paid.", "%(n)d invoices marked paid.", len(paid)) % {"n": len(paid)})
                    return redirect("registration:desk", item.pk)
    return render(request, "registration/payments.html", {"item": item, "problems": problems},
                  status=400 if problems else 200)


# -- attendance and certificates --------------------------------------------------------------------------

def _parse_sessions(text: str):
    import datetime as dt

    from django.utils import timezone as tz

    sessions, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        when, _sep, title = line.partition("|")
        when, title = when.strip(), title.strip()
        starts = None
        if when:
            try:
                starts = tz.make_aware(dt.datetime.strptime(when, "%Y-%m-%d %H:%M"), dt.UTC)
            except ValueError:
                problems.append(_("Line %(n)d: write the start as YYYY-MM-DD HH:MM (UTC), then | and the title.") % {"n": number})
                continue
        sessions.append((starts, title))
    return sessions, problems


@require(can_use_workspace)
def attendance(request, pk):
    from .models import Attendance, Registration

    item = _managed_event(request.user, pk)
    problems = []
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "sessions":
                sessions, problems = _parse_sessions(request.POST.get("sessions", ""))
                if not problems:
                    workflows.save_sessions(request.user, item, sessions)
                    messages.success(request, _("The sessions are saved."))
            elif action == "mark":
                session = get_object_or_404(workflows.EventSession, pk=request.POST.get("session"), item=item)
                present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
                for registration in Registration.objects.filter(item=item, status=Status.CONFIRMED):
                    workflows.mark_attendance(request.user, session, registration, present=registration.pk in present)
                messages.success(request, _("Attendance at “%(title)s” is saved.") % {"title": session.title})
            elif action == "csv":
                upload = request.FILES.get("file")
                if upload is None or upload.size > 2 * 1024 * 1024:
                    problems = [_("Choose a CSV file of at most 2 MB.")]
                else:
                    count = workflows.import_attendance(request.user, item, upload.read().decode("utf-8", errors="replace"))
                    messages.success(request, ngettext("%(n)d attendance mark added.", "%(n)d attendance marks added.", count) % {"n": count})
            elif action == "certificates":
                issued = workflows.issue_certificates(request.user, item)
                messages.success(request, ngettext("%(n)d certificate issued and emailed.", "%(n)d certificates issued and emailed.", len(issued)) % {"n": len(issued)})
        except ValidationError as exc:
            problems = [m for ms in exc.message_dict.values() for m in ms]
        if not problems:
            return redirect("registration:attendance", item.pk)
    sessions = workflows.sessions_for(item)
    people = list(Registration.objects.filter(item=item, status=Status.CONFIRMED).select_related("certificate").order_by("name", "pk"))
    marks = set(Attendance.objects.filter(session__item=item).values_list("registration_id", "session_id"))
    rows = [{"registration": r, "marks": [(s, (r.pk, s.pk) in marks) for s in sessions],
             "count": sum((r.pk, s.pk) in marks for s in sessions),
             "certificate": getattr(r, "certificate", None)} for r in people]
    sessions_text = "\n".join(f"{s.starts_at:%Y-%m-%d %H:%M} | {s.title}" if s.starts_at else f" | {s.title}" for s in sessions)
    return render(request, "registration/attendance.html", {
        "item": item, "sessions": sessions, "rows": rows, "problems": problems, "sessions_text": sessions_text,
        "config": workflows.settings_for(item)}, status=400 if problems else 200)


@require(can_use_workspace)
def checkin(request, token):
    from .models import Registration
    from .tokens import read_checkin

    pk = read_checkin(token)
    registration = get_object_or_404(Registration.objects.select_related("item"), pk=pk) if pk else None
    if registration is None:
        raise Http404(_("This check-in code is not valid."))
    item = _managed_event(request.user, registration.item_id)
    sessions = workflows.sessions_for(item)
    if request.method == "POST":
        session = get_object_or_404(workflows.EventSession, pk=request.POST.get("session"), item=item)
        try:
            changed = workflows.mark_attendance(request.user, session, registration, method="qr")
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        else:
            messages.success(request, _("%(name)s is marked present at “%(title)s”.") % {"name": registration.name, "title": session.title}
                             if changed else _("%(name)s was already marked present.") % {"name": registration.name})
        return redirect("registration:checkin", token)
    present = set(registration.attendances.values_list("session_id", flat=True))
    return render(request, "registration/checkin.html", {"item": item, "registration": registration, "sessions": sessions,
                                                         "present": present})


def certificate_check(request, code):
    from .models import Certificate

    certificate = get_object_or_404(Certificate.objects.select_related("registration__item__partner"), code=code)
    return render(request, "registration/certificate_check.html", {
        "certificate": certificate, "registration": certificate.registration, "item": certificate.registration.item})


def certificate_download(request, code):
    from .documents import certificate_pdf
    from .models import Certificate

    certificate = get_object_or_404(Certificate.objects.select_related("registration__item__partner"), code=code)
    return _pdf(certificate_pdf(certificate), f"certificate-{code[:8]}.pdf")
