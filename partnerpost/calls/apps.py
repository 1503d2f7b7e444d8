from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_text_index(sender, using, **kwargs):
    """A later SQLite migration that remakes calls_submission drops the text index's triggers: put them back."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from . import textindex

    connection = connections[using]
    if ("calls", "0003_catalogue_text_index") in MigrationRecorder(connection).applied_migrations():
        textindex.ensure(connection)


def _entry_deleted(sender, instance, **kwargs):
    """A published entry deleted (by the admin or a script): the catalogue changes."""
    from .catalogue import bump_version
    from .enums import SubmissionState

    if instance.state == SubmissionState.ACCEPTED:
        bump_version(instance.call_id)


class CallsConfig(AppConfig):
    name = "partnerpost.calls"
    verbose_name = _("Calls for inputs")

    def ready(self):
        post_migrate.connect(_ensure_text_index, sender=self, dispatch_uid="calls_text_index")
        post_delete.connect(_entry_deleted, sender="calls.Submission", dispatch_uid="calls_entry_deleted")
