"""Demo registrations, loaded by `partnerpost demo load` after the content demo; safe to run twice.

- ICAP's virtual workshop (USD 50, four sessions, enrolment deadline 13 November 2020): registrations made
  before the deadline, invoices (some paid), an early-bird price and a waived organization;
- UNPOG's two-day online training: 6 places, a waiting list, one cancellation that moved the first person up;
- ICAP's graduation ceremony: attendance marked and certificates issued;
- one FUTURE event (dated from the day the demo is loaded, so it stays ahead) taking registrations now,
  with a capacity and a waiting list.

The 2020 registrations go through the same workflows, at the time they would have been made (`now=`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

PEOPLE = [
    ("María Fernanda Solís", "Ministerio de Hacienda", "CR", "es"),
    ("José Andrés Rivas", "Municipalidad de San Salvador", "SV", "es"),
    ("Lucía Herrera", "Secretaría de Planificación", "GT", "es"),
    ("Daniel Castro", "UN DESA", "US", "en"),
    ("Ana Gabriela Núñez", "Autoridad Nacional de Innovación", "PA", "es"),
    ("Roberto Méndez", "Instituto de Fomento Municipal", "HN", "es"),
    ("Siti Aminah", "Public Service Department", "MY", "en"),
    ("Tran Thi Mai", "Ministry of Home Affairs", "VN", "en"),
    ("Rahul Menon", "Department of Administrative Reforms", "IN", "en"),
    ("Kim Ji-woo", "Ministry of the Interior and Safety", "KR", "en"),
    ("Fatima Zahra", "Ministry of Digital Economy", "MA", "fr"),
    ("Nguyen Van An", "Hanoi People's Committee", "VN", "en"),
    ("Ahmad Faiz", "Selangor State Secretariat", "MY", "en"),
    ("Priya Nair", "Kerala Institute of Local Administration", "IN", "en"),
]
BANK = "Banco Nacional de Costa Rica · IBAN CR05 0152 0200 1026 2840 66 · SWIFT BNCRCRSJ\nInstituto Centroamericano de Administración Pública"
FUTURE_TITLE = "Online course: Results-based budgeting for local governments"


def _email(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return ".".join(plain.replace("-", " ").split()) + "@example.org"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.UTC)


def load(log=print) -> dict:
    from partnerpost.content import workflows as content
    from partnerpost.content.models import Item
    from partnerpost.network.models import Partner, User

    from . import workflows
    from .models import Registration, RegistrationSettings

    created = {"events": 0, "registrations": 0, "certificates": 0}
    editor = User.objects.get(username="editor")
    with transaction.atomic():
        # ICAP's workshop: a fee, an early-bird price, a waived organization, an enrolment deadline.
        workshop = Item.objects.get(title="Taller virtual Prospectiva e innovación en la gestión territorial")
        if not RegistrationSettings.objects.filter(item=workshop).exists():
            workflows.save_settings(editor, workshop, {
                "capacity": 30, "waiting_list": True, "opens_at": _at(dt.date(2020, 10, 1), 0),
                "fee_amount": Decimal("50.00"), "fee_currency": "USD", "early_fee_amount": Decimal("40.00"),
                "early_until": dt.date(2020, 10, 31), "waived_organizations": "UN DESA", "bank_details": BANK,
                "payment_days": 14, "ask_position": "optional",
                "questions": [{"key": "sector", "label": "Sector", "type": "choice", "required": True,
                               "choices": ["national government", "local government", "academia", "other"]}]})
            workflows.save_sessions(editor, workshop, [(_at(dt.date(2020, 11, 13), 15 + n), f"Sesión {n + 1}") for n in range(4)])
            created["events"] += 1
            for n, (name, org, country, lang) in enumerate(PEOPLE[:6]):
                when = _at(dt.date(2020, 10, 20) + dt.timedelta(days=3 * n), 14)
                registration = workflows.register(workshop, name=name, email=_email(name), language=lang, now=when,
                                                  answers={"organization": org, "country": country,
                                                           "sector": "local government" if n % 2 else "national government"})
                created["registrations"] += 1
                invoice = getattr(registration, "invoice", None)
                if invoice is not None and n < 3:
                    workflows.mark_invoice_paid(editor, invoice, amount=invoice.amount, reference=f"BNCR-2020-{801 + n}",
                                                now=when + dt.timedelta(days=2))

        # UNPOG's training: a small capacity, a waiting list, a cancellation that moved the first person up.
        training = Item.objects.get(title__startswith="Online Training Workshop on “Government Innovation for Social Inclusion")
        if not RegistrationSettings.objects.filter(item=training).exists():
            workflows.save_settings(editor, training, {"capacity": 6, "waiting_list": True, "ask_country": "required",
                                                       "opens_at": _at(dt.date(2020, 10, 1), 0)})
            created["events"] += 1
            rows = []
            for n, (name, org, country, lang) in enumerate(PEOPLE[6:14]):
                rows.append(workflows.register(training, name=name, email=_email(name), language=lang,
                                               answers={"organization": org, "country": country},
                                               now=_at(dt.date(2020, 10, 10) + dt.timedelta(days=n), 9)))
                created["registrations"] += 1
            workflows.cancel_registration(rows[2], now=_at(dt.date(2020, 10, 25), 10))

        # ICAP's graduation ceremony: everyone attended; certificates issued.
        ceremony = Item.objects.get(title="XLVI ICAP graduation ceremony")
        if not RegistrationSettings.objects.filter(item=ceremony).exists():
            workflows.save_settings(editor, ceremony, {"capacity": None, "waiting_list": False, "attendance_share": 100,
                                                       "opens_at": _at(dt.date(2020, 10, 1), 0), "reminder_days": None,
                                                       "reminder_hours": None})
            created["events"] += 1
            graduates = []
            for n, (name, org, country, lang) in enumerate(PEOPLE[:5]):
                graduates.append(workflows.register(ceremony, name=name, email=_email(name), language=lang,
                                                    answers={"organization": org, "country": country},
                                                    now=_at(dt.date(2020, 10, 15) + dt.timedelta(days=n), 16)))
                created["registrations"] += 1
            session = workflows.sessions_for(ceremony)[0]
            for graduate in graduates[:4]:
                workflows.mark_attendance(editor, session, graduate, method="list")
            created["certificates"] += len(workflows.issue_certificates(editor, ceremony, now=_at(dt.date(2020, 10, 31), 12)))

        # A future event that takes registrations now.
        future = Item.objects.filter(title=FUTURE_TITLE).first()
        if future is None:
            icap = Partner.objects.get(acronym="ICAP")
            start = timezone.now().date() + dt.timedelta(days=45)
            data = content.ItemInput(values={
                "kind": "event", "partner": icap, "title": FUTURE_TITLE, "event_type": "course", "event_format": "online",
                "start_date": start, "end_date": start + dt.timedelta(days=2), "start_time": dt.time(15, 0),
                "end_time": dt.time(17, 0), "time_zone": "America/Costa_Rica", "online_url": "https://meet.example.org/icap-budgeting",
                "enrolment_deadline": start - dt.timedelta(days=7), "capacity": 25, "session_count": 3,
                "summary": "Three afternoons on linking local budgets to results: programme structures, indicators and "
                           "reporting to councils and citizens.",
            }, related=content.Related(organizations=[content.Organization(role="organizer", partner=icap, name="")]))
            future = content.save_item(editor, data, submit=True)
            content.approve_item(editor, future)
            content.publish_item(editor, future)
            workflows.save_settings(editor, future, {"capacity": 25, "waiting_list": True, "ask_position": "optional"})
            workflows.save_sessions(editor, future, [(None, f"Afternoon {n}") for n in (1, 2, 3)])
            created["events"] += 1
            for n, (name, org, country, lang) in enumerate(PEOPLE[:8]):
                workflows.register(future, name=name, email=_email(name), language=lang,
                                   answers={"organization": org, "country": country})
                created["registrations"] += 1
    log(f"Demo registrations: {created['events']} events set up, {created['registrations']} registrations, "
        f"{created['certificates']} certificates ({Registration.objects.count()} registrations in all).")
    return created
