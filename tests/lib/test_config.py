import pytest

from partnerpost.lib.config import ConfigError, env_bool, env_int, env_list, parse_email_url, production_problems


def test_env_readers(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    monkeypatch.setenv("NUMBER", "42")
    monkeypatch.setenv("HOSTS", " a.example , b.example,,")
    assert env_bool("FLAG") is True
    assert env_int("NUMBER", 1) == 42
    assert env_list("HOSTS") == ["a.example", "b.example"]
    assert env_bool("MISSING", default=True) is True


def test_env_readers_name_the_bad_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "perhaps")
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(ConfigError, match="DEBUG must be true or false, not 'perhaps'"):
        env_bool("DEBUG")
    with pytest.raises(ConfigError, match="PORT must be a whole number, not 'eighty'"):
        env_int("PORT", 8000)


def test_parse_email_url():
    assert parse_email_url("smtp://user:p%40ss@mail.example:587?tls=1") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "mail.example",
        "EMAIL_PORT": 587, "EMAIL_HOST_USER": "user", "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_SSL": False, "EMAIL_USE_TLS": True, "EMAIL_TIMEOUT": 30,
    }
    assert parse_email_url("smtps://mail.example")["EMAIL_PORT"] == 465
    assert parse_email_url("outbox:") == {"EMAIL_BACKEND": "partnerpost.mailing.backends.OutboxBackend"}
    assert parse_email_url("console:")["EMAIL_BACKEND"].endswith("console.EmailBackend")


@pytest.mark.parametrize("url,message", [
    ("http://mail.example", "EMAIL_URL must start with smtp://, smtps://, console: or outbox:"),
    ("smtp://", "EMAIL_URL has no host"),
    ("smtp://mail.example:port", "EMAIL_URL has a bad port"),
])
def test_parse_email_url_rejects(url, message):
    with pytest.raises(ConfigError, match=message):
        parse_email_url(url)


def test_production_problems():
    assert production_problems(secret_key="", debug=True, allowed_hosts=[]) == [
        "SECRET_KEY is not set: set it to a long random string.",
        "DEBUG is on: set DEBUG=false.",
        "ALLOWED_HOSTS is empty: list the host names the site answers to.",
    ]
    assert production_problems(secret_key="short", debug=False, allowed_hosts=["*"]) == [
        "SECRET_KEY is too short or is the development key: use 50 random characters.",
        "ALLOWED_HOSTS contains '*': list the real host names.",
    ]
    assert production_problems(secret_key="k" * 50, debug=False, allowed_hosts=["news.example.org"]) == []


def test_url_host():
    from partnerpost.lib.config import url_host

    assert url_host("https://partnerpost.example:8443/base/") == "partnerpost.example"
    assert url_host("http://127.0.0.1:8000") == "127.0.0.1"
    assert url_host("") == "localhost"
    assert url_host("", default="") == ""
