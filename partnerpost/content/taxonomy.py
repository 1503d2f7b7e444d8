"""The controlled vocabularies: UN M49 regions, ISO 3166 countries, the 17 SDGs and the network's topics.

`seed(apps)` is idempotent; the data migration runs it, and so may anyone later.
"""

from __future__ import annotations

from partnerpost.lib import m49

SDGS = [
    "No poverty",
    "Zero hunger",
    "Good health and well-being",
    "Quality education",
    "Gender equality",
    "Clean water and sanitation",
    "Affordable and clean energy",
    "Decent work and economic growth",
    "Industry, innovation and infrastructure",
    "Reduced inequalities",
    "Sustainable cities and communities",
    "Responsible consumption and production",
    "Climate action",
    "Life below water",
    "Life on land",
    "Peace, justice and strong institutions",
    "Partnerships for the goals",
]

TOPICS = [
    ("digital-government", "Digital government"),
    ("public-service-delivery", "Public service delivery"),
    ("public-sector-innovation", "Public sector innovation"),
    ("institution-building", "Effective and accountable institutions"),
    ("capacity-development", "Capacity development and training"),
    ("citizen-engagement", "Citizen engagement and e-participation"),
    ("covid-19-recovery", "COVID-19 response and recovery"),
    ("social-inclusion", "Social inclusion"),
    ("smart-cities", "Smart cities"),
    ("science-technology", "Science, technology and innovation"),
    ("public-administration-reform", "Public administration reform"),
    ("public-finance", "Public finance management"),
    ("eu-integration", "European integration"),
    ("internet-governance", "Internet governance"),
    ("leadership", "Leadership and human resources"),
]


def seed(apps=None):
    if apps is None:
        from django.apps import apps as apps  # noqa: PLW0127
    from django_countries import countries

    Region = apps.get_model("content", "Region")
    Country = apps.get_model("content", "Country")
    Theme = apps.get_model("content", "Theme")

    # Parents first, so every foreign key points at an existing row.
    def depth(code):
        return len(m49.ancestors(code))

    for code in sorted(m49.REGIONS, key=depth):
        name, parent = m49.REGIONS[code]
        Region.objects.update_or_create(code=code, defaults={"name": name, "parent_id": parent})
    with_regions = {code: m49.COUNTRY_REGION.get(code) for code, _ in countries}
    for code, name in countries:
        Country.objects.update_or_create(code=code, defaults={"name": str(name), "region_id": with_regions[code]})
    for number, name in enumerate(SDGS, start=1):
        Theme.objects.update_or_create(
            slug=f"sdg-{number}",
            defaults={"name": name, "kind": "sdg", "sdg_number": number, "display_order": number},
        )
    for position, (slug, name) in enumerate(TOPICS, start=100):
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "kind": "topic", "display_order": position})
