"""Background tasks of the importer (django-tasks; see README, "Background tasks").

A large newsletter (over IMPORT_BACKGROUND_MB) is not analysed inside the web request: the upload view keeps
it as an `ImportJob` and queues `analyse_import`, and the status page shows the stages as the worker passes
them. The command line (`partnerpost import-newsletter`) still analyses in the foreground.
"""

from __future__ import annotations

import logging

from django_tasks import task

from . import services
from .models import ImportJob, JobState
from .pipeline import Timer
from .reading import Rejected

log = logging.getLogger(__name__)


class _StageTimer(Timer):
    """A timer that also records, on the job, the stage the analysis is entering."""

    def __init__(self, job_pk: int):
        super().__init__()
        self.job_pk = job_pk

    def lap(self, name: str) -> None:
        super().lap(name)
        stages = ImportJob.STAGES
        following = stages[stages.index(name) + 1] if name in stages[:-1] else name
        ImportJob.objects.filter(pk=self.job_pk).update(stage=following)


@task()
def analyse_import(job_pk: int) -> dict:
    """Analyse and store one uploaded newsletter. Returns {"state", "batch", "items"}."""
    job = ImportJob.objects.select_related("partner", "uploaded_by").filter(pk=job_pk).first()
    if job is None or job.finished:
        return {"state": "gone" if job is None else job.state, "batch": None, "items": 0}
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, stage="read")
    data = bytes(job.data)
    timer = _StageTimer(job.pk)
    try:
        result = services.analyse(data, job.file_name, partner=job.partner, timer=timer)
        result["timings"] = {name: round(ms, 1) for name, ms in timer.stages.items()}
        try:
            batch = services.store(data, job.file_name, result, user=job.uploaded_by, partner=job.partner)
        except services.AlreadyImported as exc:
            batch = exc.batch
    except Rejected as exc:
        ImportJob.objects.filter(pk=job.pk).update(state=JobState.FAILED, message=str(exc), data=b"")
        return {"state": JobState.FAILED, "batch": None, "items": 0}
    except Exception:
        log.exception("Import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            state=JobState.FAILED, data=b"",
            message="The analysis stopped on an unexpected error; the site's log has the details.",
        )
        raise
    count = batch.candidates.count()
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.DONE, stage="store", batch=batch, data=b"")
    return {"state": JobState.DONE, "batch": batch.pk, "items": count}
