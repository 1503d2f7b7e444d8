"""Shared set-up for benchmarks: Django on a throw-away SQLite database with the demo content."""

import os
import sys
import tempfile
from pathlib import Path


def django_with_demo():
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    var = tempfile.mkdtemp(prefix="partnerpost-bench-")
    os.environ.setdefault("PARTNERPOST_VAR_DIR", var)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{var}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerpost.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from partnerpost.content import demo
    from partnerpost.editions import demo as edition_demo

    demo.load(log=lambda *_: None)
    return edition_demo.load(log=lambda *_: None)
