from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Audience(models.TextChoices):
    """Who may answer a call."""

    CONFIRMED_EMAIL = "email", _("Anyone with a confirmed email address")
    INVITED = "invited", _("Invited focal points only")
    MEMBERS = "members", _("Signed-in members of partner institutions")


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    CHOICE = "choice", _("Choice")
    MULTI_CHOICE = "choices", _("Several choices")
    COUNTRY = "country", _("Country")
    DATE = "date", pgettext_lazy("form field type", "Date")
    URL = "url", _("Web address")
    FILE = "file", _("File")
    CONTACT = "contact", _("Contact person")
    YES_NO = "yes_no", _("Yes or no")


#: Field types whose answers come from a list of options.
CHOICE_TYPES = {FieldType.CHOICE, FieldType.MULTI_CHOICE}


class FieldRole(models.TextChoices):
    """What the catalogue, the queue and the duplicate check read a field as."""

    NONE = "", _("No special role")
    TITLE = "title", _("Title of the entry")
    SUMMARY = "summary", _("Summary of the entry")
    COUNTRY = "country", _("Country of the entry")
    AREA = "area", _("Areas of the entry (catalogue facet)")


class WindowState(models.TextChoices):
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", pgettext_lazy("call window", "Open")
    CLOSED = "closed", pgettext_lazy("call window", "Closed")


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


#: States in which the person who answers may still change the answers (before the close).
EDITABLE_STATES = {SubmissionState.DRAFT, SubmissionState.RETURNED}
#: States the moderators decide on.
DECIDABLE_STATES = {SubmissionState.SUBMITTED}
#: States shown in a public catalogue.
PUBLIC_STATES = {SubmissionState.ACCEPTED}


class SubmissionAction(models.TextChoices):
    CREATE = "create", _("Started")
    SAVE = "save", _("Draft saved")
    SUBMIT = "submit", _("Submitted")
    ACCEPT = "accept", _("Accepted")
    RETURN = "return", _("Returned for changes")
    DECLINE = "decline", _("Declined")


class CallAction(models.TextChoices):
    DEFINE = "define", _("Form defined")
    CHANGE = "change", _("Form changed")
