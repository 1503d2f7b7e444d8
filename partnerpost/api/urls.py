"""/api/: the JSON API (see endpoints.py), its OpenAPI document at /api/openapi.json and docs at /api/docs."""

from .endpoints import api

app_name = "api"
urlpatterns = api.urls[0]
