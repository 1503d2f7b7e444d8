"""Write the *.expected.json label files of the importer's development documents (tests/importer/devset).

    .venv/bin/python tests/importer/devset/make_labels.py

Written during issue 17, after the test split was fixed, to develop the method on without looking at the
test split. They belong to the train side of tests/importer/split.json. Same labelling rules as the corpus.
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

DOCS = {
    "agenda-pt": {
        "source": "agenda-pt.txt",
        "period": {"start": "2024-04-08", "end": "2024-04-12", "label": "Semana de 8 a 12 de abril de 2024"},
        "items": [
            item("Reunião com a Secretaria de Gestão de Pessoas", "event", rng=one("2024-04-08"), time="10:00",
                 location="Brasília", online=False, language="pt"),
            item("Abertura do curso de formação de gestores municipais", "event", rng=one("2024-04-08"),
                 time="15:30", location="Auditório da Escola, Brasília", online=False, language="pt"),
            item("Visita técnica ao Centro de Serviços Compartilhados", "event", rng=one("2024-04-09"), time="09:00",
                 location="Goiânia", online=False, language="pt"),
            item("Lançamento do guia de avaliação de políticas públicas", "publication", rng=one("2024-04-11"),
                 time="14:00", online=True, language="pt"),
            item("Assinatura de acordo com a Universidade Federal da Bahia", "news", rng=one("2024-04-11"),
                 time="17:00", location="Salvador", online=False, language="pt"),
        ],
        "notes": ["Day headings, then a time line, a title and a place for each engagement."],
    },
    "calendario-es": {
        "source": "calendario-es.txt",
        "period": {"start": "2022-03-01", "end": "2022-06-30", "label": "Marzo - Junio 2022"},
        "items": [
            item("Curso sobre contratación pública sostenible", "event", rng=("2022-03-07", "2022-03-11"),
                 location="Ciudad de Guatemala", online=False, language="es"),
            item("Conversatorio virtual sobre teletrabajo en el sector público", "event", rng=one("2022-03-29"),
                 online=True, language="es"),
            item("Encuentro de directores de escuelas de gobierno", "event", rng=("2022-04-19", "2022-04-21"),
                 location="Quito, Ecuador", online=False, language="es"),
            item("Presentación del Informe Regional de Servicio Civil", "publication", rng=one("2022-05-16"),
                 location="Bogotá", online=False, language="es"),
            item("Taller sobre indicadores de desempeño institucional", "event", rng=("2022-06-06", "2022-06-10"),
                 location="Asunción, Paraguay", online=False, language="es"),
        ],
        "notes": ["Date line before each title."],
    },
    "member-update": {
        "source": "member-update.txt",
        "period": {"start": "2018-09-01", "end": "2018-09-30", "label": "September 2018"},
        "items": [
            item("Leadership Programme for Senior Civil Servants", "event", rng=("2018-10-08", "2018-10-12"),
                 location="Nairobi, Kenya", online=False),
            item("Webinar: Open Contracting in Practice", "event", rng=one("2018-10-24"), time="13:00",
                 tz="UTC+03:00", online=True),
            item("2018 Public Service Innovation Awards", "award", rng=one("2018-09-14"), location="Kampala",
                 online=False),
            item("Local Government Revenue in East Africa", "publication", rng=one("2018-09-03")),
        ],
        "notes": ["Title-first items with Date:/Venue: lines, then two items in prose."],
    },
    "meetings-calendar-en": {
        "source": "meetings-calendar-en.txt",
        "period": {"start": "2025-01-01", "end": "2025-06-30", "label": "January - June 2025"},
        "items": [
            item("Regional Training of Trainers on Results-Based Management for Senior Officials of Line Ministries",
                 "event", rng=("2025-01-13", "2025-01-17"), location="Dakar, Senegal", online=False),
            item("Webinar on Designing Accessible Digital Public Services for Persons with Disabilities", "event",
                 rng=one("2025-01-28"), online=True),
            item("Expert Group Meeting on Fiscal Transparency and Citizen Oversight of Local Government Budgets",
                 "event", rng=("2025-02-10", "2025-02-12"), location="Nairobi, Kenya", online=False),
            item("Commission on Public Sector Capacity, twenty-second session", "event",
                 rng=("2025-03-03", "2025-03-14"), location="New York", online=False),
            item("High-Level Dialogue on Trust in Public Institutions in Post-Conflict Settings", "event",
                 rng=("2025-03-24", "2025-03-25"), location="Geneva, Switzerland", online=False),
            item("Launch of the Global Survey on Civil Service Pay and Grading Systems", "publication",
                 rng=one("2025-04-08"), online=True),
            item("Workshop on Integrity Risk Assessment in Public Procurement Agencies", "event",
                 rng=("2025-04-22", "2025-04-24"), location="Tbilisi, Georgia", online=False),
            item("Annual Conference of Schools and Institutes of Public Administration", "event",
                 rng=("2025-05-06", "2025-05-09"), location="Lisbon, Portugal", online=False, deadline="2025-04-15"),
            item("Round Table on Artificial Intelligence and Administrative Law", "event", rng=one("2025-05-20"),
                 location="Brussels, Belgium", online=False),
            item("Summer Academy on Strategic Foresight for Public Policy Makers", "event",
                 rng=("2025-06-02", "2025-06-06"), location="Singapore", online=False),
            item("Public Service Day Ceremony and Presentation of the Excellence Awards", "award",
                 rng=one("2025-06-23"), location="Seoul, Republic of Korea", online=False),
        ],
        "notes": ["Date line before each title, long titles, a place line and sometimes a sentence."],
    },
    "programme-fr": {
        "source": "programme-fr.txt",
        "period": {"start": "2024-07-01", "end": "2024-12-31", "label": "second semestre 2024"},
        "items": [
            item("Séminaire sur la modernisation de la gestion des ressources humaines dans les collectivités "
                 "territoriales", "event", rng=("2024-09-09", "2024-09-11"), location="Rabat, Maroc", online=False,
                 language="fr"),
            item("Atelier régional sur la dématérialisation des procédures administratives", "event",
                 rng=one("2024-09-24"), online=True, language="fr"),
            item("Forum des écoles de service public d'Afrique francophone", "event", rng=("2024-10-15", "2024-10-17"),
                 location="Abidjan, Côte d'Ivoire", online=False, language="fr"),
            item("Formation des formateurs en déontologie et prévention des conflits d'intérêts", "event",
                 rng=("2024-11-04", "2024-11-08"), location="Dakar, Sénégal", online=False, language="fr"),
            item("Journée d'étude sur l'évaluation des politiques publiques locales", "event", rng=one("2024-11-19"),
                 location="Tunis, Tunisie", online=False, language="fr"),
            item("Colloque international sur la gouvernance des données administratives et la protection de la vie "
                 "privée", "event", rng=("2024-12-02", "2024-12-03"), location="Yaoundé, Cameroun", online=False,
                 language="fr"),
            item("Remise des prix de l'innovation dans le service public", "award", rng=one("2024-12-12"),
                 location="Cotonou, Bénin", online=False, language="fr"),
        ],
        "notes": ["Title first, then the date line and the place."],
    },
    "news-roundup-en": {
        "source": "news-roundup-en.txt",
        "period": {"start": "2023-10-01", "end": "2023-10-31", "label": "October 2023"},
        "items": [
            item("Civil Service Commission opens new regional training centre", "news", rng=one("2023-10-05"),
                 location="Kumasi"),
            item("Ministry of Public Service signs cooperation agreement with the statistics office", "news",
                 rng=one("2023-10-12"), location="Accra"),
            item("Second cohort graduates from the Executive Programme in Public Leadership", "news",
                 rng=one("2023-10-18"), location="Lusaka"),
            item("Guide on plain language in official correspondence published", "publication",
                 rng=one("2023-10-23")),
            item("Call for case studies on digital inclusion", "call", deadline="2023-11-30"),
            item("Regional workshop on performance contracts", "event", rng=("2023-10-25", "2023-10-27"),
                 location="Kigali", online=False),
        ],
        "notes": ["News items: a headline, then a paragraph that holds the date."],
    },
    "agenda-eventos-es": {
        "source": "agenda-eventos-es.txt",
        "period": {"start": "2023-05-01", "end": "2023-06-30", "label": "Mayo - Junio 2023"},
        "items": [
            item("Jornada técnica sobre la gestión del talento en la administración pública local", "event",
                 rng=one("2023-05-09"), time="10:00", location="Sala de conferencias, Madrid", online=False,
                 language="es"),
            item("Presentación del estudio comparado sobre empleo público en América Latina y el Caribe",
                 "publication", rng=one("2023-05-18"), time="16:30", online=True, language="es"),
            item("Curso intensivo de redacción de normas y técnica legislativa para asesores parlamentarios", "event",
                 rng=one("2023-05-22"), time="09:00", location="Montevideo, Uruguay", online=False, language="es"),
            item("Conferencia magistral sobre ética pública y confianza ciudadana", "event", rng=one("2023-05-31"),
                 time="11:00", location="Ciudad de México", online=False, language="es"),
            item("Encuentro de responsables de innovación de los gobiernos subnacionales", "event",
                 rng=one("2023-06-08"), time="10:00", location="Santiago de Chile", online=False, language="es"),
            item("Seminario web sobre compras públicas sostenibles y economía circular", "event",
                 rng=one("2023-06-20"), time="15:00", online=True, language="es"),
            item("Entrega de los premios a las buenas prácticas de gestión pública", "award", rng=one("2023-06-30"),
                 time="12:00", location="Cartagena de Indias, Colombia", online=False, language="es"),
        ],
        "notes": ["Month headings; a date line with a time before each title; a place line."],
    },
    "calendario-pt": {
        "source": "calendario-pt.txt",
        "period": {"start": "2021-09-01", "end": "2021-12-31", "label": "Setembro - Dezembro 2021"},
        "items": [
            item("Curso de formação em gestão de contratos administrativos para fiscais e gestores de contratos",
                 "event", rng=("2021-09-06", "2021-09-10"), location="Luanda, Angola", online=False, language="pt"),
            item("Webinário sobre liderança feminina no setor público", "event", rng=one("2021-09-15"), online=True,
                 language="pt"),
            item("Encontro anual das escolas de governo de língua portuguesa", "event",
                 rng=("2021-09-27", "2021-09-29"), location="Maputo, Moçambique", online=False, language="pt"),
            item("Oficina sobre avaliação de impacto de programas sociais com métodos quase experimentais", "event",
                 rng=("2021-10-04", "2021-10-08"), location="Praia, Cabo Verde", online=False, language="pt"),
            item("Lançamento do relatório sobre a transformação digital dos serviços públicos nos países da rede",
                 "publication", rng=one("2021-10-14"), online=True, language="pt"),
            item("Seminário internacional sobre integridade e prevenção da corrupção nas compras públicas", "event",
                 rng=("2021-10-20", "2021-10-22"), location="Lisboa, Portugal", online=False, language="pt"),
            item("Mesa-redonda sobre o teletrabalho na administração pública depois da pandemia", "event",
                 rng=one("2021-11-03"), location="Brasília, Brasil", online=False, language="pt"),
            item("Curso de capacitação em orçamento participativo para técnicos municipais", "event",
                 rng=("2021-11-10", "2021-11-12"), location="Bissau, Guiné-Bissau", online=False, language="pt"),
            item("Conferência sobre a qualidade da regulação e a simplificação administrativa", "event",
                 rng=one("2021-11-18"), location="São Tomé, São Tomé e Príncipe", online=False, language="pt"),
            item("Oficina regional sobre gestão de arquivos e documentos eletrónicos", "event",
                 rng=("2021-11-24", "2021-11-26"), location="Díli, Timor-Leste", online=False, language="pt"),
            item("Webinário sobre inteligência artificial e direitos dos cidadãos perante a administração", "event",
                 rng=one("2021-12-01"), online=True, language="pt"),
            item("Programa de desenvolvimento de dirigentes superiores da administração pública", "event",
                 rng=("2021-12-06", "2021-12-10"), location="Coimbra, Portugal", online=False, language="pt"),
            item("Cerimónia de entrega do prémio de boas práticas em gestão pública", "award", rng=one("2021-12-15"),
                 location="Luanda, Angola", online=False, language="pt"),
        ],
        "notes": ["Date line before each title, a place line and often a sentence; long enough for two pages "
                  "in two columns."],
    },
}

#: PDF renderings scored on the same labels (testset/renders.py and devset/renders.py say how they look).
RENDERED = {
    "calendario-es": ["two-column-pdf"],
    "member-update": ["two-column-pdf"],
    "meetings-calendar-en": ["two-column-pdf", "two-column-justified-pdf", "two-column-a5-pdf"],
    "programme-fr": ["two-column-pdf", "two-column-justified-pdf"],
    "news-roundup-en": ["two-column-pdf", "two-column-justified-pdf"],
    "agenda-eventos-es": ["two-column-pdf", "two-column-justified-pdf"],
    "calendario-pt": ["two-column-pdf", "two-column-justified-pdf", "two-column-a5-pdf"],
}


_RENDER_HOME = {"two-column-pdf": "testset", "plain-pdf": "testset", "two-column-justified-pdf": "devset",
                "two-column-a5-pdf": "devset"}


def main() -> None:
    for name, doc in DOCS.items():
        text = norm(source_text(HERE / doc["source"]))
        for it in doc["items"]:
            if norm(it["title"]) not in text:
                raise SystemExit(f"{name}: title not in source: {it['title']}")
        (HERE / f"{name}.expected.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n",
                                                    encoding="utf-8")
        print(f"{name}: {len(doc['items'])} items")
        for render in RENDERED.get(name, []):
            notes = [f"{doc['source']} rendered by {_RENDER_HOME[render]}/renders.py as {render}; same labels."]
            rendered = {**doc, "notes": notes, "render": render}
            (HERE / f"{name}-{render}.expected.json").write_text(
                json.dumps(rendered, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
