"""The `partnerpost` command: Django's management commands plus Partnerpost's own.

    partnerpost serve --port 8000                 production WSGI server (granian)
    partnerpost migrate                           create or update the database
    partnerpost demo load                         demo partners, items, users and edition (safe to run twice)
    partnerpost edition list | build ...          newsletter editions and their renderings
    partnerpost subscribers import | export ...   subscriber lists as CSV
    partnerpost send (SLUG|--latest) [--test ADDRESS...] [--at ISO-DATETIME] [--wait]   send an edition (or a test)
    partnerpost worker                            the sending worker
    partnerpost search rebuild [--background]     rebuild the search index (or queue the rebuild)
    partnerpost tasks worker | schedule | list    background tasks: run them, tick the schedule, see results
    partnerpost import-newsletter FILE [--dry-run --json]  find the items of an old newsletter for review
    partnerpost token create USERNAME [--name LABEL]        print a new API token for that user's partner
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
