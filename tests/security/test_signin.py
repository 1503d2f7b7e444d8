"""Signing in: accounts lock after repeated wrong passwords, addresses are throttled, and two-factor
sign-in (TOTP) is offered to everyone and required of secretariat editors when REQUIRE_EDITOR_2FA is on."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_user

PASSWORD = "correct horse battery staple"


@pytest.fixture
def accounts(people, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for user in (people.editor, people.icap_contributor, people.eropa_contributor):
        user.set_password(PASSWORD)
        user.save()
    return people


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_thirty_wrong_passwords_lock_sign_in_for_that_account(client, accounts):
    for _ in range(30):
        response = sign_in(client, "ana", "wrong")
        assert response.status_code in (200, 429)
    response = sign_in(client, "ana")
    assert response.status_code == 429
    assert "This account is locked for now" in response.content.decode() and "Try again in 30 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The lock is per account: a colleague at the same address still signs in.
    assert sign_in(client, "eri").status_code == 302


def test_the_lock_starts_at_the_limit_and_ends_after_the_cool_off(client, accounts, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "ana", "wrong").status_code == 200
    assert sign_in(client, "ana", "wrong").status_code == 429  # the limit-th failure locks
    assert sign_in(client, "ana").status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1))
    assert sign_in(client, "ana").status_code == 302


def test_one_address_is_throttled_across_accounts(client, accounts, settings):
    settings.SIGNIN_RATE = 5
    for n in range(5):
        assert sign_in(client, f"nobody{n}", "wrong", REMOTE_ADDR="203.0.113.9").status_code == 200
    response = sign_in(client, "ana", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429 and "Too many sign-in attempts from your network" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert sign_in(client, "ana", REMOTE_ADDR="198.51.100.4").status_code == 302  # another address is not


def _code(device, drift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def test_editor_must_set_up_two_factor_then_give_a_code_at_each_sign_in(client, accounts, settings):
    settings.REQUIRE_EDITOR_2FA = True
    response = sign_in(client, "editor")
    assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor"))
    response = client.get(reverse("workspace:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor"))
    page = client.get(reverse("two-factor")).content.decode()
    assert "<svg" in page and "Secretariat editors need two-factor sign-in" in page
    device = TOTPDevice.objects.get(user=accounts.editor, confirmed=False)

    response = client.post(reverse("two-factor"), {"action": "confirm", "code": "000000" if _code(device) != "000000" else "111111"})
    assert response.status_code == 400 and "That code does not match" in response.content.decode()
    response = client.post(reverse("two-factor"), {"action": "confirm", "code": _code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and "Your backup codes" in response.content.decode()
    assert client.get(reverse("workspace:dashboard")).status_code == 200

    # A new sign-in asks for a code before the workspace, the outbox and the back office.
    client.post(reverse("logout"))
    response = sign_in(client, "editor")
    assert response["Location"].startswith(reverse("two-factor-verify"))
    for path in (reverse("workspace:dashboard"), "/outbox/", "/admin/"):
        assert client.get(path)["Location"].startswith(reverse("two-factor-verify")), path
    response = client.post(reverse("two-factor-verify"), {"code": "12345"})
    assert response.status_code == 400
    response = client.post(reverse("two-factor-verify"), {"code": codes[0], "next": "/workspace/"})
    assert response.status_code == 302 and response["Location"] == "/workspace/"
    assert client.get(reverse("workspace:dashboard")).status_code == 200

    # A backup code works once.
    client.post(reverse("logout"))
    sign_in(client, "editor")
    assert client.post(reverse("two-factor-verify"), {"code": codes[0]}).status_code == 400
    device.refresh_from_db()
    assert client.post(reverse("two-factor-verify"), {"code": _code(device, drift=1)}).status_code == 302

    # Secretariat editors cannot turn it off while it is required.
    response = client.post(reverse("two-factor"), {"action": "remove"})
    assert response.status_code == 400 and TOTPDevice.objects.filter(user=accounts.editor).exists()


def test_contributor_may_choose_two_factor_and_turn_it_off(client, accounts, settings):
    settings.REQUIRE_EDITOR_2FA = True
    assert sign_in(client, "ana")["Location"] == reverse("portal:after_sign_in")  # not required of contributors
    client.get(reverse("two-factor"))
    device = TOTPDevice.objects.get(user=accounts.icap_contributor)
    client.post(reverse("two-factor"), {"action": "confirm", "code": _code(device)})
    assert TOTPDevice.objects.get(user=accounts.icap_contributor).confirmed
    response = client.post(reverse("two-factor"), {"action": "remove"})
    assert response.status_code == 302 and not TOTPDevice.objects.filter(user=accounts.icap_contributor).exists()


def test_editors_work_without_two_factor_when_it_is_not_required(client, accounts, settings):
    settings.REQUIRE_EDITOR_2FA = False
    assert sign_in(client, "editor")["Location"] == reverse("portal:after_sign_in")
    assert client.get(reverse("workspace:dashboard")).status_code == 200


def test_two_factor_pages_need_a_signed_in_person(client, db):
    for name in ("two-factor", "two-factor-verify"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_verify_does_not_redirect_elsewhere(client, accounts, settings):
    settings.REQUIRE_EDITOR_2FA = True
    sign_in(client, "ana")
    client.get(reverse("two-factor"))
    device = TOTPDevice.objects.get(user=accounts.icap_contributor)
    client.post(reverse("two-factor"), {"action": "confirm", "code": _code(device)})
    client.post(reverse("logout"))
    sign_in(client, "ana")
    device.refresh_from_db()
    response = client.post(reverse("two-factor-verify"), {"code": _code(device, drift=1), "next": "https://evil.example/"})
    assert response["Location"] == reverse("portal:after_sign_in")


def test_production_requires_two_factor_of_editors_by_default():
    import os
    import subprocess
    import sys

    env = {**os.environ, "PARTNERPOST_ENV": "production", "SECRET_KEY": "x" * 30 + "Yq9!kLm2#Zp4$Rt6&Vw8*Ab1@Cd3^Ef5",
           "ALLOWED_HOSTS": "news.example.org", "DJANGO_SETTINGS_MODULE": "partnerpost.settings"}
    env.pop("REQUIRE_EDITOR_2FA", None)
    out = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.REQUIRE_EDITOR_2FA)"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "True", out.stderr


# `partnerpost token create` --------------------------------------------------------------------------------


def _token(*args):
    import io

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_token_create_prints_a_working_token_for_the_users_partner(client, people):
    secret, note = _token("pablo", "--name", "CMS sync", "--expires-days", "30")
    assert secret.startswith("pp_") and "for ICAP, acting as pablo" in note and "expires" in note
    response = client.get("/api/v1/partner", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200 and response.json()["partner"]["slug"] == "icap"
    from partnerpost.api.models import ApiToken

    token = ApiToken.objects.get()
    assert (token.name, token.created_by, token.partner) == ("CMS sync", people.icap_partner_editor, people.icap)
    assert secret not in str(token.key_hash)  # stored as a hash only


@pytest.mark.parametrize("args, message", [
    (("ana",), "ana may not hold API tokens"),
    (("olga",), "olga may not hold API tokens"),
    (("nobody",), "No active user is called 'nobody'"),
    (("editor",), "choose one with --partner"),
    (("editor", "--partner", "XYZ"), "No partner has the acronym 'XYZ'"),
    (("pablo", "--partner", "EROPA"), "pablo may not manage API tokens of EROPA"),
    (("pablo", "--expires-days", "0"), "--expires-days must be 1 or more"),
])
def test_token_create_refuses_with_the_reason(people, args, message):
    from django.core.management import CommandError

    from partnerpost.api.models import ApiToken

    with pytest.raises(CommandError, match=message):
        _token(*args)
    assert not ApiToken.objects.exists()


def test_secretariat_editor_names_the_partner(people):
    secret, note = _token("editor", "--partner", "eropa")
    assert "for EROPA, acting as editor" in note and secret.startswith("pp_")
