"""An event's registrations as CSV or XLSX: one row per registration, one column per question."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _

from partnerpost.lib.csvcells import safe_cell, writer as csv_writer


def table(config, rows) -> tuple[list[str], list[list]]:
    custom = [q for q in (config.questions if config else [])]
    header = [_("Number"), _("Name"), _("Email"), _("Status"), _("Organization"), _("Country"), _("Position"),
              *[q["label"] for q in custom], _("Fee"), _("Currency"), _("Registered at (UTC)"), _("Language")]
    body = []
    for r in rows:
        answers = [r.answers.get(q["key"], "") for q in custom]
        answers = [(_("yes") if a else _("no")) if isinstance(a, bool) else a for a in answers]
        body.append([r.pk, r.name, r.email, r.status, r.organization, r.country, r.position, *answers,
                     str(r.fee_amount) if r.fee_amount is not None else "", r.fee_currency,
                     r.created_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
                     r.language])
    return header, body


def as_csv(config, rows) -> bytes:
    header, body = table(config, rows)
    stream = io.StringIO()
    out = csv_writer(stream)
    out.writerow(header)
    out.writerows(body)
    return ("\ufeff" + stream.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def as_xlsx(config, rows) -> bytes:
    import xlsxwriter

    header, body = table(config, rows)
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(_("Registrations")[:31])
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, header, bold)
    for number, row in enumerate(body, start=1):
        sheet.write_row(number, 0, [safe_cell(cell) for cell in row])
    sheet.freeze_panes(1, 0)
    book.close()
    return output.getvalue()
