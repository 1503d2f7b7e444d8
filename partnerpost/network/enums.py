from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    UN_ENTITY = "un_entity", _("UN entity")
    REGIONAL_ASSOCIATION = "regional_association", _("Regional association")
    SCHOOL = "school", _("School or institute of government")
    ACADEMY = "academy", _("National academy")
    MINISTRY = "ministry", _("Ministry or government agency")
    UNIVERSITY = "university", _("University")
    OTHER = "other", _("Other institution")


class MemberRole(models.TextChoices):
    CONTRIBUTOR = "contributor", _("Contributor")
    EDITOR = "editor", _("Partner editor")
