"""The JSON API: public reads for everyone, token-authenticated writes for partners.

Reads show exactly what the public portal shows (live items, published editions),
whoever asks. A token sees its own partner's items in every state under /partner/,
and writes them through the same ItemForm and workflow functions as the web forms.

This module puts the API together; each seam has its module:
- openapi: the NinjaAPI object, its description and the finished OpenAPI document;
- auth: the bearer token (and the write limit per token);
- conditional: read limits per client address, ETag, Cache-Control and 304 answers;
- handlers: errors mapped to {"detail", "errors"} answers;
- routing: the /v1 router, paging and shared response sets;
- read_routes, partner_routes, call_routes: the operations.
"""

from __future__ import annotations

from . import handlers  # noqa: F401 - registers the exception handlers on `api`
# The operations register on `v1` when imported, in this order (it is the order of paths in the
# OpenAPI document and of the URL patterns): the public reads first, then the partner's.
from . import read_routes  # noqa: F401, I001
from . import partner_routes  # noqa: F401, I001
from . import registration_routes  # noqa: F401, I001
from . import call_routes  # noqa: F401, I001
from .auth import INVALID_TOKEN, MISSING_TOKEN, SAFE_METHODS, BearerToken, auth
from .conditional import guarded
from .openapi import DESCRIPTION, PartnerpostApi, api
from .routing import CURSOR, LIMIT, ONE, READ, TOKEN, _with_link, v1

# The order counts: limits and ETag around everything, the Link header inside.
api.add_decorator(guarded, mode="view")
api.add_decorator(_with_link, mode="view")
api.add_router("/v1", v1)

__all__ = ["CURSOR", "DESCRIPTION", "INVALID_TOKEN", "LIMIT", "MISSING_TOKEN", "ONE", "READ", "SAFE_METHODS", "TOKEN",
           "BearerToken", "PartnerpostApi", "api", "auth", "guarded", "v1"]
