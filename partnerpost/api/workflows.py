"""Making, revoking and checking API tokens. The workspace pages and the API call only these."""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerpost.network.permissions import can_manage_api_tokens
from partnerpost.content.permissions import can_by_token

from .models import TOKEN_PREFIX, ApiToken, hash_secret

_TOKEN = re.compile(rf"^{TOKEN_PREFIX}_([0-9a-f]{{8}})_([A-Za-z0-9_-]{{20,100}})$")
#: last_used_at is written at most this often per token, so reads do not each cost a write.
TOUCH_INTERVAL = dt.timedelta(seconds=60)


def _new_token() -> tuple[str, str]:
    """(prefix, whole token). The secret part carries 256 random bits."""
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def create_token(user, partner, name: str, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for the partner, and its secret: the only time anyone sees it."""
    if not can_manage_api_tokens(user, partner):
        raise PermissionDenied(_("You may not manage API tokens of %(partner)s.") % {"partner": partner})
    prefix, plain = _new_token()
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix, plain = _new_token()
    token = ApiToken.objects.create(
        partner=partner, name=name.strip(), prefix=prefix, key_hash=hash_secret(plain),
        created_by=user, expires_at=expires_at,
    )
    return token, plain


@transaction.atomic
def revoke_token(user, token: ApiToken) -> ApiToken:
    """Stop the token from working, from the next request on. Revoking twice changes nothing."""
    if not can_manage_api_tokens(user, token.partner):
        raise PermissionDenied(_("You may not manage API tokens of %(partner)s."))
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=user)
    token.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return token


def authenticate(raw: str) -> ApiToken | None:
    """The live token this string is, or None. Every reason for None looks the same to the caller."""
    match = _TOKEN.match(raw or "")
    digest = hash_secret(raw or "")
    if match is None:
        return None
    token = ApiToken.objects.select_related("partner", "created_by").filter(prefix=match.group(1)).first()
    if token is None or not hmac.compare_digest(token.key_hash, digest) or not token.is_active:
        return None
    user = token.created_by
    # A token works while its creator may still add items for its partner.
    if user is None or not user.is_active or not can_by_token(user, "create", partner=token.partner):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token

