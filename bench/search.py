"""Search at scale: build the index over N synthetic published items, then time queries and pages.

Run (SQLite, a temporary database under /tmp):
    .venv/bin/python bench/search.py [--items 1000000] [--keep]
Run (PostgreSQL; the database must be called pp_bench_search, and is dropped and created):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_bench_search .venv/bin/python bench/search.py [--items 1000000] [--keep]
Iterate on the search code without generating the items again:
    .venv/bin/python bench/search.py --keep ...            # prints the directory it kept
    .venv/bin/python bench/search.py --reuse /tmp/pp-bench-search-XXXX [--skip-build]
    DATABASE_URL=... .venv/bin/python bench/search.py --reuse pg [--skip-build]

It never touches the developer's database (var/partnerpost.sqlite3) or the test databases.

What it does and prints
1. Generates N published items (titles and ~200-word bodies from public-administration vocabulary,
   mixed kinds, 30 partners, themes, countries and regions, mostly English with some Spanish
   and French, years 2005-2026, a few scheduled for later) with bulk inserts (executemany on
   SQLite, COPY on PostgreSQL), including the theme/country/region rows.
2. Builds the index with `search.rebuild()` (the code `partnerpost search rebuild` runs), timed,
   and prints the index size (SQLite: pages of the FTS5 shadow tables and the facet table, from
   dbstat; PostgreSQL: table, TOAST and indexes).
3. Latency of `search.search()` (what the search page calls: hits, snippets, facet counts) over
   a fixed set of 30 queries: narrow two-word queries, a broad word in ~15% of the items, and
   queries with one and two facet filters. p50 and p95; baseline: loading one item by primary key.
4. The search page in this process (Django's test client, 100 distinct queries, page cache emptied
   each time): its mean time and the share spent in the engine's match and facet work, the rest
   being the page's own (ranking, snippets, the items, labels, template, Django).
5. Requests per second of the archive page and the search page (a broad and a narrow query)
   served by `partnerpost serve` (granian) on 127.0.0.1, each as a ratio to /robots.txt (a
   trivial view, the baseline) served by the same server in the same run. The same address asked
   again and again may be answered from a page cache, so two more lines ask for a different
   address each time: archive pages 1 to 50, and search queries that are all different
   (`distinct_queries`: narrow pairs, broad words, one and two filters; a dummy parameter would not
   do, the page cache drops unknown parameters). The archive is also asked with a new unknown parameter
   each time (`/items/?x=<n>`): it must answer as fast as `/items/`. Each line gives req/s and the p50 and p95 latency
   seen by the clients, and the load average is printed before and after. The load comes from a small Python generator (threads, keep-alive connections)
   because wrk is not installed; it shares the 2 cores with the server, which lowers every figure alike.
Aims (2 cores, 1,000,000 items): search p50 < 50 ms and p95 < 200 ms; pages >= 40% of the trivial view;
distinct uncached searches under 4 clients: p95 < 120 ms, and at least 60-76 req/s (twice the 30-38 measured
before issue 18's work), on both engines.
"""

import argparse
import datetime as dt
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "pp_bench_search"

# Vocabulary ---------------------------------------------------------------------------------------

EN_BASE = """
administration agency audit budget bureaucracy cabinet capacity census charter citizen civil code coordination
council court decentralization delivery democracy department development directive efficiency election employee
equity ethics evaluation expenditure federal finance framework government grant health housing incentive
inclusion infrastructure innovation institution integrity jurisdiction justice law leadership legislation
licensing management mandate merit minister ministry modernization monitoring municipality negotiation network
official openness ombudsman oversight parliament participation partnership pension performance planning policy
procurement programme province recruitment reform regulation resilience revenue safety salary sector service
strategy subsidy supervision sustainability taxation technology tender training transparency treasury tribunal
union welfare workforce abstract access accreditation adaptation advisory allocation appraisal archive assessment
benchmark capital classification collaboration commission communication competence compliance consultation
contract corruption cybersecurity data dialogue digitalization diplomacy disaster dissemination diversity
education emergency employment energy engagement enforcement environment evidence expertise feedback forecasting
gender guideline identity implementation indicator information inspection insurance interoperability inventory
knowledge labour learning literacy logistics mentoring migration mobility negotiator nutrition observatory
platform portal poverty privacy productivity protocol quality ranking readiness record recovery registry
reporting research review risk rural scholarship security skill standard statistics succession survey tariff
teaching tourism trade transport trust urban utility verification village volunteer water youth agriculture
allowance apprenticeship arbitration benefit broadband certification childcare climate coastal commuter
competition conservation construction consumer cooperative credit crisis curriculum customs demography deposit
disability drought economy electricity embassy entrepreneur export fishery forestry fraud harbour heritage
hospital immigration industry inflation investment irrigation judiciary landscape loan mediation metro mining
mortgage museum ocean pandemic pharmacy police pollution port prison railway refugee renewable sanitation school
shelter shipping telecom textile theatre traffic tuition unemployment university vaccine veteran waste wildlife
""".split()
def forms(base):
    """A base word and some of its inflections, which porter stems back together."""
    if base.endswith(("s", "x", "sh", "ch")):
        return [base, base + "es"]
    if base.endswith("y"):
        return [base, base[:-1] + "ies"]
    if base.endswith("e"):
        return [base, base + "s", base + "d"]
    return [base, base + "s", base + "ing", base + "ed"]
