import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerpost.importer.learning.model import MODEL_PATH


class Command(BaseCommand):
    help = ("Retrain the importer's line model (a CRF over the layout and text of each line) from generated "
            "newsletters, the train split of tests/importer/split.json and, optionally, editors' corrections. "
            "The same seed and options give the same model.")

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(MODEL_PATH),
                            help="Where to write the model (default: the file shipped in the package).")
        parser.add_argument("--seed", type=int, default=17, help="Seed of the newsletter generator.")
        parser.add_argument("--per-template", type=int, default=12,
                            help="Generated newsletters per template (each in one of four languages).")
        parser.add_argument("--pdf-every", type=int, default=6,
                            help="Print every Nth generated newsletter as a PDF and read it back (0: none).")
        parser.add_argument("--exclude", action="append", default=[], metavar="SOURCE",
                            help="Leave out a source of the train split (repeatable).")
        parser.add_argument("--corrections", metavar="FILE",
                            help="A JSON file written by `partnerpost import-corrections --export`.")

    def handle(self, *args, output, seed, per_template, pdf_every, exclude, corrections, **options):
        from partnerpost.importer.learning.train import train

        if per_template < 1:
            raise CommandError("--per-template: give 1 or more.")
        if corrections and not Path(corrections).is_file():
            raise CommandError(f"--corrections: no such file: {corrections}")
        if corrections:
            try:
                records = json.loads(Path(corrections).read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise CommandError(f"--corrections: {corrections} is not JSON written by import-corrections "
                                   f"({exc}).") from None
            if not isinstance(records, list) or any(not isinstance(r, dict) or "text" not in r or "item" not in r
                                                    for r in records):
                raise CommandError(f"--corrections: {corrections} is not a list of records with 'text' and 'item'.")
        counts = train(Path(output), seed=seed, per_template=per_template, pdf_every=pdf_every, exclude=set(exclude),
                       corrections=Path(corrections) if corrections else None)
        self.stdout.write(f"Wrote {output} ({counts['bytes']:,} bytes): {counts['synthetic']} generated newsletters, "
                          f"{counts['corpus']} labelled documents, {counts['corrections']} corrections, "
                          f"{counts['lines']:,} lines.")
