from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    name = "partnerpost.discovery"
    verbose_name = _("Discovery")

    def ready(self):
        from partnerpost.content.signals import item_changed

        from . import search

        from partnerpost.editions.signals import edition_published

        item_changed.connect(lambda sender, item, **kwargs: search.refresh(item), weak=False, dispatch_uid="search-index")
        edition_published.connect(lambda sender, edition, **kwargs: search.index_edition(edition), weak=False,
                                  dispatch_uid="search-index-editions")
