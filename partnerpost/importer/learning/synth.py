"""Newsletters generated from structured items, with the label of every line, for training.

Each template prints the same kind of structured items (title, dates, time, place, organizer, a sentence
or two) the way one family of real newsletters does: calendars with the date line before or after the
title, agendas with day headings then times, numbered lists with a facts line, month headings over
one-line entries, tables, e-mail digests with banners, news listings with a posting date, labelled
records. Four languages (English, French, Spanish, Portuguese), each with its own date style; the text
comes out as plain text, Markdown or HTML (and, in train.py, as PDF). Everything is drawn from a seeded
random generator, so a training run is reproducible.
"""

from __future__ import annotations

import datetime as dt
import html
import random
from dataclasses import dataclass

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"],
}
WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "fr": ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"],
    "es": ["Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo"],
    "pt": ["Segunda-feira", "Terça-feira", "Quarta-feira", "Quinta-feira", "Sexta-feira", "Sábado", "Domingo"],
}
ACTIVITY = {
    "en": ["Workshop on", "Webinar on", "Regional Forum on", "Training Course on", "Expert Meeting on",
           "Conference on", "Seminar on", "Launch of the Report on", "Round Table on", "Summer School on",
           "Peer Learning Session on", "Policy Dialogue on", "Study Visit on"],
    "fr": ["Atelier sur", "Webinaire sur", "Forum régional sur", "Formation sur", "Réunion d'experts sur",
           "Colloque sur", "Séminaire sur", "Lancement du rapport sur", "Table ronde sur", "Journée d'étude sur"],
    "es": ["Taller sobre", "Seminario web sobre", "Foro regional sobre", "Curso de formación sobre",
           "Reunión de expertos sobre", "Congreso sobre", "Jornada sobre", "Presentación del informe sobre",
           "Mesa redonda sobre", "Diplomado en"],
    "pt": ["Oficina sobre", "Webinário sobre", "Fórum regional sobre", "Curso de capacitação em",
           "Reunião de especialistas sobre", "Congresso sobre", "Seminário sobre", "Lançamento do relatório sobre",
           "Mesa-redonda sobre"],
}
TOPIC = {
    "en": ["Digital Government", "Public Procurement", "Open Data", "Civil Service Reform", "Anti-Corruption",
           "Local Governance", "Gender Equality in the Public Sector", "Evidence-Based Policy", "Public Finance",
           "Service Delivery", "Regulatory Quality", "Leadership for the SDGs", "Crisis Management",
           "Participatory Budgeting", "Ethics and Integrity", "Artificial Intelligence in Administration"],
    "fr": ["l'administration numérique", "la commande publique", "les données ouvertes",
           "la réforme de la fonction publique", "la lutte contre la corruption", "la gouvernance locale",
           "l'égalité professionnelle", "l'évaluation des politiques publiques", "les finances publiques",
           "la qualité du service public", "l'intelligence artificielle"],
    "es": ["gobierno digital", "compras públicas", "datos abiertos", "reforma del servicio civil",
           "integridad pública", "gobernanza local", "igualdad de género", "evaluación de políticas",
           "finanzas públicas", "calidad de los servicios", "innovación pública"],
    "pt": ["governo digital", "compras públicas", "dados abertos", "gestão de pessoas", "integridade pública",
           "governança local", "avaliação de políticas", "finanças públicas", "inovação no setor público"],
}
PLACES = ["Brasília, Brazil", "Lima, Peru", "Nairobi", "Bangkok, Thailand", "Geneva", "Vienna, Austria",
          "Dakar, Sénégal", "Seoul, Republic of Korea", "Madrid", "Ottawa, Canada", "Skopje", "Tunis", "Manila",
          "Santo Domingo", "Bratislava, Slovakia", "Paris", "Lisboa, Portugal", "Kuala Lumpur", "Accra, Ghana"]
ONLINE = {"en": "Online", "fr": "En ligne", "es": "En línea", "pt": "Online"}
ORGS = ["UNPOG", "ICAP", "EROPA", "NISPAcee", "ReSPA", "KIPA", "CLAD", "ENAP", "INAP", "CAPAM", "AAPAM", "IIAS",
        "EIPA", "ENA", "KSG", "GIMPA"]
