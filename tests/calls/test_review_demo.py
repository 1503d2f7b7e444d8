import pytest

from partnerpost.calls import demo as calls_demo
from partnerpost.calls import review_demo
from partnerpost.calls.models import Call, Submission
from partnerpost.calls.review_models import Review, ReviewStage
from partnerpost.content import demo
from partnerpost.content.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    demo.load(log=lambda *a: None)
    calls_demo.load(log=lambda *a: None)
    return review_demo.load(log=lambda *a: None)


def test_the_review_demo_has_three_cycles_and_is_safe_to_run_twice(loaded, client):
    assert loaded == {"stages": 4, "winners": 8, "papers": 4}
    unpsa = Call.objects.get(item__title=calls_demo.UNPSA_TITLE)
    expert = unpsa.review_stages.get(name="Expert review")
    assert set(unpsa.submissions.values_list("language", flat=True)) == {"en", "es", "fr"}
    assert Review.objects.filter(assignment__stage=expert).count() == 3 * len(review_demo.UNPSA_NOMINATIONS)
    award = Item.objects.get(title="2021 UN Public Service Awards: the winners (demo)")
    assert [(w.name, w.country.code) for w in award.winners.order_by("position")] == [
        ("National Social Insurance Agency", "KE"), ("Ministry of Public Service", "RW"),
        ("Ministerio de Hacienda", "CR"), ("Agence de développement numérique", "CI")]
    assert award.award_categories.count() == 4
    wb = Item.objects.get(title="Western Balkans Public Administration Awards: the jury's winners (demo)")
    assert sorted(w.category.name for w in wb.winners.all()) == sorted(
        ["Digital Government", "eEconomy", "eLearning", "eHealth and Social Innovation"])
    event = Item.objects.get(title="The 30th NISPAcee Annual Conference")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Co-production of local services in Slovak municipalities" in page and "A note on administrative reform" not in page
    counts = (ReviewStage.objects.count(), Submission.objects.count(), Review.objects.count(), Item.objects.count())
    assert review_demo.load(log=lambda *a: None) == {"stages": 0, "winners": 0, "papers": 0}
    assert (ReviewStage.objects.count(), Submission.objects.count(), Review.objects.count(), Item.objects.count()) == counts
