from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from partnerpost.network import ratelimit
from partnerpost.network.permissions import is_editor
from partnerpost.network.access import require

from . import workflows
from .enums import ConsentSource, SubscriberStatus
from .forms import CONSENT_TEXT, PreferencesForm, SubscribeForm
from .models import Subscriber, hash_ip
from .tokens import TokenError, read_token


def client_ip(request) -> str | None:
    """The reader's address, by the site's one rule (API_TRUSTED_PROXIES); None when unknown."""
    return ratelimit.client_ip(request) or None


def _rate_limited(request) -> bool:
    """At most SUBSCRIBE_RATE form posts per client address per hour (0: none at all, as before)."""
    if settings.SUBSCRIBE_RATE <= 0:
        return True
    verdict = ratelimit.hit(f"subscribe:{hash_ip(client_ip(request))}", settings.SUBSCRIBE_RATE, window=3600)
    return not verdict.allowed


def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        if _rate_limited(request):
            return render(request, "audience/subscribe.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            if not data["website"]:
                workflows.request_subscription(
                    data["email"], name=data["name"], language=data["language"], partners=data["partners"],
                    themes=data["themes"], ip=client_ip(request), text_shown=str(CONSENT_TEXT),
                )
            # The same answer whether the address is new, pending or already subscribed.
            return render(request, "audience/check_inbox.html", {"email": data["email"]})
    return render(request, "audience/subscribe.html", {"form": form})


def _subscriber_or_error(request, token, purpose):
    try:
        return read_token(token, purpose), None
    except TokenError as exc:
        reason = str(exc)
        return None, render(request, "audience/bad_link.html", {"expired": reason == "expired", "purpose": purpose}, status=410 if reason == "expired" else 404)


def confirm(request, token):
    subscriber, error = _subscriber_or_error(request, token, "confirm")
    if error:
        return error
    if request.method == "POST":
        workflows.confirm(subscriber, ip=client_ip(request))
        subscriber.refresh_from_db()
        return render(request, "audience/confirmed.html", {"subscriber": subscriber, "links": workflows.links(subscriber)})
    return render(request, "audience/confirm.html", {"subscriber": subscriber})


def preferences(request, token):
    subscriber, error = _subscriber_or_error(request, token, "manage")
    if error:
        return error
    initial = {"name": subscriber.name, "language": subscriber.language,
               "partners": subscriber.partners.all(), "themes": subscriber.themes.all()}
    form = PreferencesForm(request.POST or None, initial=initial)
    saved = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        workflows.update_preferences(subscriber, name=data["name"], language=data["language"],
                                     partners=data["partners"], themes=data["themes"], ip=client_ip(request))
        saved = True
    return render(request, "audience/preferences.html", {"subscriber": subscriber, "form": form, "saved": saved, "token": token})


@csrf_exempt
def unsubscribe(request, token):
    """GET asks (mail scanners follow links); POST unsubscribes at once, also as RFC 8058 one-click."""
    subscriber, error = _subscriber_or_error(request, token, "manage")
    if error:
        return error
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        workflows.unsubscribe(subscriber, source=ConsentSource.ONE_CLICK if one_click else ConsentSource.EMAIL_LINK, ip=client_ip(request))
        if one_click:
            return HttpResponse(_("You are unsubscribed."), content_type="text/plain; charset=utf-8")
        return render(request, "audience/unsubscribed.html", {"subscriber": subscriber, "token": token})
    return render(request, "audience/unsubscribe.html", {"subscriber": subscriber, "token": token})


@require(is_editor)
def subscriber_list(request):
    rows = Subscriber.objects.select_related("country")
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    language = request.GET.get("language", "")
    country = request.GET.get("country", "")
    error = ""
    refused = [name for name, value in (("q", q), ("language", language), ("country", country)) if "\x00" in value]
    if refused:
        # PostgreSQL cannot compare text holding NUL; no address or name holds one, so nothing matches.
        error = _("%(field)s: the text contains a NUL character, which no subscriber's details can hold.") % {
            "field": {"q": _("Search"), "language": _("Language"), "country": _("Country")}[refused[0]]}
        rows = rows.none()
        q, language, country = (value.replace("\x00", "") for value in (q, language, country))
    if q:
        rows = rows.filter(Q(email_key__contains=q.lower()) | Q(name__icontains=q) | Q(organization__icontains=q))
    if status in SubscriberStatus.values:
        rows = rows.filter(status=status)
    if language:
        rows = rows.filter(language=language)
    if country:
        rows = rows.filter(country_id=country.upper())
    if request.GET.get("format") == "csv" and not error:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        workflows.export_csv(response, rows)
        return response
    everyone = Subscriber.objects.order_by()
    counts = {
        "status": dict(everyone.values_list("status").annotate(n=Count("id"))),
        "language": list(everyone.values_list("language").annotate(n=Count("id")).order_by("-n")[:10]),
        "country": list(everyone.exclude(country=None).values_list("country__name").annotate(n=Count("id")).order_by("-n")[:10]),
        "total": everyone.count(),
    }
    page = Paginator(rows.order_by("email_key"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audience/subscriber_list.html", {
        "page": page, "counts": counts, "statuses": SubscriberStatus.choices, "query": query.urlencode(),
        "filters": {"q": q, "status": status, "language": language, "country": country}, "error": error,
    }, status=400 if error else 200)
