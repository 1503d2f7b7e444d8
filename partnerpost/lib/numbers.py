"""Numbers as people write them. No Django import."""

from decimal import Decimal


def plain_number(value) -> str:
    """50.00 → '50', 6.5 → '6.5', 1200 → '1200' (no exponent, no trailing zeros)."""
    number = Decimal(str(value)).normalize()
    return f"{number:f}"
