"""Demo calls: the 2020 compendium call (closed, with a catalogue of accepted initiatives), an open
NISPAcee call for papers and an open call for nominations to the 2021 UN Public Service Awards.

The initiatives below are ILLUSTRATIVE: written for this demonstration, with invented agencies and
details. They are not the entries of the real 2020 compendium. Safe to run twice: a call that exists
(by title) is left as it is.
"""

from __future__ import annotations

import datetime as dt

AREAS = ["Information sharing", "E-participation", "E-health", "E-business", "Contact tracing",
         "Social distancing and virus tracking", "Working and learning from home", "Digital policy", "Partnerships"]

COMPENDIUM_TITLE = "Call for inputs: digital government responses to COVID-19 (2020 compendium)"
NISPACEE_TITLE = "Call for papers: 30th NISPAcee Annual Conference"
UNPSA_TITLE = "Call for nominations: 2021 United Nations Public Service Awards"

# title, country, areas (indexes into AREAS, from 1), agency, what it does (illustrative, written for the demo)
INITIATIVES = [
    ("National coronavirus information hotline and chatbot", "KE", [1], "Ministry of Information and Communications",
     "A toll-free line and a messaging chatbot answer questions in English and Kiswahili, with answers reviewed daily by health officials."),
    ("SMS alerts for rural districts", "GH", [1, 9], "National Communications Authority",
     "Mobile operators send free text alerts on symptoms and testing sites to every subscriber in districts with weak internet coverage."),
    ("Online hearings on the economic recovery plan", "ZA", [2], "Department of Planning, Monitoring and Evaluation",
     "Residents comment on draft recovery measures through a moderated portal and live-streamed hearings held in four languages."),
    ("Telemedicine for community clinics", "RW", [3], "Rwanda Biomedical Centre",
     "Nurses in health posts consult district doctors by video, and prescriptions reach the nearest pharmacy electronically."),
    ("Mobile money relief for informal traders", "UG", [4, 9], "Ministry of Finance, Planning and Economic Development",
     "Emergency transfers are paid to registered market vendors through mobile wallets, with identity checked against the national register."),
    ("Voluntary exposure notification app", "MA", [5], "Ministry of Health",
     "A Bluetooth app warns users who spent time near a confirmed case; no location is stored and the keys are deleted after fourteen days."),
    ("Crowd density dashboard for markets", "SN", [6], "Dakar Regional Development Agency",
     "Sensors at the entrances of large markets publish occupancy in real time so traders and shoppers can choose quieter hours."),
    ("Radio and television school", "TN", [7], "Ministry of Education",
     "Daily lessons for each grade are broadcast and then posted online with worksheets that teachers can mark through a simple portal."),
    ("Emergency e-signature decree", "EG", [8], "Ministry of Communications and Information Technology",
     "A temporary decree gives electronic signatures on administrative forms the same value as handwritten ones for the length of the emergency."),
    ("Remote court sessions", "NG", [7, 8], "Lagos State Judiciary",
     "Urgent civil and criminal matters are heard by video link, with rules on recording, access for the press and the identity of witnesses."),
    ("Open data on hospital capacity", "BR", [1], "Ministry of Health",
     "Daily files list free intensive-care beds by state, published under an open licence with a documented format."),
    ("Citizen panel on school reopening", "UY", [2, 7], "National Public Education Administration",
     "Parents, teachers and pupils answered weekly online questions that fed the timetable for a gradual return to classrooms."),
    ("Digital queueing for social benefits", "CL", [6, 4], "Institute of Social Security",
     "Applicants book a time slot online or by phone and receive a text when to come, which removed the long lines at offices."),
    ("Unified telehealth platform", "CO", [3], "Ministry of Health and Social Protection",
     "Public and private providers connect to one platform for video consultations, with records shared under patient consent."),
    ("Small business online registration", "MX", [4], "Ministry of Economy",
     "Firms register, obtain a tax number and apply for emergency credit in one online procedure, without visiting an office."),
    ("Contact tracing call centre", "CR", [5, 9], "Social Security Fund",
     "University students trained as tracers call contacts of confirmed cases, with scripts and a case system shared with the regions."),
    ("Teleworking guide for the public service", "CA", [7, 8], "Treasury Board Secretariat",
     "Rules, equipment lists and security advice let federal employees work from home, with a helpline for managers."),
    ("Open-source symptom checker", "US", [3, 9], "A state digital service team",
     "A self-assessment tool built with volunteer developers tells residents whether and where to get tested; its code is public."),
    ("Caribbean health information exchange", "JM", [1, 9], "Ministry of Health and Wellness",
     "Laboratory results move electronically between island health services, replacing faxed reports."),
    ("Online payment of fees and fines", "AR", [4], "Secretariat of Public Innovation",
     "Every national agency accepts card and bank transfer payments through one gateway, so no one queues to pay."),
    ("Digital health pass for travel", "SG", [5, 6], "Government Technology Agency",
     "Test results are issued as signed QR codes that airlines and border officers verify offline."),
    ("National e-learning portal", "IN", [7], "Ministry of Education",
     "Lessons in twelve languages are offered online and on television channels, with offline download for areas with poor connections."),
    ("Public grievance tracking during lockdown", "IN", [2], "Department of Administrative Reforms",
     "Complaints about relief distribution are logged online and by phone, and each department reports its response time weekly."),
    ("Food delivery platform for quarantined households", "KR", [4, 6], "Seoul Metropolitan Government",
     "Households in quarantine order groceries through a city platform; local shops deliver and are paid from a relief fund."),
    ("Mask stock map", "KR", [1, 9], "Ministry of the Interior and Safety",
     "Pharmacies report their mask stock through an open interface, which civic developers turned into maps and apps."),
    ("Remote civil service examinations", "CN", [7], "A provincial personnel bureau",
     "Written tests for new civil servants are held online with identity checks and proctoring, so recruitment did not stop."),
    ("Telehealth for mental health support", "JP", [3], "A prefectural health department",
     "Counsellors answer by chat and video for people isolated at home, with a line dedicated to health workers."),
    ("Quarantine monitoring app", "VN", [5, 6], "Ministry of Information and Communications",
     "People in home quarantine report their health status twice a day; health stations call those who miss a report."),
    ("Digital ID for emergency cash transfers", "PH", [4, 8], "Philippine Statistics Authority",
     "The national ID register is used to confirm eligibility for cash aid and to pay it into bank accounts."),
    ("Whole-of-government crisis portal", "ID", [1], "Ministry of Communication and Information Technology",
     "One portal brings together regulations, case figures and hotlines of all ministries, with a fact-checking section."),
    ("Parliament sitting by video", "KZ", [2, 8], "The Parliament of Kazakhstan",
     "Rules of procedure were amended so that committees and plenary sessions could meet and vote by video link."),
    ("Volunteer coordination platform", "UZ", [9], "Ministry for the Support of Mahalla",
     "Neighbourhood committees match volunteers with older residents who need food and medicine delivered."),
    ("Open procurement of emergency supplies", "GE", [8, 1], "State Procurement Agency",
     "Every emergency contract is published with price, supplier and delivery date on the e-procurement system."),
    ("Online tax filing extension and help desk", "JO", [4], "Income and Sales Tax Department",
     "Deadlines were moved and a video help desk guides businesses through filing online."),
    ("E-prescriptions", "EE", [3], "Health and Welfare Information Systems Centre",
     "Doctors issue prescriptions by phone consultation and patients collect medicine at any pharmacy with their ID card."),
    ("Citizen ideas for the crisis", "FI", [2], "Ministry of Finance",
     "An online platform collected proposals from residents and civil servants, which were sorted and answered by ministries."),
    ("Digital services helpdesk for older people", "PT", [1, 9], "Agency for Administrative Modernization",
     "Volunteers from the public service help older citizens by phone to use online services and video calls."),
    ("National hackathon against the virus", "DE", [9, 2], "Federal Chancellery",
     "Tens of thousands of participants worked on problems set by administrations; selected projects received support to continue."),
    ("Remote schooling with public cloud tools", "AT", [7], "Federal Ministry of Education",
     "Schools received licences and training for a common learning platform, with laptops loaned to pupils who had none."),
    ("Business support in one online form", "FR", [4, 8], "Directorate for Public Transformation",
     "Small firms apply for the solidarity fund with a short online form pre-filled from tax data."),
    ("Movement permits by SMS", "GR", [6], "Ministry of Digital Governance",
     "Residents send a text with a code for the purpose of their trip and receive an answer that serves as a permit."),
    ("Open-source exposure notification", "IE", [5], "Health Service Executive",
     "A decentralised app based on the phone platforms' framework, with its source code and data protection assessment published."),
    ("Digital guidance for local governments", "SI", [8, 9], "Ministry of Public Administration",
     "Municipalities received templates and advice to move council meetings and services online within weeks."),
    ("Telehealth for remote islands", "FJ", [3, 9], "Ministry of Health and Medical Services",
     "Nurses on outer islands consult doctors in the capital by satellite link, with a schedule for specialist clinics."),
    ("COVID-19 information in Pacific languages", "NZ", [1], "Ministry for Pacific Peoples",
     "Health advice is translated into nine Pacific languages and shared through community radio and church networks."),
    ("Online business relief applications", "AU", [4], "A federal revenue agency",
     "Wage subsidy applications are made through existing online business accounts and paid within days."),
    ("School lessons by radio", "PG", [7], "Department of Education",
     "Lessons are recorded with teachers and broadcast on national and provincial radio for pupils without internet."),
    ("Emergency policy on data sharing", "AU", [8], "Office of the National Data Commissioner",
     "A short legal framework lets agencies share data for the emergency response, with published purposes and a sunset date."),
]


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _at(days: int, hour: int, minute: int) -> dt.datetime:
    """A wall time `days` from today: the open demo calls stay open whenever the demo is loaded."""
    return dt.datetime.combine(_today() + dt.timedelta(days=days), dt.time(hour, minute))


