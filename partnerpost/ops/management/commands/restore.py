from django.core.management.base import BaseCommand, CommandError

from partnerpost.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = ("Restore a backup archive made by `partnerpost backup` into an EMPTY database (DATABASE_URL) and an "
            "empty MEDIA_ROOT. Every file is checked against the manifest first; a database that already has "
            "tables is refused.")

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="the archive written by `partnerpost backup`")

    def handle(self, *args, path, **options):
        try:
            restore_backup(path, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
