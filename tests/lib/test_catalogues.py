from partnerpost.lib.catalogues import check

HEADER = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

'''


def _po(tmp_path, body):
    path = tmp_path / "django.po"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_complete_catalogue_has_no_problem(tmp_path):
    path = _po(tmp_path, '''msgid "%(count)s items"
msgstr "%(count)s contenus"

msgid "Read <a href=\\"%(url)s\\">the guide</a>."
msgstr "Lisez <a href=\\"%(url)s\\">le guide</a>."

msgid "One item"
msgid_plural "%(n)s items"
msgstr[0] "Un contenu"
msgstr[1] "%(n)s contenus"
''')
    assert check(path) == []


def test_a_dropped_placeholder_is_named(tmp_path):
    path = _po(tmp_path, '''msgid "%(count)s items"
msgstr "des contenus"
''')
    [problem] = check(path)
    assert problem.msgid == "%(count)s items" and "placeholders ['%(count)s'] became []" in problem.what


def test_untranslated_fuzzy_and_broken_markup_are_named(tmp_path):
    path = _po(tmp_path, '''msgid "Archive"
msgstr ""

#, fuzzy
msgid "Events"
msgstr "Manifestations"

msgid "Read <strong>this</strong>"
msgstr "Lisez ceci"

msgid "One item"
msgid_plural "%(n)s items"
msgstr[0] "Un contenu"
msgstr[1] "Des contenus"
''')
    whats = [(p.msgid, p.what.split(" ")[0]) for p in check(path)]
    assert whats == [("Archive", "not"), ("Events", "marked"), ("Read <strong>this</strong>", "markup"), ("One item", "the")]
