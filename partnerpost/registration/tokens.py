"""The signed, expiring link a registrant gets to see, cancel or accept their registration."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "partnerpost.registration.link"


def make_token(registration) -> str:
    return signing.dumps({"r": registration.pk, "e": registration.email}, salt=SALT, compress=True)


def read_token(token: str):
    """The registration the token names, or None when it is forged, expired or names a changed address."""
    from .models import Registration

    try:
        data = signing.loads(token, salt=SALT, max_age=settings.REGISTRATION_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    registration = Registration.objects.select_related("item", "item__partner").filter(pk=data.get("r")).first()
    if registration is None or registration.email != data.get("e") or registration.purged_at:
        return None
    return registration


def manage_url(registration) -> str:
    return settings.SITE_URL + reverse("registration:manage", args=[make_token(registration)])


CHECKIN_SALT = "partnerpost.registration.checkin"


def checkin_token(registration) -> str:
    return signing.dumps(registration.pk, salt=CHECKIN_SALT)


def read_checkin(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=CHECKIN_SALT, max_age=settings.REGISTRATION_LINK_DAYS * 24 * 3600))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def checkin_url(registration) -> str:
    return settings.SITE_URL + reverse("registration:checkin", args=[checkin_token(registration)])


def checkin_qr_png(registration) -> bytes:
    """The QR code of the door check-in address, as PNG (shown by the registrant at the door)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(checkin_url(registration), error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()
