"""Signed, expiring tokens for the links in emails. A token names one subscriber and one purpose,
and stops working when it expires or when the subscriber's address changes."""

from __future__ import annotations

import hashlib

from django.core import signing

LIFETIMES = {
    "confirm": 3 * 24 * 3600,  # confirmation links: three days
    "manage": 400 * 24 * 3600,  # preferences and unsubscribe links in newsletters: over a year
}


class TokenError(Exception):
    pass


def _fingerprint(subscriber) -> str:
    return hashlib.sha256(subscriber.email_key.encode()).hexdigest()[:10]


def make_token(subscriber, purpose: str) -> str:
    if purpose not in LIFETIMES:
        raise ValueError(purpose)
    return signing.dumps([subscriber.pk, _fingerprint(subscriber)], salt=f"partnerpost.audience.{purpose}", compress=False)


def read_token(token: str, purpose: str):
    """The subscriber the token names, or TokenError saying why not."""
    from .models import Subscriber

    try:
        pk, fingerprint = signing.loads(token, salt=f"partnerpost.audience.{purpose}", max_age=LIFETIMES[purpose])
    except signing.SignatureExpired:
        raise TokenError("expired") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise TokenError("invalid") from None
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or _fingerprint(subscriber) != fingerprint:
        raise TokenError("invalid")
    return subscriber
