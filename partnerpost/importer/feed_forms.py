from django import forms
from django.utils.translation import gettext_lazy as _


class FeedForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None, empty_label=None)
    url = forms.CharField(
        label=_("Feed address"), max_length=1000,
        help_text=_("The address of an RSS, Atom or iCalendar (.ics) feed your institution publishes, "
                    "e.g. https://example.org/news/feed.xml."),
        widget=forms.URLInput(attrs={"inputmode": "url", "spellcheck": "false", "autocomplete": "off"}),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
