import sys
import time

from django.core.management.base import BaseCommand, CommandError

from partnerpost.audience import workflows


class Command(BaseCommand):
    help = "Subscribers: import a CSV (email, name, language, organization, country) or export them all."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imp = sub.add_parser("import", help="Import subscribers from a CSV file; bad rows are reported by line, good rows imported.")
        imp.add_argument("file", help="CSV with a header row; only the email column is required. partners and themes: partner acronyms and theme slugs separated by ';' (one unknown refuses the whole file).")
        imp.add_argument("--confirmed", action="store_true", help="The people on the list already agreed to receive the newsletter: record that, and make them confirmed.")
        imp.add_argument("--statement", default="", help="With --confirmed: how and when they agreed, kept in each consent record.")
        imp.add_argument("--send-confirmations", action="store_true", help="Email each new, unconfirmed address a confirmation link (never done otherwise).")
        exp = sub.add_parser("export", help="Write every subscriber to a CSV file.")
        exp.add_argument("-o", "--output", required=True, help="File to write; - for standard output.")

    def handle(self, *args, action, **options):
        if action == "export":
            if options["output"] == "-":
                count = workflows.export_csv(sys.stdout)
            else:
                with open(options["output"], "w", newline="", encoding="utf-8") as handle:
                    count = workflows.export_csv(handle)
            self.stderr.write(f"Exported {count} subscribers.")
            return
        if options["confirmed"] and not options["statement"].strip():
            raise CommandError("--confirmed needs --statement saying how these people agreed (it is kept as evidence of consent).")
        started = time.perf_counter()
        try:
            with open(options["file"], newline="", encoding="utf-8-sig") as handle:
                report = workflows.import_csv(
                    handle, confirmed=options["confirmed"], send_confirmations=options["send_confirmations"],
                    statement=options["statement"].strip(),
                    progress=lambda n: self.stderr.write(f"Checked the file: {n} distinct addresses to write…"),
                )
        except FileNotFoundError:
            raise CommandError(f"No such file: {options['file']}") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{options['file']} is not UTF-8 text (byte {exc.start}): save it as UTF-8 CSV.") from None
        for line, message in report.errors[:50]:
            self.stderr.write(f"line {line}: {message}")
        if len(report.errors) > 50:
            self.stderr.write(f"… and {len(report.errors) - 50} more errors.")
        if report.refused:
            raise CommandError(f"Nothing imported: {options['file']} names partners or themes that do not exist "
                               f"(the lines above). Partner acronyms and theme slugs are separated by ';'.")
        self.stdout.write(
            f"{report.created} new, {report.merged} merged with existing or repeated rows, {len(report.errors)} rows with errors "
            f"({time.perf_counter() - started:.1f} s)."
        )
