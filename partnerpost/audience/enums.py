from django.db import models
from django.utils.translation import gettext_lazy as _


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Bounced")
    COMPLAINED = "complained", _("Complained")


#: Statuses that receive editions.
SENDABLE = {SubscriberStatus.CONFIRMED}


class ConsentAction(models.TextChoices):
    SUBSCRIBE = "subscribe", _("Asked to subscribe")
    CONFIRM = "confirm", _("Confirmed the address")
    IMPORT = "import", _("Imported by an operator")
    PREFERENCES = "preferences", _("Changed preferences")
    UNSUBSCRIBE = "unsubscribe", _("Unsubscribed")
    BOUNCE = "bounce", _("Marked bounced")


class ConsentSource(models.TextChoices):
    WEB_FORM = "web_form", _("Subscription form")
    EMAIL_LINK = "email_link", _("Link in an email")
    ONE_CLICK = "one_click", _("One-click unsubscribe")
    CSV_IMPORT = "csv_import", _("CSV import")
    DELIVERY = "delivery", _("Mail server reply")
