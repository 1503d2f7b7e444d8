from django.db import models
from django.utils.translation import gettext_lazy as _


class EditionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY = "ready", _("Ready")
    PUBLISHED = "published", _("Published")
    SENT = "sent", _("Sent")


PUBLIC_STATES = {EditionState.PUBLISHED, EditionState.SENT}
EDITABLE_STATES = {EditionState.DRAFT, EditionState.READY}

FORMATS = ("web", "email", "text", "pdf", "md")


class EditionAction(models.TextChoices):
    CREATE = "create", _("Created")
    EDIT = "edit", _("Edited")
    ADD = "add", _("Item added")
    REMOVE = "remove", _("Item removed")
    READY = "ready", _("Marked ready")
    PUBLISH = "publish", _("Published")
    SEND = "send", _("Queued for sending")