EN_FUNCTION = ("the of and to in for on with by as at from that this is are was be an a its their which "
               "through between within across under more new all other such into about also both each").split()
ES_WORDS = """administración pública gestión gobierno municipal capacitación funcionarios desarrollo políticas
evaluación presupuesto transparencia participación ciudadana innovación institucional reforma servicio civil
descentralización territorial planificación estratégica control auditoría contratación datos abiertos digital
modernización liderazgo calidad rendición cuentas integridad ética formación diplomado taller seminario
congreso foro cooperación regional centroamericano gobernanza local finanzas fiscal tributaria empleo salud
educación seguridad justicia igualdad género inclusión social pobreza sostenible ambiental riesgo desastres
resiliencia infraestructura vivienda transporte agua energía comunidades alcaldías provincias ministerios
instituciones capacidades competencias profesionalización carrera administrativa recursos humanos""".split()
FR_WORDS = """administration publique gestion gouvernement collectivités territoriales formation fonctionnaires
développement politiques évaluation budget transparence participation citoyenne innovation institutionnelle
réforme service public décentralisation régionaux planification stratégique contrôle audit marchés données
ouvertes numérique modernisation leadership qualité responsabilité intégrité éthique séminaire atelier colloque
conférence forum coopération régionale gouvernance locale finances fiscalité emploi santé éducation sécurité
justice égalité genre inclusion sociale pauvreté durable environnement risques catastrophes résilience
infrastructures logement transports eau énergie communes préfectures ministères établissements compétences
professionnalisation carrière ressources humaines""".split()
ES_FUNCTION = "el la los las de del y en para con por sobre entre una un su sus que se al como".split()
FR_FUNCTION = "le la les de des du et en pour avec par sur entre une un son ses qui que au aux dans".split()

TOPICS = ["digital government", "public sector innovation", "local governance", "civil service reform",
          "anti-corruption strategies", "open data", "e-participation", "public financial management",
          "results-based management", "policy evaluation", "leadership development", "smart cities",
          "disaster risk reduction", "gender equality in the public service", "service delivery",
          "administrative simplification", "regulatory quality", "public procurement", "climate resilience",
          "citizen engagement", "evidence-based policy", "decentralization", "performance budgeting",
          "ethics and integrity", "interoperability frameworks", "cybersecurity in government",
          "human resource management", "strategic foresight", "social protection", "urban planning"]
ES_TOPICS = ["gestión pública territorial", "gobierno digital", "capacitación de funcionarios",
             "transparencia y rendición de cuentas", "innovación en la administración pública", "datos abiertos"]
FR_TOPICS = ["administration publique", "gouvernance locale", "formation des fonctionnaires",
             "transformation numérique", "collectivités territoriales", "réforme de l'État"]
EVENT_TYPES = [("webinar", "Webinar on"), ("workshop", "Training workshop on"), ("symposium", "Symposium on"),
               ("forum", "Forum on"), ("conference", "International conference on"), ("course", "Course on"),
               ("meeting", "Expert group meeting on"), ("ceremony", "Award ceremony:")]
