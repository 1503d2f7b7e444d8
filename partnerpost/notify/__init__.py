"""Transactional emails: each is a subject / text / html template triple under templates/emails/.

The subject and the plain text are not HTML: they are rendered without autoescaping, so a title such
as "ReSPA's Redesigned Website & Portal" reaches the reader as written, not as "ReSPA&#x27;s … &amp; …".
Only the HTML part is autoescaped.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, engines
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


def render_plain(template_name: str, context: dict) -> str:
    """A template rendered as plain text: variables are inserted as they are, never HTML-escaped."""
    template = engines["django"].get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def plain_subject(template_name: str, context: dict) -> str:
    """A subject line: plain text on one line (header folding is the mail library's job)."""
    return " ".join(render_plain(template_name, context).split())


def send_templated(template: str, recipients: list[str], context: dict) -> int:
    """Render emails/<template>-subject.txt, -body.txt and -body.html and send one message per recipient."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return 0
    context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
    subject = plain_subject(f"emails/{template}-subject.txt", context)
    text = render_plain(f"emails/{template}-body.txt", context)
    html = render_to_string(f"emails/{template}-body.html", context)
    messages = []
    for address in recipients:
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    from django.core.mail import get_connection

    try:
        return get_connection().send_messages(messages) or 0
    except OSError:
        # A notification must never undo the editorial change that caused it.
        log.exception("Could not send %s notification to %d recipients", template, len(recipients))
        return 0
