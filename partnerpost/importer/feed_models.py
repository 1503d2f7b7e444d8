"""Partners' feeds (RSS, Atom, iCalendar) and the entries read from them. Imported by models.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

#: Failures in a row after which a feed is paused and its partner told.
PAUSE_AFTER_FAILURES = 5


class FeedState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("feed state", "active")
    PAUSED = "paused", _("paused")


class Feed(models.Model):
    """One feed address a partner registered. Polling turns its new entries into draft items."""

    partner = models.ForeignKey("network.Partner", verbose_name=_("partner"), on_delete=models.CASCADE,
                                related_name="feeds")
    url = models.URLField(_("feed address"), max_length=1000)
    format = models.CharField(max_length=8, blank=True)  # rss, atom or ical, once read
    title = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=8, choices=FeedState.choices, default=FeedState.ACTIVE)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    #: SHA-256 of the last body read in full: a server that ignores conditional requests but sends the same
    #: bytes again costs no parsing either.
    content_sha256 = models.CharField(max_length=64, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)  # failed polls in a row
    last_error = models.TextField(blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner__acronym", "url"]
        constraints = [models.UniqueConstraint(fields=["partner", "url"], name="feed_unique_partner_url")]
        verbose_name = _("partner feed")

    def __str__(self):
        return self.url

    @property
    def is_paused(self) -> bool:
        return self.state == FeedState.PAUSED


class FeedEntry(models.Model):
    """Provenance: one entry of a feed, the item it became (or was matched to), and when it was read."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    uid = models.CharField(max_length=500)
    link = models.URLField(max_length=500, blank=True)
    title = models.CharField(max_length=300)
    date = models.DateField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64)
    item = models.ForeignKey("content.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    matched = models.BooleanField(default=False)  # the item existed before (hand-made or imported)
    #: The item's revision after the feed last wrote it: a later revision means a person edited the draft,
    #: and a change in the feed no longer overwrites it.
    item_revision = models.PositiveIntegerField(default=0)
    fetched_at = models.DateTimeField()
    changed_at = models.DateTimeField(null=True, blank=True)  # the last time a change of the entry was applied

    class Meta:
        ordering = ["feed", "-fetched_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["feed", "uid"], name="feed_entry_unique_uid")]

    def __str__(self):
        return self.title
