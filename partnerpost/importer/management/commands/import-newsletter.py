import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from partnerpost.importer import services
from partnerpost.importer.pipeline import Timer
from partnerpost.importer.reading import Rejected
from partnerpost.network.models import Partner
from partnerpost.network.permissions import OPERATOR


class Command(BaseCommand):
    help = ("Import a newsletter (PDF with a text layer, Markdown, text or HTML): find its items and keep them "
            "for an editor's review at /workspace/imports/. Nothing is published.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The newsletter file, or the http(s) address of a newsletter page or file "
                                         "(fetched with the FETCH_TIMEOUT_SECONDS timeout and the IMPORT_MAX_MB limit).")
        parser.add_argument("--partner", metavar="ACRONYM",
                            help="Partner for items whose partner the document does not make clear.")
        parser.add_argument("--dry-run", action="store_true", help="Only show what would be imported; write nothing.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object (period and items).")

    def handle(self, *args, file, partner, dry_run, json: bool, **options):
        path = _load(file)
        partner_obj = None
        if partner:
            partner_obj = Partner.objects.filter(acronym__iexact=partner).first()
            if partner_obj is None:
                known = ", ".join(Partner.objects.order_by("acronym").values_list("acronym", flat=True)) or "none yet"
                raise CommandError(f"--partner: no partner has the acronym {partner!r}. Known: {known}.")
        data = path.read_bytes()  # a fetched page is already in memory
        if not dry_run:
            existing = services.existing_batch(data)
            if existing:
                return self._already(existing, json)
        timer = Timer()
        try:
            result = services.analyse(data, path.name, partner=partner_obj, timer=timer)
        except Rejected as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        result["timings"] = {name: round(ms, 1) for name, ms in timer.stages.items()}
        if dry_run:
            return self._print(result, json, None)
        try:
            batch = services.store(data, path.name, result, user=OPERATOR, partner=partner_obj)
        except services.AlreadyImported as exc:  # another import of the same file won the race
            return self._already(exc.batch, json)
        return self._print(result, json, batch)

    def _review_url(self, batch) -> str:
        return settings.SITE_URL + reverse("importer:review", args=[batch.pk])

    def _already(self, batch, as_json: bool):
        message = (f"This file was already imported as import #{batch.pk} on {batch.created_at:%Y-%m-%d}; "
                   "nothing new was written.")
        if as_json:
            self.stdout.write(json.dumps({"duplicate_of": batch.pk, "review_url": self._review_url(batch),
                                          "message": message}))
        else:
            self.stdout.write(message + f"\nReview it at {self._review_url(batch)}")

    def _print(self, result: dict, as_json: bool, batch):
        if as_json:
            out = {"period": result["period"], "items": result["items"]}
            if batch is not None:
                out["batch"] = batch.pk
                out["review_url"] = self._review_url(batch)
            self.stdout.write(json_dumps(out))
            return
        period = result["period"]
        doc = result["document"]
        self.stdout.write(f"{doc['format'].upper()}, {doc['pages']} page(s); period: "
                          f"{period['label'] + ' (' + period['start'] + ' to ' + period['end'] + ')' if period else 'not found'}")
        for number, item in enumerate(result["items"], 1):
            when = item["start"] if item["start"] == item["end"] else f"{item['start']} to {item['end']}"
            self.stdout.write(f"{number:3}. [{item['kind']}] {item['title']}")
            details = [f"when: {when}" if item["start"] else "when: —", f"section: {item['section'] or '—'}",
                       f"page {item['source']['page']}"]
            if item["organizers"]:
                details.append("by: " + ", ".join(item["organizers"]))
            self.stdout.write("       " + " · ".join(details))
        timings = ", ".join(f"{name} {ms:.0f} ms" for name, ms in result.get("timings", {}).items())
        self.stdout.write(f"{len(result['items'])} items found ({timings}).")
        if batch is None:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(f"Saved as import #{batch.pk} for review: {self._review_url(batch)}")


class _Fetched:
    """A page fetched from an address, standing in for a file: its name and bytes."""

    def __init__(self, name: str, data: bytes):
        self.name, self._data = name, data

    def read_bytes(self) -> bytes:
        return self._data


def _load(file: str):
    """The newsletter named on the command line: a local file, or a page fetched from an http(s) address."""
    if "://" in file:
        from partnerpost.importer.fetching import FetchError, fetch_document

        try:
            data, name = fetch_document(file, max_bytes=services.limits()["max_bytes"])
        except FetchError as exc:
            raise CommandError(f"{file}: {exc}") from None
        return _Fetched(name, data)
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"No such file: {file}")
    return path


def json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
