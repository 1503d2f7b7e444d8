"""Forms that turn what was typed into the workflows' values; the rules themselves live in workflows.py."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from partnerpost.content.models import Country

from .enums import Ask, QuestionType
from .models import RegistrationSettings
from .workflows import clean_questions

YES_NO = [("", "—"), ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


class RegisterForm(forms.Form):
    """The public form on the event page, with the questions the event asks."""

    name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("Email"), max_length=254)

    def __init__(self, config: RegistrationSettings, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = config
        labels = {"organization": gettext_lazy("Organization"), "country": gettext_lazy("Country"),
                  "position": gettext_lazy("Position")}
        for key in ("organization", "country", "position"):
            ask = getattr(config, f"ask_{key}")
            if ask == Ask.OFF:
                continue
            if key == "country":
                choices = [("", "—")] + [(c.code, c.name) for c in Country.objects.order_by("name")]
                self.fields[key] = forms.ChoiceField(label=labels[key], choices=choices, required=False)
            else:
                self.fields[key] = forms.CharField(label=labels[key], max_length=300, required=False)
            self.fields[key].required = ask == Ask.REQUIRED
        for question in config.questions:
            key = f"q_{question['key']}"
            if question["type"] == QuestionType.CHOICE:
                field = forms.ChoiceField(choices=[("", "—")] + [(c, c) for c in question["choices"]], required=False)
            elif question["type"] == QuestionType.YES_NO:
                field = forms.ChoiceField(choices=YES_NO, required=False)
            else:
                field = forms.CharField(max_length=500, required=False)
            field.label = question["label"]
            self.fields[key] = field

    def answers(self) -> dict:
        data = self.cleaned_data
        answers = {key: data[key] for key in ("organization", "country", "position") if data.get(key)}
        for question in self.config.questions:
            value = data.get(f"q_{question['key']}")
            if question["type"] == QuestionType.YES_NO:
                if value:
                    answers[question["key"]] = value == "yes"
            elif value:
                answers[question["key"]] = value
        return answers

    def add_refusal(self, errors: dict[str, list[str]]):
        """Put the workflow's errors beside their fields ("answers.diet" -> q_diet)."""
        for name, messages in errors.items():
            key = name.removeprefix("answers.")
            target = key if key in self.fields else f"q_{key}" if f"q_{key}" in self.fields else None
            for message in messages:
                self.add_error(target, message)


def questions_to_text(questions: list[dict]) -> str:
    lines = []
    for q in questions:
        parts = [q["key"], q["label"], q["type"], ", ".join(q.get("choices") or []), "required" if q.get("required") else ""]
        lines.append(" | ".join(parts).rstrip(" |"))
    return "\n".join(lines)


def text_to_questions(text: str) -> list[dict]:
    """One question a line: key | label | type (text, choice, yes_no) | choices, comma-separated | required."""
    questions = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2:
            raise ValidationError(_("Line %(n)d: write key | label | type | choices | required.") % {"n": number})
        parts += [""] * (5 - len(parts))
        questions.append({"key": parts[0], "label": parts[1], "type": parts[2] or QuestionType.TEXT,
                          "choices": [c.strip() for c in parts[3].split(",") if c.strip()],
                          "required": parts[4].lower() in {"required", "yes", "true"}})
    return clean_questions(questions)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SettingsForm(forms.ModelForm):
    questions_text = forms.CharField(
        label=gettext_lazy("Custom questions"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One a line: key | label | type (text, choice or yes_no) | choices, separated by "
                               "commas | required. For example: diet | Dietary needs | choice | none, vegetarian, vegan | required"))

    class Meta:
        model = RegistrationSettings
        fields = ["enabled", "opens_at", "closes_at", "capacity", "waiting_list", "requires_approval",
                  "ask_organization", "ask_country", "ask_position", "fee_amount", "fee_currency",
                  "early_fee_amount", "early_until", "waived_organizations", "waived_countries", "bank_details",
                  "payment_days", "offer_hours", "reminder_days", "reminder_hours", "attendance_share"]
        widgets = {"opens_at": DateTimeInput(), "closes_at": DateTimeInput(),
                   "early_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "waived_organizations": forms.Textarea(attrs={"rows": 3}), "bank_details": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.fields["questions_text"].initial = questions_to_text(self.instance.questions)

    def clean_questions_text(self):
        try:
            return text_to_questions(self.cleaned_data.get("questions_text", ""))
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["questions"] = data.pop("questions_text", [])
        return {name: data[name] for name in [*self.Meta.fields, "questions"]}

    def add_domain_errors(self, errors: dict):
        for name, messages in errors.items():
            target = "questions_text" if name == "questions" else name if name in self.fields else None
            for message in messages if isinstance(messages, list) else [messages]:
                self.add_error(target, message)


class EmailForm(forms.Form):
    audience = forms.ChoiceField(label=pgettext_lazy("email recipient", "To"), choices=[
        ("all", gettext_lazy("Everyone registered (confirmed, waiting, awaiting approval)")),
        ("waiting", gettext_lazy("Only the waiting list"))])
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    message = forms.CharField(label=gettext_lazy("Message"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
