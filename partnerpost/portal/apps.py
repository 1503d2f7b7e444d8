from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "partnerpost.portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from partnerpost.content.models import Item

        from .paging import bump_version

        # every saved or deleted item, whichever way (workflow, admin, shell), makes cached totals stale
        post_save.connect(bump_version, sender=Item, weak=False, dispatch_uid="page-counts-save")
        post_delete.connect(bump_version, sender=Item, weak=False, dispatch_uid="page-counts-delete")
