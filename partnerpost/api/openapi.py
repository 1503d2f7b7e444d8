"""The API object and its OpenAPI document: the description, stable operation ids and the finishing
touches every operation's entry gets (rate-limit and ETag headers, the meaning of each status)."""

from __future__ import annotations

import copy

from django.conf import settings
from ninja import NinjaAPI

from .docs import CspSwagger

#: Operation ids keep the prefix they had when every operation lived in partnerpost/api/endpoints.py.
OPERATION_ID_PREFIX = "partnerpost_api_endpoints_"

DESCRIPTION = """
Published news, events, publications, calls, awards and newsletter editions of the network's
partner institutions, and a write interface for partners' own systems.

**Reads** are public, show only what the public portal shows, and may be called from any web
page (CORS). Lists are paged with an opaque `cursor`: follow the `next` URL (also sent as a
`Link: <…>; rel="next"` header) until it is null. Every read sends an `ETag`; send it back as
`If-None-Match` and an unchanged answer costs a `304 Not Modified` with no body.

**Writes** need a partner's API token, made by a partner editor on the workspace page
*API tokens* (`/workspace/tokens/`): `Authorization: Bearer pp_<prefix>_<secret>`. A token
creates and updates its own partner's items, as drafts, and submits them for review; it
acts with the rights of the person who made it, and never beyond a contributor's. Another
partner's items answer `404`, exactly like items that do not exist. Session cookies are never
accepted here. Fields are checked by the same rules as the web form; failures answer `422`
with `{"errors": {"field": ["message"]}}` and change nothing.

**Limits**: reads are counted per client address, writes per token, in fixed windows;
over the limit the answer is `429` with `Retry-After` (seconds). Every answer carries
`X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`.
""".strip()

class PartnerpostApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return finish_schema(schema)

    def get_openapi_operation_id(self, operation) -> str:
        return OPERATION_ID_PREFIX + operation.view_func.__name__


api = PartnerpostApi(
    title="Partnerpost API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=CspSwagger(),
)


def finish_schema(schema: dict) -> dict:
    schema = copy.deepcopy(schema)  # ninja may share one response object between operations
    schema["info"]["contact"] = {"name": settings.SITE_NAME, "url": settings.SITE_URL}
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    if "BearerToken" in schemes:
        schemes["BearerToken"]["bearerFormat"] = "pp_<prefix>_<secret>"
        schemes["BearerToken"]["description"] = "A partner's API token, made on the workspace page API tokens."
    headers = {
        "X-RateLimit-Limit": {"description": "Requests allowed in the window.", "schema": {"type": "integer"}},
        "X-RateLimit-Remaining": {"description": "Requests left in the window.", "schema": {"type": "integer"}},
        "X-RateLimit-Reset": {"description": "Seconds until the window starts again.", "schema": {"type": "integer"}},
    }
    for path in schema.get("paths", {}).values():
        for method, operation in path.items():
            responses = {str(code): response for code, response in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for code, response in responses.items():
                response["description"] = _DESCRIPTIONS.get(code, response.get("description", ""))
                response.setdefault("headers", {}).update(headers)
                if code == "429":
                    response["headers"]["Retry-After"] = {"description": "Seconds to wait.", "schema": {"type": "integer"}, "required": True}
                if code == "401":
                    response["headers"]["WWW-Authenticate"] = {"description": "Bearer challenge.", "schema": {"type": "string"}}
                if code in {"200", "304"} and method == "get":
                    response["headers"]["ETag"] = {"description": "Send it back as If-None-Match.", "schema": {"type": "string"}}
                if code == "304":
                    response.pop("content", None)
            if method == "get":
                operation.setdefault("parameters", []).append({
                    "name": "If-None-Match", "in": "header", "required": False,
                    "description": "The ETag of an earlier answer: 304 if nothing changed.", "schema": {"type": "string"},
                })
    return schema


_DESCRIPTIONS = {
    "200": "OK",
    "201": "Created",
    "304": "Not modified since the ETag sent in If-None-Match; no body.",
    "400": "The request cannot be read (a cursor this list did not give out, a body that is not JSON).",
    "401": "No token, or a token that is not valid (mistyped, expired or revoked).",
    "404": "Not found; for a token, also another partner's item.",
    "409": "The item's state does not allow this (for example, it is already submitted).",
    "422": "Some parameters or fields are not valid; `errors` names each.",
    "429": "Too many requests; wait `Retry-After` seconds.",
}
