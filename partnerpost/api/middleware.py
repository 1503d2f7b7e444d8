"""CORS for the API: any web page may read, none may write.

GET and HEAD answers under /api/ carry `Access-Control-Allow-Origin: *`; a preflight is
granted only for GET or HEAD and only for the headers a public read needs, so no
browser will send a token (Authorization) or a write across origins. A preflight for
anything else is answered 403 with no CORS headers, which browsers treat as a refusal.
Also answers HEAD for every GET of the API.
"""

from __future__ import annotations

import json

from django.http import HttpResponse

READ_METHODS = {"GET", "HEAD"}
ALLOWED_HEADERS = {"accept", "accept-language", "content-language", "if-none-match"}
EXPOSED_HEADERS = "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"
PREFLIGHT_MAX_AGE = 86400


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class ApiCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_api(request):
            return self.get_response(request)
        if request.method == "OPTIONS" and "access-control-request-method" in request.headers:
            return self._preflight(request)
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = self.get_response(request)
        if head:
            request.method = "HEAD"
            length = len(response.content) if not response.streaming else None
            response.content = b""
            if length is not None:
                response["Content-Length"] = str(length)
        if request.method in READ_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response

    def _preflight(self, request):
        method = request.headers["access-control-request-method"].strip().upper()
        asked = {h.strip().lower() for h in request.headers.get("access-control-request-headers", "").split(",") if h.strip()}
        if method not in READ_METHODS or not asked <= ALLOWED_HEADERS:
            body = {"detail": "Cross-origin requests to this API may only read (GET or HEAD), without credentials. "
                              "Writes are for a partner's servers, with a token."}
            return HttpResponse(json.dumps(body), status=403, content_type="application/json")
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = ", ".join(sorted(ALLOWED_HEADERS))
        response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        return response


class ApiLanguageMiddleware:
    """The API speaks the caller's language: error messages follow Accept-Language (one of the
    interface languages, English otherwise), and the answer says which in Content-Language.
    Pages take their language from the address instead (/fr/, /ar/...)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_api(request):
            return self.get_response(request)
        from django.utils import translation

        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        vary = response.headers.get("Vary", "")
        if "accept-language" not in vary.lower():
            response["Vary"] = f"{vary}, Accept-Language" if vary else "Accept-Language"
        return response