SENTENCES = {
    "en": ["Participants will exchange practices and tools.", "The session is open to civil servants of member "
           "institutions.", "Registration is free of charge.", "Interpretation will be provided.",
           "The event gathered senior officials from twelve countries.", "Speakers presented recent reforms."],
    "fr": ["Les participants échangeront leurs pratiques.", "La séance est ouverte aux agents publics.",
           "L'inscription est gratuite.", "Une interprétation sera assurée."],
    "es": ["Los participantes compartirán experiencias.", "La actividad está dirigida a servidores públicos.",
           "La inscripción es gratuita.", "Habrá interpretación simultánea."],
    "pt": ["Os participantes trocarão experiências.", "A atividade é aberta a servidores públicos.",
           "A inscrição é gratuita."],
}
WORDS = {
    "en": {"date": "Date", "venue": "Venue", "when": "When", "where": "Where", "time": "Time", "events": "Events",
           "news": "News", "more": "Read more", "posted": "Posted on", "org": "Organizer", "activity": "Event"},
    "fr": {"date": "Date", "venue": "Lieu", "when": "Quand", "where": "Où", "time": "Heure", "events":
           "Événements", "news": "Actualités", "more": "Lire la suite", "posted": "Publié le", "org":
           "Organisateur", "activity": "Activité"},
    "es": {"date": "Fecha", "venue": "Lugar", "when": "Cuándo", "where": "Dónde", "time": "Hora", "events":
           "Eventos", "news": "Noticias", "more": "Leer más", "posted": "Publicado el", "org": "Organiza",
           "activity": "Actividad"},
    "pt": {"date": "Data", "venue": "Local", "when": "Quando", "where": "Onde", "time": "Horário", "events":
           "Eventos", "news": "Notícias", "more": "Saiba mais", "posted": "Publicado em", "org": "Organização",
           "activity": "Atividade"},
}
MASTHEADS = ["Partners' Bulletin", "Network Newsletter", "Lettre d'information", "Boletín informativo",
             "Boletim da Rede", "Calendar of Events", "Agenda", "Monthly Digest", "Training Calendar",
             "Quarterly Update", "Agenda de la semaine", "Registro de actividades"]
FOOTERS = ["To unsubscribe from this list, reply with UNSUBSCRIBE.", "Contact: secretariat@example.org",
           "© 2024 The Network. All rights reserved.", "Disclaimer: views are the authors' own.",
           "Document interne, sous réserve de modifications.", "Para darse de baja, escriba a info@example.org",
           "Follow us on social media.", "Page 1"]
INTROS = ["This issue brings the activities planned by our partners for the coming months.",
          "Voici les rendez-vous prévus pour la période, sous réserve de changements.",
          "A continuación se presentan las actividades realizadas durante el periodo.",
          "Confira a seguir as atividades previstas para o período.",
          "Dear colleagues, please find below the latest news from the network."]


@dataclass
class Item:
    title: str
    start: dt.date
    end: dt.date
    time: str | None
    place: str
    organizer: str
    sentences: list[str]
    lang: str


def make_items(rng: random.Random, lang: str, year: int, month: int, count: int) -> list[Item]:
    items = []
    day = dt.date(year, month, 1) + dt.timedelta(rng.randint(0, 6))
    for _ in range(count):
        title = f"{rng.choice(ACTIVITY[lang])} {rng.choice(TOPIC[lang])}"
        if rng.random() < 0.25:
            title = f"{rng.choice(ORGS)} {title[:1].lower()}{title[1:]}" if lang != "en" else f"{rng.choice(ORGS)} {title}"
        length = rng.choice([0, 0, 0, 1, 2, 4])
        start = day
        end = start + dt.timedelta(length)
        time = rng.choice([None, None, f"{rng.randint(8, 17):02d}:{rng.choice(['00', '30'])}"])
        place = ONLINE[lang] if rng.random() < 0.25 else rng.choice(PLACES)
        items.append(Item(title, start, end, time, place, rng.choice(ORGS),
                          rng.sample(SENTENCES[lang], k=min(len(SENTENCES[lang]), rng.randint(1, 2))), lang))
        day = day + dt.timedelta(rng.randint(0, 9))
    return items


