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
