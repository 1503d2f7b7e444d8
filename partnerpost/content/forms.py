"""The item form. Lists (organizers, links, people, days, winners) are typed one per line,
and every error names its field and line.

The form only turns what was typed into typed values (`to_input()`); the rules live in the
domain (`workflows.save_item` and the item's kind in `kinds`), which the API and the importer
call too. `add_domain_errors` puts the domain's errors beside the fields they concern."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerpost.lib.timezones import TimeZoneError, normalize_time_zone
from partnerpost.network.models import Partner
from partnerpost.network.permissions import creatable_partners, is_editor

from . import kinds
from .enums import ItemKind, OrganizerRole, PersonRole
from .models import AwardCategory, Country, Item, Region, Theme, web_url
from .workflows import KEEP, ItemInput, Organization, Person, Related, Winner

#: The form's own fields for a kind's related lists.
LIST_FIELDS = {
    "days": "days_text", "people": "people_text", "series": "series_name",
    "winners": "winners_text", "award_categories": "award_categories",
}
#: The domain's names for the lists -> the form field that shows their errors.
DOMAIN_NAMES = {
    "links": "links_text", "organizations": "organizers_text", "days": "days_text",
    "people": "people_text", "winners": "winners_text", "series": "series_name",
}


def kind_fields(kind: str) -> list[str]:
    """The form fields that belong to this kind only."""
    definition = kinds.get(kind)
    names = [name for name in definition.fields if name != "series"]
    return names + [LIST_FIELDS[name] for name in definition.lists]


def all_kind_fields() -> list[str]:
    return sorted({name for kind in kinds.all() for name in kind_fields(kind.value)})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _lines(text: str):
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if line:
            yield number, line


def _line_error(number: int, message: str) -> ValidationError:
    return ValidationError(_("Line %(number)d: %(message)s") % {"number": number, "message": message})


def find_partner(text: str) -> Partner | None:
    """A partner of the network named by acronym or full name, ignoring case."""
    return Partner.objects.named(text)


#: What the file pickers offer. Only a hint to the browser: the domain checks the content (content.uploads).
_ACCEPT = {
    "image": "image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp",
    "document_file": ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp",
}


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    if model_field.name in _ACCEPT:
        # A plain file field for the image too: what a file is, is the domain's question (the model field's
        # validator), so the form, the admin and any other door give the same message.
        kwargs["form_class"] = forms.FileField
        kwargs["widget"] = forms.ClearableFileInput(attrs={"accept": _ACCEPT[model_field.name]})
    return model_field.formfield(**kwargs)


class ItemForm(forms.ModelForm):
    organizers_text = forms.CharField(
        label=gettext_lazy("Organizers"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line. Use a partner's acronym (e.g. ICAP) to link it, or write the full name of an outside body."),
    )
    co_organizers_text = forms.CharField(
        label=gettext_lazy("Co-organizers"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One per line, as above."),
    )
    supporters_text = forms.CharField(
        label=gettext_lazy("Supported by"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One per line, as above."),
    )
    links_text = forms.CharField(
        label=gettext_lazy("Links"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line: label | https://address"),
    )
    days_text = forms.CharField(
        label=gettext_lazy("Separate days"), required=False,
        help_text=gettext_lazy("Only for events held on separate days: dates as YYYY-MM-DD, separated by commas. They set the first and last day."),
    )
    series_name = forms.CharField(
        label=gettext_lazy("Series"), required=False, max_length=200,
        help_text=gettext_lazy("The programme this event belongs to, e.g. Global Policy Dialogue Series."),
    )
    people_text = forms.CharField(
        label=gettext_lazy("Facilitators and speakers"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line: name | facilitator, speaker or moderator | affiliation (optional)"),
    )
    translation_of = forms.CharField(
        label=gettext_lazy("Same story in another language"), required=False, max_length=300,
        help_text=gettext_lazy("The address or slug of the version in another language, if there is one "
                               "(e.g. /items/taller-virtual-k3x9m/). Leave empty otherwise."),
    )
    winners_text = forms.CharField(
        label=gettext_lazy("Winners"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line: name | category (optional) | ISO country code (optional)"),
    )

    class Meta:
        model = Item
        formfield_callback = _formfield
        fields = [
            "kind", "partner", "title", "summary", "body", "language", "themes", "countries", "regions",
            "image", "image_alt",
            "event_type", "event_format", "event_status", "start_date", "end_date", "date_precision",
            "start_time", "end_time", "time_zone", "venue", "city", "venue_country", "online_url",
            "registration_url", "fee_amount", "fee_currency", "enrolment_deadline", "capacity", "session_count",
            "total_hours",
            "published_on", "publication_type", "document_url", "document_file",
            "call_type", "deadline", "eligibility",
            "award_programme", "award_year", "award_categories",
            "response_url",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "eligibility": forms.Textarea(attrs={"rows": 2}),
            "themes": forms.CheckboxSelectMultiple,
            "countries": forms.SelectMultiple(attrs={"size": 6}),
            "regions": forms.SelectMultiple(attrs={"size": 6}),
            "award_categories": forms.CheckboxSelectMultiple,
            "start_date": DateInput(), "end_date": DateInput(), "enrolment_deadline": DateInput(),
            "published_on": DateInput(), "deadline": DateInput(),
            "start_time": TimeInput(), "end_time": TimeInput(),
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["partner"].queryset = creatable_partners(user)
        self.fields["partner"].empty_label = None
        for name in ("event_status", "date_precision"):
            self.fields[name].required = False
        if self.instance.pk and not is_editor(user):
            # The owning partner never changes hands outside the secretariat.
            self.fields["partner"].disabled = True
            self.fields["partner"].queryset = Partner.objects.filter(pk=self.instance.partner_id)
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["countries"].queryset = Country.objects.all()
        self.fields["regions"].queryset = Region.objects.all()
        self.fields["venue_country"].queryset = Country.objects.all()
        self.fields["award_categories"].queryset = AwardCategory.objects.select_related("programme")
        for name in ("online_url", "registration_url", "document_url"):
            self.fields[name].validators = [web_url]
            self.fields[name].error_messages["invalid"] = web_url.message
            self.fields[name].widget.attrs["placeholder"] = "https://"
        self.fields["fee_currency"].widget.attrs.update({"placeholder": "USD", "maxlength": 3, "size": 4})
        self.fields["time_zone"].widget.attrs["placeholder"] = "Europe/Ljubljana"
        if not self.is_bound:
            self.fields["title"].widget.attrs["autofocus"] = "autofocus"
        if self.instance.pk:
            self._fill_from_instance(self.instance)

    def _fill_from_instance(self, item: Item):
        by_role = {role: [] for role in OrganizerRole.values}
        for org in item.organizations.select_related("partner"):
            by_role[org.role].append(org.partner.acronym if org.partner_id else org.name)
        self.initial["organizers_text"] = "\n".join(by_role[OrganizerRole.ORGANIZER])
        self.initial["co_organizers_text"] = "\n".join(by_role[OrganizerRole.CO_ORGANIZER])
        self.initial["supporters_text"] = "\n".join(by_role[OrganizerRole.SUPPORTER])
        self.initial["links_text"] = "\n".join(f"{link.label} | {link.url}" for link in item.links.all())
        self.initial["people_text"] = "\n".join(
            " | ".join(filter(None, [p.name, p.role, p.affiliation])) for p in item.people.all()
        )
        days = list(item.days.values_list("date", flat=True))
        self.initial["days_text"] = ", ".join(d.isoformat() for d in days)
        self.initial["series_name"] = item.series.name if item.series_id else ""
        versions = item.other_versions()
        self.initial["translation_of"] = versions[0].slug if versions else ""
        self.initial["winners_text"] = "\n".join(
            " | ".join([w.name, w.category.name if w.category_id else "", w.country_id or ""]).rstrip(" |")
            for w in item.winners.select_related("category")
        )

    # Field cleaners -------------------------------------------------------------

    def _organizations(self, field, role):
        result = []
        for number, line in _lines(self.cleaned_data.get(field, "")):
            if len(line) > 200:
                raise _line_error(number, _("a name may have at most 200 characters."))
            partner = find_partner(line)
            result.append(Organization(role=role, partner=partner, name="" if partner else line))
        return result

    def clean_organizers_text(self):
        self._orgs_organizer = self._organizations("organizers_text", OrganizerRole.ORGANIZER)
        return self.cleaned_data["organizers_text"]

    def clean_co_organizers_text(self):
        self._orgs_co = self._organizations("co_organizers_text", OrganizerRole.CO_ORGANIZER)
        return self.cleaned_data["co_organizers_text"]

    def clean_supporters_text(self):
        self._orgs_support = self._organizations("supporters_text", OrganizerRole.SUPPORTER)
        return self.cleaned_data["supporters_text"]

    def clean_links_text(self):
        links = []
        for number, line in _lines(self.cleaned_data["links_text"]):
            label, sep, url = line.rpartition("|")
            label, url = label.strip(), url.strip()
            if not sep:
                label, url = url, url
            links.append((label[:200], url))
        self._links = links
        return self.cleaned_data["links_text"]

    def clean_days_text(self):
        days = []
        for chunk in (self.cleaned_data["days_text"] or "").replace(";", ",").split(","):
            chunk = chunk.strip()
            if not chunk:
                continue
            try:
                days.append(dt.date.fromisoformat(chunk))
            except ValueError:
                raise ValidationError(_("%(value)s is not a date; write it as YYYY-MM-DD.") % {"value": chunk}) from None
        self._days = sorted(set(days)) if days else None
        return self.cleaned_data["days_text"]

    def clean_people_text(self):
        people = []
        roles = {value: value for value in PersonRole.values}
        roles.update({str(label).lower(): value for value, label in PersonRole.choices})
        for number, line in _lines(self.cleaned_data["people_text"]):
            parts = [p.strip() for p in line.split("|")]
            name = parts[0]
            role = (parts[1] if len(parts) > 1 and parts[1] else PersonRole.SPEAKER).lower()
            if role not in roles:
                raise _line_error(number, _("the role must be facilitator, speaker or moderator, not %(role)s.") % {"role": parts[1]})
            if not name:
                raise _line_error(number, _("the name is missing."))
            people.append(Person(name=name[:200], role=roles[role], affiliation=(parts[2] if len(parts) > 2 else "")[:200]))
        self._people = people
        return self.cleaned_data["people_text"]

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"].strip()
        if not value:
            return ""
        try:
            return normalize_time_zone(value)
        except TimeZoneError as exc:
            raise ValidationError(str(exc)) from None

    def _check_size(self, name):
        upload = self.cleaned_data.get(name)
        limit = settings.MAX_UPLOAD_MB
        if upload and getattr(upload, "size", 0) > limit * 1024 * 1024:
            raise ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit)d MB.") % {"size": upload.size / 1048576, "limit": limit}
            )
        return upload

    def clean_image(self):
        return self._check_size("image")

    def clean_document_file(self):
        return self._check_size("document_file")

    def clean_fee_currency(self):
        return self.cleaned_data["fee_currency"].strip().upper()

    def clean_translation_of(self):
        text = (self.cleaned_data.get("translation_of") or "").strip()
        if not text:
            self._translation_of = None
            return ""
        slug = text.rstrip("/").rsplit("/", 1)[-1]
        found = Item.objects.visible_to(self.user).filter(slug=slug).select_related("translation_group").first()
        if found is None:
            raise ValidationError(_("No item you may see has the address %(text)s.") % {"text": text})
        self._translation_of = found
        return text

    def clean_winners_text(self):
        winners = []
        for number, line in _lines(self.cleaned_data.get("winners_text", "")):
            parts = [p.strip() for p in line.split("|")]
            winners.append(Winner(
                name=parts[0], category=parts[1] if len(parts) > 1 else None, country=parts[2] if len(parts) > 2 else None,
            ))
        self._winners = winners
        return self.cleaned_data["winners_text"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        # Fields of other kinds are cleared, so a changed kind leaves no stale facts behind
        # (and a mistake in a hidden field of another kind does not block the form).
        keep = set(kind_fields(kind)) if kind in ItemKind.values else set()
        for name in all_kind_fields():
            if name in keep or name not in self.fields:
                continue
            field = self.fields[name]
            if name in self.errors:
                del self.errors[name]
            if isinstance(field, forms.ModelMultipleChoiceField):
                data[name] = field.queryset.none()
            elif isinstance(field, forms.ModelChoiceField):
                data[name] = None
            elif isinstance(field, (forms.CharField, forms.ChoiceField)):
                data[name] = ""
            else:
                data[name] = None
        data["event_status"] = data.get("event_status") or "scheduled"
        data["date_precision"] = data.get("date_precision") or "day"
        return data

    def _post_clean(self):
        # Put the parsed days in place before the model validates first/last day.
        if len(getattr(self, "_days", None) or []) > 1 and self.cleaned_data.get("kind") == ItemKind.EVENT:
            self.cleaned_data["start_date"], self.cleaned_data["end_date"] = self._days[0], self._days[-1]
        # A field that already failed its own validation keeps only that message:
        # the model's cross-field checks would otherwise add a second, vaguer one.
        already = {name: len(errors) for name, errors in self.errors.items()}
        super()._post_clean()
        for name, count in already.items():
            del self.errors[name][count:]

    # What the domain needs --------------------------------------------------------

    def to_input(self) -> ItemInput:
        """The typed values of this form, for workflows.save_item."""
        data = self.cleaned_data
        kind = data["kind"]
        values = {
            name: data[name] for name in self._meta.fields
            if name in data and not isinstance(self.fields[name], forms.ModelMultipleChoiceField)
        }
        if self.fields["partner"].disabled:
            values.pop("partner", None)
        owned = kinds.get(kind).lists
        related = Related(
            themes=list(data["themes"]),
            countries=list(data["countries"]),
            regions=list(data["regions"]),
            award_categories=list(data.get("award_categories") or []) if "award_categories" in owned else [],
            organizations=self._orgs_organizer + self._orgs_co + self._orgs_support,
            links=self._links,
            people=self._people if "people" in owned else [],
            days=(self._days or []) if "days" in owned else [],
            winners=getattr(self, "_winners", []) if "winners" in owned else [],
        )
        if not self.instance.pk and not related.days:
            related.days = None
        series = (data.get("series_name") or "").strip() if "series" in owned else ""
        linked = getattr(self, "_translation_of", None) if "translation_of" in self.changed_data else KEEP
        return ItemInput(values=values, related=related, series_name=series, changed=list(self.changed_data),
                         translation_of=linked)

    def add_domain_errors(self, exc: ValidationError) -> None:
        """Show the domain's errors beside the fields they concern."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for name, messages in exc.message_dict.items():
            field = DOMAIN_NAMES.get(name, name)
            if field not in self.fields:
                field = None
            for message in messages:
                self.add_error(field, message)
