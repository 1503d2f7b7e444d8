from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One uploaded newsletter. The SHA-256 of its bytes is unique, so the same file is never imported twice."""

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    format = models.CharField(max_length=12)
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=1)
    partner = models.ForeignKey(
        "network.Partner", verbose_name=_("default partner"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Items whose partner cannot be told from the document go to this partner."),
    )
    period_label = models.CharField(max_length=120, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=300, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("newsletter import")

    def __str__(self):
        return self.file_name

    def counts(self) -> dict:
        counts = {choice: 0 for choice, _label in Decision.choices}
        for row in self.candidates.values("decision").annotate(n=models.Count("pk")):
            counts[row["decision"]] = row["n"]
        counts["total"] = sum(counts.values())
        counts["done"] = counts["total"] - counts[Decision.PENDING]
        counts["percent"] = round(100 * counts["done"] / counts["total"]) if counts["total"] else 100
        return counts


class Decision(models.TextChoices):
    PENDING = "pending", _("to review")
    ACCEPTED = "accepted", _("accepted")
    MERGED = "merged", _("merged")
    DROPPED = "dropped", _("dropped")


class ImportCandidate(models.Model):
    """One item found in a newsletter, waiting for an editor: its fields (as corrected), where they came from
    in the document, and how sure the importer was of each."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="candidates")
    position = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    source_text = models.TextField(blank=True)
    page = models.PositiveIntegerField(default=1)
    span_start = models.PositiveIntegerField(default=0)
    span_end = models.PositiveIntegerField(default=0)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING, db_index=True)
    item = models.ForeignKey("content.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    match = models.ForeignKey("content.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "position"]
        unique_together = [("batch", "position")]

    def __str__(self):
        return self.data.get("title", "")

    @property
    def confidence(self) -> dict:
        return self.data.get("confidence", {})

    def evidence(self) -> list[dict]:
        """Per field: how sure the importer was, and the page and characters it read the value from."""
        provenance = self.data.get("provenance", {})
        rows = []
        for name, value in self.confidence.items():
            rows.append({"name": name, "confidence": value, "source": provenance.get(name)})
        return rows


class JobState(models.TextChoices):
    QUEUED = "queued", _("waiting for the task worker")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("refused")


class ImportJob(models.Model):
    """A large newsletter waiting for, or going through, analysis by the task worker (`importer.tasks`).

    The file's bytes are kept here until the analysis ends, so any worker on any machine can read them; the
    status page follows `stage` through `STAGES`."""

    #: The stages of an analysis, in order; the status page's progress bar counts them.
    STAGES = ("queued", "read", "clean", "split", "fields", "store")

    file_name = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(editable=False)
    size = models.PositiveIntegerField(default=0)
    partner = models.ForeignKey("network.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    stage = models.CharField(max_length=10, default="queued")
    message = models.TextField(blank=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def steps_done(self) -> int:
        if self.state == JobState.DONE:
            return len(self.STAGES)
        return self.STAGES.index(self.stage) if self.stage in self.STAGES else 0

from .feed_models import Feed, FeedEntry, FeedState  # noqa: E402,F401  partners' feeds (issue 17)
