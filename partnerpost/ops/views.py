"""/healthz, /readyz and /metrics: for load balancers, orchestrators and Prometheus, not for people."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from partnerpost.network.ratelimit import client_ip

from . import checks, metrics


@never_cache
@require_GET
def healthz(request):
    """The process is alive and answers; it asks nothing of the database or the cache."""
    return JsonResponse({"status": "alive"})


@never_cache
@require_GET
def readyz(request):
    """Ready for traffic: database, migrations, cache and task queue; 503 names each that failed."""
    outcome = checks.readiness()
    return JsonResponse(outcome, status=200 if not outcome["failing"] else 503)


def metrics_allowed(request) -> bool:
    """A caller from METRICS_ALLOWED_NETWORKS (loopback by default), or one that sends METRICS_TOKEN as
    `Authorization: Bearer <token>`."""
    token = settings.METRICS_TOKEN
    sent = request.META.get("HTTP_AUTHORIZATION", "")
    if token and sent.startswith("Bearer ") and hmac.compare_digest(sent[7:].strip().encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


@never_cache
@require_GET
def metrics_view(request):
    if not metrics_allowed(request):
        return HttpResponse("Metrics are open to the networks in METRICS_ALLOWED_NETWORKS, or with METRICS_TOKEN.\n",
                            status=403, content_type="text/plain; charset=utf-8")
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
