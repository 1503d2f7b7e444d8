"""The importer never crashes on text it can read: any mix of real newsletter lines and noise either gives
items or is refused with a reason (reading.Rejected)."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from partnerpost.content.enums import ItemKind
from partnerpost.importer.pipeline import extract
from partnerpost.importer.reading import Rejected

CORPUS = Path(__file__).parent / "corpus"
LINES = sorted({
    line.strip()
    for path in list(CORPUS.glob("*.md")) + list(CORPUS.glob("*.txt")) + list(CORPUS.glob("*.html"))
    for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
})
PARTNERS = [{"acronym": "ICAP", "name": "Instituto Centroamericano de Administración Pública"},
            {"acronym": "UN DESA", "name": "UN Department of Economic and Social Affairs"},
            {"acronym": "EROPA", "name": "Eastern Regional Organization for Public Administration"}]

line = st.one_of(st.sampled_from(LINES), st.text(max_size=80),
                 st.from_regex(r"[A-Z][a-z]+ (on|of) [A-Z][a-z]+ \d{1,2}[-–]\d{1,2} [A-Z][a-z]+( \d{4})?", fullmatch=True))
document = st.lists(line, min_size=1, max_size=40).flatmap(
    lambda lines: st.tuples(st.just(lines), st.lists(st.sampled_from(["\n", "\n\n", "\n\f"]), min_size=len(lines),
                                                     max_size=len(lines))))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document, st.sampled_from(["n.txt", "n.md", "n.html"]))
def test_extract_never_crashes(doc, name):
    lines, joins = doc
    text = "".join(line + join for line, join in zip(lines, joins))
    try:
        result = extract(text.encode("utf-8", "surrogatepass"), name, PARTNERS)
    except Rejected:
        return
    except UnicodeEncodeError:
        return
    for item in result["items"]:
        assert item["title"]
        assert item["kind"] in set(ItemKind.values)  # every kind of the registry, consultation included
        assert (item["start"] is None) == (item["end"] is None)
        if item["start"]:
            assert item["start"] <= item["end"]
        assert 0 <= item["source"]["start"] <= item["source"]["end"]
