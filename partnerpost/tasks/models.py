from django.db import models
from django.utils import timezone


class PeriodicRun(models.Model):
    """A periodic task queued for one period. The unique pair is what lets any number of workers tick:
    the first to insert the row queues the task, the others find the row and queue nothing."""

    name = models.CharField(max_length=100)
    period_start = models.DateTimeField()
    queued_at = models.DateTimeField(default=timezone.now)
    result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "period_start"], name="tasks_periodic_once_per_period")]
        ordering = ["-period_start", "name"]

    def __str__(self):
        return f"{self.name} for {self.period_start:%Y-%m-%d %H:%M:%S}"
