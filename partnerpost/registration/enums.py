"""The states of a registration, the kinds of question an organizer may ask, and the audited actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("awaiting approval")
    CONFIRMED = "confirmed", pgettext_lazy("registration", "confirmed")
    WAITLISTED = "waitlisted", _("on the waiting list")
    OFFERED = "offered", _("offered a place")
    CANCELLED = "cancelled", pgettext_lazy("registration", "cancelled")
    REMOVED = "removed", pgettext_lazy("registration", "removed")


#: Who holds a seat (an offer keeps the seat until it is accepted or lapses).
SEAT_HOLDING = (Status.CONFIRMED, Status.OFFERED)
#: Registrations still in play; one email may have only one of these per event.
ACTIVE = (Status.PENDING_APPROVAL, Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)


class Ask(models.TextChoices):
    """Whether a standard question (organization, country, position) is asked."""

    OFF = "off", _("not asked")
    OPTIONAL = "optional", _("optional")
    REQUIRED = "required", _("required")


class QuestionType(models.TextChoices):
    TEXT = "text", _("short text")
    CHOICE = "choice", _("one of a list")
    YES_NO = "yes_no", _("yes or no")


class Refusal(models.TextChoices):
    """Why a registration is refused: the code the API and the form give with the message."""

    CLOSED = "closed", _("registration is closed")
    FULL = "full", _("no places left")
    DUPLICATE = "duplicate", _("already registered")
    CANCELLED_EVENT = "cancelled_event", _("the event is cancelled")
    INVALID = "invalid", _("some answers are not valid")


class Action(models.TextChoices):
    SETTINGS = "settings", _("settings changed")
    REGISTER = "register", _("registered")
    CONFIRM = "confirm", _("confirmed")
    APPROVE = "approve", _("approved")
    PROMOTE = "promote", _("moved up from the waiting list")
    OFFER = "offer", _("offered a place")
    ACCEPT = "accept", _("accepted the offer")
    LAPSE = "lapse", _("offer lapsed")
    CANCEL = "cancel", _("cancelled")
    REMOVE = "remove", _("removed")
    EMAIL = "email", _("emailed registrants")
    INVOICE = "invoice", _("invoice issued")
    PAID = "paid", _("marked paid")
    UNPAID = "unpaid", _("released, unpaid")
    REMIND = "remind", _("reminder sent")
    ATTEND = "attend", _("attendance marked")
    CERTIFY = "certify", _("certificate issued")
    PURGE = "purge", _("personal data deleted")
