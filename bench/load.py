"""Load test: the public site under a realistic mix of requests from many clients, for a fixed time.

It drives `partnerpost serve` (granian, `--workers 2` by default: two web processes) over the
items a search bench kept, and reports throughput and p50/p95/p99 latency per page type and the
error rate, beside a trivial view (/robots.txt) served by the same server in the same run (the
baseline: what the server, the network stack and the load generator cost with no page behind).

Build the items once (1,000,000 here; any size works), keeping them, with bench/search.py:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_bench_search .venv/bin/python bench/search.py --items 1000000 --keep --no-pages
Then run the load against them (PostgreSQL; the database is read, never changed):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pp_bench_search .venv/bin/python bench/load.py [--seconds 60] [--clients 16] [--workers 2]
On SQLite, pass the directory bench/search.py kept:
    .venv/bin/python bench/load.py --sqlite /tmp/pp-bench-search-XXXX

The mix (weights in MIX): the home page; the archive, first page and pages 2-200 with and
without a filter; item pages picked at random among all published items; search pages, every
query different (bench/search.py's `distinct_queries`, so the page cache never answers them);
the RSS and Atom feeds, whole and by partner; the JSON API (item lists, one item, search).
Pages that readers ask for again and again (home, archive first page, feeds) are answered from
the page cache after the first time, as in production; item pages and searches mostly are not.
Each client is one thread with its own keep-alive connection, choosing each request at random by
weight. The load generator shares the machine with the server (2 cores here), so every figure,
the baseline's too, is lower than on a separate client machine; compare ratios, and mind the load
average printed at the start and the end (other work on the machine lowers everything alike).

The server is started with API_READ_RATE raised (the JSON API's per-address read limit would
otherwise answer 429 to a test that comes from one address) and DATABASE_CONN_MAX_AGE=600.
An error is any answer other than 200 (or a failed connection); the error rate is over all requests.
"""

import argparse
import collections
import http.client
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

#: Page type -> weight (out of 100).
MIX = {"home": 8, "archive": 10, "archive page/filter": 10, "item": 30, "search": 15, "feed": 7, "api list": 8,
       "api item": 7, "api search": 5}


def setup(args):
    url = os.environ.get("DATABASE_URL", "")
    if args.sqlite:
        if not Path(args.sqlite, "bench.sqlite3").exists():
            sys.exit(f"--sqlite: no bench.sqlite3 in {args.sqlite} (make one with bench/search.py --keep)")
        var, url = args.sqlite, f"sqlite:///{args.sqlite}/bench.sqlite3"
    elif url.startswith(("postgres://", "postgresql://")):
        var = tempfile.mkdtemp(prefix="pp-bench-load-")
    else:
        sys.exit("Set DATABASE_URL to the PostgreSQL database bench/search.py kept, or pass --sqlite DIR.")
    os.environ.update({"PARTNERPOST_VAR_DIR": var, "DATABASE_URL": url, "DEBUG": "false",
                       "DJANGO_SETTINGS_MODULE": "partnerpost.settings"})
    import django

    django.setup()
    return var, url


def targets(seed=5):
    """What the mix asks for: {page type: function(rng) -> path}."""
    from django.db import connection

    from partnerpost.content.models import Item
    from partnerpost.network.models import Partner
    from search import distinct_queries

    published = Item.objects.filter(state="published")
    low = published.order_by("id").values_list("id", flat=True).first()
    high = published.order_by("-id").values_list("id", flat=True).first()
    if low is None:
        sys.exit("No published items: build them first with bench/search.py --keep (see this file's docstring).")
    count = published.count()
    # Item pages: a random sample of the published items (ids drawn over the whole range), read before the load.
    rng = random.Random(seed)
    drawn = rng.sample(range(low, high + 1), min(30_000, high - low + 1))
    slugs = []
    for start in range(0, len(drawn), 5000):
        slugs += Item.objects.published().filter(pk__in=drawn[start:start + 5000]).values_list("slug", flat=True)
    rng.shuffle(slugs)

    def item_slug(rng):
        return rng.choice(slugs)

    lock = threading.Lock()
    partners = list(Partner.objects.values_list("slug", flat=True))
    kinds = ["event", "publication", "news", "call", "award"]
    searches = collections.deque(distinct_queries(200_000, seed=seed))
    api_searches = collections.deque(distinct_queries(50_000, seed=seed + 1))

    def next_of(queue):
        with lock:
            return queue.popleft()

    years = [str(y) for y in range(2005, 2027)]

    def archive_page(rng):
        params = {"page": rng.randint(2, 200)}
        if rng.random() < 0.5:
            name = rng.choice(("kind", "partner", "year"))
            params[name] = rng.choice({"kind": kinds, "partner": partners, "year": years}[name])
        return "/items/?" + urlencode(params)

    def search(rng):
        query, filters = next_of(searches)
        return "/search/?" + urlencode({"q": query, **filters})

    def api_search(rng):
        query, filters = next_of(api_searches)
        return "/api/v1/search?" + urlencode({"q": query, **filters})

    connection.close()
    paths = {
        "home": lambda rng: "/",
        "archive": lambda rng: "/items/",
        "archive page/filter": archive_page,
        "item": lambda rng: f"/items/{item_slug(rng)}/",
        "search": search,
        "feed": lambda rng: rng.choice(["/feeds/items.rss", "/feeds/items.atom", f"/feeds/partner/{rng.choice(partners)}.rss"]),
        "api list": lambda rng: "/api/v1/items?" + urlencode({"kind": rng.choice(kinds)} if rng.random() < 0.5 else {}),
        "api item": lambda rng: f"/api/v1/items/{item_slug(rng)}",
        "api search": api_search,
    }
    return paths, count


