from decimal import Decimal

import pytest

from partnerpost.lib.numbers import plain_number


@pytest.mark.parametrize("value,expected", [(Decimal("50.00"), "50"), (Decimal("6.5"), "6.5"), (1200, "1200"), (Decimal("0.00"), "0")])
def test_plain_number(value, expected):
    assert plain_number(value) == expected
