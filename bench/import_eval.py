"""Score the newsletter importer against the labelled corpus in tests/importer/corpus.

Run from the repository root:

    .venv/bin/python bench/import_eval.py            # train and test split (tests/importer/split.json)
    .venv/bin/python bench/import_eval.py --loso     # also leave-one-source-out (retrains per source)
    .venv/bin/python bench/import_eval.py --method rules|model|combined   # one reader of text only
    .venv/bin/python bench/import_eval.py --corpus tests/importer/heldout # one directory, as before
    .venv/bin/python bench/import_eval.py --json     # the same figures as one JSON object
    .venv/bin/python bench/import_eval.py --verbose  # also the date/kind/organizer/section mismatches

For every `*.expected.json` in the corpus the script reads the source file it names (relative to the
JSON file; the sample's source lives outside the repository and is skipped with a message when it is
missing), calls

    partnerpost.importer.pipeline.extract(data, filename, partners=KNOWN_PARTNERS)

and matches predicted items to expected ones one-to-one: titles are normalised (lowercase, accents,
punctuation and Markdown link syntax removed) and scored with the larger of difflib's ratio and the
token-set Jaccard index; pairs scoring >= 0.6 are taken greedily, best first.

Figures per document and overall (summed over documents):

- items: expected, found, matched, recall (matched/expected), precision (matched/found);
- dates: matched items whose start and end both equal the expected ones (null = null counts);
- days: matched items whose "dates" list equals the expected one;
- kind: matched items with the expected kind;
- organizers: matched items whose expected organizers are all among the predicted ones; items with no
  expected organizers are skipped. Two names are the same institution when their acronyms or
  normalised names agree (KNOWN_PARTNERS maps acronyms to names; "Name (ACR)" and "UN DESA/DPIDG"
  count for each part), or when a known acronym or a name of three or more words appears as whole
  words in the other ("INTAN" / "INTAN Malaysia");
- section: matched items with an expected section whose predicted section is the same partner
  (compared the same way);
- time: matched items with an expected time whose predicted time is the same.

Exit code 0 whatever the scores; 2 when the pipeline cannot be imported.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "importer" / "corpus"
THRESHOLD = 0.6

# Network institutions beyond the demo partners (partnerpost/content/demo.py), so that every
# organizer and section of the corpus written as an acronym can be matched to a full name.
EXTRA_PARTNERS = [
    {"acronym": "AAPAM", "name": "African Association for Public Administration and Management"},
    {"acronym": "ASPA", "name": "American Society for Public Administration"},
    {"acronym": "CAFRAD", "name": "Centre Africain de Formation et de Recherche Administratives pour le Développement"},
    {"acronym": "CAPAM", "name": "Commonwealth Association for Public Administration and Management"},
    {"acronym": "CARICAD", "name": "Caribbean Centre for Development Administration"},
    {"acronym": "CLAD", "name": "Centro Latinoamericano de Administración para el Desarrollo"},
    {"acronym": "COTI", "name": "Central Officials Training Institute"},
    {"acronym": "CSC", "name": "Civil Service College Singapore"},
    {"acronym": "EIPA", "name": "European Institute of Public Administration"},
    {"acronym": "ENA", "name": "École nationale d'administration"},
    {"acronym": "ENAP", "name": "Escola Nacional de Administração Pública"},
    {"acronym": "GIMPA", "name": "Ghana Institute of Management and Public Administration"},
    {"acronym": "IASIA", "name": "International Association of Schools and Institutes of Administration"},
    {"acronym": "IIAS", "name": "International Institute of Administrative Sciences"},
    {"acronym": "INAP", "name": "Instituto Nacional de Administración Pública"},
    {"acronym": "INSP", "name": "Institut national du service public"},
    {"acronym": "INTAN", "name": "Institut Tadbiran Awam Negara"},
    {"acronym": "KSG", "name": "Kenya School of Government"},
    {"acronym": "OECD/SIGMA", "name": "Support for Improvement in Governance and Management"},
    {"acronym": "UMI", "name": "Uganda Management Institute"},
    {"acronym": "UN Women", "name": "United Nations Entity for Gender Equality and the Empowerment of Women"},
]

FALLBACK_DEMO_PARTNERS = [
    {"acronym": "UN DESA", "name": "UN Department of Economic and Social Affairs, Division for Public Institutions and Digital Government"},
    {"acronym": "UNPOG", "name": "UN Project Office on Governance"},
    {"acronym": "ICAP", "name": "Instituto Centroamericano de Administración Pública"},
    {"acronym": "EROPA", "name": "Eastern Regional Organization for Public Administration"},
    {"acronym": "NISPAcee", "name": "Network of Institutes and Schools of Public Administration in Central and Eastern Europe"},
    {"acronym": "ReSPA", "name": "Regional School of Public Administration"},
    {"acronym": "KIPA", "name": "Korea Institute of Public Administration"},
    {"acronym": "NIA", "name": "National Information Society Agency"},
    {"acronym": "CNAG", "name": "China National Academy of Governance"},
]


def demo_partners() -> list[dict]:
    """The partners of the demo data (acronym and name), read without a database."""
    try:
        from partnerpost.content.demo import PARTNERS
    except Exception:  # the demo module moved or needs more than the settings: use the copy above
        return FALLBACK_DEMO_PARTNERS
    return [{"acronym": row["acronym"], "name": row["name"]} for row in PARTNERS]


def known_partners() -> list[dict]:
    partners = demo_partners()
    seen = {p["acronym"] for p in partners}
    return partners + [p for p in EXTRA_PARTNERS if p["acronym"] not in seen]


# ------------------------------------------------------------------ normalisation and matching

def fold(text: str) -> str:
    from partnerpost.lib.text import fold as fold_accents  # importable once main() has set sys.path

    return fold_accents(text or "").lower()


def norm_title(title: str) -> str:
    title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title or "")  # [text](url) -> text
    title = re.sub(r"\\(.)", r"\1", title)  # Markdown escapes
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(title)).split())


def title_score(a: str, b: str) -> float:
    na, nb = norm_title(a), norm_title(b)
    if not na or not nb:
        return 0.0
    ratio = difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()
    ta, tb = set(na.split()), set(nb.split())
    jaccard = len(ta & tb) / len(ta | tb)
    return max(ratio, jaccard)


def match_items(expected: list[dict], predicted: list[dict]) -> list[tuple[int, int, float]]:
    """One-to-one pairs (expected index, predicted index, score), greedy best first."""
    pairs = []
    for i, exp in enumerate(expected):
        for j, pred in enumerate(predicted):
            score = title_score(exp.get("title") or "", pred.get("title") or "")
            if score >= THRESHOLD:
                pairs.append((score, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_e, used_p, result = set(), set(), []
    for score, i, j in pairs:
        if i in used_e or j in used_p:
            continue
        used_e.add(i)
        used_p.add(j)
        result.append((i, j, score))
    return sorted(result)


def compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", fold(text))


class Names:
    """Decides whether two organizer/section strings name the same institution."""

    def __init__(self, partners: list[dict]):
        self.canonical = {}  # compact key -> partner acronym key
        for p in partners:
            key = compact(p["acronym"])
            for alias in (p["acronym"], p.get("name") or ""):
                if alias:
                    self.canonical.setdefault(compact(alias), key)

    def aliases(self, text: str) -> set[str]:
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text or "").strip()
        parts = {text}
        paren = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", text)  # "Name (ACR)"
        if paren:
            parts |= {paren.group(1), paren.group(2)}
        if "/" in text:  # "UN DESA/DPIDG" -> also "UN DESA"
            parts.add(text.split("/")[0])
        parts |= {re.sub(r"^the\s+", "", p, flags=re.I) for p in parts}
        keys = {compact(p) for p in parts if compact(p)}
        return keys | {self.canonical[k] for k in keys if k in self.canonical}

    def same(self, a: str, b: str) -> bool:
        """Same acronym or normalised name; or one is a known acronym, or a name of 3+ words, that
        appears as whole words in the other ("INTAN" / "INTAN Malaysia", "Secretaría de la Función
        Pública" / "the Secretaría de la Función Pública of Mexico")."""
        if self.aliases(a) & self.aliases(b):
            return True
        words_a, words_b = words(a), words(b)
        for short, long in ((words_a, words_b), (words_b, words_a)):
            if not short or len(short) >= len(long) or not contains(long, short):
                continue
            if len(short) >= 3 or "".join(short) in self.canonical:
                return True
        return False


def words(text: str) -> list[str]:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text or "")
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).split()


