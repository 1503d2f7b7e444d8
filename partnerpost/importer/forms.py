import re
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _, gettext_lazy

from partnerpost.content.enums import ItemKind
from partnerpost.content.models import CONTENT_LANGUAGES
from partnerpost.lib.numbers import file_size
from partnerpost.network.models import Partner


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Newsletter file"),
        help_text=gettext_lazy("A PDF with a text layer, Markdown (.md), plain text (.txt) or HTML."),
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Default partner"), queryset=Partner.objects.none(), required=False,
        to_field_name="acronym",
        help_text=gettext_lazy("Items whose partner the document does not make clear are filed under this partner."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.active().order_by("acronym")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = getattr(settings, "IMPORT_MAX_BYTES", 25 * 1024 * 1024)
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Split the newsletter into smaller files.")
                % {"size": file_size(upload.size), "limit": file_size(limit)})
        if upload.size == 0:
            raise forms.ValidationError(_("The document is empty: it holds no text to import."))
        return upload


class LinesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 2})

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value


class CandidateForm(forms.Form):
    """The fields an editor checks before a found item becomes a draft."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ItemKind.choices)
    section = forms.ChoiceField(label=gettext_lazy("Partner"), required=False)
    start = forms.DateField(label=gettext_lazy("First day"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=gettext_lazy("Start time"), required=False,
                           widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    timezone = forms.CharField(label=gettext_lazy("Time zone"), required=False, max_length=64,
                               help_text=gettext_lazy("An offset such as UTC-06:00 or a zone such as America/Costa_Rica."))
    location = forms.CharField(label=gettext_lazy("Place"), required=False, max_length=200)
    online = forms.BooleanField(label=gettext_lazy("Online"), required=False)
    organizers = LinesField(label=gettext_lazy("Organizers (one per line)"), required=False)
    links = LinesField(label=gettext_lazy("Links (one per line)"), required=False)
    fee = forms.DecimalField(label=gettext_lazy("Fee"), required=False, min_value=0, max_digits=10, decimal_places=2)
    currency = forms.CharField(label=gettext_lazy("Currency"), required=False, max_length=3)
    deadline = forms.DateField(label=gettext_lazy("Deadline"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=gettext_lazy("Content language"), choices=CONTENT_LANGUAGES)
    summary = forms.CharField(label=gettext_lazy("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    #: Which form fields each of the importer's confidence figures is about.
    CONFIDENCE_FIELDS = {"title": ("title",), "kind": ("kind",), "dates": ("start", "end"), "location": ("location",),
                         "organizers": ("organizers",), "deadline": ("deadline",), "fee": ("fee", "currency")}
    #: Below this, a field is marked for the editor to check.
    LOW_CONFIDENCE = 0.6

    def __init__(self, *args, batch_partner=None, confidence=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch_partner = batch_partner
        acronyms = list(Partner.objects.active().order_by("acronym").values_list("acronym", flat=True))
        self.fields["section"].choices = [("", _("— the import's default partner —"))] + [(a, a) for a in acronyms]
        self.unsure = []
        for key, names in self.CONFIDENCE_FIELDS.items():
            value = (confidence or {}).get(key)
            if value is None or value >= self.LOW_CONFIDENCE:
                continue
            for name in names:
                field = self.fields[name]
                field.widget.attrs["class"] = (field.widget.attrs.get("class", "") + " low-confidence").strip()
                note = _("The importer is unsure of this value (%(p)d%%): check it against the document.") % {
                    "p": round(100 * value)}
                field.help_text = f"{note} {field.help_text}".strip()
                self.unsure.append(name)

    @classmethod
    def for_candidate(cls, candidate, **kwargs):
        data = candidate.data
        initial = {name: data.get(name) for name in cls.base_fields}
        if not data.get("summary"):
            initial["summary"] = data.get("body", "")[:400]
        return cls(initial=initial, prefix=f"c{candidate.pk}", batch_partner=candidate.batch.partner,
                   confidence=candidate.confidence, **kwargs)

    def clean_timezone(self):
        value = self.cleaned_data["timezone"].strip()
        if value and not re.fullmatch(r"UTC[+-]\d{2}:\d{2}", value) and value not in available_timezones():
            raise forms.ValidationError(_("Write an offset such as UTC-06:00 or a zone name such as America/Costa_Rica."))
        return value

    def clean_links(self):
        links = self.cleaned_data["links"]
        for number, link in enumerate(links, 1):
            if not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", link):
                raise forms.ValidationError(
                    _("Line %(n)d is not a web address starting with http:// or https://.") % {"n": number})
        return links

    def clean_currency(self):
        value = self.cleaned_data["currency"].strip().upper()
        if value and not re.fullmatch(r"[A-Z]{3}", value):
            raise forms.ValidationError(_("Use a three-letter ISO 4217 code such as USD."))
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day is before the first day."))
        if end and not start and "start" not in self.errors:
            self.add_error("start", _("Give the first day too, or clear the last day."))
        if not data.get("section") and self.batch_partner is None and "section" not in self.errors:
            self.add_error("section", _("Choose the partner this item belongs to: the document does not say, "
                                        "and the import has no default partner."))
        if data.get("fee") is not None and not data.get("currency"):
            self.add_error("currency", _("Give the currency of the fee, for example USD."))
        return data

    def as_data(self) -> dict:
        """The cleaned values in the candidate's JSON shape."""
        d = self.cleaned_data
        out = {
            "title": d["title"].strip(), "kind": d["kind"], "section": d["section"] or None,
            "start": d["start"].isoformat() if d["start"] else None,
            "end": (d["end"] or d["start"]).isoformat() if d["start"] else None,
            "time": d["time"].strftime("%H:%M") if d["time"] else None, "timezone": d["timezone"] or None,
            "location": d["location"].strip() or None, "online": d["online"], "organizers": d["organizers"],
            "links": d["links"], "fee": str(d["fee"]) if d["fee"] is not None else None,
            "currency": d["currency"] or None, "deadline": d["deadline"].isoformat() if d["deadline"] else None,
            "language": d["language"], "summary": d["summary"].strip(),
        }
        return out
