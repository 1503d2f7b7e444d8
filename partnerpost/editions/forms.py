from django import forms
from django.conf import settings
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from partnerpost.content.forms import DateInput

from .models import Edition


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = [
            "title", "period_start", "period_end", "period_label", "volume", "number", "language",
            "introduction", "preheader", "masthead", "masthead_alt",
            "disclaimer", "contact_text", "contact_email", "social_links", "translation_of",
        ]
        # A plain file field: what the file is, is the model field's question (content.uploads), as for items.
        field_classes = {"masthead": forms.FileField}
        widgets = {
            "period_start": DateInput(), "period_end": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "disclaimer": forms.Textarea(attrs={"rows": 2}),
            "social_links": forms.Textarea(attrs={"rows": 2}),
            "masthead": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp"}),
        }

    def clean_masthead(self):
        upload = self.cleaned_data.get("masthead")
        limit = settings.MAX_UPLOAD_MB
        if upload and getattr(upload, "size", 0) > limit * 1024 * 1024:
            raise forms.ValidationError(
                gettext_now("The file is %(size).1f MB; the limit is %(limit)d MB.") % {"size": upload.size / 1048576, "limit": limit})
        return upload

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
