"""The interactive API docs page, made to work under the site's strict Content-Security-Policy.

django-ninja's own Swagger page loads Swagger UI from its bundled static files, but we
render our own template: no inline script or style at all (the settings travel in a
JSON data block that the browser never executes), our start-up script from /static/,
no calls to outside validators, and no CDN.
"""

from __future__ import annotations

from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class CspSwagger(DocsBase):
    template = "api/docs.html"

    def render_page(self, request, api, **kwargs):
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "deepLinking": True,
            "layout": "BaseLayout",
            "validatorUrl": None,
            "tryItOutEnabled": False,
            "persistAuthorization": False,
            "displayRequestDuration": True,
        }
        return render(request, self.template, {"api": api, "swagger_settings": settings})
