from django import forms
from django.utils.translation import gettext_lazy as _

from partnerpost.content.enums import ItemKind
from partnerpost.content.filters import ItemFilters
from partnerpost.content.models import Country, Region, Theme
from partnerpost.network.models import Partner


class DateInput(forms.DateInput):
    input_type = "date"


class ArchiveFilterForm(forms.Form):
    """The archive's filters. Unknown values are reported, and that filter is ignored."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    partner = forms.ChoiceField(label=_("Partner"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["kind"].choices = anything + list(ItemKind.choices)
        self.fields["partner"].choices = anything + list(Partner.objects.active().values_list("slug", "acronym"))
        self.fields["theme"].choices = anything + [(t.slug, str(t)) for t in Theme.objects.all()]
        self.fields["region"].choices = anything + list(Region.objects.exclude(code="001").values_list("code", "name"))
        self.fields["country"].choices = anything + list(Country.objects.values_list("code", "name"))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the range is before its start."))
        return data

    def filters(self) -> dict:
        """The valid values given, by field name; invalid ones are left out (and shown as errors)."""
        data = self.cleaned_data if self.is_bound else {}
        return {name: value for name, value in data.items() if value and name not in self.errors}

    def apply(self, queryset):
        """Filter by every valid value; invalid ones are left out and shown as errors."""
        return ItemFilters(**self.filters()).apply(queryset)

    @property
    def active(self):
        return self.is_bound and any(self.data.get(name) for name in self.fields)
