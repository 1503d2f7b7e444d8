from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "partnerpost.portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from partnerpost.content.models import Item
        from partnerpost.content.signals import item_changed
        from partnerpost.editions.models import Edition
        from partnerpost.network.models import Partner

        from partnerpost.network.paging import bump_version

        # every saved or deleted item, partner or edition, whichever way (workflow, admin, shell), makes the
        # cached page totals and anonymous pages stale
        for model in (Item, Partner, Edition):
            post_save.connect(bump_version, sender=model, weak=False, dispatch_uid=f"pages-save-{model.__name__}")
            post_delete.connect(bump_version, sender=model, weak=False, dispatch_uid=f"pages-delete-{model.__name__}")
        for relation in (Item.themes, Item.countries, Item.regions):
            m2m_changed.connect(bump_version, sender=relation.through, weak=False,
                                dispatch_uid=f"pages-m2m-{relation.field.name}")
        # ...and so does an item whose publishing window opened or closed with nothing saved (the
        # publish_due_items task announces it), so a scheduled item shows at once, not a minute later
        item_changed.connect(bump_version, weak=False, dispatch_uid="pages-item-changed")
