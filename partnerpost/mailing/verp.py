"""VERP: each newsletter's envelope sender names its delivery, so a bounce says whom it is about.

The envelope sender of delivery 1234 is `LOCAL+1234-SIGNATURE@DOMAIN`, where LOCAL@DOMAIN is
MAILING_BOUNCE_ADDRESS (by default the From address of DEFAULT_FROM_EMAIL) and SIGNATURE is the
first 12 hexadecimal digits of an HMAC-SHA256 of the delivery's number under a key derived from
SECRET_KEY. The delivery gives the subscriber and the edition. Without the key nobody can make a
bounce address for a delivery, so a forged bounce cannot count against someone it was not sent
for. The signature has no expiry on purpose: a relay may return a message days after it was sent.
Lower-case hexadecimal survives relays that change the case of local parts; "+" is the
sub-address separator most mail servers deliver to LOCAL (Postfix `recipient_delimiter = +`).
"""

from __future__ import annotations

import email.utils
import functools
import hashlib
import hmac
import re

from django.conf import settings

SIGNATURE_DIGITS = 12


@functools.lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    return hashlib.sha256(b"partnerpost.mailing.verp:" + secret.encode()).digest()


def _signature(delivery_id: int) -> str:
    return hmac.new(_key(settings.SECRET_KEY), str(delivery_id).encode(), hashlib.sha256).hexdigest()[:SIGNATURE_DIGITS]


def base_address() -> tuple[str, str]:
    """The bounce mailbox as (local part, domain)."""
    value = settings.MAILING_BOUNCE_ADDRESS or settings.DEFAULT_FROM_EMAIL
    address = email.utils.parseaddr(value)[1] or value
    local, _, domain = address.rpartition("@")
    return local, domain


@functools.lru_cache(maxsize=4)
def _pattern(local: str, domain: str):
    return re.compile(rf"(?<![\w.+-]){re.escape(local)}\+(\d{{1,18}})-([0-9a-f]{{{SIGNATURE_DIGITS}}})@{re.escape(domain)}(?![\w-])", re.IGNORECASE)


def sender_for(delivery_id: int) -> str:
    """The envelope sender (MAIL FROM, Return-Path) of one delivery."""
    local, domain = base_address()
    return f"{local}+{delivery_id}-{_signature(delivery_id)}@{domain}"


def delivery_in(text: str) -> int | None:
    """The delivery a text (a header, an address) names through a correctly signed bounce address; None if none does."""
    for match in _pattern(*base_address()).finditer(text or ""):
        delivery_id, signature = int(match.group(1)), match.group(2).lower()
        if hmac.compare_digest(signature, _signature(delivery_id)):
            return delivery_id
    return None
