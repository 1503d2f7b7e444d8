from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerpost.content.models import AuditRecord


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
    #: Not sent because the subscriber stopped receiving editions (unsubscribed, bounced...) after it was queued.
    SKIPPED = "skipped", _("Skipped")
    #: Not sent because an editor cancelled the send while it was waiting.
    CANCELLED = "cancelled", _("Cancelled")


class Broadcast(models.Model):
    """A message written once and sent to a list of people who are not subscribers of the newsletter
    (today: an event organizer's message to its registrants). Each recipient is a Delivery row with
    this broadcast (and no edition), sent by the same worker as the editions.

    The rows also keep the audit: who wrote what to whom, and when."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    #: The event whose registrants receive it.
    item = models.ForeignKey("content.Item", null=True, blank=True, on_delete=models.CASCADE, related_name="broadcasts")
    #: Who was chosen: "all" active registrants or the "waiting" list.
    audience = models.CharField(max_length=20)
    subject = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message to registrants")
        verbose_name_plural = _("messages to registrants")

    def __str__(self):
        return self.subject


class Delivery(models.Model):
    """One email of one edition to one subscriber: the outbox row that makes sending resumable.

    Or one email of a Broadcast to one registrant (edition and subscriber empty, broadcast and
    registration set): the worker claims, leases, retries and fences both kinds the same way.

    pending → sending (claimed with a lease) → sent, or back to pending with a later
    next_attempt_at after a temporary failure, or failed after a permanent one, or skipped
    when the subscriber no longer receives editions at the moment it is claimed. A refusal by
    the relay that is not about the recipient puts the row back to pending untouched.
    """

    edition = models.ForeignKey("editions.Edition", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries")
    subscriber = models.ForeignKey("audience.Subscriber", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries")
    broadcast = models.ForeignKey(Broadcast, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    registration = models.ForeignKey("registration.Registration", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
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
        constraints = [
            models.UniqueConstraint(fields=["edition", "subscriber"], name="one_delivery_per_subscriber"),
            models.UniqueConstraint(fields=["broadcast", "registration"], name="one_delivery_per_registrant"),
            models.CheckConstraint(condition=models.Q(edition__isnull=False, subscriber__isnull=False, broadcast__isnull=True)
                                   | models.Q(edition__isnull=True, subscriber__isnull=True, broadcast__isnull=False),
                                   name="delivery_of_an_edition_or_a_broadcast"),
        ]
        indexes = [
            # The claim's order, id included: without it PostgreSQL sorted every pending row at each claim
            # (SQLite's indexes end with the rowid anyway), so a million-recipient send slowed as it went.
            models.Index(fields=["status", "next_attempt_at", "id"], name="mailing_delivery_claim_idx"),
            models.Index(fields=["edition", "status"]),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self):
        return f"{self.edition_id or 'broadcast %s' % self.broadcast_id} → {self.email} ({self.status})"


class SendPause(models.Model):
    """An edition's send is paused while this row exists: workers claim none of its deliveries.

    Written when the relay refuses something that is not about one recipient (our sender, the
    whole message, our connection or credentials). One row per edition, so however many
    connections meet the refusal at once, the send is paused, and the editors told, once.
    """

    edition = models.OneToOneField("editions.Edition", on_delete=models.CASCADE, related_name="send_pause")
    since = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300)
    #: The editor who paused it on the edition's page; empty when the relay's refusal paused it.
    paused_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("paused send")
        verbose_name_plural = _("paused sends")

    def __str__(self):
        return f"{self.edition_id} paused: {self.reason}"


class SendAction(models.TextChoices):
    PAUSE = "pause", _("Send paused")
    RESUME = "resume", _("Send resumed")
    RETRY = "retry", _("Failed deliveries queued again")
    TEST = "test", _("Test sent")
    SCHEDULE = "schedule", _("Send scheduled")
    START = "start", _("Scheduled send started")
    CANCEL = "cancel", _("Send cancelled")


class ScheduleState(models.TextChoices):
    WAITING = "waiting", _("Waiting for its time")
    STARTED = "started", _("Started")
    CANCELLED = "cancelled", _("Cancelled")


class ScheduledSend(models.Model):
    """An editor's "send at": the task queued for that time, and what became of it.

    The task (mailing.tasks.send_edition) starts the send only while this row waits and names it,
    so cancelling the schedule is a change to this row; the queued task then finds it cancelled
    and does nothing. The rows stay as the history of the edition's schedules.
    """

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="scheduled_sends")
    run_at = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    state = models.CharField(max_length=10, choices=ScheduleState.choices, default=ScheduleState.WAITING)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["edition"], condition=models.Q(state="waiting"),
                                               name="one_waiting_schedule_per_edition")]
        verbose_name = _("scheduled send")
        verbose_name_plural = _("scheduled sends")

    def __str__(self):
        return f"{self.edition_id} at {self.run_at:%Y-%m-%d %H:%M} ({self.state})"


class SendAuditEntry(AuditRecord):
    """What happened to an edition's send after it was queued: pauses, resumptions, resends."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="send_audit_entries")
    action = models.CharField(max_length=20, choices=SendAction.choices)

    class Meta(AuditRecord.Meta):
        verbose_name = _("send audit entry")
        verbose_name_plural = _("send audit entries")


class BounceKind(models.TextChoices):
    HARD = "hard", _("Permanent failure")
    SOFT = "soft", _("Temporary failure")
    COMPLAINT = "complaint", _("Complaint")


class BounceRecord(models.Model):
    """One bounce or complaint read by `partnerpost bounces read`: what it said and what it did.

    The fingerprint (its Message-ID, or a hash of its bytes) makes reading the same message twice
    count once; a permanent failure counts once per delivery however many reports arrive for it.
    """

    fingerprint = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=10, choices=BounceKind.choices)
    delivery = models.ForeignKey(Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces")
    subscriber = models.ForeignKey("audience.Subscriber", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    #: Whether it counted: a hard bounce towards BOUNCE_LIMIT, a complaint as an unsubscription.
    counted = models.BooleanField(default=False)
    status = models.CharField(max_length=20, blank=True, help_text=_("Enhanced status code, e.g. 5.1.1"))
    diagnostic = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text=_("The file (and message) it was read from"))
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-read_at", "-id"]
        indexes = [models.Index(fields=["delivery", "kind"])]
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")

    def __str__(self):
        return f"{self.kind} {self.status} ({self.delivery_id})"
