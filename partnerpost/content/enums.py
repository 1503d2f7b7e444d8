from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    EVENT = "event", _("Event")
    PUBLICATION = "publication", _("Publication")
    NEWS = "news", _("News")
    CALL = "call", _("Call")
    AWARD = "award", _("Award")
    CONSULTATION = "consultation", _("Consultation")


class ItemState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: States a partner's own members may still change freely.
EDITABLE_BY_PARTNER_STATES = {ItemState.DRAFT}
#: States an item can be offered to an edition from.
EDITION_READY_STATES = {ItemState.APPROVED, ItemState.PUBLISHED}


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    EDIT = "edit", _("Edited")
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Returned with a reason")
    PUBLISH = "publish", _("Published")
    SCHEDULE = "schedule", _("Scheduled")
    WITHDRAW = "withdraw", _("Withdrawn")
    REDRAFT = "redraft", _("Reopened as draft")
    NOTE = "note", _("Note")


class EventType(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    WORKSHOP = "workshop", _("Training workshop")
    COURSE = "course", _("Course or school")
    SYMPOSIUM = "symposium", _("Symposium")
    FORUM = "forum", _("Forum")
    CONFERENCE = "conference", _("Conference")
    MEETING = "meeting", _("Meeting")
    CEREMONY = "ceremony", _("Ceremony")
    OTHER = "other", _("Other event")


class EventFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact days")
    MONTH = "month", _("Month only")
    QUARTER = "quarter", _("Quarter only")


class PublicationType(models.TextChoices):
    REPORT = "report", _("Report")
    BULLETIN = "bulletin", _("Bulletin or newsletter")
    COMPENDIUM = "compendium", _("Compendium")
    POLICY_PAPER = "policy_paper", _("Policy paper")
    JOURNAL = "journal", _("Journal or special issue")
    BOOK = "book", _("Book")
    OTHER = "other", _("Other publication")


class CallType(models.TextChoices):
    PAPERS = "papers", _("Call for papers")
    INPUTS = "inputs", _("Call for inputs")
    NOMINATIONS = "nominations", _("Call for nominations")
    APPLICATIONS = "applications", _("Call for applications")


class OrganizerRole(models.TextChoices):
    ORGANIZER = "organizer", _("Organizer")
    CO_ORGANIZER = "co_organizer", _("Co-organizer")
    SUPPORTER = "supporter", _("Supporter")


class PersonRole(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    SPEAKER = "speaker", _("Speaker")
    MODERATOR = "moderator", _("Moderator")


class ThemeKind(models.TextChoices):
    SDG = "sdg", _("Sustainable Development Goal")
    TOPIC = "topic", _("Topic")
