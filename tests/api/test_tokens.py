"""Token lifecycle: made on the workspace page by partner editors, shown once, stored hashed, revoked at once."""

import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerpost.api import workflows
from partnerpost.api.models import ApiToken
from tests.api.conftest import Api

URL = "/workspace/tokens/"


def _make(client, partner, name="Website sync", expires=""):
    return client.post(URL, {"partner": partner.pk, "name": name, "expires": expires})


def test_partner_editor_makes_a_token_shown_once_and_stored_hashed(client, people):
    client.force_login(people.icap_partner_editor)
    assert client.get(URL).status_code == 200
    response = _make(client, people.icap)
    assert response.status_code == 200
    token = ApiToken.objects.get()
    secret = response.context["created"]["secret"]
    assert secret.startswith(f"pp_{token.prefix}_") and len(secret) == 3 + 9 + 43
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert (token.partner, token.name, token.created_by, token.expires_at) == (people.icap, "Website sync", people.icap_partner_editor, None)
    # Only the fingerprint is stored; no column holds the secret or its random part.
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = " ".join(str(v) for v in ApiToken.objects.values_list().get())
    assert secret.rsplit("_", 1)[1] not in stored
    # The next visit lists it, without the secret.
    page = client.get(URL).content.decode()
    assert f"pp_{token.prefix}_…" in page and secret not in page
    # And it works.
    assert Api(client, secret).get("/api/v1/partner").json()["partner"]["slug"] == "icap"


def test_workspace_links_to_the_page_for_those_who_manage_tokens(client, people):
    client.force_login(people.icap_partner_editor)
    assert URL in client.get(reverse("workspace:dashboard")).content.decode()
    client.force_login(people.icap_contributor)
    assert URL not in client.get(reverse("workspace:dashboard")).content.decode()


def test_expiry_choice_sets_the_date(client, people):
    client.force_login(people.icap_partner_editor)
    _make(client, people.icap, expires="30")
    expires = ApiToken.objects.get().expires_at
    assert abs(expires - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)


def test_name_is_required(client, people):
    client.force_login(people.icap_partner_editor)
    response = _make(client, people.icap, name="   ")
    assert response.status_code == 200 and response.context["form"].errors == {"name": ["This field is required."]}
    assert not ApiToken.objects.exists()


def test_contributors_outsiders_and_anonymous_cannot_make_tokens(client, people):
    assert client.get(URL).status_code == 302  # to sign in
    assert _make(client, people.icap).status_code == 302
    for user in (people.icap_contributor, people.outsider):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert _make(client, people.icap).status_code == 403
    assert not ApiToken.objects.exists()


def test_another_partners_editor_cannot_make_or_revoke_ours(client, people):
    from tests.factories import make_user
    eropa_editor = make_user("erin", partner=people.eropa, role="editor")
    token, _ = workflows.create_token(people.icap_partner_editor, people.icap, "ICAP site")
    client.force_login(eropa_editor)
    response = _make(client, people.icap)
    assert response.status_code == 200 and "partner" in response.context["form"].errors
    assert ApiToken.objects.count() == 1
    assert "ICAP site" not in client.get(URL).content.decode()
    assert client.post(f"{URL}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_secretariat_editor_manages_every_partners_tokens(client, people):
    client.force_login(people.editor)
    _make(client, people.eropa, name="EROPA CMS")
    _make(client, people.icap, name="ICAP site")
    assert sorted(ApiToken.objects.values_list("partner__acronym", "name")) == [("EROPA", "EROPA CMS"), ("ICAP", "ICAP site")]
    token = ApiToken.objects.get(name="ICAP site")
    assert client.post(f"{URL}{token.pk}/revoke/").status_code == 302


def test_revocation_takes_effect_at_once(client, people, icap_token):
    token, secret = icap_token
    api = Api(client, secret)
    assert api.get("/api/v1/partner").status_code == 200
    client.force_login(people.icap_partner_editor)
    response = client.post(f"{URL}{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == URL
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == people.icap_partner_editor
    client.logout()
    response = api.get("/api/v1/partner")
    assert response.status_code == 401
    assert client.get(URL).status_code == 302
    assert api.post("/api/v1/items", {"kind": "news", "title": "x", "summary": "y"}).status_code == 401


def test_only_post_revokes(client, people, icap_token):
    client.force_login(people.icap_partner_editor)
    assert client.get(f"{URL}{icap_token[0].pk}/revoke/").status_code == 405


INVALID = {"detail": "The API token is not valid: it may be mistyped, expired or revoked.", "errors": None}
MISSING = {"detail": "Send an API token in the Authorization header: `Authorization: Bearer pp_…`.", "errors": None}


@pytest.mark.parametrize("change", ["revoked", "expired", "mistyped", "unknown prefix", "maker deactivated", "partner closed"])
def test_every_bad_token_gets_the_same_401(client, people, icap_token, change):
    token, secret = icap_token
    if change == "revoked":
        workflows.revoke_token(people.icap_partner_editor, token)
    elif change == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif change == "mistyped":
        secret = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    elif change == "unknown prefix":
        secret = "pp_00000000_" + secret.split("_", 2)[2]
    elif change == "maker deactivated":
        type(people.icap_partner_editor).objects.filter(pk=people.icap_partner_editor.pk).update(is_active=False)
    elif change == "partner closed":
        type(people.icap).objects.filter(pk=people.icap.pk).update(is_active=False)
    response = Api(client, secret).get("/api/v1/partner/items")
    assert response.status_code == 401
    assert response.json() == INVALID
    assert response["WWW-Authenticate"] == 'Bearer realm="partnerpost", error="invalid_token"'


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token pp_x"])
def test_missing_token_is_a_401_that_says_how(client, people, header):
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = client.get("/api/v1/partner/items", **extra)
    assert response.status_code == 401 and response.json() == MISSING


def test_last_use_is_recorded(client, people, icap_token):
    token, secret = icap_token
    assert token.last_used_at is None
    Api(client, secret).get("/api/v1/partner")
    token.refresh_from_db()
    assert token.last_used_at is not None
