"""Write the *.expected.json label files of the held-out importer corpus.

Run from the repository root:

    .venv/bin/python tests/importer/heldout/make_labels.py

The items below were written by hand from reading each document in full. The script only expands
date ranges into the "dates" lists (so every day of a range is listed without typing mistakes),
fills the keys in the corpus format (tests/importer/corpus/README.md) and checks that each title
occurs in its source after lowercasing and removing punctuation.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent


def days(start: str, end: str) -> list[str]:
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return [(a + dt.timedelta(n)).isoformat() for n in range((b - a).days + 1)]


def month(year: int, m: int) -> tuple[str, str]:
    first = dt.date(year, m, 1)
    nxt = dt.date(year + (m == 12), m % 12 + 1, 1)
    return first.isoformat(), (nxt - dt.timedelta(1)).isoformat()


def item(title, kind, *, rng=None, mon=None, sep=None, time=None, tz=None, location=None, online=None,
         organizers=(), section=None, language="en", deadline=None):
    """rng=(start, end): every day; mon=(year, month): month precision; sep=[days]: separate days."""
    start = end = None
    dates: list[str] = []
    if rng:
        start, end = rng
        dates = days(start, end)
    elif mon:
        start, end = month(*mon)
    elif sep:
        start, end, dates = sep[0], sep[-1], list(sep)
    return {"title": title, "kind": kind, "start": start, "end": end, "dates": dates, "time": time,
            "timezone": tz, "location": location, "online": online, "organizers": list(organizers),
            "section": section, "language": language, "deadline": deadline}


def one(day):
    return (day, day)


DOCS = {}

# --------------------------------------------------------------------------- email-digest
DOCS["email-digest"] = {
    "source": "email-digest.txt",
    "period": {"start": "2015-03-01", "end": "2015-03-31", "label": "March 2015"},
    "items": [
        item("EXPERT GROUP MEETING ON PUBLIC SERVICE DELIVERY IN FRAGILE SETTINGS", "event",
             rng=("2015-04-14", "2015-04-15"), location="New York", online=False, organizers=["UN DESA"]),
        item("UNPSA 2015: FINALISTS ANNOUNCED", "award", rng=one("2015-03-02"), organizers=["UN DESA"]),
        item("Regional Workshop on Open Budget Data for Local Governments", "event",
             rng=("2015-03-23", "2015-03-25"), location="Manila, Philippines", online=False,
             organizers=["EROPA", "Development Academy of the Philippines (DAP)"], section="EROPA"),
        item("Call for Papers: Asian Review of Public Administration, Special Issue on Disaster Governance", "call",
             organizers=["EROPA"], section="EROPA", deadline="2015-04-30"),
        item("Summer School on Policy Analysis for Young Researchers", "event",
             rng=("2015-07-06", "2015-07-10"), location="Bratislava, Slovakia", online=False,
             organizers=["NISPAcee"], section="NISPAcee", deadline="2015-04-15"),
        item("NISPAcee Journal of Public Administration and Policy, Vol. VII, No. 2", "publication",
             mon=(2014, 12), organizers=["NISPAcee"], section="NISPAcee"),
        item("NISPAcee Secretariat moves to new premises", "news", rng=one("2015-04-01"),
             organizers=["NISPAcee"], section="NISPAcee"),
        item("Webinar: Measuring Trust in Government", "event", rng=one("2015-03-26"), time="10:00",
             tz="UTC+09:00", online=True, organizers=["KIPA"], section="KIPA"),
        item("KIPA and the Kenya School of Government sign a memorandum of understanding", "news",
             rng=one("2015-02-17"), organizers=["KIPA", "KSG"], section="KIPA"),
        item("High-Level Seminar on Leading Public Service Transformation", "event",
             rng=("2015-05-19", "2015-05-21"), location="Kuala Lumpur, Malaysia", online=False,
             organizers=["CAPAM", "INTAN"], section="CAPAM"),
        item("CAPAM International Innovations Awards 2016 -- Call for Submissions", "award",
             organizers=["CAPAM"], section="CAPAM", deadline="2015-06-30"),
    ],
    "notes": [
        "Forwarded e-mail: the forwarding header (its 'Date: Wed, Mar 11, 2015' is the sending date), the forwarder's note, 'view it online', the masthead, the 'Dear colleagues' editorial, 'IN THIS ISSUE', 'HOW TO CONTRIBUTE' (its 'by 20 March 2015' is a copy deadline), social links, disclaimer, unsubscribe/preferences lines and copyright are not items.",
        "Sections: 'FROM THE SECRETARIAT' is the secretariat's own block (section null; its two items name UN DESA in the text). 'NEWS FROM EROPA' etc. are partner sections -> section = that partner; 'NEWS FROM KIPA (Korea Institute of Public Administration)' -> KIPA.",
        "Titles in capitals are kept as printed (the harness compares case-insensitively).",
        "UNPSA 2015: award item dated by the announcement (2 March 2015); '23 June 2015' is the award presentation at the Forum, not a separate item and not this item's date.",
        "Summer school: 'July 6-10, 2015' is the event; 'by April 15, 2015' is the application deadline.",
        "NISPAcee journal: 'published in December 2014' -> month precision 2014-12-01..2014-12-31, dates []; 'Winter 2014/2015' is the issue name.",
        "NISPAcee premises: news dated by the day the move takes effect (1 April 2015).",
        "KIPA webinar: '10:00-11:30 KST (UTC+9)' -> time 10:00, timezone UTC+09:00 (KST = UTC+9).",
        "KIPA/KSG memorandum: both signatories are organizers; dated by the signing (17 February 2015).",
        "CAPAM awards: a call for submissions to an award programme is kind 'award'; 30 June 2015 is the deadline; no start/end. The 2016 Biennial Conference presentation is not a separate item.",
        "EROPA workshop: DAP is named with 'together with' -> organizer. The call for papers sits in the EROPA section and names no other organizer -> EROPA.",
    ],
}

# --------------------------------------------------------------------------- webpage-export
DOCS["webpage-export"] = {
    "source": "webpage-export.html",
    "period": {"start": "2019-10-01", "end": "2019-10-31", "label": "Octubre 2019 / October 2019"},
    "items": [
        item("Seminario Internacional sobre Gobierno Abierto y Datos Públicos", "event",
             rng=("2019-11-12", "2019-11-14"), location="Santo Domingo", online=False,
             organizers=["CLAD", "Ministerio de Administración Pública (MAP)"], language="es",
             deadline="2019-10-25"),
        item("Webinar: Behavioural Insights for Tax Administration", "event", rng=one("2019-10-24"),
             time="15:00", tz="UTC-03:00", online=True,
             organizers=["ENAP", "Inter-American Center of Tax Administrations (CIAT)"]),
        item("Curso virtual: Gestión por Resultados en el Sector Público", "event",
             rng=("2019-11-04", "2019-12-13"), online=True, organizers=["ICAP"], language="es"),
        item("Regional Meeting of Schools of Government of Central America", "event",
             rng=("2019-10-28", "2019-10-29"), location="San José, Costa Rica", online=False,
             organizers=["ICAP"]),
        item("International Forum on Public Integrity", "event", mon=(2020, 3), location="Lisbon",
             online=False,
             organizers=["CLAD", "Directorate-General for Administration and Public Employment (DGAEP)"]),
        item("Revista Centroamericana de Administración Pública, N.º 76", "publication", mon=(2019, 9),
             organizers=["ICAP"], language="es"),
        item("INAP and ENAP renew their cooperation agreement", "news", rng=one("2019-10-01"),
             organizers=["INAP", "ENAP"]),
        item("New virtual campus for ICAP members", "news", rng=one("2019-10-07"), organizers=["ICAP"]),
        item("Convocatoria de artículos: número especial sobre Gobierno Digital", "call",
             organizers=["CLAD"], language="es", deadline="2020-01-31"),
        item("Premio CLAD a la Innovación en la Gestión Pública 2019: convocatoria abierta", "award",
             organizers=["CLAD"], language="es", deadline="2019-12-15"),
    ],
    "notes": [
        "Saved CMS page: <head>, scripts, cookie banner, skip link, language switcher, search box, main menu, breadcrumb, page title and subtitle, the introduction ('Estimados amigos...', its 'hasta el día 20 de cada mes' is a copy deadline), share links, pager, footer (address, social links, copyright, legal links, disclaimer) are not items.",
        "Sidebar: the 'Próximos eventos' widget repeats three items of the main column (24 OCT, 28 OCT, 12 NOV): duplicates, not extra items. 'Enlaces relacionados / Related links' (including 'Carta Iberoamericana de Gobierno Abierto'), 'Boletines anteriores' (issue dates) and the subscription form are not items.",
        "Each article carries a CMS posting date ('Publicado el' / 'Posted' <time>). That is not the date of events or publications: events take the dates in the text (e.g. 'del 12 al 14 de noviembre de 2019'), the ICAP journal takes 'publicado en septiembre de 2019' (month precision). News takes the date the text gives ('On 1 October 2019' for INAP/ENAP); the ICAP virtual campus article states no date in its text, so it is dated by its posting date 7 October 2019, the day it was announced.",
        "Category labels above the headings (Eventos, Formación, Publicaciones, Noticias, Convocatorias, Premios) are by type, not by partner: section null everywhere.",
        "Webinar: '15:00 (GMT-3) / 19:00 (CET)' -> first zone, time 15:00, UTC-03:00. CIAT is named with 'in cooperation with' -> organizer.",
        "International Forum on Public Integrity: 'planned for March 2020 ... (exact dates to be confirmed)' -> month precision 2020-03-01..2020-03-31, dates []; co-organized by CLAD and DGAEP.",
        "ICAP course: 'modalidad virtual, del 4 de noviembre al 13 de diciembre de 2019' -> every day of the range; 'seis semanas' is its length, not separate dates.",
        "Premio CLAD ... convocatoria abierta: a call for nominations to an award programme is kind 'award'; 15 December 2019 is the deadline; no start/end. The call for articles of the Revista del CLAD is kind 'call' (deadline 31 January 2020).",
        "Languages: the Spanish articles are 'es' (including the ICAP course); the articles marked lang='en' are 'en'.",
    ],
}

# --------------------------------------------------------------------------- annual-calendar
DOCS["annual-calendar"] = {
    "source": "annual-calendar.md",
    "period": {"start": "2024-01-01", "end": "2024-12-31", "label": "2024"},
    "items": [
        item("Course on Strategic Human Resource Management", "event", rng=("2024-02-19", "2024-02-23"),
             location="San José, Costa Rica", online=False, organizers=["ICAP"], deadline="2024-01-26"),
        item("Webinar: Artificial Intelligence in Public Services", "event", rng=one("2024-02-27"),
             time="11:00", tz="UTC-05:00", online=True, organizers=["CLAD"], deadline="2024-02-26"),
        item("Course on Public Procurement", "event", rng=("2024-03-04", "2024-03-08"), location="Lima, Peru",
             online=False, organizers=["CLAD", "SERVIR (Peru)"], deadline="2024-02-15"),
        item("Diploma in Public Policy Evaluation", "event", rng=("2024-03-11", "2024-04-19"), online=True,
             organizers=["INAP"], deadline="2024-02-26"),
        item("Course on Results-Based Budgeting", "event", rng=("2024-04-08", "2024-04-12"),
             location="Santo Domingo, Dominican Republic", online=False, organizers=["ICAP"],
             deadline="2024-03-08"),
        item("Online Seminar Series: Integrity Risk Management", "event",
             sep=["2024-04-16", "2024-04-18", "2024-04-23"], time="10:00", tz="UTC-03:00", online=True,
             organizers=["CLAD"]),
        item("Regional Workshop on Civil Service Career Systems", "event", rng=("2024-10-09", "2024-10-11"),
             location="Asunción, Paraguay", online=False,
             organizers=["CLAD", "Secretaría de la Función Pública (SFP) of Paraguay"], deadline="2024-04-12"),
        item("Curso de Liderazgo para la Alta Dirección Pública", "event", rng=("2024-05-27", "2024-06-07"),
             location="Madrid, España", online=False, organizers=["INAP"], language="es",
             deadline="2024-04-22"),
        item("Course on Digital Transformation of Public Administration", "event",
             rng=("2024-06-03", "2024-06-07"), location="Brasília, Brazil", online=False, organizers=["ENAP"],
             deadline="2024-05-03"),
        item("Workshop on Gender-Responsive Budgeting", "event", mon=(2024, 6), online=True,
             organizers=["UN Women", "CLAD"]),
        item("Course on Regulatory Impact Assessment", "event", rng=("2024-09-09", "2024-09-13"),
             location="Bogotá, Colombia", online=False,
             organizers=["ESAP (Escuela Superior de Administración Pública)", "CLAD"], deadline="2024-08-09"),
        item("Course on Ethics and Integrity in the Public Service", "event", rng=("2024-11-04", "2024-11-08"),
             location="Panama City, Panama", online=False, organizers=["ICAP"], deadline="2024-10-04"),
    ],
    "notes": [
        "Month headings give the year (2024) to entries written without one; they are sections by month -> section null for every entry.",
        "Entry format 'date · title · venue · fee · deadline · organizer(s)': fees and 'Deadline ...' / 'Registration open until ...' / 'Plazo de solicitud: ...' are not event dates.",
        "Not items: title block and 'version of 15 January 2024', the quoted note on fees, the 'Jump to' contents line, the 'July–August 2024' and 'December 2024' notes (no courses; 'opens on 1 July' is a call opening inside a note), 'How to apply', 'About this calendar' ('planned for April 2024' is the next update), contact line, copyright.",
        "The struck-through 'Workshop on Open Contracting' (18–20 March, Quito) marked CANCELLED is not an item: it will not take place, and a careful editor would not create it.",
        "'Regional Workshop on Civil Service Career Systems' is listed under May with 15–17 May but marked 'POSTPONED to 9–11 October 2024': one item with the new dates 2024-10-09..2024-10-11. The italic line under 'October 2024' only points back to it ('see above') and is not a second item.",
        "'16, 18 and 23 April' -> three separate days. 'June (dates to be confirmed)' -> month precision 2024-06-01..2024-06-30, dates [].",
        "'11 March – 19 April' (online diploma) lists every day of the range; '27 de mayo – 7 de junio' (Spanish entry, language es) likewise.",
        "Times: '11:00 (GMT-5)' -> 11:00 UTC-05:00; '10:00–12:00 (UTC-3)' -> 10:00 UTC-03:00.",
        "Integrity seminar series: 'with the support of the Inter-American Development Bank (IDB)' is a supporter, not an organizer -> organizers [CLAD].",
        "INAP (Mexico) and INAP (España) are written 'INAP' (the known acronym).",
    ],
}

# --------------------------------------------------------------------------- director-letter
DOCS["director-letter"] = {
    "source": "director-letter.txt",
    "period": {"start": "2012-04-01", "end": "2012-06-30", "label": "Second quarter 2012 (April - June)"},
    "items": [
        item("Regional Workshop on Decentralisation and Local Service Delivery", "event",
             rng=("2012-05-14", "2012-05-16"), location="Tangier", online=False, organizers=["CAFRAD", "UN DESA"]),
        item("séminaire de formation des formateurs sur l'évaluation des politiques publiques", "event",
             rng=("2012-05-28", "2012-06-01"), location="Tanger", online=False, organizers=["CAFRAD", "ENA"],
             language="fr"),
        item("memorandum of understanding with the Ghana Institute of Management and Public Administration",
             "news", rng=one("2012-06-04"), location="Accra", organizers=["CAFRAD", "GIMPA"]),
        item("African Administrative Studies No. 78", "publication", mon=(2012, 4), organizers=["CAFRAD"]),
        item("Annual Report 2011", "publication", rng=one("2012-05-15"), organizers=["CAFRAD"]),
        item("Serving with Integrity: Ethics in the African Public Service", "event", rng=one("2012-06-22"),
             location="Rabat", online=False, organizers=["AAPAM", "Moroccan Ministry of Public Service"]),
        item("Training course on e-Government Strategies for Senior Officials", "event",
             rng=("2012-07-09", "2012-07-20"), location="Tangier", online=False, organizers=["CAFRAD"],
             deadline="2012-06-29"),
        item("48th meeting of the CAFRAD Governing Board", "event", mon=(2012, 9), location="Tangier",
             online=False, organizers=["CAFRAD"]),
        item("Atelier régional sur la gestion des ressources humaines dans la fonction publique", "event",
             rng=("2012-10-15", "2012-10-19"), location="Dakar (Sénégal)", online=False,
             organizers=["CAFRAD", "Ministère de la Fonction publique du Sénégal"], language="fr"),
        item("AAPAM Annual Roundtable Conference", "event", rng=("2012-11-19", "2012-11-23"),
             location="Windhoek, Namibia", online=False, organizers=["AAPAM"]),
        item("Call for contributions: African Administrative Studies No. 80", "call", organizers=["CAFRAD"],
             deadline="2012-08-31"),
    ],
    "notes": [
        "A director's letter: letterhead, title and quarter line, place and date of the letter ('Tangier, 29 June 2012'), salutation, thanks paragraph, signature and the distribution footer are not items. Section null throughout (the letter is not grouped by partner; 'UPCOMING' is a section by time).",
        "Not items: the 2011 Addis Ababa workshop on procurement reform mentioned in the first paragraph (a past, postponed activity recalled for context, without its own entry); 'the recommendations ... will be presented at their next regional meeting' (no entry of its own); 'our programme for 2013'.",
        "Prose items take the name the text gives: the French seminar is titled by its description ('séminaire de formation des formateurs sur l'évaluation des politiques publiques'); the GIMPA agreement by 'memorandum of understanding with the Ghana Institute of Management and Public Administration'; the round table by its quoted title.",
        "Organizers: 'we organised together with UN DESA' -> CAFRAD and UN DESA; the letter's 'we'/'the Centre' is CAFRAD. 'en partenariat avec l'École nationale d'administration (ENA) de France' -> ENA. 'with the support of ... KOICA' is a supporter, not an organizer. The round table was organised by AAPAM and the Moroccan Ministry of Public Service; CAFRAD only took part. AAPAM Roundtable: CAFRAD chairs a panel, the conference is AAPAM's.",
        "Dates: 'from Monday 14 to Wednesday 16 May 2012'; 'du 28 mai au 1er juin 2012' (across months); 'On the 4th of June' takes the letter's year 2012; 'on Friday 22 June, on the eve of Africa Public Service Day' -> the round table is on 22 June (23 June is the Day itself); 'appeared in April' -> month precision April 2012; 'Late September 2012 (dates TBC)' -> month precision September 2012, dates [].",
        "Annual Report 2011: dated by its release on 15 May 2012; 'January to December 2011' is the period it covers.",
        "Training course: 'Nominations by 29 June' is a deadline. Call for contributions No. 80: 31 August 2012 is the deadline for articles; no start/end.",
        "The French paragraph and the French upcoming entry are language 'fr'; the French seminar's location is 'Tanger' as written.",
        "The journal (African Administrative Studies), the Annual Report and the call for contributions are CAFRAD's own, announced by its Director General in the first person ('Our Annual Report'): organizers [CAFRAD].",
    ],
}

# --------------------------------------------------------------------------- table-bulletin
DOCS["table-bulletin"] = {
    "source": "table-bulletin.pdf",
    "period": {"start": "2017-09-01", "end": "2017-11-30", "label": "Autumn 2017 (September – November 2017)"},
    "items": [
        item("Regional Conference on Better Regulation in the Western Balkans", "event",
             rng=("2017-09-12", "2017-09-14"), location="Danilovgrad, Montenegro", online=False,
             organizers=["ReSPA", "OECD/SIGMA"], section="ReSPA"),
        item("Training on Human Resource Management Information Systems", "event",
             rng=("2017-10-03", "2017-10-05"), location="Skopje", online=False, organizers=["ReSPA"],
             section="ReSPA"),
        item("Webinar: Service Delivery Standards in Small Administrations", "event", rng=one("2017-10-26"),
             time="10:00", tz="UTC+01:00", online=True, organizers=["ReSPA"], section="ReSPA"),
        item("Workshop on Teaching Public Policy", "event", sep=["2017-10-18", "2017-10-19"],
             location="Ljubljana, Slovenia", online=False,
             organizers=["NISPAcee", "University of Ljubljana – Faculty of Public Administration"],
             section="NISPAcee"),
        item("Expert Meeting on Local Government Finance", "event", mon=(2017, 11), location="Tbilisi, Georgia",
             online=False, organizers=["NISPAcee"], section="NISPAcee"),
        item("Seminar: EU Funds Management for Candidate Countries", "event", rng=("2017-09-20", "2017-09-22"),
             location="Maastricht, Netherlands", online=False, organizers=["EIPA"], section="EIPA"),
        item("Online Course on Evaluating Public Policies", "event", rng=("2017-11-06", "2017-12-01"),
             online=True, organizers=["EIPA"], section="EIPA"),
        item("Public Administration Reform in the Western Balkans: Comparative Study 2017", "publication",
             mon=(2017, 7), organizers=["ReSPA"]),
        item("NISPAcee Journal of Public Administration and Policy, Vol. X, No. 1", "publication",
             mon=(2017, 6), organizers=["NISPAcee"]),
        item("Merit-Based Recruitment in the Senior Civil Service", "publication", organizers=["OECD/SIGMA"]),
        item("Call for Papers: 26th NISPAcee Annual Conference", "call", organizers=["NISPAcee"],
             deadline="2017-12-15"),
        item("ReSPA launches regional e-library", "news", rng=one("2017-09-04"), organizers=["ReSPA"]),
    ],
    "notes": [
        "Labels made from table-bulletin.html and checked against the text PDFium extracts from table-bulletin.pdf (3 pages).",
        "Not items: the running header 'PA Exchange · Bulletin No. 9 · Autumn 2017' and the footer 'Page N of M' on every page, the masthead and issue line, the 'In this issue' box, the editorial, the note under 'Calendar of events', the repeated table header row (Date Event Venue Organizer), the colophon (About, Contact, Disclaimer, copyright; 'by 15 November 2017' is a copy deadline).",
        "Table rows: the bold text of the Event cell is the title; the grey line under it is a description. The group rows 'ReSPA – Regional School of Public Administration', 'NISPAcee – ...', 'EIPA – ...' group the events by partner -> section ReSPA / NISPAcee / EIPA. The organizers are taken from the Organizer column.",
        "The publications, calls and news lists are sections by type -> section null; organizers are the institution named after the dash.",
        "Dates: '03.10.2017 – 05.10.2017' is day.month.year (3–5 October); '18 & 19 Oct 2017' are two listed days; 'Nov 2017 (TBC)' -> month precision 2017-11-01..2017-11-30, dates []; '6 Nov – 1 Dec 2017' lists every day of the range (the weekly Tuesday live sessions are part of the course, not separate items).",
        "Webinar: '10:00–12:00 CET' -> time 10:00, timezone UTC+01:00 as written.",
        "Venue 'Danilovgrad, Montenegro (ReSPA campus)' -> location 'Danilovgrad, Montenegro'. 'e-learning' / 'Online' -> online true, location null.",
        "Publications: 'July 2017' and 'June 2017' -> month precision; the OECD/SIGMA policy brief has no date. The NISPAcee conference 'to be held in May 2018' is the subject of the call, not its date: the call has no start/end, deadline 15 December 2017.",
        "ReSPA e-library: news dated by its launch, 4 September 2017.",
    ],
}


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def source_text(path: Path) -> str:
    if path.suffix == ".pdf":
        path = path.with_suffix(".html")
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return text


def main() -> None:
    for name, doc in DOCS.items():
        text = norm(source_text(HERE / doc["source"]))
        for it in doc["items"]:
            assert norm(it["title"]) in text, f"{name}: title not in source: {it['title']}"
        out = HERE / f"{name}.expected.json"
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"{out.name}: {len(doc['items'])} items")


if __name__ == "__main__":
    main()
