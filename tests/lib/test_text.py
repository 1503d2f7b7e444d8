import sys
import unicodedata

from partnerpost.lib.text import _COMMON_MARKS, _OTHER_MARKS_POSSIBLE, fold


def test_fold_removes_accents_and_keeps_the_rest():
    assert fold("Gestión pública, réseaux régionaux, Ёлка й") == "Gestion publica, reseaux regionaux, Елка и"
    assert fold("«Ñandú» — ﬁnal²") == "«Nandu» — final2"
    assert fold("plain ascii") == "plain ascii"
    assert fold("हिन्दी") == "".join(c for c in unicodedata.normalize("NFKD", "हिन्दी") if not unicodedata.combining(c))


def test_every_combining_mark_is_where_fold_looks_for_it():
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if unicodedata.combining(ch):
            assert _COMMON_MARKS.match(ch) or _OTHER_MARKS_POSSIBLE.match(ch), hex(code)
