"""Every permission rule of Partnerpost, in one place.

`can(user, action, item, partner=...)` answers "may this person do this now?".
Views, the CLI and workflows all ask here, and tests/network/test_permissions.py
checks the whole matrix of personas, actions and states.

Roles: a secretariat editor acts on every partner's items; a partner's members
are contributors or partner editors of that partner only.
"""

from __future__ import annotations

from django.db.models import Q

from partnerpost.content.enums import ItemState
from partnerpost.network.enums import MemberRole

SECRETARIAT = "secretariat"

ACTIONS = ("view", "create", "edit", "submit", "approve", "reject", "publish", "withdraw", "redraft")


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


# action -> state -> roles allowed. A state missing from the table allows nobody.
_MEMBERS = {SECRETARIAT, MemberRole.EDITOR, MemberRole.CONTRIBUTOR}
_RULES: dict[str, dict[str, set[str]]] = {
    "edit": {
        ItemState.DRAFT: _MEMBERS,
        ItemState.SUBMITTED: {SECRETARIAT, MemberRole.EDITOR},
        ItemState.APPROVED: {SECRETARIAT},
        ItemState.PUBLISHED: {SECRETARIAT},
        ItemState.WITHDRAWN: {SECRETARIAT},
    },
    "submit": {ItemState.DRAFT: _MEMBERS},
    "approve": {ItemState.SUBMITTED: {SECRETARIAT}},
    "reject": {ItemState.SUBMITTED: {SECRETARIAT}, ItemState.APPROVED: {SECRETARIAT}},
    "publish": {ItemState.APPROVED: {SECRETARIAT}},
    "withdraw": {ItemState.APPROVED: {SECRETARIAT, MemberRole.EDITOR}, ItemState.PUBLISHED: {SECRETARIAT, MemberRole.EDITOR}},
    "redraft": {ItemState.WITHDRAWN: _MEMBERS},
}


def can(user, action: str, item=None, *, partner=None) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    if action == "view":
        if item.is_live:
            return True
        return role_for(user, item.partner_id) is not None
    if action == "create":
        if partner is None or not partner.is_active:
            return False
        return role_for(user, partner.pk) is not None
    role = role_for(user, item.partner_id)
    if role is None:
        return False
    return role in _RULES[action].get(item.state, set())


def allows_state(action: str, state: str) -> bool:
    """Whether anyone at all may do this action to an item in this state."""
    return bool(_RULES[action].get(state))


def creatable_partners(user):
    """The partners this person may create items for."""
    from partnerpost.network.models import Partner

    if is_editor(user):
        return Partner.objects.active()
    return Partner.objects.active().filter(pk__in=list(partner_roles(user)))


def visible_items_filter(user) -> Q:
    """A filter for the items this person may see: live ones, plus their partners' own."""
    from partnerpost.content.models import live_q

    live = live_q()
    if is_editor(user):
        return Q()
    roles = partner_roles(user)
    if roles:
        return live | Q(partner_id__in=list(roles))
    return live


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


def can_by_token(user, action: str, item=None, *, partner) -> bool:
    """What an API token of `partner`, made by `user`, may do.

    Never beyond that partner's own items, never more than a contributor of that partner
    may do, and never more than the token's creator may do right now (a creator who has
    left the partner takes the token's rights along).
    """
    if partner is None or not partner.is_active or role_for(user, partner.pk) is None:
        return False
    if action == "create":
        return can(user, "create", partner=partner)
    if item is None or item.partner_id != partner.pk:
        return False
    if action == "view":
        return True
    if MemberRole.CONTRIBUTOR not in _RULES.get(action, {}).get(item.state, set()):
        return False
    return can(user, action, item)
