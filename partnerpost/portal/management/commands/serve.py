import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Partnerpost with the production WSGI server (granian). Collects static files first."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"), help="Address to bind (default 127.0.0.1; HOST).")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")), help="Port (default 8000; PORT).")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")), help="Worker processes (default 2; WEB_WORKERS).")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")), help="Threads per worker (default 4; WEB_THREADS).")
        parser.add_argument("--no-collectstatic", action="store_true", help="Skip collecting static files.")

    def handle(self, *args, **options):
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Partnerpost serving at http://{options['host']}:{options['port']}/ (Ctrl-C stops)")
        self.stdout.flush()
        argv = [
            sys.executable, "-m", "granian", "--interface", "wsgi",
            "--host", options["host"], "--port", str(options["port"]),
            "--workers", str(options["workers"]), "--blocking-threads", str(options["threads"]),
            "--no-ws", "partnerpost.wsgi:application",
        ]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
        # Without SITE_URL, links follow the port served (settings read PORT in the server's processes).
        os.environ["PORT"] = str(options["port"])
        os.execv(sys.executable, argv)