PARTNERS = [("UNPOG", "United Nations Project Office on Governance"), ("ICAP", "Instituto Centroamericano de Administración Pública"),
            ("EROPA", "Eastern Regional Organization for Public Administration"), ("NISPAcee", "Network of Institutes and Schools of Public Administration in Central and Eastern Europe"),
            ("ReSPA", "Regional School of Public Administration"), ("KIPA", "Korea Institute of Public Administration"),
            ("NIA", "National Information Society Agency"), ("CLAD", "Latin American Centre for Development Administration"),
            ("AAPAM", "African Association for Public Administration and Management"), ("IIAS", "International Institute of Administrative Sciences"),
            ("CAPAM", "Commonwealth Association for Public Administration and Management"), ("ESAP", "Escuela Superior de Administración Pública"),
            ("ENAP", "École nationale d'administration publique"), ("INAP", "Instituto Nacional de Administración Pública"),
            ("ASPA", "American Society for Public Administration"), ("EIPA", "European Institute of Public Administration"),
            ("AGPA", "Arab Gulf Programme for Public Administration"), ("NAPA", "National Academy of Public Administration"),
            ("IPAC", "Institute of Public Administration of Canada"), ("GIMPA", "Ghana Institute of Management and Public Administration"),
            ("DAP", "Development Academy of the Philippines"), ("LKYSPP", "Lee Kuan Yew School of Public Policy"),
            ("IPA", "Institute of Public Administration Ireland"), ("CSC", "Civil Service College"),
            ("ACSC", "ASEAN Civil Service Cooperation"), ("OECD-SIGMA", "Support for Improvement in Governance and Management"),
            ("UNDESA-DPIDG", "Division for Public Institutions and Digital Government"), ("AMDIN", "Africa Management Development Institutes Network"),
            ("IASIA", "International Association of Schools and Institutes of Administration"), ("CEPA", "Committee of Experts on Public Administration")]
CITIES = [("Seoul", "KR"), ("San José", "CR"), ("Manila", "PH"), ("Bratislava", "SK"), ("Danilovgrad", "ME"), ("Incheon", "KR"),
          ("Nairobi", "KE"), ("Accra", "GH"), ("Brussels", "BE"), ("Maastricht", "NL"), ("Bogotá", "CO"), ("Madrid", "ES"),
          ("Paris", "FR"), ("Dakar", "SN"), ("Bangkok", "TH"), ("Singapore", "SG"), ("New York", "US"), ("Ottawa", "CA")]
BROAD = "accountability"  # put into 15% of the items, and nowhere else


def vocabulary(rng, tail=30_000):
    """Word forms in a fixed Zipf order, with cumulative weights for random.choices: the English
    forms first (shuffled), then a long tail of made-up proper names and terms, as real text has."""
    words = [form for base in EN_BASE for form in forms(base)]
    rng.shuffle(words)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    names = set()
    while len(names) < tail:
        names.add("".join(rng.choice(syllables) for _ in range(rng.choice((3, 3, 4)))))
    names = sorted(names)  # a set's order changes from one run to the next
    rng.shuffle(names)
    words += names
    cumulative, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        cumulative.append(total)
    return words, cumulative


