"""Two-factor sign-in: a time-based one-time password (TOTP, RFC 6238) from an authenticator app,
with single-use backup codes for a lost phone. Built on django-otp's devices.

Offered to everyone who uses the workspace; required of secretariat editors when
REQUIRE_EDITOR_2FA is on (the default in production). Each function here is one change to a
person's second factor; the views in signin.py only parse and call them.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = 10
BACKUP_LENGTH = 10  # hexadecimal characters


class TwoFactorError(Exception):
    """A code that does not match, or a step out of order; the message says which."""


def has_second_factor(user) -> bool:
    return bool(getattr(user, "pk", None)) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_enrol(user) -> bool:
    """Whether this person may not use the workspace until they set up a second factor."""
    return bool(settings.REQUIRE_EDITOR_2FA and getattr(user, "is_secretariat_editor", False))


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up (made on first call, the same one until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def _clean(code: str) -> str:
    return "".join((code or "").split())


@transaction.atomic
def confirm_totp(user, code: str) -> list[str]:
    """Check the first code from the app; on success the authenticator is on, and the backup codes
    (shown once) are returned."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise TwoFactorError(_("Start again: there is no authenticator waiting to be confirmed."))
    code = _clean(code)
    if not (code.isdigit() and len(code) == device.digits) or not device.verify_token(code):
        raise TwoFactorError(_("That code does not match. Check the phone's clock and type the 6 digits shown now."))
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_backup_codes(user)


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    """Replace the backup codes with new ones; each works once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [secrets.token_hex(BACKUP_LENGTH // 2) for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def remove_two_factor(user) -> None:
    if must_enrol(user):
        raise TwoFactorError(_("Secretariat editors must keep two-factor sign-in on."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def verify(request, code: str) -> None:
    """Check a code for the signed-in person, from the app or a backup code, and mark the session verified."""
    user = request.user
    code = _clean(code).lower()
    # A code is tried only against the kind of device whose codes have its shape, so that a typo
    # does not count as a failure (and slow down) the other kind. Each device throttles its own
    # failures (django-otp doubles the wait after each one).
    if code.isdigit() and len(code) == 6:
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                otp_login(request, device)
                return
    elif len(code) == BACKUP_LENGTH and all(c in "0123456789abcdef" for c in code):
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                otp_login(request, device)
                return
    raise TwoFactorError(_("That code does not match. Type the 6 digits your app shows now, or a backup code."))


def verify_device_login(request) -> None:
    """Right after confirming, the session counts as verified with the new authenticator."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is not None:
        otp_login(request, device)
