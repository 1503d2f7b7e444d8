import datetime as dt

import pytest
from django.utils import timezone

from partnerpost.content.enums import ItemKind
from partnerpost.registration.models import RegistrationSettings
from tests.factories import published


def make_event(partner, *, days_ahead=30, title="Budgeting for results workshop", **fields):
    start = timezone.now().date() + dt.timedelta(days=days_ahead)
    values = {"start_date": start, "end_date": start + dt.timedelta(days=1), "event_format": "online",
              "online_url": "https://meet.example.org/budget"}
    values.update(fields)
    return published(partner, kind=ItemKind.EVENT, title=title, **values)


def open_registration(item, **fields) -> RegistrationSettings:
    """Settings saved straight to the database (the workflow's own checks are tested on their own)."""
    values = {"capacity": 50, "waiting_list": True, "ask_organization": "required", "ask_country": "optional",
              "ask_position": "off"}
    values.update(fields)
    return RegistrationSettings.objects.create(item=item, **values)


@pytest.fixture
def event(people):
    item = make_event(people.icap)
    open_registration(item)
    return item
