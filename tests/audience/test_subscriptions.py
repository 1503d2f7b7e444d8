import io
import re

import pytest
from django.urls import reverse

from partnerpost.audience import workflows
from partnerpost.audience.models import ConsentRecord, Subscriber
from partnerpost.audience.tokens import TokenError, make_token, read_token
from tests.conftest import run_queued_tasks


def _form(**overrides):
    data = {"email": "Reader@Example.org", "name": "Rui", "language": "es", "consent": "on", "website": ""}
    data.update(overrides)
    return data


def _link(message, pattern):
    body = message.get_body(("plain",)).get_content()
    return re.search(pattern, body).group(0)


def test_subscribe_confirm_flow(client, db, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/subscribe/", _form())
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()
    assert smtp.messages == []  # the confirmation goes out in the background...
    assert run_queued_tasks() == 1  # ...when the task worker runs it
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.email_key, subscriber.status, subscriber.language) == (
        "Reader@example.org", "reader@example.org", "pending", "es")
    consent = ConsentRecord.objects.get()
    assert consent.action == "subscribe" and "I agree to receive" in consent.text_shown and len(consent.ip_hash) == 32
    [(to, message)] = smtp.messages
    assert to == ["Reader@example.org"]
    url = _link(message, r"http://127\.0\.0\.1:8000/subscribe/confirm/\S+/")
    path = url.replace("http://127.0.0.1:8000", "")
    assert "Yes, confirm my subscription" in client.get(path).content.decode()
    assert Subscriber.objects.get().status == "pending"  # a GET (a mail scanner) confirms nothing
    client.post(path)
    assert Subscriber.objects.get().status == "confirmed"
    assert list(ConsentRecord.objects.values_list("action", flat=True)) == ["subscribe", "confirm"]


def test_answer_does_not_reveal_known_addresses(client, db, smtp, django_capture_on_commit_callbacks):
    Subscriber.objects.create(email="known@example.org", status="confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/subscribe/", _form(email="known@example.org"))
        unknown = client.post("/subscribe/", _form(email="new@example.org"))
    run_queued_tasks()
    strip = lambda r: r.content.decode().replace("known@example.org", "X").replace("new@example.org", "X")
    assert re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", strip(known)) == re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", strip(unknown))
    assert [to for to, _ in smtp.messages] == [["new@example.org"]]  # the confirmed address gets nothing


