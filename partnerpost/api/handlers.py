"""Error mapping: every failure, ours or django-ninja's, answers {"detail": ..., "errors": ...} with its status."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from . import pagination
from .errors import ApiError, BadRequest, InvalidInput, NotFound
from .openapi import api


def error_response(request, exc: ApiError):
    response = api.create_response(request, exc.body(), status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="partnerpost", error="invalid_token"'
    return response


@api.exception_handler(ApiError)
def _api_error(request, exc):
    return error_response(request, exc)


@api.exception_handler(pagination.CursorError)
def _cursor_error(request, exc):
    return error_response(request, BadRequest(str(exc), {"cursor": [str(exc).removeprefix("cursor: ")]}))


def _error_key(loc) -> str:
    parts = list(loc[1:])
    if loc and loc[0] == "body" and parts[:1] == ["payload"]:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or str(loc[0] if loc else "body")


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        message = str(error.get("msg", "Not valid.")).removeprefix("Value error, ")
        errors.setdefault(_error_key(error.get("loc", ())), []).append(message)
    return error_response(request, InvalidInput(errors))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = "The request body is not valid JSON."
    return error_response(request, ApiError(detail, status=exc.status_code))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(request, NotFound("Not found."))


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB) is refused before it is read or parsed."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    megabytes = f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
    return error_response(request, ApiError(
        f"The request body is larger than the {megabytes} the API accepts; send less (images and documents are "
        "not uploaded through the API).", {"body": [f"At most {megabytes}."]}, status=413))
