from django import forms
from django.utils.translation import gettext_lazy as _

from partnerpost.content.forms import DateInput

from .models import Edition


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = [
            "title", "period_start", "period_end", "period_label", "volume", "number", "language",
            "introduction", "disclaimer", "contact_text", "contact_email", "social_links", "translation_of",
        ]
        widgets = {
            "period_start": DateInput(), "period_end": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "disclaimer": forms.Textarea(attrs={"rows": 2}),
            "social_links": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        for number, line in enumerate((data.get("social_links") or "").splitlines(), start=1):
            if line.strip() and not line.rpartition("|")[2].strip().startswith(("https://", "http://")):
                self.add_error("social_links", _("Line %(n)d: write label | https://address.") % {"n": number})
                break
        return data
