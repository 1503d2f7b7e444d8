import pytest

from partnerpost.lib.langguess import guess_language


@pytest.mark.parametrize("text, expected", [
    ("The workshop was held online and brought together officials from the ministries of the region.", "en"),
    ("El taller se realizó en línea con la participación de funcionarios de los ministerios de la región.", "es"),
    ("L'atelier a eu lieu en ligne avec des fonctionnaires des ministères de la région et une table ronde.", "fr"),
    ("A oficina foi realizada com a participação de gestores das prefeituras e não só da região.", "pt"),
    # a Spanish notice with one English sentence added by the editor is still Spanish
    ("Taller virtual de innovación en la gestión territorial. Modalidad en línea, inversión total $50, duración "
     "6 horas. Fecha límite de matrícula: 13 de noviembre. This workshop was held on 13 November.", "es"),
])
def test_guesses_the_language(text, expected):
    assert guess_language(text) == expected


def test_too_little_text_says_nothing():
    assert guess_language("ICAP 2020") is None
    assert guess_language("") is None
