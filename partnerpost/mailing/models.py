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


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One email of one edition to one subscriber: the outbox row that makes sending resumable.

    pending → sending (claimed with a lease) → sent, or back to pending with a later
    next_attempt_at after a temporary failure, or failed after a permanent one.
    """

    edition = models.ForeignKey("editions.Edition", on_delete=models.PROTECT, related_name="deliveries")
    subscriber = models.ForeignKey("audience.Subscriber", on_delete=models.PROTECT, related_name="deliveries")
    email = models.CharField(max_length=254)
    language = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=80, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "subscriber"], name="one_delivery_per_subscriber")]
        indexes = [models.Index(fields=["status", "next_attempt_at"]), models.Index(fields=["edition", "status"])]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self):
        return f"{self.edition_id} → {self.email} ({self.status})"
