"""Authentication of partner tools: `Authorization: Bearer pp_<prefix>_<secret>`, and the write limit per token."""

from __future__ import annotations

from django.conf import settings
from ninja.security import HttpBearer

from partnerpost.network import ratelimit

from . import workflows as tokens
from .errors import NotAuthenticated, RateLimited

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MISSING_TOKEN = "Send an API token in the Authorization header: `Authorization: Bearer pp_…`."
INVALID_TOKEN = "The API token is not valid: it may be mistyped, expired or revoked."


class BearerToken(HttpBearer):
    """`Authorization: Bearer pp_<prefix>_<secret>`. Every failure is a 401 that does not say which tokens exist."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise NotAuthenticated(MISSING_TOKEN)
        token = tokens.authenticate(raw.strip())
        if token is None:
            raise NotAuthenticated(INVALID_TOKEN)
        request.api_token = token
        if request.method not in SAFE_METHODS:
            verdict = for_write(token)
            request.api_rate = verdict
            if not verdict.allowed:
                raise RateLimited(too_many(verdict), headers=verdict.headers())
        return token

    def authenticate(self, request, token):  # pragma: no cover - __call__ does the work
        return None


def too_many(verdict) -> str:
    return f"Too many requests: the limit is {verdict.limit} per {settings.API_RATE_WINDOW} seconds. Retry after {verdict.reset} seconds."


auth = BearerToken()


def for_write(token) -> ratelimit.Verdict:
    """Writes are counted per token."""
    return ratelimit.hit(f"write:{token.pk}", settings.API_WRITE_RATE)
