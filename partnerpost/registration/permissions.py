"""Who may manage an event's registrations and see its registrants' personal data.

The item workflow's roles decide (content.permissions / network.permissions): the members of the
partner that owns the event, whatever their role, and the secretariat. Registration settings are not
part of the item's editorial text, so they stay editable after the event is published."""

from __future__ import annotations

from partnerpost.network.permissions import role_for


def can_manage(user, item) -> bool:
    return item.is_event and role_for(user, item.partner_id) is not None
