"""UN M49 geographic regions and the countries in each. No Django import.

Source: the UN Statistics Division's "Standard country or area codes for
statistical use" (M49). Each sub-region lists the ISO 3166-1 alpha-2 codes of
its countries and areas.
"""

from __future__ import annotations

# code: (name, parent code or None)
REGIONS: dict[str, tuple[str, str | None]] = {
    "001": ("World", None),
    "002": ("Africa", "001"),
    "015": ("Northern Africa", "002"),
    "202": ("Sub-Saharan Africa", "002"),
    "014": ("Eastern Africa", "202"),
    "017": ("Middle Africa", "202"),
    "018": ("Southern Africa", "202"),
    "011": ("Western Africa", "202"),
    "019": ("Americas", "001"),
    "419": ("Latin America and the Caribbean", "019"),
    "029": ("Caribbean", "419"),
    "013": ("Central America", "419"),
    "005": ("South America", "419"),
    "021": ("Northern America", "019"),
    "142": ("Asia", "001"),
    "143": ("Central Asia", "142"),
    "030": ("Eastern Asia", "142"),
    "035": ("South-eastern Asia", "142"),
    "034": ("Southern Asia", "142"),
    "145": ("Western Asia", "142"),
    "150": ("Europe", "001"),
    "151": ("Eastern Europe", "150"),
    "154": ("Northern Europe", "150"),
    "039": ("Southern Europe", "150"),
    "155": ("Western Europe", "150"),
    "009": ("Oceania", "001"),
    "053": ("Australia and New Zealand", "009"),
    "054": ("Melanesia", "009"),
    "057": ("Micronesia", "009"),
    "061": ("Polynesia", "009"),
}

_MEMBERS = {
    "015": "DZ EG LY MA SD TN EH",
    "014": "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW",
    "017": "AO CM CF TD CG CD GQ GA ST",
    "018": "BW SZ LS NA ZA",
    "011": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG",
    "029": "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI",
    "013": "BZ CR SV GT HN MX NI PA",
    "005": "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE",
    "021": "BM CA GL PM US",
    "143": "KZ KG TJ TM UZ",
    "030": "CN HK MO KP JP MN KR",
    "035": "BN KH ID LA MY MM PH SG TH TL VN",
    "034": "AF BD BT IN IR MV NP PK LK",
    "145": "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
    "151": "BY BG CZ HU PL MD RO RU SK UA",
    "154": "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB",
    "039": "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES",
    "155": "AT BE FR DE LI LU MC NL CH",
    "053": "AU CX CC HM NZ NF",
    "054": "FJ NC PG SB VU",
    "057": "GU KI MH FM NR MP PW UM",
    "061": "AS CK PF NU PN WS TK TO TV WF",
}

#: ISO alpha-2 code -> the M49 sub-region (the smallest region) that holds it.
COUNTRY_REGION: dict[str, str] = {
    code: region for region, codes in _MEMBERS.items() for code in codes.split()
}


def ancestors(code: str) -> list[str]:
    """The region itself and every region above it, smallest first."""
    chain = []
    while code:
        chain.append(code)
        code = REGIONS[code][1]
    return chain


def descendants(code: str) -> set[str]:
    """The region itself and every region below it."""
    found = {code}
    changed = True
    while changed:
        changed = False
        for child, (_, parent) in REGIONS.items():
            if parent in found and child not in found:
                found.add(child)
                changed = True
    return found


def countries_in(code: str) -> set[str]:
    """Every country code that lies in the region, at any depth."""
    regions = descendants(code)
    return {country for country, region in COUNTRY_REGION.items() if region in regions}
