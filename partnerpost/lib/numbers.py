"""Numbers as people write them. No Django import."""

from decimal import Decimal


def plain_number(value) -> str:
    """50.00 → '50', 6.5 → '6.5', 1200 → '1200' (no exponent, no trailing zeros)."""
    number = Decimal(str(value)).normalize()
    return f"{number:f}"


def file_size(count: int) -> str:
    """A byte count as people read it: 812 bytes, 14 KB, 3.2 MB."""
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count / 1048576:.1f} MB".replace(".0 MB", " MB")
