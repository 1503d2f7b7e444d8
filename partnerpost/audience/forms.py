from django import forms
from django.utils.translation import gettext_lazy as _

from partnerpost.content.models import CONTENT_LANGUAGES, Theme
from partnerpost.network.models import Partner

from .workflows import AddressError, check_address

CONSENT_TEXT = _(
    "I agree to receive the partners' newsletter by email. I can unsubscribe at any time with the link in "
    "every email. My address is used for nothing else."
)


class PreferencesForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=CONTENT_LANGUAGES, initial="en")
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners you follow"), queryset=Partner.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to hear from every partner."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes you follow"), queryset=Theme.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every theme."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Partner.objects.active()
        self.fields["themes"].queryset = Theme.objects.filter(kind="topic")


class SubscribeForm(PreferencesForm):
    email = forms.CharField(label=_("Email address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    consent = forms.BooleanField(label=CONSENT_TEXT, required=True, error_messages={"required": _("Tick the box to agree, or we cannot send you anything.")})
    # A field people never see; forms that fill it are robots.
    website = forms.CharField(required=False, label=_("Leave this empty"), widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    field_order = ["email", "name", "language", "partners", "themes", "consent", "website"]

    def clean_email(self):
        try:
            return check_address(self.cleaned_data["email"])
        except AddressError as exc:
            raise forms.ValidationError(str(exc)) from None
