from partnerpost.lib import m49


def test_every_country_sits_in_a_known_subregion():
    from django_countries.data import COUNTRIES

    assert set(m49.COUNTRY_REGION.values()) <= set(m49.REGIONS)
    # M49 places Antarctica in no region and does not list Taiwan separately.
    assert set(COUNTRIES) - set(m49.COUNTRY_REGION) == {"AQ", "TW"}
    assert set(m49.COUNTRY_REGION) <= set(COUNTRIES)


def test_region_tree():
    assert m49.ancestors("013") == ["013", "419", "019", "001"]
    assert m49.descendants("419") == {"419", "029", "013", "005"}
    assert {"CR", "SV", "PA"} <= m49.countries_in("013")
    assert "CR" in m49.countries_in("019") and "CR" not in m49.countries_in("142")