def fmt_date(rng: random.Random, item: Item, style: str, with_year: bool = True) -> str:
    lang, a, b = item.lang, item.start, item.end
    months = MONTHS[lang]
    y = f" {a.year}" if with_year else ""
    if style == "numeric":
        text = a.strftime("%d/%m/%Y") if a == b else f"{a:%d/%m/%Y} - {b:%d/%m/%Y}"
    elif style == "us" and lang == "en":
        text = f"{months[a.month - 1]} {a.day}" + (f"-{b.day}" if b != a and b.month == a.month else
                                                   f" - {months[b.month - 1]} {b.day}" if b != a else "")
        text += f", {a.year}" if with_year else ""
    elif lang == "es" or lang == "pt":
        de = " de" if with_year else ""
        if a == b:
            text = f"{a.day} de {months[a.month - 1]}{de}{y}"
        elif a.month == b.month:
            text = f"{a.day} {'al' if lang == 'es' else 'a'} {b.day} de {months[a.month - 1]}{de}{y}"
        else:
            text = f"{a.day} de {months[a.month - 1]} {'al' if lang == 'es' else 'a'} {b.day} de {months[b.month - 1]}{de}{y}"
    elif lang == "fr":
        if a == b:
            text = f"{a.day} {months[a.month - 1]}{y}"
        elif a.month == b.month:
            text = f"du {a.day} au {b.day} {months[a.month - 1]}{y}"
        else:
            text = f"du {a.day} {months[a.month - 1]} au {b.day} {months[b.month - 1]}{y}"
    else:
        if a == b:
            text = f"{a.day} {months[a.month - 1]}{y}"
        elif a.month == b.month:
            text = f"{a.day}-{b.day} {months[a.month - 1]}{y}"
        else:
            text = f"{a.day} {months[a.month - 1]} - {b.day} {months[b.month - 1]}{y}"
    if style == "weekday" and a == b:
        text = f"{WEEKDAYS[lang][a.weekday()]} {text}" if lang != "en" else f"{WEEKDAYS[lang][a.weekday()]}, {text}"
    return text


def fmt_time(lang: str, time: str) -> str:
    return time.replace(":", "h") if lang == "fr" else time


# Each template returns lines as (text, label, blank_before, markdown heading level).
Line = tuple


def _masthead(rng, items, lang, out: list):
    out.append((rng.choice(MASTHEADS), "noise", True, 1))
    a = items[0].start
    period = f"{MONTHS[lang][a.month - 1]} {a.year}" if rng.random() < 0.5 else f"{MONTHS[lang][a.month - 1]} - " \
        f"{MONTHS[lang][min(11, a.month + 2)]} {a.year}"
    out.append((period[:1].upper() + period[1:], "noise", False, 0))
    if rng.random() < 0.7:
        out.append((rng.choice(INTROS), "noise", True, 0))


def _footer(rng, out: list):
    for text in rng.sample(FOOTERS, k=rng.randint(1, 3)):
        out.append((text, "noise", True, 0))


def t_date_first(rng, items, lang):
    out: list = []
    style = rng.choice(["plain", "weekday", "numeric", "us"])
    for it in items:
        date = fmt_date(rng, it, style)
        if it.time and rng.random() < 0.5:
            date += f", {fmt_time(lang, it.time)}"
        out.append((date, "date", True, 0))
        out.append((it.title, "title", False, 0))
        if rng.random() < 0.8:
            out.append((it.place, "place", False, 0))
        if rng.random() < 0.3:
            out.append((" ".join(it.sentences), "body", False, 0))
    return out


