"""/api/: the JSON API (see endpoints.py), its OpenAPI document at /api/openapi.json and docs at /api/docs."""

from django.http import JsonResponse
from django.urls import path, re_path, reverse

from .endpoints import api


def index(request):
    """Where to start: the document and the docs."""
    return JsonResponse({
        "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        "docs": request.build_absolute_uri(reverse("api:openapi-view")),
    })


def not_found(request, rest=""):
    """Any other address under /api/ answers in JSON too, never with the site's HTML page."""
    return JsonResponse(
        {"detail": "No such API address. The operations are listed at /api/docs.", "errors": None}, status=404
    )


app_name = "api"
urlpatterns = [
    path("", index, name="index"),
    *api.urls[0],
    re_path(r"^(?P<rest>.*)$", not_found),
]
