"""Forms of the review panels: a stage's definition (score categories one per line), an invitation, a sign-up."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .review_models import Aggregate
from .review_workflows import CategorySpec

CATEGORY_HELP = gettext_lazy(
    "One per line: name | label | weight | lowest | highest | labels, e.g. "
    "impact | Impact | 3 | 1 | 5 | 1=Weak; 5=Outstanding")


def parse_categories(text: str) -> tuple[list[CategorySpec], list[str]]:
    specs, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 5:
            errors.append(_("Line %(n)s: give name | label | weight | lowest | highest.") % {"n": number})
            continue
        name, label, weight, low, high = parts[:5]
        labels = {}
        for pair in (parts[5].split(";") if len(parts) > 5 else []):
            if "=" in pair:
                point, text_ = pair.split("=", 1)
                labels[point.strip()] = text_.strip()
        try:
            spec = CategorySpec(name, label, Decimal(weight), int(low), int(high), labels)
        except (InvalidOperation, ValueError):
            errors.append(_("Line %(n)s: the weight and both ends of the scale must be numbers.") % {"n": number})
            continue
        specs.append(spec)
    return specs, errors


class StageForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Stage"), max_length=200)
    position = forms.IntegerField(label=gettext_lazy("Order"), min_value=1, initial=1)
    closes_at = forms.DateTimeField(label=gettext_lazy("Reviews close at (UTC)"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reviews_per_submission = forms.IntegerField(label=gettext_lazy("Reviews per submission"), min_value=1, initial=3)
    aggregate = forms.ChoiceField(label=gettext_lazy("Combine scores by"), choices=Aggregate.choices)
    anonymised = forms.BooleanField(label=gettext_lazy("Hide submitters' names and institutions from reviewers"),
                                    required=False)
    categories = forms.CharField(label=gettext_lazy("Score categories"), widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=CATEGORY_HELP)

    def clean_categories(self):
        specs, errors = parse_categories(self.cleaned_data["categories"])
        if errors:
            raise forms.ValidationError(errors)
        return specs


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Reviewer's email"))


class ReviewerSignUpForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)
    country = forms.CharField(label=gettext_lazy("Your country (two-letter code)"), max_length=2)
    institution = forms.CharField(label=gettext_lazy("Your institution"), max_length=300)

    def clean_username(self):
        name = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return name

    def clean_country(self):
        from partnerpost.content.models import Country

        code = self.cleaned_data["country"].strip().upper()
        if not Country.objects.filter(pk=code).exists():
            raise forms.ValidationError(_("Give your country as its two-letter ISO code, e.g. “KE”."))
        return code

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password
