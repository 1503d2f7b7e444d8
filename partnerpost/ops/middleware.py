"""One middleware, first in the chain: the request id, the request's metrics and its access-log line."""

from __future__ import annotations

import logging
import time

from . import logs, metrics

access_log = logging.getLogger("partnerpost.requests")


class RequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = logs.new_request_id(request.META.get("HTTP_X_REQUEST_ID", ""))
        token = logs.set_request_id(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            match = getattr(request, "resolver_match", None)
            # The view's route name, not the address: a bounded set of labels whatever crawlers ask for.
            view = (match.view_name or match._func_path) if match else "unmatched"
            face = ""
            if match and match.url_name == "search":
                face = "api" if request.path.startswith("/api/") else "page"
            metrics.observe_request(view, request.method, response.status_code, seconds, search_face=face)
            response["X-Request-ID"] = request_id
            access_log.info("%s %s %s", request.method, request.path, response.status_code,
                            extra={"method": request.method, "path": request.path, "status": response.status_code,
                                   "view": view, "duration_ms": round(seconds * 1000, 1)})
            return response
        finally:
            logs.reset_request_id(token)
