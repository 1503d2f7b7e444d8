"""Render the demo edition and a synthetic 200-entry edition in every format.

Run:  .venv/bin/python bench/editions.py [--repeat 3] [--entries 200]

Prints the best time of each rendering and its ratio to the plain web render
measured in the same run (the baseline), plus page counts and sizes. Aims on a
2-core machine: demo PDF < 2 s, 200-entry PDF < 15 s, email HTML < 200 ms.
"""

import argparse
import copy
import time

from _setup import django_with_demo


def synthetic(context: dict, entries: int) -> dict:
    """The demo context, its entries repeated (with distinct titles) up to `entries`."""
    big = copy.deepcopy(context)
    pool = [entry for section in context["sections"] for entry in section["entries"]]
    for section in big["sections"]:
        section["entries"] = []
    for n in range(entries):
        entry = copy.deepcopy(pool[n % len(pool)])
        entry["title"] = f"{entry['title']} (copy {n + 1})"
        big["sections"][n % len(big["sections"])]["entries"].append(entry)
    big["entry_count"] = entries
    return big


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--entries", type=int, default=200)
    args = parser.parse_args()
    edition = django_with_demo()
    from partnerpost.editions import renderers
    from partnerpost.editions.render import build_context, context_for

    contexts = {"demo": context_for(edition), f"synthetic-{args.entries}": synthetic(context_for(edition), args.entries)}
    renderers.render_pdf(contexts["demo"])  # warm fonts and caches once
    t_context, _ = best(lambda: build_context(edition), args.repeat)
    print(f"build_context (database to context, demo, {contexts['demo']['entry_count']} entries): {t_context * 1000:.1f} ms")
    print()
    print(f"{'edition':<16} {'format':<7} {'best time':>11} {'ratio to web':>13} {'size':>9}")
    for name, context in contexts.items():
        web, _ = best(lambda: renderers.render(context, "web"), args.repeat)
        for fmt in ("web", "email", "text", "md", "pdf"):
            seconds, data = best(lambda: renderers.render(context, fmt), args.repeat if fmt != "pdf" else max(1, args.repeat - 1))
            extra = ""
            if fmt == "pdf":
                import pypdfium2

                extra = f"  {len(pypdfium2.PdfDocument(data))} pages"
            print(f"{name:<16} {fmt:<7} {seconds * 1000:>9.1f} ms {seconds / web:>12.1f}x {len(data) / 1024:>7.0f} KB{extra}")
    print()
    print("Baseline: the web render of the same edition in the same run (ratio 1.0x).")


if __name__ == "__main__":
    main()
