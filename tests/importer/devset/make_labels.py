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
