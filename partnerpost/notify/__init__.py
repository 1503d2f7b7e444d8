"""Transactional emails: each is a subject / text / html template triple under templates/emails/."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


def send_templated(template: str, recipients: list[str], context: dict) -> int:
    """Render emails/<template>-subject.txt, -body.txt and -body.html and send one message per recipient."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return 0
    context = {"site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, **context}
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
    text = render_to_string(f"emails/{template}-body.txt", context)
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
