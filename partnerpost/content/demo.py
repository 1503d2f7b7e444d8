"""Demo content: the partners and items of the October–December 2020 partners' newsletter.

Facts (titles, dates, organizers, places, fees) come from that edition; every
summary and body here is written for Partnerpost.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

D = dt.date

PARTNERS = [
    dict(acronym="UN DESA", slug="un-desa", name="UN Department of Economic and Social Affairs, Division for Public Institutions and Digital Government",
         kind="un_entity", country="US", region="021", website="https://publicadministration.un.org", display_order=1,
         description="The secretariat of the network. Its Division for Public Institutions and Digital Government (DPIDG) supports Member States in building effective, accountable and inclusive institutions."),
    dict(acronym="UNPOG", slug="unpog", name="UN Project Office on Governance", kind="un_entity", country="KR", region="030",
         website="https://unpog.org", display_order=2,
         description="DPIDG's project office in Incheon, Republic of Korea, which runs capacity development for governments in Asia and the Pacific."),
    dict(acronym="ICAP", slug="icap", name="Instituto Centroamericano de Administración Pública", kind="school", country="CR", region="013",
         website="https://icap.ac.cr", display_order=3,
         description="The Central American Institute of Public Administration, in San José, Costa Rica: postgraduate programmes, training and research for the region's public sector."),
    dict(acronym="EROPA", slug="eropa", name="Eastern Regional Organization for Public Administration", kind="regional_association",
         country="PH", region="142", website="https://eropa.co", display_order=4,
         description="An association of governments, institutes and scholars of public administration across Asia and the Pacific, publisher of the EROPA Bulletin."),
    dict(acronym="NISPAcee", slug="nispacee", name="Network of Institutes and Schools of Public Administration in Central and Eastern Europe",
         kind="regional_association", country="SK", region="151", website="https://www.nispa.org", display_order=5,
         description="A network of schools and institutes of public administration in Central and Eastern Europe, known for its annual conference."),
    dict(acronym="ReSPA", slug="respa", name="Regional School of Public Administration", kind="school", country="ME", region="039",
         website="https://www.respaweb.eu", display_order=6,
         description="The Western Balkans' intergovernmental school of public administration, working on public administration reform and European integration."),
    dict(acronym="KIPA", slug="kipa", name="Korea Institute of Public Administration", kind="academy", country="KR", region="030",
         website="https://www.kipa.re.kr", display_order=7,
         description="A government-funded research institute on public administration in the Republic of Korea."),
    dict(acronym="NIA", slug="nia", name="National Information Society Agency", kind="ministry", country="KR", region="030",
         website="https://www.nia.or.kr", display_order=8,
         description="The Korean agency that supports digital government policy and shares Korea's experience with other countries."),
    dict(acronym="CNAG", slug="cnag", name="China National Academy of Governance", kind="academy", country="CN", region="030",
         website="https://www.ccps.gov.cn", display_order=9,
         description="China's national academy for training civil servants and research on governance."),
]

UNPSA = dict(
    name="United Nations Public Service Awards", slug="unpsa", website="https://publicadministration.un.org/unpsa",
    categories=[
        "Fostering innovation to deliver inclusive and equitable services for all, including through digital transformation",
        "Enhancing the effectiveness of public institutions to reach the SDGs",
        "Promoting gender-responsive public services to achieve the SDGs",
        "Institutional preparedness and response in times of crisis",
    ],
)
WBPAA = dict(
    name="Western Balkans Public Administration Awards", slug="western-balkans-pa-awards", website="https://www.respaweb.eu",
    categories=["Digital Government", "eEconomy", "eLearning", "eHealth and Social Innovation"],
)

# Each item: kind, partner, title, summary, and the facts the newsletter states.
ITEMS = [
    dict(kind="event", partner="UN DESA", event_type="webinar", event_format="online",
         title="Capacity Development Webinar on “Accelerating Digital Transformation for Sustainable and Resilient Recovery from COVID-19”",
         start_date=D(2020, 10, 13), themes=["digital-government", "covid-19-recovery", "sdg-16"],
         countries=["CN", "EE", "KR", "GB", "SG"],
         summary="Governments compared their digital government strategies for recovering from the pandemic. Speakers from China, Estonia, the Republic of Korea, Singapore and the United Kingdom set out what had worked for them.",
         body="The session was built for exchange: each country described the digital measures it took during the crisis, and participants discussed which of them can carry a **sustainable and resilient recovery**.",
         organizers=["UN DESA"], links=[("UN DESA capacity development", "https://publicadministration.un.org/en/")]),
    dict(kind="event", partner="UN DESA", event_type="webinar", event_format="online",
         title="Webinar on Strengthening the Role of Public Institutions in Achieving Poverty Eradication and Sustainable Development",
         start_date=D(2020, 10, 16), themes=["sdg-1", "sdg-16", "institution-building", "covid-19-recovery"],
         summary="Participants looked at how stronger public institutions help countries reduce and end poverty, and what the COVID-19 crisis asks of them. The discussion drew on the 11 Principles of Effective Governance for Sustainable Development.",
         body="Country cases showed which institutional reforms moved the needle on poverty, and where they stalled. The webinar used the **11 Principles of Effective Governance for Sustainable Development**, endorsed by ECOSOC, as its frame.",
         organizers=["UN DESA"], co_organizers=["CNAG"],
         links=[("Principles of Effective Governance", "https://publicadministration.un.org/en/Intergovernmental-Support/CEPA/Principles-of-Effective-Governance")]),
    dict(kind="event", partner="UNPOG", event_type="workshop", event_format="online",
         title="Online Training Workshop on “Government Innovation for Social Inclusion of Vulnerable Groups”",
         days=[D(2020, 11, 3), D(2020, 11, 5)], session_count=2, themes=["social-inclusion", "public-sector-innovation", "sdg-10", "capacity-development"],
         countries=["MY"],
         summary="A two-day training for officials who work on the social inclusion of vulnerable groups, with lectures, group work and practical tools for innovating in government.",
         body="Participants worked through approaches, strategies and tools for governance innovation, then applied them to cases from their own administrations.",
         organizers=["UN DESA", "UNPOG"], co_organizers=["Malaysia Digital Economy Corporation (MDEC)"], supporters=["UNCDF Malaysia"],
         links=[("UNPOG", "https://unpog.org")]),
    dict(kind="event", partner="UN DESA", event_type="forum", event_format="online",
         title="Fifteenth Annual Meeting of the Internet Governance Forum (IGF)",
         start_date=D(2020, 11, 2), end_date=D(2020, 11, 17), themes=["internet-governance", "digital-government", "sdg-17"],
         summary="The IGF met online under the theme “Internet for human resilience and solidarity”, with four thematic tracks: data, environment, inclusion and trust.",
         body="The meeting ran in two phases. From 2 to 6 November came pre-events, newcomers' sessions, thematic introductions, open forums and sessions of the national and regional initiatives and dynamic coalitions. The main phase, from **9 to 17 November 2020**, held workshops, main sessions, a high-level leaders' track, a parliamentary roundtable and concluding sessions. Digital cooperation and the Secretary-General's Roadmap for Digital Cooperation ran through the programme.",
         organizers=["United Nations"], links=[("Internet Governance Forum", "https://www.intgovforum.org")]),
    dict(kind="event", partner="UNPOG", event_type="symposium", event_format="online",
         title="Regional Symposium on “Effective, Inclusive and Accountable Public Institutions and Digital Government Transformation for Resilient Recovery and the Implementation of the SDGs”",
         start_date=D(2020, 11, 24), end_date=D(2020, 11, 26), regions=["142", "009"],
         themes=["institution-building", "digital-government", "covid-19-recovery", "sdg-16"],
         summary="A three-day virtual symposium for public institutions in Asia and the Pacific on the capacities they need for a resilient recovery while delivering the 2030 Agenda.",
         organizers=["UN DESA", "UNPOG"], co_organizers=["Ministry of the Interior and Safety, Republic of Korea"],
         links=[("UNPOG", "https://unpog.org")]),
    dict(kind="event", partner="KIPA", event_type="forum", event_format="online",
         title="Second UNDESA-KIPA Forum on “Public Governance and Innovative Partnership for Addressing the COVID-19 Pandemic”",
         start_date=D(2020, 12, 8), themes=["covid-19-recovery", "sdg-17"],
         summary="An online discussion board that carried on the forum's conversation: open questions from the sessions were answered and participants kept exchanging ideas.",
         organizers=["UN DESA", "KIPA"], links=[("KIPA", "https://www.kipa.re.kr")]),
    dict(kind="consultation", partner="KIPA",
         title="Online discussion board: Public Governance and Innovative Partnerships for Addressing the COVID-19 Pandemic",
         published_on=D(2020, 12, 8), deadline=D(2020, 12, 8), response_url="https://www.kipa.re.kr",
         themes=["covid-19-recovery", "sdg-17"],
         summary="Questions the forum had no time for, put to everyone who took part: answers, further questions and "
                 "ideas were gathered on an online board.",
         organizers=["UN DESA", "KIPA"]),
    dict(kind="event", partner="UN DESA", event_type="webinar", event_format="online",
         title="Capacity Development Webinar on “Developing Institutional Capacities in Digital Transformation for a More Inclusive and Equitable Recovery”",
         start_date=D(2020, 12, 14), end_date=D(2020, 12, 15), themes=["digital-government", "capacity-development", "sdg-9", "sdg-16"],
         summary="Chief information officers, experts and decision-makers met to strengthen policymaking for digital transformation, with attention to least developed countries, small island and landlocked developing states and economies in transition.",
         body="Participants shared successes and failures in meeting new demands on digital policy, looked at partnerships that speed up recovery, and discussed how to strengthen the **2022 United Nations E-Government Survey**.",
         organizers=["UN DESA"], links=[("UN E-Government Knowledgebase", "https://publicadministration.un.org/egovkb/")]),
    dict(kind="publication", partner="UN DESA", publication_type="compendium",
         title="Compendium of Digital Government Initiatives in Response to the COVID-19 Pandemic 2020",
         published_on=D(2020, 10, 1), date_precision="quarter", themes=["digital-government", "covid-19-recovery", "sdg-3"],
         summary="Digital responses to the pandemic submitted by Member States, with a first analysis of the trends they show, so that governments can learn from each other.",
         body="The initiatives came in through a call for inputs that DPIDG ran in April and May 2020. They are grouped into nine action areas:\n\n1. Information sharing\n2. E-participation\n3. E-health\n4. E-business\n5. Contact tracing\n6. Social distancing and virus tracking\n7. Working and learning from home\n8. Digital policy\n9. Partnerships",
         organizers=["UN DESA"], links=[("Compendium", "https://publicadministration.un.org/egovkb/en-us/Resources/Compendium-of-Digital-Government-Initiatives-in-Response-to-the-COVID-19-Pandemic")]),
    dict(kind="publication", partner="UN DESA", publication_type="compendium", language="fr",
         translation_of="Compendium of Digital Government Initiatives in Response to the COVID-19 Pandemic 2020",
         title="Recueil d’initiatives d’administration numérique face à la pandémie de COVID-19 (2020)",
         published_on=D(2020, 10, 1), date_precision="quarter", themes=["digital-government", "covid-19-recovery", "sdg-3"],
         summary="Les réponses numériques à la pandémie transmises par les États Membres, accompagnées d’une première analyse "
                 "des tendances qui s’en dégagent, afin que les gouvernements puissent tirer parti de l’expérience des autres.",
         organizers=["UN DESA"]),
    dict(kind="call", partner="UN DESA", call_type="inputs",
         title="Call for inputs: digital government initiatives in response to COVID-19",
         published_on=D(2020, 4, 1), date_precision="month", eligibility="UN Member States", themes=["digital-government", "covid-19-recovery"],
         summary="DPIDG asked Member States to send the digital initiatives they launched against the pandemic; the answers became the 2020 compendium.",
         organizers=["UN DESA"]),
    dict(kind="award", partner="UN DESA", award="unpsa", award_year=2021, award_categories="all",
         title="Under-Secretary-General Liu Zhenmin launches the 2021 United Nations Public Service Awards",
         published_on=D(2020, 10, 1), date_precision="quarter", themes=["public-service-delivery", "sdg-5", "sdg-16"],
         summary="The 2021 round of the UN Public Service Awards opened. The awards recognize public institutions whose innovations make administration more effective and responsive.",
         body="Launching the round, Mr. Liu Zhenmin, Under-Secretary-General for Economic and Social Affairs, linked effective public service delivery and transparent, accountable and inclusive institutions to the 2030 Agenda and the Decade of Action. UN DESA runs the awards with UN Women.",
         organizers=["UN DESA"], co_organizers=["UN Women"], links=[("UN Public Service Awards", "https://publicadministration.un.org/unpsa")]),
    dict(kind="event", partner="UN DESA", event_type="webinar", event_format="online",
         title="Capacity Development Event on the United Nations Public Service Awards: “Enhancing Public Service Delivery in the Decade of Action to meet the Sustainable Development Goals”",
         start_date=D(2020, 10, 6), themes=["public-service-delivery", "sdg-16"],
         summary="An online session that presented the work of the 2020 award winners and explained how to take part in the 2021 round.",
         organizers=["UN DESA"], co_organizers=["UN Women"], links=[("UN Public Service Awards", "https://publicadministration.un.org/unpsa")]),
    dict(kind="event", partner="NIA", event_type="course", event_format="online",
         title="NIA Online Course on “Digital Government Policy and Best Practices of Korea”",
         start_date=D(2020, 10, 14), countries=["KR"], themes=["digital-government", "capacity-development"],
         summary="A course on planning and carrying out a digital government strategy, built on Korea's own lessons, success factors and practices.",
         organizers=["NIA"], links=[("NIA", "https://www.nia.or.kr")]),
    dict(kind="event", partner="UN DESA", event_type="meeting", event_format="online", series="Global Policy Dialogue Series",
         title="Technological and Science-based Solutions to the COVID-19 Challenge",
         start_date=D(2020, 10, 29), themes=["science-technology", "covid-19-recovery", "sdg-9"],
         summary="Leaders in science and technology reviewed the policies and innovations that emerged during the pandemic, what worked and what still needs doing.",
         body="A panel discussion was followed by regional breakout sessions, in English led by UN DESA and in Arabic led by ESCWA. Among the questions:\n\n- which innovations actually helped people and institutions cope with COVID-19;\n- how to make COVID-19 research and innovation available to everyone;\n- how to engage society, answer misinformation and overcome indifference to science in policymaking.",
         organizers=["UN DESA"], co_organizers=["UN Economic and Social Commission for Western Asia (ESCWA)"],
         links=[("UN DESA", "https://www.un.org/development/desa/")]),
    dict(kind="event", partner="UN DESA", event_type="forum", city="Shanghai", venue_country="CN",
         title="Forum on Sustainable Smart Cities",
         start_date=D(2020, 10, 14), themes=["smart-cities", "sdg-11"],
         summary="The forum released the 2020 Global Smart City Report and the Chinese translation of the World Public Sector Report 2019.",
         organizers=["Shanghai Academy of Social Sciences", "Fudan University"], supporters=["United Nations Economic and Social Council"]),
    dict(kind="event", partner="ICAP", event_type="ceremony", event_format="online",
         title="XLVI ICAP graduation ceremony",
         start_date=D(2020, 10, 30), start_time=dt.time(16, 0), time_zone="UTC-06:00", regions=["013"],
         themes=["capacity-development"],
         summary="ICAP's first virtual graduation: students of its postgraduate programmes across Central America received their certificates and were sworn in.",
         organizers=["ICAP"], links=[("ICAP", "https://icap.ac.cr")]),
    dict(kind="event", partner="ICAP", event_type="workshop", event_format="online", language="es",
         title="Taller virtual Prospectiva e innovación en la gestión territorial",
         start_date=D(2020, 11, 13), fee_amount=Decimal("50"), fee_currency="USD", total_hours=Decimal("6"), session_count=4,
         enrolment_deadline=D(2020, 11, 13), regions=["013"], themes=["public-sector-innovation", "capacity-development"],
         people=[("Alain Jordá", "facilitator"), ("Alfredo Acosta Fonseca", "facilitator")],
         summary="Taller en línea sobre prospectiva e innovación aplicadas a la gestión del territorio, en cuatro sesiones y seis horas en total.",
         body="Dirigido a personas que trabajan en la gestión pública territorial. La inversión es de 50 dólares y la matrícula cierra el 13 de noviembre.",
         organizers=["ICAP"], links=[("ICAP", "https://icap.ac.cr")]),
    # The same story in a second language (linked to the version named by `translation_of`).
    dict(kind="event", partner="ICAP", event_type="ceremony", event_format="online", language="es",
         translation_of="XLVI ICAP graduation ceremony",
         title="XLVI Ceremonia de graduación del ICAP",
         start_date=D(2020, 10, 30), start_time=dt.time(16, 0), time_zone="UTC-06:00", regions=["013"],
         themes=["capacity-development"],
         summary="La primera graduación virtual del ICAP: el estudiantado de sus programas de posgrado de toda "
                 "Centroamérica recibió sus certificados y prestó juramento.",
         organizers=["ICAP"], links=[("ICAP", "https://icap.ac.cr")]),
    dict(kind="publication", partner="EROPA", publication_type="bulletin",
         title="EROPA Bulletin Volume 41", published_on=D(2020, 10, 20), document_url="https://eropa.co/eropa-bulletin.html",
         themes=["covid-19-recovery"], regions=["142"],
         summary="EROPA's quarterly bulletin: the updated theme of its 2021 conference, member institutions' move online, a call for papers and the UN's 75th anniversary.",
         body="Highlights of this issue:\n\n- the 2021 conference theme becomes “Public Governance for Inclusive Growth: Accountability, Engagement, and Digital Transformation in a Post-COVID-19 Pandemic Era”;\n- member institutions took classes, training and meetings online;\n- a call for papers for a special issue of the *Asian Review of Public Administration* on COVID-19;\n- the United Nations' 75th anniversary.",
         organizers=["EROPA"], links=[("EROPA Bulletin", "https://eropa.co/eropa-bulletin.html")]),
    dict(kind="call", partner="EROPA", call_type="papers",
         title="Call for papers: Asian Review of Public Administration special issue on COVID-19",
         published_on=D(2020, 10, 20), eligibility="Researchers and practitioners of public administration", themes=["covid-19-recovery"],
         summary="EROPA invited papers for a special issue of the Asian Review of Public Administration on governments' responses to COVID-19.",
         organizers=["EROPA"], links=[("EROPA", "https://eropa.co")]),
    dict(kind="event", partner="NISPAcee", event_type="conference", event_format="in_person", city="Ljubljana", venue_country="SI",
         title="The 29th NISPAcee Annual Conference 2021",
         start_date=D(2021, 5, 20), end_date=D(2021, 5, 22), regions=["151"], countries=["SI"],
         themes=["citizen-engagement", "public-sector-innovation", "sdg-16"],
         summary="“Citizens' Engagement and Empowerment – the Era of Collaborative Innovation in Governance”: the annual conference of NISPAcee, with papers on how citizens in Central and Eastern Europe can be empowered.",
         body="Researchers and practitioners from many disciplines met in plenary, working groups and panels. They looked at civic participation broadly — not only political processes, but every part of public life that shapes people's daily quality of life — in the light of the region's traditions, regulation, finances, digitalisation and human resource management.",
         organizers=["NISPAcee"], co_organizers=["Faculty of Public Administration, University of Ljubljana"],
         links=[("Conference website", "https://www.nispa.org/conference2021")]),
    dict(kind="call", partner="NISPAcee", call_type="papers",
         title="Call for papers: 29th NISPAcee Annual Conference",
         published_on=D(2020, 10, 1), date_precision="quarter", eligibility="Researchers, scholars and practitioners of public administration",
         themes=["citizen-engagement"], regions=["151"],
         summary="NISPAcee invited papers on citizens' engagement and empowerment for its 2021 annual conference in Ljubljana.",
         organizers=["NISPAcee"], links=[("Conference website", "https://www.nispa.org/conference2021")]),
    dict(kind="news", partner="ReSPA", title="ReSPA's 10th Anniversary", published_on=D(2020, 10, 1), date_precision="quarter",
         regions=["039"], themes=["public-administration-reform", "eu-integration"],
         summary="Ten years on, ReSPA counts more than 400 networking and training activities and over 8,000 civil servants trained across the Western Balkans.",
         body="Its work covers public administration reform, public finance management, European integration and human resource management. ReSPA has also produced more than 30 policy papers with over 150 regional and country recommendations.",
         organizers=["ReSPA"], links=[("Anniversary story", "https://respaweb.eu/0/news/378/respaweb-is-celebrating-10th-anniversary")]),
    dict(kind="news", partner="ReSPA", title="ReSPA's Redesigned Website", published_on=D(2020, 10, 1), date_precision="quarter",
         summary="respaweb.eu has a new design: clearer structure, easier to use, and built for phones.",
         organizers=["ReSPA"], links=[("ReSPA website", "https://www.respaweb.eu")]),
    dict(kind="publication", partner="ReSPA", publication_type="report",
         title="ReSPA Annual Report 2020", published_on=D(2020, 10, 15), document_url="https://www.respaweb.eu",
         summary="What ReSPA did from October 2019 to 15 October 2020.", organizers=["ReSPA"]),
    dict(kind="event", partner="ReSPA", event_type="course", event_format="online", date_precision="month",
         start_date=D(2020, 10, 1), end_date=D(2020, 10, 31),
         title="Seasonal School on EU Accession Negotiation", themes=["eu-integration", "capacity-development"], regions=["039"],
         summary="A five-day online school, run with EIPA, where civil servants who already negotiate with the EU coached colleagues from Western Balkan administrations about to start.",
         organizers=["ReSPA"], co_organizers=["European Institute of Public Administration (EIPA)"], links=[("ReSPA", "https://www.respaweb.eu")]),
    dict(kind="award", partner="ReSPA", award="western-balkans-pa-awards", award_year=2020, award_categories="all",
         title="Western Balkans Public Administration Award Ceremony", published_on=D(2020, 10, 1), date_precision="quarter",
         regions=["039"], themes=["digital-government", "public-sector-innovation"],
         summary="ReSPA and OECD/SIGMA announced the eleven champions of the first Western Balkans Public Administration Awards, who will receive accredited training in agile management.",
         organizers=["ReSPA"], co_organizers=["OECD/SIGMA"], links=[("ReSPA", "https://www.respaweb.eu")]),
    dict(kind="news", partner="ReSPA", title="The 11th ReSPA Governing Board meeting at the Ministerial level", published_on=D(2020, 10, 1), date_precision="quarter",
         regions=["039"], themes=["public-administration-reform"],
         summary="Ministers from ReSPA's members, senior European Commission officials and Western Balkan experts recognized the school's work in a difficult year and over its first decade.",
         organizers=["ReSPA"], links=[("ReSPA", "https://www.respaweb.eu")]),
    dict(kind="news", partner="ReSPA",
         title="Western Balkans Public Administration Awards 2020 champions promoted the innovative digital approaches at the “Government After Shock” global event",
         published_on=D(2020, 10, 1), date_precision="quarter", themes=["public-sector-innovation", "digital-government"],
         summary="With OECD/SIGMA, ReSPA hosted the “Think fast… act faster” panel at Government After Shock, the online event coordinated by the OECD Observatory of Public Sector Innovation.",
         organizers=["ReSPA"], co_organizers=["OECD/SIGMA"]),
]

USERS = [
    dict(username="editor", first_name="Sam", last_name="Secretariat", email="editor@example.org", secretariat=True, partner=None),
    dict(username="icap", first_name="Ana", last_name="Contributor", email="icap@example.org", secretariat=False, partner=("ICAP", "contributor")),
    dict(username="eropa", first_name="Eri", last_name="Contributor", email="eropa@example.org", secretariat=False, partner=("EROPA", "contributor")),
    dict(username="reader", first_name="Rui", last_name="Reader", email="reader@example.org", secretariat=False, partner=None),
]
DEMO_PASSWORD = "partnerpost-demo"


def load(log=print) -> dict:
    """Create what is missing; leave what exists. Returns counts of what was created."""
    from django.db import transaction

    from partnerpost.network.models import Membership, Partner, User

    from . import workflows
    from .models import AwardCategory, AwardProgramme, Country, Item, Region, Theme
    from .taxonomy import seed

    created = {"partners": 0, "users": 0, "items": 0}
    with transaction.atomic():
        seed()
        partners = {}
        for row in PARTNERS:
            row = dict(row)
            acronym, country, region = row.pop("acronym"), row.pop("country"), row.pop("region")
            partner, new = Partner.objects.get_or_create(
                acronym=acronym, defaults={**row, "country_id": country, "region_id": region}
            )
            partners[partner.acronym] = partner
            created["partners"] += new
        programmes = {}
        for spec in (UNPSA, WBPAA):
            programme, _ = AwardProgramme.objects.get_or_create(
                slug=spec["slug"], defaults={"name": spec["name"], "website": spec["website"]}
            )
            for position, name in enumerate(spec["categories"], start=1):
                AwardCategory.objects.get_or_create(programme=programme, name=name, defaults={"position": position})
            programmes[spec["slug"]] = programme
        users = {}
        for spec in USERS:
            user, new = User.objects.get_or_create(
                username=spec["username"],
                defaults={"first_name": spec["first_name"], "last_name": spec["last_name"], "email": spec["email"],
                          "is_secretariat_editor": spec["secretariat"], "is_staff": spec["secretariat"]},
            )
            if new:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created["users"] += 1
            if spec["partner"]:
                acronym, role = spec["partner"]
                Membership.objects.get_or_create(user=user, partner=partners[acronym], defaults={"role": role})
            users[spec["username"]] = user
        editor = users["editor"]
        themes = {t.slug: t for t in Theme.objects.all()}
        for spec in ITEMS:
            if Item.objects.filter(title=spec["title"], partner=partners[spec["partner"]]).exists():
                continue
            data = _build(spec, partners, programmes, themes, Country, Region)
            item = workflows.save_item(editor, data, submit=True)
            workflows.approve_item(editor, item)
            workflows.publish_item(editor, item)
            created["items"] += 1
    log(f"Demo content: {created['partners']} partners, {created['users']} users, {created['items']} items created "
        f"({Item.objects.count()} items in all).")
    return created


def _build(spec, partners, programmes, themes, Country, Region):
    """The demo row as the domain's typed values."""
    from . import workflows
    from .models import Item

    spec = dict(spec)
    relations = {key: spec.pop(key, None) for key in (
        "organizers", "co_organizers", "supporters", "links", "themes", "countries", "regions", "days", "people",
        "award", "award_categories", "series", "venue_country")}
    values = {**spec, "partner": partners[spec.pop("partner")]}
    if relations["venue_country"]:
        values["venue_country"] = Country.objects.get(code=relations["venue_country"])
    categories = []
    if relations["award"]:
        values["award_programme"] = programmes[relations["award"]]
        categories = list(values["award_programme"].categories.all())

    def orgs(names, role):
        return [workflows.Organization(role=role, partner=partners.get(n), name="" if n in partners else n) for n in names or []]

    related = workflows.Related(
        themes=[themes[slug] for slug in relations["themes"] or []],
        countries=list(Country.objects.filter(code__in=relations["countries"] or [])),
        regions=list(Region.objects.filter(code__in=relations["regions"] or [])),
        award_categories=categories,
        organizations=orgs(relations["organizers"], "organizer") + orgs(relations["co_organizers"], "co_organizer")
        + orgs(relations["supporters"], "supporter"),
        links=list(relations["links"] or []),
        people=[workflows.Person(name=n, role=r) for n, r in relations["people"] or []],
        days=list(relations["days"] or []) or None,
    )
    original = spec.get("translation_of")
    values.pop("translation_of", None)
    linked = Item.objects.get(title=original) if original else workflows.KEEP
    return workflows.ItemInput(values=values, related=related, series_name=relations["series"], translation_of=linked)
