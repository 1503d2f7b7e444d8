"""Time zones as authors write them: IANA names or fixed UTC offsets. No Django import."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


class TimeZoneError(ValueError):
    pass


def resolve_time_zone(text: str) -> dt.tzinfo:
    """Return a tzinfo for 'Europe/Ljubljana', 'UTC', 'UTC-6', 'UTC -06:00' or '+05:30'."""
    value = (text or "").strip()
    if not value:
        raise TimeZoneError("No time zone given.")
    if value.upper() in {"UTC", "GMT", "Z"}:
        return dt.UTC
    match = _OFFSET.match(value)
    if match:
        sign, hours, minutes = match.groups()
        hours, minutes = int(hours), int(minutes or 0)
        if hours > 14 or minutes >= 60:
            raise TimeZoneError(f"{value!r} is not a real UTC offset.")
        delta = dt.timedelta(hours=hours, minutes=minutes)
        return dt.timezone(-delta if sign in "-−" else delta)
    if "/" in value:
        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise TimeZoneError(
        f"Unknown time zone {value!r}: use an IANA name such as Europe/Ljubljana or an offset such as UTC-06:00."
    )


def normalize_time_zone(text: str) -> str:
    """Canonical spelling: the IANA name as given, or 'UTC±HH:MM' for offsets."""
    tz = resolve_time_zone(text)
    if isinstance(tz, ZoneInfo):
        return tz.key
    offset = tz.utcoffset(None)
    if not offset:
        return "UTC"
    total = int(offset.total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    total = abs(total)
    return f"UTC{sign}{total // 60:02d}:{total % 60:02d}"
