"""Calls at scale: 500 submissions with attachments through the web form, and the catalogue at 10,000 entries.

Run (SQLite, a throw-away database under /tmp; never the developer's or the tests' database):
    PYTHONPATH=. .venv/bin/python bench/calls.py [--submissions 500] [--entries 10000] [--requests 60]
(--submissions 0 skips the submissions part.)
Run on PostgreSQL (the database is emptied by the migrations of a fresh run: use a scratch one):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_bench_calls PYTHONPATH=. .venv/bin/python bench/calls.py

What it does and prints
1. Submissions: for each of N people, the journey a browser makes, through Django's test client and the
   real views, workflows, file checks and receipt email (kept in memory): open the signed link, answer
   step 1 ("Save and continue"), step 2 with a 60 KB PDF attached, and send. Prints the total time,
   submissions per minute, and p50/p95 of one whole submission and of one request. Aim: 500 in < 10 min.
2. Catalogue: N accepted entries (bulk inserted, with their area rows) over 9 action areas and every
   country, then GET of the catalogue page (facet counts, 50 rows, charts, the map) with a rotating set
   of facet filters and searches. Prints p50/p95. Aim: p95 < 100 ms. The page keeps its facet counts,
   links and charts per catalogue version and filter set (see calls/catalogue_views.py), so the same
   requests are also timed with the cache emptied before each: the cost of a first visit after a change.
Baseline, measured in the same run with the same client: GET /robots.txt (a trivial view); each figure
is also printed as a ratio to it.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREAS = ["Information sharing", "E-participation", "E-health", "E-business", "Contact tracing",
         "Social distancing and virus tracking", "Working and learning from home", "Digital policy", "Partnerships"]
WORDS = ("portal data open digital health citizens service platform registry online school tele consultation "
         "mobile payment tracing alert volunteers budget procurement identity cloud laboratory").split()


def setup():
    sys.path.insert(0, str(ROOT))
    var = tempfile.mkdtemp(prefix="pp-bench-calls-")
    os.environ.setdefault("PARTNERPOST_VAR_DIR", var)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{var}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerpost.settings")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    return var


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def make_call(title, is_catalogue):
    from partnerpost.calls import workflows
    from partnerpost.content.enums import ItemKind, ItemState
    from partnerpost.content.models import Item
    from partnerpost.network.models import Partner
    from partnerpost.network.permissions import OPERATOR

    partner, _ = Partner.objects.get_or_create(acronym="DESA", defaults={"name": "UN DESA", "slug": "desa"})
    item = Item(partner=partner, kind=ItemKind.CALL, title=title, slug=f"bench-{random.randrange(10**9)}",
                summary="Bench call", state=ItemState.PUBLISHED, published_on=dt.date(2020, 4, 1))
    item.compute_derived()
    item.save()
    F = workflows.FieldSpec
    return workflows.save_call(OPERATOR, item, workflows.CallInput(
        opens=dt.datetime(2020, 1, 1), closes=dt.datetime(2099, 1, 1), time_zone="UTC", is_catalogue=is_catalogue,
        fields=[F("title", "text", "Title", True, role="title"), F("country", "country", "Country", True, role="country"),
                F("areas", "choices", "Action areas", True, AREAS, role="area"),
                F("description", "long_text", "Description", True, step=2), F("report", "file", "Report", step=2),
                F("contact", "contact", "Contact", step=2)]))


def timed_get(client, url, **params):
    start = time.perf_counter()
    response = client.get(url, params)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def baseline(client, n=200):
    return statistics.median(timed_get(client, "/robots.txt") for _ in range(n))


def bench_submissions(count):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from partnerpost.calls.models import Submission
    from partnerpost.calls.tokens import make_token
    from partnerpost.content.models import Country

    call = make_call("Bench call for inputs", False)
    countries = list(Country.objects.values_list("code", flat=True))
    pdf = b"%PDF-1.4\n" + os.urandom(60 * 1024) + b"\n%%EOF\n"
    per_submission, per_request = [], []
    started = time.perf_counter()
    for n in range(count):
        client = Client()
        t0 = time.perf_counter()
        steps = [
            ("get", f"/calls/{call.slug}/link/{make_token(call, f'person{n}@gov.example')}/", None),
            ("get", f"/calls/{call.slug}/answer/", None),
            ("post", f"/calls/{call.slug}/answer/step-1/", {"title": f"Initiative {n} {random.choice(WORDS)}",
                                                            "country": random.choice(countries),
                                                            "areas": random.sample(AREAS, 2), "continue": "1"}),
            ("post", f"/calls/{call.slug}/answer/step-2/", {"description": " ".join(random.choices(WORDS, k=120)),
                                                            "report": SimpleUploadedFile("r.pdf", pdf),
                                                            "contact__name": "A Person", "contact__email": "a@gov.example",
                                                            "continue": "1"}),
            ("post", f"/calls/{call.slug}/answer/review/", {}),
        ]
        for method, url, data in steps:
            r0 = time.perf_counter()
            response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
            per_request.append(time.perf_counter() - r0)
            assert response.status_code in (200, 302), (url, response.status_code, response.content[:500])
        per_submission.append(time.perf_counter() - t0)
    total = time.perf_counter() - started
    sent = Submission.objects.filter(call=call, state="submitted").count()
    assert sent == count, sent
    return total, per_submission, per_request


def bench_catalogue(entries, requests):
    from django.test import Client

    from partnerpost.calls.models import Submission, SubmissionArea
    from partnerpost.calls.workflows import title_key
    from partnerpost.content.models import Country
    from partnerpost.lib import m49

    call = make_call("Bench compendium", True)
    countries = [c for c in Country.objects.values_list("code", flat=True) if c in m49.COUNTRY_REGION]
    rows, t0 = [], time.perf_counter()
    for n in range(entries):
        country = countries[n % len(countries)]
        title = f"{random.choice(WORDS).title()} {random.choice(WORDS)} {n}"
        chosen = random.sample(AREAS, random.choice([1, 1, 2, 3]))
        sent = dt.datetime(2020, random.randint(4, 5), random.randint(1, 28), tzinfo=dt.UTC)
        rows.append((Submission(call=call, state="accepted", title=title, title_key=title_key(title), country=country,
                                region=m49.ancestors(m49.COUNTRY_REGION[country])[-2], year=random.choice([2019, 2020, 2021]),
                                submitted_at=sent, month=f"{sent:%Y-%m}",
                                search_text=f"{title.lower()} " + " ".join(random.choices(WORDS, k=40)),
                                answers={"title": title, "country": country, "areas": chosen}), chosen))
    Submission.objects.bulk_create([s for s, _ in rows], batch_size=1000)
    SubmissionArea.objects.bulk_create([SubmissionArea(submission=s, area=a, call=call, is_public=True)
                                        for s, chosen in rows for a in chosen],
                                       batch_size=2000)
    build = time.perf_counter() - t0
    client = Client()
    url = f"/calls/{call.slug}/catalogue/"
    queries = [{}, {"area": "E-health"}, {"region": "002"}, {"country": "KE"}, {"year": "2020"},
               {"area": "Digital policy", "region": "142"}, {"q": "portal"}, {"q": "health platform", "area": "E-health"},
               {"region": "150", "year": "2021"}, {"page": "7"}]
    for q in queries:  # warm
        timed_get(client, url, **q)
    times = [timed_get(client, url, **queries[i % len(queries)]) for i in range(requests)]
    # The same requests with nothing kept: the cache is emptied before each (the first visitor of a
    # filter set after a change of the catalogue waits this long).
    from django.core.cache import cache

    cold = []
    for i in range(requests):
        cache.clear()
        cold.append(timed_get(client, url, **queries[i % len(queries)]))
    return build, times, cold


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    var = setup()
    from django.db import connection
    from django.test import Client

    print(f"database: {connection.vendor}; scratch directory {var}")
    base = baseline(Client())
    print(f"baseline GET /robots.txt: median {base * 1000:.2f} ms")
    if args.submissions:
        total, per_sub, per_req = bench_submissions(args.submissions)
        print(f"submissions: {args.submissions} with a 60 KB PDF each in {total:.1f} s "
              f"({args.submissions / total * 60:.0f} per minute; aim: {args.submissions} in 600 s)")
        print(f"  one submission (5 requests): p50 {statistics.median(per_sub) * 1000:.0f} ms, "
              f"p95 {percentile(per_sub, 95) * 1000:.0f} ms")
        print(f"  one request: p50 {statistics.median(per_req) * 1000:.1f} ms, p95 {percentile(per_req, 95) * 1000:.1f} ms "
              f"({percentile(per_req, 95) / base:.0f}x baseline)")
    build, times, cold = bench_catalogue(args.entries, args.requests)
    print(f"catalogue: {args.entries} accepted entries inserted in {build:.1f} s")
    print(f"  faceted listing page: p50 {statistics.median(times) * 1000:.1f} ms, p95 {percentile(times, 95) * 1000:.1f} ms "
          f"({percentile(times, 95) / base:.0f}x baseline; aim p95 < 100 ms) over {len(times)} requests")
    print(f"  the same, nothing kept (cache emptied before each): p50 {statistics.median(cold) * 1000:.1f} ms, "
          f"p95 {percentile(cold, 95) * 1000:.1f} ms ({percentile(cold, 95) / base:.0f}x baseline)")


if __name__ == "__main__":
    main()
