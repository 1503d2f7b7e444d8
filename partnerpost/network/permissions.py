"""Every permission rule of Partnerpost, in one place.

This module knows people and partners only: who is a secretariat editor, who
belongs to which partner in which role, and the rules that need nothing more
(editions, API tokens). The rules about items in their editorial states build on
these and live one layer up, in `partnerpost.content.permissions`.

Roles: a secretariat editor acts on every partner's items; a partner's members
are contributors or partner editors of that partner only.
"""

from __future__ import annotations

from partnerpost.network.enums import MemberRole

SECRETARIAT = "secretariat"


class _Operator:
    """The person at the server's shell, running a `partnerpost` command.

    Whoever can run commands on the server can change the database anyway, so the operator may
    do what a secretariat editor may. Audit rows record no user for the operator's changes."""

    pk = None
    id = None
    is_authenticated = True
    is_active = True
    is_secretariat_editor = True
    is_staff = False
    is_superuser = False
    username = "operator"
    email = ""
    _partner_roles: dict = {}

    def __str__(self):
        return "operator"


#: Pass as the user when a command run at the shell changes something.
OPERATOR = _Operator()

def partner_roles(user) -> dict[int, str]:
    """{partner_id: role} for the user's memberships, read once per request and cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_partner_roles", None)
    if cached is None:
        cached = dict(user.memberships.filter(partner__is_active=True).values_list("partner_id", "role"))
        user._partner_roles = cached
    return cached


def role_for(user, partner_id: int | None) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_secretariat_editor:
        return SECRETARIAT
    return partner_roles(user).get(partner_id)


def is_editor(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_secretariat_editor)


def can_use_workspace(user) -> bool:
    return is_editor(user) or bool(partner_roles(user))


def creatable_partners(user):
    """The partners this person may create items for."""
    from partnerpost.network.models import Partner

    if is_editor(user):
        return Partner.objects.active()
    return Partner.objects.active().filter(pk__in=list(partner_roles(user)))


# Editions ---------------------------------------------------------------------

def can_view_edition(user, edition) -> bool:
    return edition.is_published or is_editor(user)


def can_change_edition(user, edition=None) -> bool:
    """Compose, reorder and publish: secretariat editors, and only before publication."""
    return is_editor(user) and (edition is None or edition.is_editable)


# API tokens -------------------------------------------------------------------

def can_manage_api_tokens(user, partner) -> bool:
    """Create and revoke a partner's API tokens: that partner's editors, and secretariat editors."""
    if partner is None or not partner.is_active:
        return False
    return role_for(user, partner.pk) in {SECRETARIAT, MemberRole.EDITOR}


def api_token_partners(user):
    """The partners whose API tokens this person manages."""
    from partnerpost.network.models import Partner

    if is_editor(user):
        return Partner.objects.active()
    editor_of = [pk for pk, role in partner_roles(user).items() if role == MemberRole.EDITOR]
    return Partner.objects.active().filter(pk__in=editor_of)


def can_manage_feeds(user, partner) -> bool:
    """Register, pause, resume and remove a partner's feeds: any member of that partner, and secretariat editors."""
    if partner is None or not partner.is_active:
        return False
    return role_for(user, partner.pk) is not None


def feed_partners(user):
    """The partners whose feeds this person manages."""
    from partnerpost.network.models import Partner

    if is_editor(user):
        return Partner.objects.active()
    return Partner.objects.active().filter(pk__in=list(partner_roles(user)))
