import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [
    ("", _("Never (until revoked)")),
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In one year")),
]


class TokenForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None, empty_label=None)
    name = forms.CharField(
        label=_("Name"), max_length=100,
        help_text=_("What will use it, so you can tell tokens apart, e.g. “Website CMS sync”."),
    )
    expires = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, required=False)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name

    def expires_at(self):
        days = self.cleaned_data.get("expires")
        return timezone.now() + dt.timedelta(days=int(days)) if days else None