def t_title_first(rng, items, lang):
    out: list = []
    style = rng.choice(["plain", "weekday", "numeric", "us"])
    labelled = rng.random() < 0.5
    w = WORDS[lang]
    for it in items:
        out.append((it.title, "title", True, rng.choice([0, 0, 3])))
        date = fmt_date(rng, it, style)
        if labelled:
            out.append((f"{w['date']}: {date}", "date", False, 0))
            if it.time:
                out.append((f"{w['time']}: {fmt_time(lang, it.time)}", "date", False, 0))
            out.append((f"{w['venue']}: {it.place}", "place", False, 0))
            if rng.random() < 0.5:
                out.append((f"{w['org']}: {it.organizer}", "body", False, 0))
        else:
            out.append((f"{date} · {it.place}" if rng.random() < 0.5 else date, "date", False, 0))
        if rng.random() < 0.7:
            out.append((" ".join(it.sentences), "body", rng.random() < 0.5, 0))
    return out


def t_agenda(rng, items, lang):
    """Day headings, then each engagement: a time line, its title, its place."""
    out: list = []
    last = None
    for it in items:
        it.end = it.start
        if it.time is None:
            it.time = f"{rng.randint(8, 18):02d}:{rng.choice(['00', '15', '30', '45'])}"
        if it.start != last:
            head = fmt_date(rng, it, "weekday", with_year=rng.random() < 0.3)
            out.append((head, "heading", True, rng.choice([0, 2])))
            last = it.start
        out.append((fmt_time(lang, it.time), "date", True, 0))
        out.append((it.title, "title", False, 0))
        if rng.random() < 0.85:
            out.append((it.place, "place", False, 0))
    return out


def t_numbered(rng, items, lang):
    out: list = []
    w = WORDS[lang]
    style = rng.choice(["plain", "us", "numeric"])
    for n, it in enumerate(items, 1):
        bold = rng.random() < 0.4
        title = f"{n}. {it.title}"
        out.append((f"**{title}**" if bold else title, "title", True, 0))
        out.append((f"{w['date']}: {fmt_date(rng, it, style)} | {w['venue']}: {it.place}", "date", False, 0))
        out.append((" ".join(it.sentences), "body", rng.random() < 0.5, 0))
    return out


def t_month_entries(rng, items, lang):
    """Month headings over one-line entries "12-14 October — Title, Place"."""
    out: list = []
    last = None
    for it in items:
        if it.start.month != last:
            out.append((f"{MONTHS[lang][it.start.month - 1].capitalize()} {it.start.year}", "heading", True,
                        rng.choice([0, 2])))
            last = it.start.month
        date = fmt_date(rng, it, "plain", with_year=False)
        sep = rng.choice([" — ", " – ", ": ", " | "])
        line = f"{date}{sep}{it.title}" + (f", {it.place}" if rng.random() < 0.6 else "")
        out.append((("- " if rng.random() < 0.4 else "") + line, "title", rng.random() < 0.4, 0))
    return out


def t_table(rng, items, lang):
    out: list = []
    w = WORDS[lang]
    out.append((f"{w['date']} | {w['activity']} | {w['venue']}", "noise", True, 0))
    for it in items:
        out.append((f"{fmt_date(rng, it, rng.choice(['plain', 'numeric']))} | {it.title} | {it.place}", "title",
                    False, 0))
    return out


def t_digest(rng, items, lang):
    out: list = []
    w = WORDS[lang]
    for k, it in enumerate(items):
        if k % 3 == 0:
            out.append((f"*** {w['events'].upper()} — {rng.choice(ORGS)} ***", "heading", True, 0))
        if k % 3:
            out.append(("-" * rng.choice([10, 20, 30]), "noise", True, 0))
        out.append((it.title.upper() if rng.random() < 0.4 else it.title, "title", True, 0))
        out.append((f"{w['when']}: {fmt_date(rng, it, 'plain')}", "date", False, 0))
        out.append((f"{w['where']}: {it.place}", "place", False, 0))
        out.append((" ".join(it.sentences), "body", True, 0))
        if rng.random() < 0.5:
            out.append((f"{w['more'].upper()}: https://example.org/{k}", "body", False, 0))
    return out


