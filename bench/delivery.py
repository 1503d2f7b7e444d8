"""Send the demo edition to N subscribers through a local SMTP sink and compare with raw smtplib.

Run:  .venv/bin/python bench/delivery.py [--subscribers 100000] [--connections 4] [--selections 10] [--postgres URL]
      [--workers 3] [--skip-sqlite]
A million recipients on PostgreSQL with three workers (about half an hour on 2 cores):
      .venv/bin/python bench/delivery.py --subscribers 1000000 --postgres postgres://postgres@127.0.0.1/pp_bench \
          --workers 3 --skip-sqlite

With --selections N (1 to 10), the subscribers follow partners or themes (targeted editions):
subscriber n follows selection n % (N + 1), where 0 is "everything" and 1..N are N different
choices of partners and themes from the demo, so N targeted templates are built besides the full one.

It prints, for the same run and the same sink:
- the baseline: the same number of ready-made messages pushed through the same number of
  smtplib connections (threads), and the sink's own capacity;
- Partnerpost end to end: `partnerpost worker --until-idle` in its own process, from queued
  Delivery rows to "sent" in the database, with its messages per second, the ratio to the
  baseline, and its peak memory (so memory can be compared across subscriber counts);
- with --postgres, the same with --workers workers (2 by default) sharing the send on PostgreSQL;
- what the sink received during the workers' run: messages, distinct recipients, duplicates (a recipient
  received twice) and lost (a subscriber whose row says sent, or who has a row, but who received nothing).
Aims (2 cores): at least half the baseline, at least 1,000 messages/s for a 20 KB email,
memory flat from 10,000 to 1,000,000 recipients.
"""

import argparse
import json
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_sink(log: Path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "fastsink.py"), str(port), str(log)],
                            stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the sink did not start")


def baseline(port, messages: dict[str, bytes], count: int, connections: int) -> float:
    """Ready-made messages through plain smtplib, one thread per connection: the Spanish message to one
    recipient in five and the English one to the others, as the benchmark's subscribers read."""
    per = [count // connections + (1 if i < count % connections else 0) for i in range(connections)]

    def push(n):
        smtp = smtplib.SMTP("127.0.0.1", port)
        for i in range(n):
            message = messages["es"] if i % 5 == 0 else messages["en"]
            smtp.sendmail("newsletter@example.org", [f"reader{i}@baseline.invalid"], message)
        smtp.quit()

    threads = [threading.Thread(target=push, args=(n,)) for n in per]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return count / (time.perf_counter() - started)


#: Ten choices of partners (acronyms) and themes (slugs) from the demo, for targeted editions.
SELECTIONS = [
    ("ICAP", ""), ("EROPA", ""), ("ReSPA", ""), ("UNPOG;KIPA", ""), ("NISPAcee", "smart-cities"),
    ("", "digital-government"), ("", "covid-19-recovery"), ("NIA", "capacity-development"),
    ("", "citizen-engagement;sdg-11"), ("UN DESA", ""),
]


def prepare(env, subscribers, selections=0):
    def run(*args):
        subprocess.run([sys.executable, "-m", "partnerpost", *args], env=env, check=True, capture_output=True)

    run("migrate", "--noinput")
    run("demo", "load")
    csv_path = Path(env["PARTNERPOST_VAR_DIR"]) / "readers.csv"
    with open(csv_path, "w") as handle:
        handle.write("email,language,partners,themes\n")
        for n in range(subscribers):
            partners, themes = SELECTIONS[n % (selections + 1) - 1] if selections and n % (selections + 1) else ("", "")
            handle.write(f"reader{n}@example.org,{'es' if n % 5 == 0 else 'en'},{partners},{themes}\n")
    started = time.perf_counter()
    run("subscribers", "import", str(csv_path), "--confirmed", "--statement", "benchmark")
    imported = time.perf_counter() - started
    started = time.perf_counter()
    run("send", "--latest")
    queued = time.perf_counter() - started
    return imported, queued


def run_workers(env, workers):
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "partnerpost", "worker", "--until-idle"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(workers)]
    peaks = []
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        peaks.append(usage.ru_maxrss / 1024)
        if proc.returncode:
            raise RuntimeError(proc.stderr.read().decode()[-2000:])
    return time.perf_counter() - started, max(peaks)


def sample_messages(env) -> dict[str, bytes]:
    """The messages the send really carries: the edition `send --latest` picks, built by the worker's own
    code for each language the benchmark's subscribers read (English, and Spanish for one in five)."""
    code = (
        "import django, json, sys; django.setup();"
        "from partnerpost.editions.models import Edition; from partnerpost.mailing.worker import _build;"
        "e = Edition.objects.pick(latest=True); out = {}\n"
        "for lang in ('en', 'es'):\n"
        "    t = _build(e.pk, lang)\n"
        "    out[lang] = t.fill(to='reader0@example.org', message_id='x@y', unsubscribe_url='https://example.org/u/' + 'a' * 90,"
        " preferences_url='https://example.org/p/' + 'a' * 90).decode('latin-1')\n"
        "sys.stdout.write(json.dumps(out))"
    )
    out = subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "partnerpost.settings"},
                         check=True, capture_output=True, text=True).stdout
    return {lang: text.encode("latin-1") for lang, text in json.loads(out).items()}


