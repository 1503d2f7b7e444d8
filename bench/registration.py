"""Concurrent registrations against a live server: N posts by C clients to an event of P places.

Run:  PYTHONPATH=. .venv/bin/python bench/registration.py [--posts 1000] [--clients 50] [--places 200]
                                                          [--postgres postgres://postgres@127.0.0.1:5432/pp_bench]

For each database (a fresh SQLite file, and PostgreSQL when --postgres names a database), it migrates, makes one published event with registration, starts `partnerpost serve`
(granian, 2 workers x 4 threads) in a subprocess on 127.0.0.1, and posts the registrations from C
client threads over HTTP. It prints throughput, p50 and p95 latency, the count of each answer, and
the database's own count of confirmed and waitlisted registrations, which must be exactly P and N-P.
The baseline, measured in the same run against the same server, is GET /api/v1/events/{slug}/registration
(a read with no lock): the ratio says what the locked write costs.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SETUP = """
import datetime as dt, sys
import django
django.setup()
from django.utils import timezone
from partnerpost.content.models import Item
from partnerpost.network.models import Partner
from partnerpost.registration.models import Registration, RegistrationSettings
Item.objects.filter(slug="bench-registration").delete()
partner, _ = Partner.objects.get_or_create(acronym="BENCH", defaults={"name": "Bench institute", "slug": "bench"})
start = timezone.now().date() + dt.timedelta(days=30)
item = Item(partner=partner, kind="event", title="Bench workshop", slug="bench-registration", summary="Bench",
            state="published", start_date=start, end_date=start, event_format="online")
item.compute_derived()
item.save()
RegistrationSettings.objects.create(item=item, capacity=int(sys.argv[1]), waiting_list=True,
                                    ask_organization="required", ask_country="off", ask_position="off")
"""

COUNT = """
import django
django.setup()
from partnerpost.registration.models import Registration
rows = Registration.objects.filter(item__slug="bench-registration")
print(rows.filter(status="confirmed").count(), rows.filter(status="waitlisted").count())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url: str, var: str) -> dict:
    env = dict(os.environ)
    env.update({"DATABASE_URL": database_url, "PARTNERPOST_VAR_DIR": var, "PYTHONPATH": str(ROOT),
                "DJANGO_SETTINGS_MODULE": "partnerpost.settings", "REGISTRATION_RATE": "0", "API_READ_RATE": "0",
                "EMAIL_URL": "console:", "LOG_LEVEL": "ERROR", "PARTNERPOST_ENV": "development", "DEBUG": "false",
                "TASKS_BACKEND": "database"})
    return env


def prepare(env: dict, places: int) -> None:
    """Migrate, then (re)make the bench event: SETUP deletes an earlier run's event and its registrations."""
    subprocess.run([PYTHON, "-m", "partnerpost", "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([PYTHON, "-c", SETUP, str(places)], env=env, check=True, cwd=ROOT)


class Server:
    def __init__(self, env: dict, workers: int = 2, threads: int = 4):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [PYTHON, "-m", "partnerpost", "serve", "--port", str(self.port), "--workers", str(workers),
             "--threads", str(threads), "--no-collectstatic"],
            env={**env, "ALLOWED_HOSTS": "127.0.0.1"}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/api/", timeout=2).read()
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("the server did not start within 60 s")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _request(url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            code, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        code, payload = error.code, error.read()
    return code, json.loads(payload or b"{}"), time.perf_counter() - started


def fire(base_url: str, posts: int, clients: int, *, read: bool = False) -> dict:
    """Send `posts` requests from `clients` threads; registrations, or reads of the summary with read=True."""
    slug = "bench-registration"
    numbers = iter(range(posts))
    lock = threading.Lock()
    results = []

    def client():
        mine = []
        while True:
            with lock:
                n = next(numbers, None)
            if n is None:
                break
            if read:
                mine.append(_request(f"{base_url}/api/v1/events/{slug}/registration"))
            else:
                mine.append(_request(f"{base_url}/api/v1/events/{slug}/registrations",
                                     {"name": f"Person {n}", "email": f"p{n}@bench.example", "answers": {"organization": "Bench"}}))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(r[2] for r in results)
    statuses: dict[str, int] = {}
    for code, body, _ in results:
        key = f"{code} {body.get('status') or body.get('reason') or ''}".strip()
        statuses[key] = statuses.get(key, 0) + 1
    return {"requests": len(results), "seconds": elapsed, "per_second": len(results) / elapsed,
            "p50_ms": statistics.median(latencies) * 1000,
            "p95_ms": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000, "answers": statuses}


def counts(env: dict) -> tuple[int, int]:
    out = subprocess.run([PYTHON, "-c", COUNT], env=env, check=True, cwd=ROOT, capture_output=True, text=True).stdout
    confirmed, waitlisted = out.split()
    return int(confirmed), int(waitlisted)


def run(database_url: str, posts: int, clients: int, places: int) -> dict:
    var = tempfile.mkdtemp(prefix="partnerpost-bench-reg-")
    env = environment(database_url, var)
    prepare(env, places)
    server = Server(env)
    try:
        baseline = fire(server.url, posts, clients, read=True)
        result = fire(server.url, posts, clients)
    finally:
        server.stop()
    result["baseline"] = baseline
    result["confirmed"], result["waitlisted"] = counts(env)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--places", type=int, default=200)
    parser.add_argument("--postgres", help="a PostgreSQL URL (the bench event is made and replaced there)")
    args = parser.parse_args()
    runs = [("SQLite", f"sqlite:///{tempfile.mkdtemp(prefix='partnerpost-bench-sqlite-')}/bench.sqlite3")]
    if args.postgres:
        runs.append(("PostgreSQL", args.postgres))
    for name, url in runs:
        r = run(url, args.posts, args.clients, args.places)
        b = r["baseline"]
        print(f"{name}: {r['requests']} registrations by {args.clients} clients to {args.places} places")
        print(f"  registrations: {r['per_second']:.0f}/s, p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms "
              f"({r['seconds']:.1f} s); answers {r['answers']}")
        print(f"  baseline (summary reads, same server): {b['per_second']:.0f}/s, p95 {b['p95_ms']:.0f} ms; "
              f"ratio registrations/reads {r['per_second'] / b['per_second']:.2f}")
        ok = r["confirmed"] == args.places and r["waitlisted"] == args.posts - args.places
        print(f"  database: {r['confirmed']} confirmed, {r['waitlisted']} waitlisted -> {'EXACT' if ok else 'WRONG'}")


if __name__ == "__main__":
    main()
