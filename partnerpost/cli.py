"""The `partnerpost` command: Django's management commands plus Partnerpost's own.

    partnerpost serve --port 8000                 production WSGI server (granian)
    partnerpost migrate                           create or update the database
    partnerpost demo load                         demo partners, items, users and edition (safe to run twice)
    partnerpost edition list | build ...          newsletter editions and their renderings
    partnerpost subscribers import | export ...   subscriber lists as CSV (with the partners and themes they follow)
    partnerpost bounces read PATH... [--json]     count bounces and complaints from .eml files, mbox files or Maildirs
    partnerpost send (SLUG|--latest) [--test ADDRESS...] [--at ISO-DATETIME] [--wait]   send an edition (or a test)
    partnerpost worker                            the sending worker
    partnerpost search rebuild [--background]     rebuild the search index (or queue the rebuild)
    partnerpost content recount                   count the live items again (the archive's kept total)
    partnerpost tasks worker | schedule | list    background tasks: run them, tick the schedule, see results
    partnerpost import-newsletter FILE|URL [--dry-run --json]  find the items of an old newsletter for review
    partnerpost import-train [--corrections FILE]          retrain the importer's line model (reproducible)
    partnerpost import-corrections [--export FILE]         reviewed import candidates as training examples
    partnerpost feeds add PARTNER URL | list | remove FEED | resume FEED | poll [--json]   partners' feeds
    partnerpost token create USERNAME [--name LABEL]        print a new API token for that user's partner
    partnerpost backup PATH                       database, uploads and a manifest in one archive (docs/operations.md)
    partnerpost restore PATH                      restore such an archive into an empty database
    partnerpost axes_reset_username USERNAME      unlock an account locked after failed sign-ins
    partnerpost help [COMMAND]                    every command, or one command's options
"""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerpost.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "partnerpost"
    if len(argv) == 1:
        print(__doc__)
        argv.append("help")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