def start_server(var, workers, threads):
    import search

    return search.start_server(var, serve_args=("--workers", str(workers), "--threads", str(threads)),
                               extra_env={"API_READ_RATE": "100000000", "PYTHONPATH": str(ROOT)},
                               log_name="load-server.log")


def drive(port, choose, seconds, clients, seed):
    """Run `clients` threads for `seconds`; each asks for choose(rng) -> (page type, path) again and
    again on its keep-alive connection. Returns ({type: [latencies of 200 answers]}, {type: errors},
    {type: {status: n}}, elapsed seconds)."""
    times = [collections.defaultdict(list) for _ in range(clients)]
    errors = [collections.Counter() for _ in range(clients)]
    statuses = [collections.defaultdict(collections.Counter) for _ in range(clients)]
    stop = time.perf_counter() + seconds

    def client(i):
        rng = random.Random(seed * 1000 + i)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < stop:
            kind, path = choose(rng)
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                if response.status == 200:
                    times[i][kind].append(elapsed)
                else:
                    errors[i][kind] += 1
                    statuses[i][kind][response.status] += 1
            except (OSError, http.client.HTTPException) as exc:
                errors[i][kind] += 1
                statuses[i][kind][type(exc).__name__] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    merged, failed, why = collections.defaultdict(list), collections.Counter(), collections.defaultdict(collections.Counter)
    for i in range(clients):
        for kind, values in times[i].items():
            merged[kind] += values
        failed.update(errors[i])
        for kind, counter in statuses[i].items():
            why[kind].update(counter)
    return merged, failed, why, elapsed


def percentile(ordered, fraction):
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else float("nan")


def report(title, merged, failed, why, elapsed, baseline_rate=None):
    total = sum(len(v) for v in merged.values()) + sum(failed.values())
    rate = total / elapsed
    print(f"\n{title}: {total:,} requests in {elapsed:.1f} s = {rate:,.1f} req/s"
          + (f" ({rate / baseline_rate:.1%} of the trivial view's rate)" if baseline_rate else ""))
    print(f"  {'page type':<22} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind in sorted(set(merged) | set(failed), key=lambda k: list(MIX).index(k) if k in MIX else -1):
        values = sorted(merged.get(kind, []))
        n = len(values) + failed.get(kind, 0)
        detail = f"  {dict(why[kind])}" if failed.get(kind) else ""
        print(f"  {kind:<22} {n:>9,} {n / elapsed:>8.1f} {percentile(values, .5) * 1000:>8.1f} {percentile(values, .95) * 1000:>8.1f} "
              f"{percentile(values, .99) * 1000:>8.1f} {failed.get(kind, 0):>7}{detail}")
    everything = sorted(t for v in merged.values() for t in v)
    errors = sum(failed.values())
    print(f"  {'all':<22} {total:>9,} {rate:>8.1f} {percentile(everything, .5) * 1000:>8.1f} {percentile(everything, .95) * 1000:>8.1f} "
          f"{percentile(everything, .99) * 1000:>8.1f} {errors:>7}   error rate {errors / total if total else 0:.2%}")
    return rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="Duration of the mixed load (default 60).")
    parser.add_argument("--baseline-seconds", type=float, default=10.0, help="Duration of the trivial view's run (default 10).")
    parser.add_argument("--clients", type=int, default=16, help="Concurrent clients, one keep-alive connection each (default 16).")
    parser.add_argument("--workers", type=int, default=2, help="Web processes (partnerpost serve --workers; default 2).")
    parser.add_argument("--threads", type=int, default=4, help="Threads per web process (serve --threads; default 4).")
    parser.add_argument("--sqlite", help="The directory bench/search.py kept (SQLite), instead of DATABASE_URL.")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    var, url = setup(args)
    paths, count = targets(args.seed)
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(f"== Load test: {count:,} published items on {engine}, partnerpost serve --workers {args.workers} --threads {args.threads}, "
          f"{args.clients} clients ==")
    print(f"mix (weights): {', '.join(f'{k} {w}' for k, w in MIX.items())}")
    kinds, weights = list(MIX), list(MIX.values())

    def mixed(rng):
        kind = rng.choices(kinds, weights)[0]
        return kind, paths[kind](rng)

    proc, port = start_server(var, args.workers, args.threads)
    try:
        print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        drive(port, lambda rng: ("warm", "/robots.txt"), 2, args.clients, 0)  # every worker and connection up
        drive(port, mixed, 5, args.clients, 1)  # imports, templates, the page cache's first answers
        merged, failed, why, elapsed = drive(port, lambda rng: ("trivial /robots.txt", "/robots.txt"), args.baseline_seconds,
                                             args.clients, 2)
        baseline = report("baseline, trivial view /robots.txt", merged, failed, why, elapsed)
        merged, failed, why, elapsed = drive(port, mixed, args.seconds, args.clients, 3)
        report("mixed load", merged, failed, why, elapsed, baseline)
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