def contains(long: list[str], short: list[str]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


# ------------------------------------------------------------------ scoring

def ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def score_document(expected: list[dict], predicted: list[dict], names: Names) -> dict:
    pairs = match_items(expected, predicted)
    counts = {k: [0, 0] for k in ("dates", "days", "kind", "organizers", "section", "time")}
    mismatches = []
    for i, j, _ in pairs:
        exp, pred = expected[i], predicted[j]

        def check(metric: str, ok: bool, want, got):
            counts[metric][1] += 1
            counts[metric][0] += ok
            if not ok:
                mismatches.append({"metric": metric, "title": exp["title"], "expected": want, "predicted": got})

        check("dates", (exp.get("start"), exp.get("end")) == (pred.get("start"), pred.get("end")),
              [exp.get("start"), exp.get("end")], [pred.get("start"), pred.get("end")])
        check("days", list(exp.get("dates") or []) == list(pred.get("dates") or []),
              exp.get("dates") or [], pred.get("dates") or [])
        check("kind", exp.get("kind") == pred.get("kind"), exp.get("kind"), pred.get("kind"))
        want_orgs = [o for o in exp.get("organizers") or [] if o]
        if want_orgs:
            got_orgs = [o for o in pred.get("organizers") or [] if isinstance(o, str) and o]
            ok = all(any(names.same(w, g) for g in got_orgs) for w in want_orgs)
            check("organizers", ok, want_orgs, got_orgs)
        if exp.get("section"):
            check("section", bool(pred.get("section")) and names.same(exp["section"], pred["section"]),
                  exp["section"], pred.get("section"))
        if exp.get("time"):
            check("time", exp["time"] == pred.get("time"), exp["time"], pred.get("time"))
    matched_e = {i for i, _, _ in pairs}
    matched_p = {j for _, j, _ in pairs}
    return {
        "expected": len(expected),
        "found": len(predicted),
        "matched": len(pairs),
        "counts": counts,
        "missed": [expected[i]["title"] for i in range(len(expected)) if i not in matched_e],
        "spurious": [predicted[j].get("title") or "" for j in range(len(predicted)) if j not in matched_p],
        "mismatches": mismatches,
    }


def summarise(result: dict) -> dict:
    out = {
        "expected": result["expected"],
        "found": result["found"],
        "matched": result["matched"],
        "recall": ratio(result["matched"], result["expected"]),
        "precision": ratio(result["matched"], result["found"]),
    }
    for metric, (ok, total) in result["counts"].items():
        out[f"{metric}_accuracy"] = ratio(ok, total)
        out[f"{metric}_checked"] = total
        out[f"{metric}_correct"] = ok
    return out


# ------------------------------------------------------------------ running the pipeline

def load_extract():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerpost.settings")
    setup_error = None
    try:
        import django

        django.setup()
    except Exception as exc:  # e.g. a half-edited app module; the pipeline may not need Django at all
        setup_error = exc
        print(f"warning: django.setup() failed ({type(exc).__name__}: {exc}); importing the pipeline anyway", file=sys.stderr)
    try:
        from partnerpost.importer.pipeline import extract
    except ImportError as exc:
        missing = getattr(exc, "name", None) or ""
        if missing in ("partnerpost.importer.pipeline", "partnerpost.importer"):
            print("error: partnerpost.importer.pipeline does not exist yet; nothing to evaluate.", file=sys.stderr)
        else:
            print(f"error: cannot import partnerpost.importer.pipeline.extract: {exc!r}", file=sys.stderr)
        sys.exit(2)
    except Exception as exc:
        print(f"error: importing partnerpost.importer.pipeline failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        if setup_error is not None:
            print("       (django.setup() had failed before, see the warning above)", file=sys.stderr)
        sys.exit(2)
    return extract


def run(args, label_paths=None, **extract_options) -> dict:
    extract = load_extract()
    partners = known_partners()
    names = Names(partners)
    documents, totals = [], None
    if label_paths is None:
        label_paths = sorted(Path(args.corpus).glob("*.expected.json"))
    if getattr(args, "method", None):
        extract_options.setdefault("use_model", args.method)
    for label_path in label_paths:
        labels = json.loads(label_path.read_text(encoding="utf-8"))
        name = label_path.name[: -len(".expected.json")]
        source = (label_path.parent / labels["source"]).resolve()
        doc = {"document": name, "source": labels["source"] + (f" as {labels['render']}" if labels.get("render") else "")}
        if not source.exists():
            doc["skipped"] = f"source file {source} not found (it is not part of the repository)"
            documents.append(doc)
            continue
        expected = labels["items"]
        data, filename = source.read_bytes(), source.name
        if labels.get("render"):  # the same text as another tool would print it: see testset/renders.py
            data, filename = render(labels["render"], data.decode("utf-8")), source.stem + ".pdf"
        try:
            output = extract(data, filename, partners=partners, **extract_options)
            predicted = [item for item in (output or {}).get("items") or [] if isinstance(item, dict)]
            doc["period"] = {"expected": labels.get("period"), "predicted": (output or {}).get("period")}
        except Exception as exc:  # a crash on one document must not stop the evaluation
            doc["error"] = f"{type(exc).__name__}: {exc}"
            doc["traceback"] = traceback.format_exc()
            predicted = []
        result = score_document(expected, predicted, names)
        doc.update(result)
        documents.append(doc)
        if totals is None:
            totals = {"expected": 0, "found": 0, "matched": 0, "counts": {k: [0, 0] for k in result["counts"]}}
        for key in ("expected", "found", "matched"):
            totals[key] += result[key]
        for metric, (ok, total) in result["counts"].items():
            totals["counts"][metric][0] += ok
            totals["counts"][metric][1] += total
    return {"documents": documents, "totals": totals}


_RENDER_CACHE: dict = {}


def render(kind: str, text: str) -> bytes:
    import importlib.util

    key = (kind, text)
    if key not in _RENDER_CACHE:
        renders = {}
        # the test split's renders, and the development set's other layouts (devset/renders.py)
        for folder in ("devset", "testset"):
            spec = importlib.util.spec_from_file_location(f"{folder}_renders",
                                                          ROOT / "tests" / "importer" / folder / "renders.py")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            renders.update(module.RENDERS)
        _RENDER_CACHE[key] = renders[kind](text)
    return _RENDER_CACHE[key]


# ------------------------------------------------------------------ output

def pct(ok: int, total: int) -> str:
    return f"{ok}/{total} {100 * ok / total:3.0f}%" if total else "-"


COLUMNS = ("dates", "days", "kind", "organizers", "section", "time")


def print_table(report: dict, verbose: bool) -> None:
    header = f"{'document':18} {'exp':>4} {'found':>5} {'match':>5} {'recall':>7} {'prec.':>7}  " + " ".join(
        f"{c:>12}" for c in COLUMNS
    )
    for doc in report["documents"]:
        if "skipped" in doc:
            print(f"skipped {doc['document']}: {doc['skipped']}")
    print(header)
    print("-" * len(header))
    rows = [d for d in report["documents"] if "skipped" not in d]
    if report["totals"]:
        rows = rows + [{"document": "OVERALL", **report["totals"]}]
    for doc in rows:
        if doc["document"] == "OVERALL":
            print("-" * len(header))
        recall = f"{100 * doc['matched'] / doc['expected']:6.1f}%" if doc["expected"] else "      -"
        precision = f"{100 * doc['matched'] / doc['found']:6.1f}%" if doc["found"] else "      -"
        cells = " ".join(f"{pct(*doc['counts'][c]):>12}" for c in COLUMNS)
        print(f"{doc['document']:18} {doc['expected']:>4} {doc['found']:>5} {doc['matched']:>5} {recall:>7} {precision:>7}  {cells}")
    print()
    print("dates = start and end both right; days = the 'dates' list right; organizers, section and time are")
    print("counted only where the labels set them. Accuracies are over matched items.")
    for doc in report["documents"]:
        if "skipped" in doc:
            print(f"\n== {doc['document']}: skipped ({doc['skipped']})")
            continue
        print(f"\n== {doc['document']} ({doc['source']})")
        if doc.get("error"):
            print(f"   extract() failed: {doc['error']}")
            if verbose:
                print("   " + doc["traceback"].replace("\n", "\n   "))
        period = doc.get("period")
        if period and period["expected"] and period["predicted"] != period["expected"]:
            want = period["expected"]
            got = period["predicted"] or {}
            if (want.get("start"), want.get("end")) != (got.get("start"), got.get("end")):
                print(f"   period: expected {want.get('start')}..{want.get('end')}, got {got.get('start')}..{got.get('end')}")
        if not doc["missed"] and not doc["spurious"]:
            print("   all items matched, none spurious")
        for title in doc["missed"]:
            print(f"   missed:   {title}")
        for title in doc["spurious"]:
            print(f"   spurious: {title}")
        if verbose:
            for m in doc["mismatches"]:
                print(f"   wrong {m['metric']:10} {m['title'][:70]!r}: expected {m['expected']!r}, got {m['predicted']!r}")


def to_json(report: dict) -> dict:
    documents = []
    for doc in report["documents"]:
        if "skipped" in doc:
            documents.append({"document": doc["document"], "source": doc["source"], "skipped": doc["skipped"]})
            continue
        entry = {"document": doc["document"], "source": doc["source"], **summarise(doc)}
        entry.update(missed=doc["missed"], spurious=doc["spurious"], mismatches=doc["mismatches"])
        if doc.get("error"):
            entry["error"] = doc["error"]
        if doc.get("period"):
            entry["period"] = doc["period"]
        documents.append(entry)
    return {"threshold": THRESHOLD, "documents": documents, "overall": summarise(report["totals"]) if report["totals"] else None}


SPLIT = ROOT / "tests" / "importer" / "split.json"


def split_documents(split: str | None = None, sources=None) -> list[tuple[str, str, Path]]:
    """(source, split, label file) of the documents of tests/importer/split.json."""
    data = json.loads(SPLIT.read_text(encoding="utf-8"))
    out = []
    for source, entry in data["sources"].items():
        if (split and entry["split"] != split) or (sources and source not in sources):
            continue
        for doc in entry["documents"]:
            out.append((source, entry["split"], ROOT / "tests" / "importer" / f"{doc}.expected.json"))
    return out


def headline(report: dict) -> dict:
    overall = summarise(report["totals"]) if report["totals"] else {}
    return {"documents": len([d for d in report["documents"] if "skipped" not in d]),
            "expected": overall.get("expected"), "found": overall.get("found"), "matched": overall.get("matched"),
            "recall": overall.get("recall"), "precision": overall.get("precision"),
            "date_accuracy": overall.get("dates_accuracy"),
            "dates_right_of_expected": ratio(report["totals"]["counts"]["dates"][0], report["totals"]["expected"])
            if report["totals"] else None}


def leave_one_source_out(args) -> tuple[dict, list]:
    """For each train source: a model trained without it (same settings and seed as the shipped one),
    then that source's documents scored with it. Returns the pooled report and the per-source rows."""
    import tempfile

    from partnerpost.importer.learning.train import train

    rows, pooled = [], {"documents": [], "totals": None}
    sources = sorted({source for source, _split, _path in split_documents("train")})
    with tempfile.TemporaryDirectory() as tmp:
        for source in sources:
            model = Path(tmp) / f"without-{source}.crfsuite"
            train(model, exclude={source}, root=ROOT)
            paths = [path for _s, _sp, path in split_documents(sources={source})]
            report = run(args, paths, model_path=model)
            rows.append({"source": source, **headline(report)})
            print(f"  left out {source}: {headline(report)}", file=sys.stderr)
            pooled["documents"] += report["documents"]
            if report["totals"]:
                if pooled["totals"] is None:
                    pooled["totals"] = {"expected": 0, "found": 0, "matched": 0,
                                        "counts": {k: [0, 0] for k in report["totals"]["counts"]}}
                for key in ("expected", "found", "matched"):
                    pooled["totals"][key] += report["totals"][key]
                for metric, (ok, total) in report["totals"]["counts"].items():
                    pooled["totals"]["counts"][metric][0] += ok
                    pooled["totals"]["counts"][metric][1] += total
    return pooled, rows


def print_headlines(figures: dict) -> None:
    print(f"{'split':24} {'docs':>4} {'exp':>4} {'found':>5} {'match':>5} {'recall':>7} {'prec.':>7} {'dates':>7}")
    for name, h in figures.items():
        def p(v):
            return f"{100 * v:6.1f}%" if v is not None else "      -"
        print(f"{name:24} {h['documents']:>4} {h['expected'] or 0:>4} {h['found'] or 0:>5} {h['matched'] or 0:>5} "
              f"{p(h['recall'])} {p(h['precision'])} {p(h['date_accuracy'])}")
    print("\nrecall = matched/expected; precision = matched/found; dates = matched items whose start and end are right.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--verbose", action="store_true", help="also list every date/kind/organizer/section/time mismatch")
    parser.add_argument("--corpus", default=None, help="score one directory of *.expected.json files instead of the split")
    parser.add_argument("--split", choices=("train", "test"), help="the tables of one split only")
    parser.add_argument("--loso", action="store_true", help="also leave-one-source-out over the train split (retrains the model once per source: minutes)")
    parser.add_argument("--method", choices=("rules", "model", "combined"), default=None,
                        help="which reader of text to score (default: the importer's default, combined)")
    args = parser.parse_args()
    if args.corpus is None:
        return split_main(args)
    report = run(args)
    try:
        if args.json:
            print(json.dumps(to_json(report), ensure_ascii=False, indent=2))
        else:
            print_table(report, args.verbose)
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into head & co.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def split_main(args) -> int:
    """Train and test split tables (tests/importer/split.json), their headline figures, and with --loso
    the leave-one-source-out figures."""
    figures, details = {}, {}
    for split in ("train", "test"):
        if args.split and split != args.split:
            continue
        report = run(args, [path for _s, _sp, path in split_documents(split)])
        figures[split] = headline(report)
        details[split] = report
    if args.loso:
        pooled, rows = leave_one_source_out(args)
        figures["leave-one-source-out"] = headline(pooled)
        details["leave-one-source-out"] = pooled
        figures_rows = rows
    if args.json:
        out = {"figures": figures, "splits": {k: to_json(v) for k, v in details.items()}}
        if args.loso:
            out["leave_one_source_out"] = figures_rows
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for split, report in details.items():
        print(f"\n######## {split}\n")
        print_table(report, args.verbose)
    print("\n######## headline figures\n")
    print_headlines(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
