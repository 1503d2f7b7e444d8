"""Forms: turn what a browser posts into the typed values the workflows take. No rule lives here."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerpost.content.models import CONTENT_LANGUAGES, Country

from .enums import CHOICE_TYPES, Audience, FieldType
from .workflows import CallInput, FieldSpec, QuestionSpec

FIELD_HELP = gettext_lazy(
    "One field per line: name | type | label | required or optional | step | role | options separated by ;. "
    "Types: text, long_text, choice, choices, country, date, url, file, contact, yes_no. "
    "Roles (optional): title, summary, country, area.")
QUESTION_HELP = gettext_lazy(
    "One question per line: name | question | the answer that may continue (yes or no) | the reason shown when it stops.")


def field_lines(call) -> str:
    lines = []
    for f in call.ordered_fields():
        lines.append(" | ".join([f.name, f.type, f.label, "required" if f.required else "optional", str(f.step),
                                 f.role, "; ".join(f.choices)]).rstrip(" |"))
    return "\n".join(lines)


def question_lines(call) -> str:
    return "\n".join(" | ".join([q.name, q.question, "yes" if q.expected else "no", q.reason])
                     for q in call.eligibility.all())


class CallDefinitionForm(forms.Form):
    opens = forms.DateTimeField(label=gettext_lazy("Opens (local time)"),
                                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes = forms.DateTimeField(label=gettext_lazy("Closes (local time)"),
                                 widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    time_zone = forms.CharField(label=gettext_lazy("Time zone"), max_length=64, initial="UTC",
                                help_text=gettext_lazy("An IANA name such as America/New_York."))
    languages = forms.MultipleChoiceField(label=gettext_lazy("Accepted languages"), choices=CONTENT_LANGUAGES,
                                          widget=forms.SelectMultiple(attrs={"size": 6}))
    audience = forms.ChoiceField(label=gettext_lazy("Who may answer"), choices=Audience.choices, widget=forms.RadioSelect)
    is_catalogue = forms.BooleanField(label=gettext_lazy("Publish accepted answers as a public catalogue (a compendium)"),
                                      required=False)
    fields_text = forms.CharField(label=gettext_lazy("Fields"), widget=forms.Textarea(attrs={"rows": 12}),
                                  help_text=FIELD_HELP)
    eligibility_text = forms.CharField(label=gettext_lazy("Eligibility questions"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 4}), help_text=QUESTION_HELP)
    invitations_text = forms.CharField(label=gettext_lazy("Invited focal points"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text=gettext_lazy("One email address per line (for calls open to invited people)."))

    def clean_fields_text(self):
        specs, problems = [], []
        for number, line in enumerate(self.cleaned_data["fields_text"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            parts += [""] * (7 - len(parts))
            name, type_, label, need, step, role, options = parts[:7]
            if need.lower() not in {"required", "optional", ""}:
                problems.append(_("Line %(n)d: write “required” or “optional”, not “%(v)s”.") % {"n": number, "v": need})
            try:
                step_number = int(step or 1)
            except ValueError:
                problems.append(_("Line %(n)d: the step is a number, not “%(v)s”.") % {"n": number, "v": step})
                step_number = 1
            specs.append(FieldSpec(name=name, type=type_, label=label, required=need.lower() == "required",
                                   step=step_number, role=role,
                                   choices=[o.strip() for o in options.split(";") if o.strip()] if type_ in CHOICE_TYPES else []))
        if problems:
            raise forms.ValidationError(problems)
        return specs

    def clean_eligibility_text(self):
        specs, problems = [], []
        for number, line in enumerate(self.cleaned_data["eligibility_text"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", "", "", ""]
            name, question, expected, reason = parts[:4]
            if expected.lower() not in {"yes", "no"}:
                problems.append(_("Line %(n)d: the answer that may continue is yes or no.") % {"n": number})
            specs.append(QuestionSpec(name=name, question=question, expected=expected.lower() != "no", reason=reason))
        if problems:
            raise forms.ValidationError(problems)
        return specs

    def clean_invitations_text(self):
        return [line.strip() for line in self.cleaned_data["invitations_text"].splitlines() if line.strip()]

    def to_input(self) -> CallInput:
        d = self.cleaned_data
        return CallInput(opens=d["opens"].replace(tzinfo=None), closes=d["closes"].replace(tzinfo=None),
                         time_zone=d["time_zone"], languages=d["languages"], audience=d["audience"],
                         is_catalogue=d["is_catalogue"], fields=d["fields_text"], eligibility=d["eligibility_text"],
                         invitations=d["invitations_text"])


def initial_for(call) -> dict:
    return {
        "opens": call.local_open().replace(tzinfo=None), "closes": call.local_close().replace(tzinfo=None),
        "time_zone": call.time_zone, "languages": call.languages, "audience": call.audience,
        "is_catalogue": call.is_catalogue, "fields_text": field_lines(call), "eligibility_text": question_lines(call),
        "invitations_text": "\n".join(call.invitations.values_list("email", flat=True)),
    }


class EmailForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your email address"), max_length=254)


class EligibilityForm(forms.Form):
    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for q in questions:
            self.fields[q.name] = forms.ChoiceField(label=q.question, widget=forms.RadioSelect,
                                                    choices=[("yes", _("Yes")), ("no", _("No"))])


def answer_form(specs, data=None, files=None, initial=None, countries=None):
    """A form of one step's fields; its values go, as they are, to workflows.save_answers."""
    form = forms.Form(data=data, files=files, initial=initial or {})
    countries = countries if countries is not None else list(Country.objects.values_list("code", "name"))
    for spec in specs:
        common = {"label": spec.label, "required": False, "help_text": spec.help_text}
        t = spec.type
        if t == FieldType.TEXT:
            field = forms.CharField(max_length=300, **common)
        elif t == FieldType.LONG_TEXT:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), **common)
        elif t == FieldType.CHOICE:
            field = forms.ChoiceField(choices=[("", "—")] + [(c, c) for c in spec.choices], **common)
        elif t == FieldType.MULTI_CHOICE:
            field = forms.MultipleChoiceField(choices=[(c, c) for c in spec.choices], widget=forms.CheckboxSelectMultiple, **common)
        elif t == FieldType.COUNTRY:
            field = forms.ChoiceField(choices=[("", "—")] + countries, **common)
        elif t == FieldType.DATE:
            field = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        elif t == FieldType.URL:
            field = forms.CharField(widget=forms.URLInput(), max_length=500, **common)
        elif t == FieldType.FILE:
            field = forms.FileField(**common)
        elif t == FieldType.YES_NO:
            field = forms.ChoiceField(choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))], **common)
        else:  # contact: two inputs
            form.fields[f"{spec.name}__name"] = forms.CharField(label=_("%(label)s: name") % {"label": spec.label},
                                                               required=False, max_length=200)
            form.fields[f"{spec.name}__email"] = forms.CharField(label=_("%(label)s: email") % {"label": spec.label},
                                                                required=False, max_length=254,
                                                                widget=forms.EmailInput())
            continue
        if spec.required:
            field.widget.attrs["aria-required"] = "true"
        form.fields[spec.name] = field
    return form


def posted_answers(specs, form) -> tuple[dict, dict]:
    """(answers, files) from a bound step form, raw, for the workflow to check."""
    answers, files = {}, {}
    for spec in specs:
        if spec.type == FieldType.FILE:
            upload = form.files.get(spec.name)
            if upload:
                files[spec.name] = upload
        elif spec.type == FieldType.CONTACT:
            answers[spec.name] = {"name": form.data.get(f"{spec.name}__name", ""),
                                  "email": form.data.get(f"{spec.name}__email", "")}
        elif spec.type == FieldType.MULTI_CHOICE:
            answers[spec.name] = form.data.getlist(spec.name)
        else:
            answers[spec.name] = form.data.get(spec.name, "")
    return answers, files


def stored_initial(specs, answers: dict) -> dict:
    initial = {}
    for spec in specs:
        value = answers.get(spec.name)
        if value is None:
            continue
        if spec.type == FieldType.CONTACT:
            initial[f"{spec.name}__name"] = value.get("name", "")
            initial[f"{spec.name}__email"] = value.get("email", "")
        elif spec.type == FieldType.YES_NO:
            initial[spec.name] = "yes" if value else "no"
        else:
            initial[spec.name] = value
    return initial
