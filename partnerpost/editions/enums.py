from django.db import models
from django.utils.translation import gettext_lazy as _


class EditionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY = "ready", _("Ready")
    PUBLISHED = "published", _("Published")


PUBLIC_STATES = {EditionState.PUBLISHED}
EDITABLE_STATES = {EditionState.DRAFT, EditionState.READY}

FORMATS = ("web", "email", "text", "pdf", "md")
