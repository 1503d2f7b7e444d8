"""Search in Arabic (Snowball stemming) and Chinese (character pairs), on whichever engine runs."""

import pytest

from partnerpost.discovery import search
from partnerpost.discovery.search.analysis import cjk_grams, terms
from tests.factories import published


def test_cjk_text_is_cut_into_character_pairs():
    assert cjk_grams("推进数字政府建设") == ["推进", "进数", "数字", "字政", "政府", "府建", "建设"]
    assert terms("数字政府 UNPAN") == ["数字", "字政", "政府", "unpan"]
    assert cjk_grams("中") == ["中"]


@pytest.fixture
def items(people):
    zh = published(people.icap, title="推进数字政府建设的国际经验", summary="各国在数字政府领域的做法。", language="zh-hans")
    ar = published(people.icap, title="ندوة عن الإدارات العامة", summary="تبادل الخبرات بين المؤسسات الحكومية.", language="ar")
    en = published(people.icap, title="Digital government", summary="Practice in the English-speaking world.", language="en")
    search.rebuild()
    return zh, ar, en


def _titles(query):
    return [hit.item.title for hit in search.search(query).hits]


def test_chinese_words_inside_a_sentence_are_found(items):
    zh, _ar, _en = items
    assert _titles("数字政府") == [zh.title]
    assert _titles("国际经验") == [zh.title]
    assert _titles("政治") == []


def test_arabic_finds_other_forms_of_a_word(items):
    _zh, ar, _en = items
    assert _titles("الإدارة") == [ar.title]  # singular with the article finds the plural
    assert _titles("المؤسسة") == [ar.title]
