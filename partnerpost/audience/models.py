import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerpost.content.models import CONTENT_LANGUAGES

from .enums import ConsentAction, ConsentSource, SubscriberStatus


class SubscriberQuerySet(models.QuerySet):
    def receiving(self):
        """The people an edition goes to: confirmed, not unsubscribed, not bounced."""
        return self.filter(status=SubscriberStatus.CONFIRMED)


class Subscriber(models.Model):
    """A reader who receives editions by email."""

    email = models.EmailField(_("email address"), max_length=254)
    #: The address in lower case: the same person, whatever case they typed.
    email_key = models.CharField(max_length=254, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("preferred language"), max_length=10, choices=CONTENT_LANGUAGES, default="en")
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    country = models.ForeignKey("content.Country", verbose_name=_("country"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    partners = models.ManyToManyField("network.Partner", verbose_name=_("partners followed"), blank=True, related_name="+")
    themes = models.ManyToManyField("content.Theme", verbose_name=_("themes followed"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING, db_index=True)
    hard_bounces = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: Last time a confirmation email went out: the subscribe form sends at most one per hour per address.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email_key"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        indexes = [models.Index(fields=["status", "language"])]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email_key = self.email.lower()
        super().save(*args, **kwargs)


def hash_ip(ip: str | None) -> str:
    """A keyed hash of the IP address: enough to spot abuse, not enough to find the person."""
    if not ip:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:32]


class ConsentRecord(models.Model):
    """Evidence of consent and of its withdrawal. Rows are never edited or deleted by the application."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.PROTECT, related_name="consents")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=20, choices=ConsentAction.choices)
    source = models.CharField(max_length=20, choices=ConsentSource.choices)
    text_shown = models.TextField(blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
