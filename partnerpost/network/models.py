from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import MemberRole, PartnerKind


class User(AbstractUser):
    """A person who signs in. Secretariat editors review and publish for the whole network."""

    is_secretariat_editor = models.BooleanField(
        _("secretariat editor"),
        default=False,
        help_text=_("Reviews, approves and publishes items of every partner."),
    )

    def __str__(self):
        return self.get_full_name() or self.username


class PartnerQuerySet(models.QuerySet):
    def named(self, text: str):
        """The partner a text names, by acronym or full name, ignoring case; None when none does."""
        text = (text or "").strip()
        if not text:
            return None
        return self.filter(models.Q(acronym__iexact=text) | models.Q(name__iexact=text)).first()

    def active(self):
        return self.filter(is_active=True)


class Partner(models.Model):
    """An institution of the network."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices, default=PartnerKind.OTHER)
    region = models.ForeignKey(
        "content.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="partners",
    )
    country = models.ForeignKey(
        "content.Country", verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="partners",
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="partners/", blank=True)
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_address = models.TextField(_("postal address"), blank=True)
    display_order = models.PositiveIntegerField(
        _("display order"), default=100, help_text=_("Smaller numbers come first in lists and editions.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return reverse("portal:partner", args=[self.slug])


class Membership(models.Model):
    """A user's place in a partner institution."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.CONTRIBUTOR)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "partner"], name="one_membership_per_partner")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} – {self.partner} ({self.get_role_display()})"
