"""What each person may do to an item in each editorial state.

`can(user, action, item, partner=...)` answers "may this person do this now?".
Views, the API, the CLI and the workflows all ask here, and
tests/network/test_permissions.py checks the whole matrix of personas, actions
and states. The roles themselves come from `partnerpost.network.permissions`.
"""

from __future__ import annotations

from django.db.models import Q

from partnerpost.network.enums import MemberRole
from partnerpost.network.permissions import SECRETARIAT, is_editor, partner_roles, role_for

from .enums import ItemState

ACTIONS = ("view", "create", "edit", "submit", "approve", "reject", "publish", "withdraw", "redraft")

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


def visible_items_filter(user) -> Q:
    """A filter for the items this person may see: live ones, plus their partners' own."""
    from .models import live_q

    live = live_q()
    if is_editor(user):
        return Q()
    roles = partner_roles(user)
    if roles:
        return live | Q(partner_id__in=list(roles))
    return live



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