def paragraphs(rng, words, cumulative, function_words, count):
    """About `count` words in sentences and two or three paragraphs."""
    content = rng.choices(words, cum_weights=cumulative, k=count * 55 // 100)
    filler = rng.choices(function_words, k=count - len(content))
    tokens = content + filler
    rng.shuffle(tokens)
    sentences, start = [], 0
    while start < len(tokens):
        length = rng.randint(12, 22)
        sentence = tokens[start:start + length]
        sentences.append(" ".join(sentence).capitalize() + ".")
        start += length
    cut = len(sentences) // rng.choice((2, 3))
    return [" ".join(sentences[:cut]), " ".join(sentences[cut:])]


# Set-up ----------------------------------------------------------------------------------------------


def configure(args):
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL: only a PostgreSQL URL is accepted here; on SQLite the bench makes its own temporary file.")
    if url:
        name = url.rsplit("/", 1)[1].split("?")[0]
        if name != BENCH_DB:
            sys.exit(f"DATABASE_URL: the database must be called {BENCH_DB} (it is dropped and created), not {name!r}.")
        if not args.reuse:
            _recreate(url)
        var = tempfile.mkdtemp(prefix="pp-bench-search-")
    else:
        if args.reuse:
            var = args.reuse
            if not Path(var, "bench.sqlite3").exists():
                sys.exit(f"--reuse: no bench.sqlite3 in {var}")
        else:
            var = tempfile.mkdtemp(prefix="pp-bench-search-")
        url = f"sqlite:///{var}/bench.sqlite3"
    env = {"PARTNERPOST_VAR_DIR": var, "DATABASE_URL": url, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "partnerpost.settings"}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return var, url


def _recreate(url, drop_only=False):
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def generate(count, seed=7, chunk=20_000, log=print):
    """Insert `count` published items with their theme, country and region rows. Returns seconds."""
    from django.db import connection, transaction
    from django.utils import timezone

    from partnerpost.content.models import Country, Item, Region, Theme
    from partnerpost.network.models import Partner

    rng = random.Random(seed)
    Partner.objects.bulk_create([Partner(acronym=a, name=n, slug=a.lower(), display_order=i) for i, (a, n) in enumerate(PARTNERS)],
                                ignore_conflicts=True)
    partners = list(Partner.objects.order_by("id").values_list("id", "name"))
    theme_ids = list(Theme.objects.order_by("id").values_list("id", flat=True))
    countries = list(Country.objects.order_by("code").values_list("code", flat=True))
    common_countries = ["KR", "CR", "PH", "SK", "ME", "GT", "HN", "PA", "ES", "FR", "KE", "GH", "TH", "ID", "BR", "MX"]
    regions = list(Region.objects.exclude(code="001").values_list("code", flat=True))
    words, cumulative = vocabulary(rng)
    fields = [f for f in Item._meta.concrete_fields]
    columns = [f.column for f in fields]
    now = timezone.now()
    postgres = connection.vendor == "postgresql"

    def default(f):
        if f.has_default():
            value = f.get_default()
            return value
        return None if f.null else ""

    template = {f.column: default(f) for f in fields}
    started = time.perf_counter()
    next_id = (Item.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    with transaction.atomic():
        for begin in range(0, count, chunk):
            items, themes, item_countries, item_regions = [], [], [], []
            for n in range(begin, min(begin + chunk, count)):
                pk = next_id + n
                roll = rng.random()
                language = "es" if roll < 0.10 else "fr" if roll < 0.16 else "en"
                kind = rng.choices(("event", "publication", "news", "call", "award"), weights=(45, 20, 25, 6, 4))[0]
                year = min(2026, 2005 + int(21 * rng.random() ** 0.6))
                day = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                partner_id, partner_name = partners[int(len(partners) * rng.random() ** 1.5)]
                row = dict(template)
                if language == "es":
                    topic = rng.choice(ES_TOPICS)
                    title = rng.choice(("Taller virtual sobre", "Seminario internacional de", "Diplomado en", "Informe sobre")) + f" {topic}"
                    body = paragraphs(rng, ES_WORDS, None, ES_FUNCTION, 200)
                elif language == "fr":
                    topic = rng.choice(FR_TOPICS)
                    title = rng.choice(("Séminaire sur", "Atelier de formation :", "Colloque international sur", "Rapport sur")) + f" {topic}"
                    body = paragraphs(rng, FR_WORDS, None, FR_FUNCTION, 200)
                else:
                    topic = rng.choice(TOPICS)
                    body = paragraphs(rng, words, cumulative, EN_FUNCTION, 200)
                    title = {"event": None, "publication": f"Report on {topic}", "news": f"{partner_name.split()[0]} launches work on {topic}",
                             "call": f"Call for papers: {topic}", "award": f"Awards for {topic} {year}"}[kind]
                if kind == "event":
                    event_type, prefix = rng.choice(EVENT_TYPES)
                    title = title if language != "en" else f"{prefix} {topic}"
                    city, country = rng.choice(CITIES)
                    fmt = rng.choice(("online", "online", "in_person", "hybrid"))
                    row.update(event_type=event_type, event_format=fmt, start_date=day, end_date=day + dt.timedelta(days=rng.choice((0, 0, 1, 2))),
                               city=city if fmt != "online" else "", venue_country_id=country if fmt != "online" else None)
                else:
                    row.update(published_on=day)
                if rng.random() < 0.15:
                    body[0] += f" {BROAD.capitalize()} matters."
                summary = body[0][:300].rsplit(" ", 1)[0] + "."
                published = dt.datetime.combine(day, dt.time(9), dt.UTC)
                row.update(id=pk, kind=kind, title=title[:300], slug=f"bench-{pk}", summary=summary, body="\n\n".join(body),
                           body_html="".join(f"<p>{p}</p>" for p in body), language=language, partner_id=partner_id, state="published",
                           first_published_at=published, last_published_at=published, created_at=published, updated_at=published,
                           sort_date=day, revision=1)
                if rng.random() < 0.001:
                    row["go_live_at"] = now + dt.timedelta(days=30)  # scheduled: must never show nor count
                items.append([row[c] for c in columns])
                themes += [(pk, t) for t in rng.sample(theme_ids, rng.choice((0, 1, 1, 2, 3)))]
                item_countries += [(pk, rng.choice(common_countries) if rng.random() < 0.8 else rng.choice(countries))
                                   for _ in range(rng.choice((0, 0, 1, 1, 2)))]
                if rng.random() < 0.3:
                    item_regions.append((pk, rng.choice(regions)))
            item_countries = list(dict.fromkeys(item_countries))
            _insert(connection, postgres, "content_item", columns, items)
            _insert(connection, postgres, Item.themes.through._meta.db_table, ["item_id", "theme_id"], themes)
            _insert(connection, postgres, Item.countries.through._meta.db_table, ["item_id", "country_id"], item_countries)
            _insert(connection, postgres, Item.regions.through._meta.db_table, ["item_id", "region_id"], item_regions)
            log(f"\r  generated {min(begin + chunk, count):,}/{count:,} items", end="", flush=True)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(pg_get_serial_sequence('content_item', 'id'), (SELECT max(id) FROM content_item))")
    log("")
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # The rows went in without save(): count the archive's kept total once, as `partnerpost content recount` does.
    from partnerpost.content import livetotal

    livetotal.recount()
    return time.perf_counter() - started


def _insert(connection, postgres, table, columns, rows):
    if not rows:
        return
    with connection.cursor() as cursor:
        if postgres:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            raw = connection.connection
            rows = [[_sqlite_value(v) for v in row] for row in rows]
            raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)


def _sqlite_value(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def index_size():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_relation_size('discovery_search'), pg_total_relation_size('discovery_search'), "
                           "pg_relation_size('discovery_search_document'), "
                           "coalesce(pg_total_relation_size(reltoastrelid), 0) FROM pg_class WHERE relname = 'discovery_search'")
            heap, total, gin, toast = cursor.fetchone()
            return (f"{total / 2**20:,.0f} MiB in all (table {heap / 2**20:,.0f} MiB, TOAST {toast / 2**20:,.0f} MiB, "
                    f"GIN index {gin / 2**20:,.0f} MiB)")
        cursor.execute("SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'discovery_fts%' OR name LIKE 'discovery_entry%' "
                       "OR name LIKE 'sqlite_autoindex_discovery%' GROUP BY name")
        sizes = dict(cursor.fetchall())
        fts = sum(v for k, v in sizes.items() if k.startswith("discovery_fts_") and not k.startswith("discovery_fts_edition"))
        stored = sizes.get("discovery_fts_content", 0)
        entry = sum(v for k, v in sizes.items() if k.startswith("discovery_entry"))
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        page_size = cursor.fetchone()[0]
        return (f"{(fts + entry) / 2**20:,.0f} MiB (FTS5 shadow tables {fts / 2**20:,.0f} MiB, of which the index itself "
                f"{(fts - stored) / 2**20:,.0f} MiB and the stored text {stored / 2**20:,.0f} MiB; facet table {entry / 2**20:,.0f} MiB; "
                f"whole database {pages * page_size / 2**20:,.0f} MiB)")


# Queries ---------------------------------------------------------------------------------------------


def queries():
    """30 (label, query, filters): narrow two-word, broad one-word, one and two facet filters."""
    rng = random.Random(7)
    words, _ = vocabulary(rng)
    # A common word with a rarer one (the tail starts at rank 846): from a few to a few thousand matches per million.
    narrow_pairs = [(words[a], words[b]) for a, b in [(300, 1200), (420, 2500), (150, 4000), (500, 1000), (610, 8000), (60, 3000),
                                                     (380, 1600), (450, 6000), (20, 12000), (330, 2000), (640, 5000), (700, 900)]]
    plan = [("narrow", f"{a} {b}", {}) for a, b in narrow_pairs]
    plan += [("broad 15%", BROAD, {}), ("broad 15%", f"{BROAD.upper()}", {}), ("broad 15%, page 3", BROAD, {"page": 3}),
             ("broad, other word", words[3], {}), ("Spanish stems", "capacitación funcionarios", {}),
             ("French stems", "collectivité territoriale", {})]
    plan += [("broad + 1 filter", BROAD, {"kind": "event"}), ("broad + 1 filter", BROAD, {"partner": "icap"}),
             ("broad + 1 filter", BROAD, {"theme": "digital-government"}), ("narrow + 1 filter", narrow_pairs[0][0], {"year": "2019"}),
             ("narrow + 1 filter", f"{narrow_pairs[1][0]} {narrow_pairs[1][1]}", {"language": "en"}),
             ("broad + 1 filter", BROAD, {"region": "142"})]
    plan += [("broad + 2 filters", BROAD, {"kind": "publication", "year": "2020"}),
             ("broad + 2 filters", BROAD, {"partner": "eropa", "theme": "sdg-16"}),
             ("broad + 2 filters", BROAD, {"country": "ph", "kind": "event"}),
             ("narrow + 2 filters", f"{narrow_pairs[2][0]} {narrow_pairs[2][1]}", {"kind": "event", "language": "en"}),
             ("Spanish + 2 filters", "gestión pública", {"language": "es", "partner": "icap"}),
             ("broad + 2 filters", BROAD, {"region": "419", "year": "2024"})]
    return plan


def distinct_queries(count, seed=11):
    """`count` different (query, filters), none repeated, in the mix of `queries()`: a third narrow pairs
    (a common word and a rarer one), a sixth one broad word (a word in 2-15% of the items, or
    "accountability"), a quarter a broad word with one filter, the rest two words with two filters
    (kind, year, partner, theme, language, country, region). Made from the vocabulary the items are
    written in, so the page cache never answers them and no address is asked twice."""
    rng = random.Random(seed)
    words, _ = vocabulary(random.Random(7))
    kinds = ["event", "publication", "news", "call", "award"]
    partners = [acronym.lower() for acronym, _ in PARTNERS]
    themes = ["digital-government", "sdg-16"]
    countries = ["ph", "kr", "cr", "es", "fr", "ke", "br", "mx"]
    regions = ["142", "419", "002", "150", "009"]

    def a_filter():
        name = rng.choice(("kind", "year", "partner", "theme", "language", "country", "region"))
        value = {"kind": lambda: rng.choice(kinds), "year": lambda: str(rng.randint(2005, 2026)),
                 "partner": lambda: rng.choice(partners), "theme": lambda: rng.choice(themes),
                 "language": lambda: rng.choice(("en", "es", "fr")), "country": lambda: rng.choice(countries),
                 "region": lambda: rng.choice(regions)}[name]()
        return name, value

    seen, plan = set(), []
    while len(plan) < count:
        roll = rng.random()
        if roll < 0.34:
            query, filters = f"{words[rng.randrange(0, 800)]} {words[rng.randrange(800, 12_000)]}", {}
        elif roll < 0.50:
            query, filters = rng.choice([BROAD, words[rng.randrange(0, 120)]]), {}
        elif roll < 0.75:
            query, filters = rng.choice([BROAD, words[rng.randrange(0, 120)]]), dict([a_filter()])
        else:
            query, filters = f"{words[rng.randrange(0, 300)]} {words[rng.randrange(0, 3000)]}", dict([a_filter(), a_filter()])
        key = (query, tuple(sorted(filters.items())))
        if key not in seen:
            seen.add(key)
            plan.append((query, filters))
    return plan


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def latency(rounds):
    from partnerpost.content.models import Item
    from partnerpost.discovery import search
    from partnerpost.discovery.views import PAGE_SIZE

    some = list(Item.objects.order_by("-id").values_list("id", flat=True)[:50])
    base = []
    for pk in some * 2:
        started = time.perf_counter()
        Item.objects.filter(pk=pk).first()
        base.append(time.perf_counter() - started)
    samples, rows = [], []
    for label, query, filters in queries():
        filters = dict(filters)
        page = filters.pop("page", 1)
        search.search(query, filters, page=page, size=PAGE_SIZE)  # warm
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            results = search.search(query, filters, page=page, size=PAGE_SIZE)
            times.append(time.perf_counter() - started)
        samples += times
        rows.append((label, query, filters, results.total, results.capped, len(results.hits), statistics.median(times)))
    return statistics.median(base), samples, rows


def page_share(count=100):
    """In this process (no server): `count` search pages, every query distinct and the page cache emptied
    before each, and the share of their time spent in the engine's match and facet work (the backend's
    matches(): the match, the candidates' facet values and their counts). The rest is the page's own:
    ranking, snippets, loading the items, labels, the template, Django. Returns (mean page seconds, share)."""
    from urllib.parse import urlencode

    from django.core.cache import cache
    from django.test import Client

    from partnerpost.discovery import search

    engine = type(search.backend())
    original, spent = engine.matches, [0.0]

    def timed(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    engine.matches = timed
    try:
        client = Client()
        paths = [f"/search/?{urlencode({'q': q, **f})}" for q, f in distinct_queries(count + 10, seed=29)]
        for path in paths[:10]:
            client.get(path)  # warm: imports, templates, connections
        spent[0], total = 0.0, 0.0
        for path in paths[10:]:
            cache.clear()
            started = time.perf_counter()
            response = client.get(path)
            total += time.perf_counter() - started
            assert response.status_code == 200, (path, response.status_code)
    finally:
        engine.matches = original
    return total / count, spent[0] / total


# Pages -----------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(var, *, serve_args=(), extra_env=None, log_name="server.log"):
    """`partnerpost serve` on a free port (with `serve_args` and `extra_env`), once /robots.txt answers."""
    port = free_port()
    env = {**os.environ, "DATABASE_CONN_MAX_AGE": "600", "DEBUG": "false", "PARTNERPOST_VAR_DIR": var,
           **(extra_env or {})}
    log = open(Path(var) / log_name, "w")
    proc = subprocess.Popen([sys.executable, "-m", "partnerpost", "serve", "--host", "127.0.0.1", "--port", str(port),
                             *serve_args],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/robots.txt")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError(f"the server did not start; see {var}/{log_name}")


def load(port, paths, seconds, connections):
    """(requests per second, errors, sorted latencies in seconds) with `connections` keep-alive
    connections, one thread each, asking for `paths` in turn ("{n}" in a path becomes the request's
    number). A list of paths is shared: every path is asked once before any is asked again."""
    done, errors, times = [0] * connections, [0] * connections, [[] for _ in range(connections)]
    stop = time.perf_counter() + seconds
    paths = [paths] if isinstance(paths, str) else paths
    counter = iter(range(10**9))
    lock = threading.Lock()

    def worker(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < stop:
            with lock:
                n = next(counter)
            try:
                started = time.perf_counter()
                conn.request("GET", paths[n % len(paths)].replace("{n}", str(n)))
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    done[i] += 1
                    times[i].append(time.perf_counter() - started)
                else:
                    errors[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - started), sum(errors), sorted(t for each in times for t in each)


def explain_archive():
    from django.db import connection
    from django.utils import timezone

    from partnerpost.content.models import Item

    page = Item.objects.published().order_by("-sort_date", "-id")[:20]
    sql, params = Item.objects.published(timezone.now()).order_by().values("pk").query.sql_with_params()
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(f"SELECT count(*) FROM ({sql}) t", params)
        count = cursor.fetchone()[0]
        count_time = time.perf_counter() - started
        cursor.execute(f"{prefix}SELECT count(*) FROM ({sql}) t", params)
        count_plan = [" ".join(str(c) for c in row[-1:]) for row in cursor.fetchall()]
    started = time.perf_counter()
    list(page)
    page_time = time.perf_counter() - started
    return count, count_time, count_plan, page_time, page.explain().splitlines()


# Main ------------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards (its place is printed).")
    parser.add_argument("--reuse", help="SQLite: a directory kept by --keep; PostgreSQL: any value. Skips generating items.")
    parser.add_argument("--skip-build", action="store_true", help="With --reuse: keep the index as it is.")
    parser.add_argument("--rounds", type=int, default=5, help="Timed runs of each query (after one warm-up run).")
    parser.add_argument("--seconds", type=float, default=10.0, help="Load duration per page.")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--no-pages", action="store_true", help="Skip the page throughput part.")
    args = parser.parse_args()
    var, url = configure(args)
    from django.core.management import call_command
    from django.db import connection

    from partnerpost.content.models import Item
    from partnerpost.discovery import search

    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"== Search bench on {engine} ({url.split('@')[-1] if '@' in url else url}) ==")
    try:
        call_command("migrate", verbosity=0)
        if not args.reuse:
            seconds = generate(args.items)
            print(f"items generated          {args.items:,} in {seconds:.0f} s ({args.items / seconds:,.0f} rows/s)")
        n = Item.objects.count()
        if not args.skip_build:
            started = time.perf_counter()
            indexed = search.rebuild(progress=lambda done, total: print(f"\r  indexing {done:,}/{total:,}", end="", flush=True))
            build = time.perf_counter() - started
            print(f"\nindex build (rebuild)    {indexed:,} items in {build:.0f} s ({indexed / build:,.0f} items/s)")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE discovery_search")
        print(f"index size               {index_size()}")
        print(f"items in the database    {n:,}")

        base, samples, rows = latency(args.rounds)
        p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
        print()
        print(f"{'query':<44} {'filters':<36} {'matches':>9} {'hits':>4} {'median':>9}")
        for label, query, filters, total, capped, hits, median in rows:
            shown = ",".join(f"{k}={v}" for k, v in filters.items())
            matches = f"{total:,}{'+' if capped else ''}"
            print(f"{(label + ': ' + query)[:44]:<44} {shown[:36]:<36} {matches:>9} {hits:>4} {median * 1000:>7.1f} ms")
        print()
        print(f"baseline: one item by primary key  {base * 1000:.2f} ms")
        print(f"search with facets, {len(samples)} runs of {len(rows)} queries: p50 {p50 * 1000:.1f} ms ({p50 / base:,.0f}x baseline), "
              f"p95 {p95 * 1000:.1f} ms ({p95 / base:,.0f}x baseline)   aims: p50 < 50 ms, p95 < 200 ms")

        page_mean, share = page_share()
        print(f"search page in this process, 100 distinct queries, no page cache: mean {page_mean * 1000:.1f} ms, of which the "
              f"engine's match and facet work {share:.0%} and the page's own work {1 - share:.0%} (aim: under a third)")

        count, count_time, count_plan, page_time, page_plan = explain_archive()
        print()
        print(f"archive: count of live items {count:,} in {count_time * 1000:.0f} ms; first page query {page_time * 1000:.1f} ms")
        print("  count plan: " + " | ".join(count_plan))
        print("  page plan:  " + " | ".join(line.strip() for line in page_plan))

        connection.close()
        if args.no_pages:
            return
        proc, port = start_server(var)
        try:
            from urllib.parse import urlencode

            narrow = queries()[0][1].replace(" ", "+")
            distinct = [f"/search/?{urlencode({'q': q, **f})}" for q, f in distinct_queries(20_000)]
            warm, distinct = distinct[:500], distinct[500:]
            pages = [("trivial view /robots.txt (baseline)", "/robots.txt"),
                     ("archive /items/", "/items/"),
                     ("archive, an unknown parameter each time /items/?x=<n>", "/items/?x={n}"),
                     ("archive, pages 1 to 50 in turn", [f"/items/?page={n}" for n in range(1, 51)]),
                     (f"search, broad /search/?q={BROAD}", f"/search/?q={BROAD}"),
                     (f"search, narrow /search/?q={narrow}", f"/search/?q={narrow}"),
                     ("search, every query distinct (uncached)", distinct)]
            for label, path in pages:
                load(port, warm if path is distinct else path, 1.0, args.connections)  # warm every worker
            print()
            print(f"pages: {args.connections} keep-alive connections, {args.seconds:.0f} s each, partnerpost serve (granian, default workers)")
            print("  (the same address again and again may be answered from a page cache; 'every query distinct' never is)")
            print(f"  load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            trivial = None
            for label, path in pages:
                rate, errors, times = load(port, path, args.seconds, args.connections)
                trivial = trivial or rate
                extra = f", {errors} errors" if errors else ""
                print(f"  {label:<48} {rate:>8,.1f} req/s  {rate / trivial:>6.0%} of the trivial view  "
                      f"p50 {percentile(times or [0], 0.5) * 1000:>6.1f} ms  p95 {percentile(times or [0], 0.95) * 1000:>6.1f} ms{extra}")
            print(f"  load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            print("  aim: pages >= 40% of the trivial view")
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=30)
    finally:
        connection.close()
        if args.keep or args.reuse:
            print(f"\nkept: {url if url.startswith('postgres') else var}")
        elif url.startswith("postgres"):
            _recreate(url, drop_only=True)
            shutil.rmtree(var, ignore_errors=True)
        else:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
