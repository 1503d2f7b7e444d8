"""Typed readers for environment variables. No Django import: settings.py uses these."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlsplit

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A configuration variable holds a value we cannot use."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def parse_email_url(url: str) -> dict:
    """Turn EMAIL_URL into Django email settings.

    smtp://user:pass@host:587        STARTTLS when the query says ?tls=1
    smtps://user:pass@host:465       implicit TLS
    console:                         print messages to the terminal
    outbox:                          keep messages in the database, shown at /outbox/
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "outbox":
        return {"EMAIL_BACKEND": "partnerpost.mailing.backends.OutboxBackend"}
    if scheme not in {"smtp", "smtps"}:
        raise ConfigError(
            f"EMAIL_URL must start with smtp://, smtps://, console: or outbox:, not {url!r}"
        )
    if not parts.hostname:
        raise ConfigError(f"EMAIL_URL has no host: {url!r}")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    tls = query.get("tls", "").lower() in TRUE_WORDS
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"EMAIL_URL has a bad port: {url!r}") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": scheme == "smtps",
        "EMAIL_USE_TLS": tls and scheme == "smtp",
        "EMAIL_TIMEOUT": 30,
    }


def production_problems(*, secret_key: str, debug: bool, allowed_hosts: list[str]) -> list[str]:
    """List the insecure settings that production mode refuses, in plain words."""
    problems = []
    if not secret_key:
        problems.append("SECRET_KEY is not set: set it to a long random string.")
    elif len(secret_key) < 32 or secret_key.startswith("dev-insecure"):
        problems.append("SECRET_KEY is too short or is the development key: use 50 random characters.")
    if debug:
        problems.append("DEBUG is on: set DEBUG=false.")
    if not allowed_hosts:
        problems.append("ALLOWED_HOSTS is empty: list the host names the site answers to.")
    elif "*" in allowed_hosts:
        problems.append("ALLOWED_HOSTS contains '*': list the real host names.")
    return problems


def url_host(url: str, default: str = "localhost") -> str:
    """The host name of a URL such as SITE_URL, without scheme, port or path ("https://x.org:8000/a" -> "x.org");
    `default` when there is none."""
    return url.split("://", 1)[-1].split("/")[0].split(":")[0] or default
