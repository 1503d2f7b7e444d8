"""The `partnerpost` command: Django's management commands plus Partnerpost's own.

    partnerpost serve --port 8000     production WSGI server (granian)
    partnerpost demo load             demo partners, items and users (safe to run twice)
    partnerpost migrate               create or update the database
    partnerpost help                  every command
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
