from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "partnerpost.content"
    verbose_name = _("Content")

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

        from . import livetotal
        from .models import Item

        # The archive's total follows every saved or deleted item (content.livetotal).
        pre_save.connect(livetotal.before_save, sender=Item, dispatch_uid="live-total-pre-save")
        post_save.connect(livetotal.after_save, sender=Item, dispatch_uid="live-total-post-save")
        pre_delete.connect(livetotal.before_delete, sender=Item, dispatch_uid="live-total-pre-delete")
        post_delete.connect(livetotal.after_delete, sender=Item, dispatch_uid="live-total-post-delete")