def _moment(day: int, month: int = 4, hour: int = 10) -> dt.datetime:
    return dt.datetime(2020, month, day, hour, 0, tzinfo=dt.UTC)


def _call_item(editor, partner, title, summary, body, call_type, published_on):
    from partnerpost.content import workflows as content
    from partnerpost.content.models import Item

    existing = Item.objects.filter(title=title, partner=partner).first()
    if existing:
        return existing, False
    item = Item(kind="call", partner=partner, title=title, summary=summary, body=body, call_type=call_type,
                published_on=published_on, language="en")
    item = content.create_item(editor, item)
    content.submit_item(editor, item)
    content.approve_item(editor, item)
    content.publish_item(editor, item)
    item.refresh_from_db()
    return item, True


def load(log=print) -> dict:
    from django.db import transaction

    from partnerpost.network.models import Partner, User

    from . import workflows
    from .workflows import CallInput, FieldSpec, QuestionSpec

    editor = User.objects.get(username="editor")
    partners = {p.acronym: p for p in Partner.objects.filter(acronym__in=["UN DESA", "NISPAcee"])}
    made = {"calls": 0, "initiatives": 0}
    with transaction.atomic():
        item, new = _call_item(
            editor, partners["UN DESA"], COMPENDIUM_TITLE,
            "Member States were invited to describe the digital initiatives they launched against the pandemic. "
            "Accepted answers form the catalogue of the 2020 compendium. (Demo: the entries are illustrative.)",
            "UN DESA's Division for Public Institutions and Digital Government asked Member States for the digital "
            "measures they took in response to COVID-19, sorted into nine action areas.\n\n"
            "**About this demo:** the initiatives in this catalogue were written for the demonstration of Partnerpost. "
            "Agencies and details are illustrative; they are not the entries of the published compendium.",
            "inputs", dt.date(2020, 4, 13))
        if new:
            made["calls"] += 1
            call = workflows.save_call(editor, item, CallInput(
                opens=dt.datetime(2020, 4, 13, 9, 0), closes=dt.datetime(2020, 5, 8, 18, 0), time_zone="America/New_York",
                languages=["en", "fr", "es"], audience="email", is_catalogue=True,
                eligibility=[QuestionSpec("public_body", "Is the initiative run or commissioned by a public authority?", True,
                                          "The compendium collects initiatives of governments and public bodies only.")],
                fields=[
                    FieldSpec("title", "text", "Name of the initiative", True, role="title"),
                    FieldSpec("country", "country", "Country", True, role="country"),
                    FieldSpec("areas", "choices", "Action areas", True, AREAS, role="area"),
                    FieldSpec("agency", "text", "Responsible institution", True),
                    FieldSpec("description", "long_text", "What the initiative does", True, step=2, role="summary"),
                    FieldSpec("launched", "date", "Launched on", False, step=2),
                    FieldSpec("website", "url", "Web address", False, step=2),
                    FieldSpec("national", "yes_no", "Nationwide", False, step=2),
                    FieldSpec("report", "file", "Supporting document", False, step=3),
                    FieldSpec("contact", "contact", "Focal point", True, step=3),
                ]))
            for n, (title, country, areas, agency, description) in enumerate(INITIATIVES):
                when = _moment(14 + n % 16, 4) if n < 30 else _moment(1 + n % 7, 5)
                submission = workflows.start_submission(call, email=f"focal.point{n + 1}@demo.invalid", now=when)
                workflows.answer_eligibility(submission, {"public_body": True}, now=when)
                workflows.save_answers(submission, {
                    "title": title, "country": country, "areas": [AREAS[i - 1] for i in areas], "agency": agency,
                    "description": description, "launched": f"2020-{3 + n % 3:02d}-{1 + n % 27:02d}",
                    "national": n % 4 != 0, "contact": {"name": f"Focal point {n + 1}", "email": f"focal.point{n + 1}@demo.invalid"},
                }, now=when)
                workflows.submit_submission(submission, now=when, quiet=True)
                workflows.decide_submission(editor, submission, "accept", quiet=True)
                made["initiatives"] += 1
        item, new = _call_item(
            editor, partners["NISPAcee"], NISPACEE_TITLE,
            "Papers for the working groups and the general session of NISPAcee's annual conference on citizens' "
            "engagement and collaborative innovation.",
            "Researchers and practitioners send an abstract first; authors of accepted abstracts are invited to send the full paper. "
            "Papers may be in English or Russian.",
            "papers", _today() - dt.timedelta(days=30))
        if new:
            made["calls"] += 1
            workflows.save_call(editor, item, CallInput(
                opens=_at(-30, 9, 0), closes=_at(60, 23, 59), time_zone="Europe/Ljubljana",
                languages=["en", "ru"], audience="email",
                fields=[
                    FieldSpec("title", "text", "Title of the paper", True, role="title"),
                    FieldSpec("track", "choice", "Working group or session", True,
                              ["General session", "Public sector innovation", "Local government", "Public finance",
                               "E-government", "Public administration education"]),
                    FieldSpec("country", "country", "Author's country", True, role="country"),
                    FieldSpec("abstract", "long_text", "Abstract (up to 500 words)", True, step=2, role="summary"),
                    FieldSpec("author", "contact", "Corresponding author", True, step=2),
                    FieldSpec("coauthors", "text", "Co-authors", False, step=2),
                    FieldSpec("paper", "file", "Full paper (PDF or Word), if ready", False, step=3),
                    FieldSpec("first_time", "yes_no", "First NISPAcee conference?", False, step=3),
                ]))
        item, new = _call_item(
            editor, partners["UN DESA"], UNPSA_TITLE,
            "Public institutions may be nominated for the 2021 UN Public Service Awards in four categories.",
            "Nominations are made by or for public sector institutions. Each nomination names one category and "
            "describes the initiative, its results and how it can be adapted elsewhere.",
            "nominations", _today() - dt.timedelta(days=14))
        if new:
            made["calls"] += 1
            from partnerpost.content.demo import UNPSA

            workflows.save_call(editor, item, CallInput(
                opens=_at(-14, 0, 0), closes=_at(90, 23, 59), time_zone="America/New_York",
                languages=["en", "fr", "es", "ar", "zh-hans", "ru"], audience="email",
                eligibility=[QuestionSpec("public_sector", "Is the nominated initiative run by a public sector institution?", True,
                                          "Only public sector institutions can receive a UN Public Service Award."),
                             QuestionSpec("running_two_years", "Has the initiative been running for at least two years?", True,
                                          "An initiative must have been implemented for two years or more to show its results.")],
                fields=[
                    FieldSpec("title", "text", "Name of the initiative", True, role="title"),
                    FieldSpec("institution", "text", "Nominated institution", True),
                    FieldSpec("country", "country", "Country", True, role="country"),
                    FieldSpec("category", "choice", "Award category", True, UNPSA["categories"], role="area"),
                    FieldSpec("summary", "long_text", "The initiative and its results", True, step=2, role="summary"),
                    FieldSpec("started", "date", "Started on", True, step=2),
                    FieldSpec("website", "url", "Web address", False, step=2),
                    FieldSpec("nominator", "contact", "Nominator", True, step=3),
                    FieldSpec("evidence", "file", "Evaluation or evidence of results", False, step=3),
                ]))
    log(f"Calls: {made['calls']} created, {made['initiatives']} illustrative compendium initiatives accepted.")
    return made
