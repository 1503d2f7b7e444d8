"""Write the *.expected.json label files of the importer's test split (tests/importer/testset).

Run from the repository root:

    .venv/bin/python tests/importer/testset/make_labels.py

Same format and labelling rules as tests/importer/corpus (see its README); the item lists below were
written by hand from reading each document. The helpers of tests/importer/heldout/make_labels.py expand
date ranges and check that every title occurs in its source.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("heldout_labels", HERE.parent / "heldout" / "make_labels.py")
_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_helpers)
item, one, norm, source_text = _helpers.item, _helpers.one, _helpers.norm, _helpers.source_text

DOCS = {}

DOCS["agenda-fr"] = {
    "source": "agenda-fr.txt",
    "period": {"start": "2024-10-14", "end": "2024-10-18", "label": "Semaine du 14 au 18 octobre 2024"},
    "items": [
        item("Conseil d'orientation de l'Institut national du service public", "event", rng=one("2024-10-14"),
             time="09:30", location="Strasbourg", online=False, language="fr"),
        item("Entretien avec le secrétaire général du Réseau des écoles de service public", "event",
             rng=one("2024-10-14"), time="14:00", location="Paris, hôtel de Rothelin-Charolais", online=False,
             language="fr"),
        item("Ouverture du colloque « L'administration face au défi climatique »", "event", rng=one("2024-10-15"),
             time="10:00", location="Cour des comptes, Paris", online=False, language="fr"),
        item("Remise des prix de l'innovation publique territoriale", "award", rng=one("2024-10-15"),
             time="16:30", location="Lyon", online=False, language="fr"),
        item("Conseil des ministres", "event", rng=one("2024-10-16"), time="08:45", location="Palais de l'Élysée",
             online=False, language="fr"),
        item("Visite de la plateforme régionale d'appui interministériel", "event", rng=one("2024-10-16"),
             time="11:00", location="Rennes", online=False, language="fr"),
        item("Séminaire des directeurs des ressources humaines des ministères", "event", rng=one("2024-10-18"),
             time="09:00", location="Paris", online=False, language="fr"),
        item("Signature d'une convention de coopération avec l'Institut régional d'administration de Nantes",
             "news", rng=one("2024-10-18"), time="15:00", location="Nantes", online=False, language="fr"),
    ],
    "notes": ["Day headings carry the date, each time line starts an engagement; 'Pas d'engagement public' "
              "is not an item; the update line is not an item."],
}

DOCS["un-calendar"] = {
    "source": "un-calendar.txt",
    "period": {"start": "2025-01-01", "end": "2025-03-31", "label": "January - March 2025"},
    "items": [
        item("Expert Group Meeting on Public Sector Workforce Planning", "event", rng=("2025-01-06", "2025-01-10"),
             location="Conference Room 7, United Nations Headquarters, New York", online=False),
        item("Briefing to Member States on the 2026 E-Government Survey Methodology", "event",
             rng=one("2025-01-22"), online=True),
        item("Regional Workshop on Anti-Corruption Strategies for Small Island Developing States", "event",
             rng=("2025-02-03", "2025-02-05"), location="Apia, Samoa", online=False),
        item("Launch of the Handbook on Participatory Budgeting", "publication", rng=one("2025-02-17"),
             online=True),
        item("Training of Trainers on Risk-Informed Governance", "event", rng=("2025-02-24", "2025-02-28"),
             location="Incheon, Republic of Korea", online=False),
        item("High-Level Dialogue on Trust in Public Institutions", "event", rng=one("2025-03-10"),
             location="Trusteeship Council Chamber, New York", online=False),
        item("Interregional Meeting of Schools of Public Administration", "event", rng=("2025-03-18", "2025-03-19"),
             location="Addis Ababa, Ethiopia", online=False),
        item("United Nations Public Service Awards 2025", "award", deadline="2025-03-31"),
    ],
    "notes": ["Each date line comes before its title; the last entry is a nomination deadline, which is "
              "not the award's date."],
}

DOCS["activity-log-es"] = {
    "source": "activity-log-es.txt",
    "period": {"start": "2023-07-01", "end": "2023-12-31", "label": "Segundo semestre de 2023"},
    "items": [
        item("Taller de gobierno abierto para municipios", "event", rng=one("2023-07-12"), location="Córdoba",
             online=False, language="es"),
        item("Presentación del Índice de Calidad Regulatoria 2023", "publication", rng=one("2023-08-03"),
             location="Buenos Aires", online=False, language="es"),
        item("Curso virtual de ética pública para nuevos funcionarios", "event", rng=("2023-09-04", "2023-09-29"),
             online=True, language="es"),
        item("Encuentro regional de escuelas de gobierno", "event", rng=("2023-10-18", "2023-10-20"),
             location="Montevideo, Uruguay", online=False, language="es"),
        item("Firma del convenio con la Universidad Nacional del Litoral", "news", rng=one("2023-11-07"),
             location="Santa Fe", online=False, language="es"),
        item("Jornada sobre inteligencia artificial en la administración", "event", rng=one("2023-12-05"),
             location="Rosario", online=False, language="es"),
    ],
    "notes": ["Dates are dd/mm/yyyy; 'al' and '-' both join a range."],
}

DOCS["numbered-prose"] = {
    "source": "numbered-prose.txt",
    "period": {"start": "2022-04-01", "end": "2022-06-30", "label": "April - June 2022"},
    "items": [
        item("peer-review retreat", "event", rng=("2022-04-05", "2022-04-07"), location="Kigali", online=False),
        item("Guide to Competency Frameworks in the Public Service", "publication", rng=one("2022-04-26"),
             organizers=["KSG"]),
        item("webinar on hybrid work arrangements for civil servants", "event", rng=one("2022-05-19"),
             time="14:00", tz="UTC+02:00", online=True),
        item("network's board met", "news", rng=one("2022-06-09"), location="Gaborone", online=False),
        item("training course on performance management for HR directors", "event",
             rng=("2022-09-12", "2022-09-16"), location="Accra", online=False),
        item("call for case studies for the 2023 compendium", "call", deadline="2022-08-31"),
    ],
    "notes": ["Every item is a numbered prose paragraph; titles are the names the text gives the activity."],
}

DOCS["news-listing"] = {
    "source": "news-listing.html",
    "period": None,
    "items": [
        item("Digital Skills Academy opens its second cohort", "event", rng=("2023-05-22", "2023-06-30"),
             location="Podgorica", online=True),
        item("Ministerial conference on public administration reform announced", "event",
             rng=("2023-06-14", "2023-06-15"), location="Tirana", online=False),
        item("New report on open data in municipalities", "publication", rng=one("2023-04-18")),
        item("Study visit to the Estonian e-governance agency", "event", rng=("2023-04-03", "2023-04-06"),
             location="Tallinn", online=False),
        item("Applications open for the Summer School on Better Regulation", "event",
             rng=("2023-07-10", "2023-07-14"), location="Ohrid", online=False, deadline="2023-05-15"),
    ],
    "notes": ["The 'Posted' line is the CMS date, not the item's; the teaser holds the real dates."],
}


def main() -> None:
    for name, doc in DOCS.items():
        text = norm(source_text(HERE / doc["source"]))
        for it in doc["items"]:
            if norm(it["title"]) not in text:
                raise SystemExit(f"{name}: title not in source: {it['title']}")
        (HERE / f"{name}.expected.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n",
                                                    encoding="utf-8")
        print(f"{name}: {len(doc['items'])} items")


if __name__ == "__main__":
    main()
