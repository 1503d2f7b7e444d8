from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """An email kept in the database instead of being sent (EMAIL_URL=outbox:, the development default)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    from_email = models.CharField(max_length=300)
    to = models.TextField(help_text=_("Comma-separated recipients"))
    subject = models.CharField(max_length=500)
    text = models.TextField()
    html = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")

    def __str__(self):
        return self.subject
