"""Signed, expiring links that confirm an address and bring a submitter back to their draft."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

SALT = "partnerpost.calls.answer"


def make_token(call, email: str, submission_pk: int | None = None) -> str:
    return signing.dumps({"c": call.pk, "e": email, "s": submission_pk}, salt=SALT, compress=True)


def read_token(token: str, call) -> dict | None:
    """{"e": address, "s": submission id or None} when the token is genuine, for this call, and not
    older than CALLS_LINK_DAYS; otherwise None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.CALLS_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict) or data.get("c") != call.pk:
        return None
    return data