def test_one_confirmation_per_hour_per_address(client, db, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            client.post("/subscribe/", _form())
    assert run_queued_tasks() == 3  # one task per post; the first sends, the others find it sent within the hour
    assert len(smtp.messages) == 1
    assert ConsentRecord.objects.filter(action="subscribe").count() == 3


def test_subscribe_form_is_rate_limited_per_ip(client, db, settings):
    settings.SUBSCRIBE_RATE = 2
    from django.core.cache import cache

    cache.clear()
    codes = [client.post("/subscribe/", _form(email=f"r{n}@example.org")).status_code for n in range(4)]
    assert codes == [200, 200, 429, 429]
    assert Subscriber.objects.count() == 2


def test_subscribe_limit_behind_a_trusted_proxy_counts_each_forwarded_client(client, db, settings):
    """Behind API_TRUSTED_PROXIES proxies every post comes from the proxy's address: the form's limit
    counts the client address the proxy forwards, so readers do not share one bucket."""
    settings.SUBSCRIBE_RATE = 1
    settings.API_TRUSTED_PROXIES = 1
    from django.core.cache import cache

    cache.clear()

    def post(n, forwarded):
        return client.post("/subscribe/", _form(email=f"p{n}@example.org"), REMOTE_ADDR="10.0.0.1",
                           HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert post(1, "203.0.113.7") == 200
    assert post(2, "198.51.100.9") == 200  # another reader behind the same proxy
    assert post(3, "203.0.113.7") == 429
    # Only the trusted hop counts: an address the client adds in front buys no fresh count.
    assert post(4, "192.0.2.55, 203.0.113.7") == 429
    assert Subscriber.objects.count() == 2


@pytest.mark.parametrize("data,field,message", [
    ({"email": "not-an-address"}, "email", "An email address must have an @-sign."),
    ({"email": "reader@example"}, "email", "The part after the @-sign is not valid. It should have a period."),
    ({"email": ""}, "email", "This field is required."),
    ({"consent": ""}, "consent", "Tick the box to agree, or we cannot send you anything."),
    ({"language": "klingon"}, "language", "Select a valid choice. klingon is not one of the available choices."),
])
def test_subscribe_bad_input(client, db, data, field, message):
    response = client.post("/subscribe/", _form(**data))
    assert response.context["form"].errors[field] == [message]
    assert Subscriber.objects.count() == 0 and ConsentRecord.objects.count() == 0


def test_honeypot_creates_nothing(client, db):
    response = client.post("/subscribe/", _form(website="http://spam.example"))
    assert "Check your inbox" in response.content.decode()
    assert Subscriber.objects.count() == 0


def test_tokens_are_signed_expire_and_follow_the_address(db, settings):
    subscriber = Subscriber.objects.create(email="a@example.org")
    token = make_token(subscriber, "manage")
    assert read_token(token, "manage") == subscriber
    with pytest.raises(TokenError, match="invalid"):
        read_token(token, "confirm")  # another purpose
    with pytest.raises(TokenError, match="invalid"):
        read_token(token[:-2] + "xx", "manage")
    subscriber.email = "b@example.org"
    subscriber.save()
    with pytest.raises(TokenError, match="invalid"):
        read_token(token, "manage")  # the address changed


def test_expired_confirmation_link_says_so(client, db, monkeypatch):
    subscriber = Subscriber.objects.create(email="a@example.org")
    token = make_token(subscriber, "confirm")
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 4 * 24 * 3600)
    response = client.get(reverse("audience:confirm", args=[token]))
    assert response.status_code == 410 and "This link has expired" in response.content.decode()
    assert client.get(reverse("audience:confirm", args=["garbage"])).status_code == 404


def test_preferences_and_unsubscribe(client, people):
    subscriber = Subscriber.objects.create(email="a@example.org", status="confirmed")
    links = workflows.links(subscriber)
    prefs = links["preferences_url"].replace("http://127.0.0.1:8000", "")
    response = client.post(prefs, {"name": "Ana", "language": "fr", "partners": [people.icap.pk]})
    assert "Your preferences are saved." in response.content.decode()
    subscriber.refresh_from_db()
    assert (subscriber.name, subscriber.language, list(subscriber.partners.all())) == ("Ana", "fr", [people.icap])
    unsub = links["unsubscribe_url"].replace("http://127.0.0.1:8000", "")
    assert "Stop sending" in client.get(unsub).content.decode()
    assert Subscriber.objects.get().status == "confirmed"
    client.post(unsub)
    assert Subscriber.objects.get().status == "unsubscribed"
    assert list(ConsentRecord.objects.values_list("action", "source")) == [("preferences", "email_link"), ("unsubscribe", "email_link")]


def test_one_click_post_needs_no_cookie_or_csrf(db):
    from django.test import Client

    subscriber = Subscriber.objects.create(email="a@example.org", status="confirmed")
    path = workflows.links(subscriber)["unsubscribe_url"].replace("http://127.0.0.1:8000", "")
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and response.content == b"You are unsubscribed."
    assert Subscriber.objects.get().status == "unsubscribed"
    assert ConsentRecord.objects.get().source == "one_click"


def test_subscriber_list_is_for_editors(client, people):
    Subscriber.objects.create(email="a@example.org", status="confirmed", language="es")
    Subscriber.objects.create(email="b@example.org", status="pending")
    assert client.get("/workspace/subscribers/").status_code == 302
    client.force_login(people.icap_partner_editor)
    assert client.get("/workspace/subscribers/").status_code == 403
    client.force_login(people.editor)
    response = client.get("/workspace/subscribers/?status=confirmed")
    assert [s.email for s in response.context["page"].object_list] == ["a@example.org"]
    assert response.context["counts"]["status"] == {"confirmed": 1, "pending": 1}
    csv_text = client.get("/workspace/subscribers/?q=b%40&format=csv").content.decode()
    assert csv_text.splitlines()[1].startswith("b@example.org,")


CSV = """email,name,language,country,organization
ana@example.org,Ana,es,CR,ICAP
bad-address,Bob,en,,
eri@example.org,Eri,xx,,
ANA@example.org,,es,,Ministry
olga@example.org,Olga,en,ZZ,
pia@example.org,Pia,fr,FR,
"""


def test_csv_import_reports_rows_and_merges(db, smtp):
    Subscriber.objects.create(email="pia@example.org", status="confirmed")
    report = workflows.import_csv(io.StringIO(CSV), confirmed=True, statement="Attendees of the 2020 webinars who agreed on the form")
    assert (report.created, report.merged) == (1, 2)
    assert report.errors == [
        (3, "email 'bad-address': An email address must have an @-sign."),
        (4, "language 'xx' is not a language code such as en, fr or es"),
        (6, "country 'ZZ' is not an ISO 3166 code such as CR or SI"),
    ]
    ana = Subscriber.objects.get(email_key="ana@example.org")
    assert (ana.status, ana.country_id, ana.organization) == ("confirmed", "CR", "ICAP")
    consent = ConsentRecord.objects.get(subscriber=ana)
    assert (consent.action, consent.source, consent.text_shown) == ("import", "csv_import", "Attendees of the 2020 webinars who agreed on the form")
    assert smtp.messages == []  # nobody is emailed unless asked


def test_csv_import_without_email_column(db):
    report = workflows.import_csv(io.StringIO("mail,name\na@example.org,A\n"))
    assert report.errors == [(1, "The header has no “email” column (found: mail, name).")]
    assert Subscriber.objects.count() == 0


def test_csv_import_can_send_confirmations(db, smtp):
    workflows.import_csv(io.StringIO("email\nnew@example.org\n"), send_confirmations=True)
    assert [to for to, _ in smtp.messages] == [["new@example.org"]]
    assert Subscriber.objects.get().status == "pending"


def test_rate_limit_is_shared_through_redis(client, db, settings):
    """Several web processes share one counter when CACHE_URL points at Redis."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    caches["default"].clear()
    settings.SUBSCRIBE_RATE = 1
    codes = [client.post("/subscribe/", _form(email=f"r{n}@example.org")).status_code for n in range(3)]
    assert codes == [200, 429, 429]
    assert redis.Redis.from_url(url).dbsize() == 1
    caches["default"].clear()


def test_admin_cannot_change_a_subscribers_preferences_without_a_consent_record(client, db):
    from partnerpost.audience.models import ConsentRecord, Subscriber
    from partnerpost.network.models import User

    admin_user = User.objects.create_superuser("root", "root@example.org", "pw-for-tests-only")
    subscriber = Subscriber.objects.create(email="reader@example.org", language="en", status="confirmed")
    client.force_login(admin_user)
    url = f"/admin/audience/subscriber/{subscriber.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="language"' not in page and 'name="partners"' not in page and 'name="themes"' not in page
    client.post(url, {"email": "other@example.org", "language": "fr", "name": "Reader",
                      "consent_records-TOTAL_FORMS": "0", "consent_records-INITIAL_FORMS": "0"})
    subscriber.refresh_from_db()
    assert (subscriber.email, subscriber.language) == ("reader@example.org", "en")
    assert not ConsentRecord.objects.exists()
    assert client.get("/admin/audience/subscriber/add/").status_code == 403