def received_since(log: Path, offset: int) -> list[str]:
    """The recipients the sink logged after `offset` bytes of its log (it flushes once a second)."""
    time.sleep(1.5)
    with open(log, "rb") as handle:
        handle.seek(offset)
        return [address for address in handle.read().decode().split() if not address.endswith("@baseline.invalid")]


def expected_recipients(env) -> set[str]:
    code = ("import django, sys; django.setup(); from partnerpost.mailing.models import Delivery;"
            "sys.stdout.write('\\n'.join(Delivery.objects.values_list('email', flat=True).iterator(chunk_size=20000)))")
    out = subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "partnerpost.settings"},
                         check=True, capture_output=True, text=True).stdout
    return set(out.split())


def count_sent(env):
    code = ("import django; django.setup(); from partnerpost.mailing.models import Delivery;"
            "print(Delivery.objects.filter(status='sent').count(), Delivery.objects.count())")
    out = subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "partnerpost.settings"},
                         check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--selections", type=int, default=0, choices=range(0, len(SELECTIONS) + 1), metavar="0-10",
                        help="Subscribers follow this many different choices of partners and themes (targeted editions).")
    parser.add_argument("--postgres", help="A PostgreSQL URL whose database may be dropped and created, e.g. postgres://postgres@127.0.0.1/pp_bench")
    parser.add_argument("--workers", type=int, default=2, help="Delivery workers sharing the send on PostgreSQL (default 2).")
    parser.add_argument("--skip-sqlite", "--postgres-only", dest="skip_sqlite", action="store_true",
                        help="Only the PostgreSQL run (needs --postgres).")
    args = parser.parse_args()
    if args.skip_sqlite and not args.postgres:
        parser.error("--skip-sqlite needs --postgres")
    log = Path(tempfile.mkdtemp(prefix="pp-sink-")) / "recipients.log"
    sink, port = start_sink(log)
    try:
        targets = [] if args.skip_sqlite else [("SQLite, 1 worker", None, 1)]
        if args.postgres:
            targets.append((f"PostgreSQL, {args.workers} workers", args.postgres, args.workers))
        for label, url, workers in targets:
            var = tempfile.mkdtemp(prefix="pp-delivery-")
            env = {**os.environ, "PARTNERPOST_VAR_DIR": var, "EMAIL_URL": f"smtp://127.0.0.1:{port}",
                   "MAILING_CONNECTIONS": str(args.connections), "MAILING_BATCH": "100", "DEBUG": "false",
                   "DATABASE_URL": url or f"sqlite:///{var}/bench.sqlite3"}
            if url:
                _recreate(url)
            imported, queued = prepare({**env, "EMAIL_URL": "outbox:"}, args.subscribers, args.selections)
            messages = sample_messages(env)
            base = baseline(port, messages, min(args.subscribers, 20_000), args.connections)
            time.sleep(1.5)  # the sink flushes its log once a second: the baseline's lines are all in
            offset = log.stat().st_size if log.exists() else 0
            seconds, peak = run_workers(env, workers)
            received = received_since(log, offset)
            # Measured again after the workers' run: on a shared machine the load may have changed meanwhile,
            # so the ratio is to the mean of the two, and both are printed.
            base_after = baseline(port, messages, min(args.subscribers, 20_000), args.connections)
            sent, total = count_sent(env)
            expected = expected_recipients(env)
            distinct = set(received)
            duplicates = len(received) - len(distinct)
            lost = len(expected - distinct)
            rate = sent / seconds
            targeted = f", {args.selections} targeted selections" if args.selections else ""
            print(f"== {label}: {args.subscribers} subscribers{targeted}, {args.connections} connections per worker ==")
            print(f"email size                 {len(messages['en']) / 1024:.1f} KB (English), "
                  f"{len(messages['es']) / 1024:.1f} KB (Spanish, one subscriber in five)")
            print(f"CSV import                 {imported:.1f} s ({args.subscribers / imported:,.0f} rows/s)")
            print(f"queueing (send --latest)   {queued:.1f} s")
            print(f"baseline smtplib           {base:,.0f} messages/s before the workers' run, {base_after:,.0f} after "
                  f"(ready-made messages, same sink, same connections)")
            print(f"partnerpost worker         {rate:,.0f} messages/s end to end ({sent}/{total} sent in {seconds:.1f} s)")
            print(f"ratio to baseline          {rate / ((base + base_after) / 2):.2f} (to the mean of the two baselines)")
            print(f"worker peak memory         {peak:.0f} MB (the largest of the workers' peak RSS)")
            print(f"sink received              {len(received)} messages, {len(distinct)} distinct recipients; "
                  f"duplicates {duplicates}, lost {lost}, unexpected {len(distinct - expected)}")
    finally:
        sink.terminate()


def _recreate(url):
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
