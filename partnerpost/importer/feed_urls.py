"""/workspace/feeds/: a partner's members and secretariat editors register the partner's feeds."""

from django.urls import path

from . import feed_views

app_name = "importer_feeds"
urlpatterns = [
    path("", feed_views.feed_list, name="list"),
    path("<int:pk>/poll/", feed_views.feed_poll, name="poll"),
    path("<int:pk>/resume/", feed_views.feed_resume, name="resume"),
    path("<int:pk>/remove/", feed_views.feed_remove, name="remove"),
]
