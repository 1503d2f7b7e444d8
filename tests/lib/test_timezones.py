import datetime as dt

import pytest

from partnerpost.lib.timezones import TimeZoneError, normalize_time_zone, resolve_time_zone


@pytest.mark.parametrize("text,expected", [
    ("UTC -6", "UTC-06:00"), ("UTC-06:00", "UTC-06:00"), ("GMT+5:30", "UTC+05:30"), ("+0100", "UTC+01:00"),
    ("utc", "UTC"), ("Europe/Ljubljana", "Europe/Ljubljana"), ("America/Costa_Rica", "America/Costa_Rica"),
])
def test_normalize(text, expected):
    assert normalize_time_zone(text) == expected


def test_offsets_convert():
    tz = resolve_time_zone("UTC-6")
    assert dt.datetime(2020, 10, 30, 16, 0, tzinfo=tz).astimezone(dt.UTC).hour == 22


@pytest.mark.parametrize("text", ["", "Mars/Olympus", "UTC+25", "CEST-ish"])
def test_rejects(text):
    with pytest.raises(TimeZoneError):
        resolve_time_zone(text)
