"""Newsletters handed to Django's configured email backend, for every EMAIL_URL that is not SMTP.

The worker's fast path writes ready-made bytes straight to pooled SMTP connections. With
`EMAIL_URL=outbox:` or `console:` (or any other backend an operator configures) there is no SMTP
connection to write to: the same bytes are read back into a Django email message, with the
headers subscribers get, and given to that backend. Reading a message back costs a parse per
recipient, which does not matter for the backends that need it (development ones). Test sends
from the desk take this path too, whatever the backend, so that they reach the editor as Django
would send any other email.
"""

from __future__ import annotations

import email
from email import policy

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

#: Headers of the newsletter that a backend's message keeps (From, To and Subject are fields of its own).
KEPT_HEADERS = ("Message-ID", "Date", "MIME-Version", "Content-Language", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post")


def uses_smtp() -> bool:
    """Whether the worker can take its fast path: Django's own SMTP backend, with the EMAIL_* settings."""
    return settings.EMAIL_BACKEND == SMTP_BACKEND


def as_django_message(data: bytes, *, to: str, drop=()) -> EmailMultiAlternatives:
    """One filled-in newsletter (the bytes the SMTP path would send) as a Django email message to `to`."""
    # The template was dot-stuffed once for SMTP (RFC 5321 §4.5.2); a backend wants the message itself.
    parsed = email.message_from_bytes(data.replace(b"\r\n..", b"\r\n."), policy=policy.default)
    text = html = ""
    for part in parsed.walk():
        kind = part.get_content_type()
        if kind == "text/plain" and not text:
            text = part.get_content()
        elif kind == "text/html" and not html:
            html = part.get_content()
    headers = {name: str(parsed[name]) for name in KEPT_HEADERS if parsed[name] is not None and name not in drop}
    headers.pop("MIME-Version", None)  # Django writes its own
    message = EmailMultiAlternatives(subject=str(parsed["Subject"]), body=text, from_email=str(parsed["From"]),
                                     to=[to], headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    return message