def t_news(rng, items, lang):
    """Listing of news: title, the CMS posting date (not the item's), a teaser that holds the item's date."""
    out: list = []
    w = WORDS[lang]
    for it in items:
        out.append((it.title, "title", True, 3))
        posted = it.start - dt.timedelta(rng.randint(5, 30))
        out.append((f"{w['posted']} {posted.day} {MONTHS[lang][posted.month - 1]} {posted.year}", "noise", False, 0))
        date = fmt_date(rng, it, "plain")
        teaser = {"en": f"The activity takes place on {date} in {it.place}.",
                  "fr": f"L'activité a lieu le {date} à {it.place}.",
                  "es": f"La actividad se realiza el {date} en {it.place}.",
                  "pt": f"A atividade acontece em {date} em {it.place}."}[lang]
        out.append((teaser + " " + it.sentences[0], "body", True, 0))
    return out


def t_records(rng, items, lang):
    out: list = []
    w = WORDS[lang]
    style = rng.choice(["numeric", "plain"])
    for it in items:
        out.append((f"{w['activity']}: {it.title}", "title", True, 0))
        out.append((f"{w['date']}: {fmt_date(rng, it, style)}", "date", False, 0))
        out.append((f"{w['venue']}: {it.place}", "place", False, 0))
        if rng.random() < 0.6:
            out.append((f"{w['org']}: {it.organizer}", "body", False, 0))
    return out


def t_sections(rng, items, lang):
    """Partner sections ("ICAP", "News from EROPA"), each with title-first items and a body paragraph."""
    out: list = []
    for k, it in enumerate(items):
        if k % 2 == 0:
            org = rng.choice(ORGS)
            out.append((rng.choice([org, f"{org} {WORDS[lang]['events']}", f"{WORDS[lang]['news']} — {org}"]),
                        "heading", True, rng.choice([0, 2])))
        out.append((it.title, "title", True, rng.choice([0, 3])))
        out.append((" ".join(it.sentences) + f" {fmt_date(rng, it, 'plain')}, {it.place}.", "body", True, 0))
    return out


TEMPLATES = {"date-first": t_date_first, "title-first": t_title_first, "agenda": t_agenda, "numbered": t_numbered,
             "month-entries": t_month_entries, "table": t_table, "digest": t_digest, "news": t_news,
             "records": t_records, "sections": t_sections}


def newsletter(rng: random.Random, template: str, lang: str) -> tuple[list, list]:
    """(lines, items) of one generated newsletter; lines are (text, label, blank_before, heading)."""
    year = rng.randint(2008, 2026)
    month = rng.randint(1, 10)
    items = make_items(rng, lang, year, month, rng.randint(4, 9))
    out: list = []
    _masthead(rng, items, lang, out)
    body = TEMPLATES[template](rng, items, lang)
    out.extend(body)
    _footer(rng, out)
    return out, items


def as_markdown(lines: list) -> str:
    parts = []
    for text, _label, blank, heading in lines:
        if blank and parts:
            parts.append("")
        parts.append(("#" * heading + " " if heading else "") + text)
    return "\n".join(parts) + "\n"


def as_text(lines: list) -> str:
    return as_markdown([(t, lab, b, 0) for t, lab, b, _h in lines])


def as_html(lines: list) -> str:
    """Each generated line as its own element: headings as <hN>, paragraphs as <p>, lines without a gap
    before them joined to the previous paragraph with <br>."""
    parts: list[str] = []
    open_p = False
    for text, _label, blank, heading in lines:
        safe = html.escape(text.replace("**", ""))
        if heading:
            if open_p:
                parts.append("</p>")
                open_p = False
            parts.append(f"<h{heading}>{safe}</h{heading}>")
            continue
        if blank or not open_p:
            if open_p:
                parts.append("</p>")
            parts.append("<p>" + safe)
            open_p = True
        else:
            parts.append("<br>" + safe)
    if open_p:
        parts.append("</p>")
    return "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>" + "\n".join(parts) + "</body></html>"
