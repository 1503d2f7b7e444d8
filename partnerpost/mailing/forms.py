from django import forms
from django.utils.translation import gettext_lazy as _


class SendForm(forms.Form):
    """The confirm step of "Send to N subscribers": now, or at a date and time (TIME_ZONE)."""

    when = forms.ChoiceField(label=_("When"), choices=[("now", _("Now")), ("later", _("At a set time"))],
                             initial="now", widget=forms.RadioSelect)
    at = forms.DateTimeField(label=_("Date and time"), required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    #: The number of recipients the editor saw; if it changed, they confirm again with the new one.
    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        data = super().clean()
        if data.get("when") == "later" and not data.get("at") and "at" not in self.errors:
            self.add_error("at", _("Give the date and time at which to send."))
        return data

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["at"].help_text = _("In the server's time zone, %(zone)s. The task worker starts the send then.") % {"zone": settings.TIME_ZONE}
