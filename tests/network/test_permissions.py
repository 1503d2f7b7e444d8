"""The permission matrix: every persona, action and state, written out in full."""

import pytest
from django.contrib.auth.models import AnonymousUser

from partnerpost.content.enums import ItemState
from partnerpost.network.permissions import creatable_partners
from partnerpost.content.permissions import ACTIONS, can
from tests.factories import make_item

# Personas: E secretariat editor, P ICAP partner editor, C ICAP contributor,
# X EROPA contributor (another partner), O signed-in outsider, A anonymous.
# The item belongs to ICAP. Each cell lists who may act.
MATRIX = {
    #            draft    submitted  approved  published  withdrawn
    "view":     ("EPC",   "EPC",     "EPC",    "EPCXOA",  "EPC"),
    "edit":     ("EPC",   "EP",      "E",      "E",       "E"),
    "submit":   ("EPC",   "",        "",       "",        ""),
    "approve":  ("",      "E",       "",       "",        ""),
    "reject":   ("",      "E",       "E",      "",        ""),
    "publish":  ("",      "",        "E",      "",        ""),
    "withdraw": ("",      "",        "EP",     "EP",      ""),
    "redraft":  ("",      "",        "",       "",        "EPC"),
}
STATES = [ItemState.DRAFT, ItemState.SUBMITTED, ItemState.APPROVED, ItemState.PUBLISHED, ItemState.WITHDRAWN]


def _persona(people, letter):
    return {
        "E": people.editor, "P": people.icap_partner_editor, "C": people.icap_contributor,
        "X": people.eropa_contributor, "O": people.outsider, "A": AnonymousUser(),
    }[letter]


def test_matrix_covers_every_action():
    assert set(MATRIX) | {"create"} == set(ACTIONS)


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("column,state", list(enumerate(STATES)))
def test_permission_matrix(people, action, column, state):
    item = make_item(people.icap, state=state)
    allowed = MATRIX[action][column]
    for letter in "EPCXOA":
        expected = letter in allowed
        assert can(_persona(people, letter), action, item) is expected, (
            f"{letter} {'should' if expected else 'should not'} be able to {action} a {state} item"
        )


def test_create_only_for_own_partner(people):
    for letter, expected in {"E": True, "P": True, "C": True, "X": False, "O": False, "A": False}.items():
        assert can(_persona(people, letter), "create", partner=people.icap) is expected, letter


def test_create_refused_for_inactive_partner(people):
    people.icap.is_active = False
    people.icap.save()
    assert can(people.editor, "create", partner=people.icap) is False
    assert can(people.icap_contributor, "create", partner=people.icap) is False


def test_inactive_user_loses_every_right(people):
    people.editor.is_active = False
    people.editor.save()
    item = make_item(people.icap, state=ItemState.SUBMITTED)
    assert can(people.editor, "approve", item) is False
    assert can(people.editor, "view", item) is False


def test_scheduled_item_is_not_public_until_it_goes_live(people):
    import datetime as dt

    from django.utils import timezone

    item = make_item(people.icap, state=ItemState.PUBLISHED, go_live_at=timezone.now() + dt.timedelta(hours=2))
    assert can(AnonymousUser(), "view", item) is False
    assert can(people.icap_contributor, "view", item) is True


def test_creatable_partners(people):
    assert list(creatable_partners(people.icap_contributor)) == [people.icap]
    assert list(creatable_partners(people.editor)) == [people.icap, people.eropa]
    assert list(creatable_partners(people.outsider)) == []


def test_unknown_action_is_an_error(people):
    with pytest.raises(ValueError, match="Unknown action 'delete'"):
        can(people.editor, "delete", make_item(people.icap))
