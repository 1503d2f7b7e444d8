"""Background tasks of the discovery app (django-tasks; see README, "Background tasks")."""

from django_tasks import task

from . import search


@task()
def rebuild_search_index() -> int:
    """Index every published item and edition again (as `partnerpost search rebuild`); returns the items indexed."""
    return search.rebuild()
