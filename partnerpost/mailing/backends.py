"""An email backend for development: messages land in the database and the site shows them at /outbox/."""

from django.core.mail.backends.base import BaseEmailBackend


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from .models import OutboxMessage

        rows = []
        for message in email_messages:
            html = ""
            for content, mimetype in getattr(message, "alternatives", []) or []:
                if mimetype == "text/html":
                    html = content
            rows.append(
                OutboxMessage(
                    from_email=message.from_email,
                    to=", ".join(message.recipients()),
                    subject=message.subject,
                    text=message.body,
                    html=html,
                )
            )
        OutboxMessage.objects.bulk_create(rows)
        return len(rows)
