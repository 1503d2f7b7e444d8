"""Snippets cut in Python (discovery/search/snippets.py): which words are marked, which stretch is shown."""

import datetime as dt
import re

from partnerpost.content.enums import ItemKind
from partnerpost.discovery import search
from partnerpost.discovery.search import query
from partnerpost.discovery.search.snippets import SNIPPET_CHARS, Marker

from .test_search import _publish


def _marks(snippet: str) -> list[str]:
    return re.findall("\x02(.*?)\x03", snippet)


def test_words_with_the_same_stem_are_marked_and_look_alikes_are_not():
    snippet = Marker(["policy", "budget"], ["en"]).snippet(
        "The police met. New policies on budgets were discussed; the budget policy passed. A polished text.")
    assert _marks(snippet) == ["policies", "budgets", "budget", "policy"]
    assert "\x02police" not in snippet and "\x02polished" not in snippet


def test_accents_and_case_do_not_matter_and_the_text_is_shown_as_written():
    snippet = Marker(["gestion", "publica"], ["en"]).snippet("La GESTIÓN Pública y la gestion publica.")
    assert _marks(snippet) == ["GESTIÓN", "Pública", "gestion", "publica"]


def test_stems_of_the_languages_present_are_marked_and_others_not():
    text = "La capacitación de los funcionarios capacitados."
    assert _marks(Marker(["capacitación"], ["en", "es"]).snippet(text)) == ["capacitación", "capacitados"]
    assert _marks(Marker(["capacitación"], ["en"]).snippet(text)) == ["capacitación"]  # no Spanish items: no Spanish stems


def test_cjk_pairs_are_marked_inside_a_run():
    assert _marks(Marker(["数字", "政府"], ["zh"]).snippet("推进数字政府建设")) == ["数字", "政府"]


def test_the_stretch_with_most_different_words_is_shown_and_cut_at_words():
    filler = "Nothing to see in this sentence at all. " * 12
    text = f"Budget here once. {filler}The budget and the audit office met. {filler}"
    snippet = Marker(["budget", "audit"], ["en"]).snippet(text)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert _marks(snippet) == ["budget", "audit"]  # the later stretch has both words, not the first "Budget"
    body = snippet.strip("…").replace("\x02", "").replace("\x03", "")
    assert body in text and len(body) <= SNIPPET_CHARS
    assert text[text.index(body) - 1] == " " and text[text.index(body) + len(body)] == " "  # whole words at both ends


def test_a_text_without_the_words_shows_its_beginning():
    text = "Opening words of a long text. " * 20
    snippet = Marker(["budget"], ["en"]).snippet(text)
    assert snippet.startswith("Opening words") and snippet.endswith("…") and not _marks(snippet)
    assert Marker(["budget"], ["en"]).snippet("") == ""
    assert Marker(["the"], ["en"]).snippet("Short text.") == "Short text."


def test_a_match_at_the_end_is_not_cut_in_two_and_white_space_is_one_space():
    text = "word " * 38 + "accountability\n\n  follows."
    snippet = Marker(["accountability"], ["en"]).snippet(text)
    assert _marks(snippet) == ["accountability"] and "\n" not in snippet and "  " not in snippet


def test_marks_stay_on_their_words_when_folding_changes_lengths():
    # The ligature folds to two letters and "İ" lower-cases to two characters: positions must still hold.
    text = "ﬁnance İstanbul: the budget of the ﬁnance office, Ｂｕｄｇｅｔ 2020."
    assert _marks(Marker(["budget", "finance"], ["en"]).snippet(text)) == ["ﬁnance", "budget", "ﬁnance", "Ｂｕｄｇｅｔ"]


def test_search_hits_beyond_the_ranked_pool_have_snippets(people, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            _publish(people.editor, people.icap, title=f"Notice {n}", summary=f"Words before. The treasury report number {n}.",
                     kind=ItemKind.NEWS, published_on=dt.date(2020, 1, 1 + n))
    monkeypatch.setattr(query, "RANK_POOL", 1)
    monkeypatch.setattr(query, "TITLE_POOL", 0)
    for page in (1, 4):
        [hit] = search.search("treasury", page=page, size=1).hits
        assert re.findall("<mark>(.*?)</mark>", hit.snippet) == ["treasury"], page



def test_among_stretches_with_as_many_words_the_first_is_shown():
    filler = "Nothing to see in this sentence at all. " * 12
    text = f"Summary: budget audit. {filler}Names: budget audit budget audit budget audit."
    snippet = Marker(["budget", "audit"], ["en"]).snippet(text)
    assert snippet.startswith("Summary:") and _marks(snippet) == ["budget", "audit"]
