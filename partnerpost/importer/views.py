from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from partnerpost.network.access import require

from . import services
from .forms import CandidateForm, UploadForm
from .models import Decision, ImportBatch, ImportCandidate, ImportJob, JobState
from .pipeline import Timer
from .reading import Rejected
from .tasks import analyse_import


@require(services.can_import)
def imports(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        partner = form.cleaned_data["partner"]
        data = upload.read()
        existing = services.existing_batch(data)
        if existing:
            messages.info(request, _("This file was already imported on %(date)s; nothing new was added.")
                          % {"date": existing.created_at.strftime("%Y-%m-%d")})
            return redirect("importer:review", existing.pk)
        if len(data) > settings.IMPORT_BACKGROUND_BYTES:
            # A large file is left to the task worker; the status page follows it.
            job = ImportJob.objects.create(file_name=upload.name[:255], data=data, size=len(data), partner=partner,
                                           uploaded_by=request.user)
            analyse_import.enqueue(job.pk)
            return redirect("importer:job", job.pk)
        timer = Timer()
        try:
            result = services.analyse(data, upload.name, partner=partner, timer=timer)
        except Rejected as exc:
            form.add_error("file" if exc.field in ("file", "encoding", "pages") else None, str(exc))
        else:
            result["timings"] = {name: round(ms, 1) for name, ms in timer.stages.items()}
            try:
                batch = services.store(data, upload.name, result, user=request.user, partner=partner)
            except services.AlreadyImported as exc:
                return redirect("importer:review", exc.batch.pk)
            count = len(result["items"])
            messages.success(request, ngettext("Found %(n)d item. Check it and accept or drop it.",
                                               "Found %(n)d items. Check each and accept or drop it.", count)
                             % {"n": count})
            return redirect("importer:review", batch.pk)
    batches = ImportBatch.objects.select_related("uploaded_by").annotate(
        total=Count("candidates"), pending=Count("candidates", filter=Q(candidates__decision=Decision.PENDING)),
    )[:50]
    status = 400 if request.method == "POST" else 200
    return render(request, "importer/imports.html", {"form": form, "batches": batches}, status=status)


@require(services.can_import)
def job(request, pk):
    """Where a large import stands: a page that refreshes itself until the worker is done."""
    job = get_object_or_404(ImportJob.objects.select_related("batch"), pk=pk)
    if job.state == JobState.DONE and job.batch_id:
        count = job.batch.candidates.count()
        messages.success(request, ngettext("Found %(n)d item. Check it and accept or drop it.",
                                           "Found %(n)d items. Check each and accept or drop it.", count)
                         % {"n": count})
        return redirect("importer:review", job.batch_id)
    stages = [(name, label, index < job.steps_done, name == job.stage and not job.finished)
              for index, (name, label) in enumerate(_STAGE_LABELS.items())]
    return render(request, "importer/job.html", {
        "job": job, "stages": stages, "done": job.steps_done, "total": len(ImportJob.STAGES),
        "refresh": not job.finished,
    })


_STAGE_LABELS = {
    "queued": gettext_lazy("Waiting for the task worker"), "read": gettext_lazy("Reading the file"),
    "clean": gettext_lazy("Removing headers, footers and notices"), "split": gettext_lazy("Splitting it into items"),
    "fields": gettext_lazy("Reading dates, places and organizers"),
    "store": gettext_lazy("Keeping the items for review"),
}


@require(services.can_import)
def review(request, pk):
    batch = get_object_or_404(ImportBatch.objects.select_related("partner", "uploaded_by"), pk=pk)
    candidates = list(batch.candidates.select_related("item", "match"))
    show = request.GET.get("show", "pending")
    rows = []
    for candidate in candidates:
        if show == "pending" and candidate.decision != Decision.PENDING:
            continue
        rows.append((candidate, CandidateForm.for_candidate(candidate) if candidate.decision == Decision.PENDING
                     else None))
    unmatched = sum(1 for c in candidates if c.decision == Decision.PENDING and c.match_id is None)
    return render(request, "importer/review.html", {
        "batch": batch, "rows": rows, "counts": batch.counts(), "show": show, "unmatched": unmatched,
    })


@require(services.can_import)
@require_POST
def decide(request, pk):
    candidate = get_object_or_404(ImportCandidate.objects.select_related("batch"), pk=pk)
    action = request.POST.get("action", "")
    back = reverse("importer:review", args=[candidate.batch_id]) + f"?show={request.POST.get('show', 'pending')}"
    if action == "reopen":
        services.reopen(candidate, request.user)
        return redirect(back + f"#c{candidate.pk}")
    if action == "drop":
        _run(request, lambda: services.drop(candidate, request.user), _("Dropped “%(t)s”."), candidate)
        return redirect(back)
    if action == "merge":
        _run(request, lambda: services.merge(candidate, request.user), _("Merged “%(t)s” into the existing item."),
             candidate)
        return redirect(back)
    if action not in ("save", "accept"):
        messages.error(request, _("Unknown action."))
        return redirect(back)
    form = CandidateForm(request.POST, prefix=f"c{candidate.pk}", batch_partner=candidate.batch.partner,
                         confidence=candidate.confidence)
    if not form.is_valid():
        batch = candidate.batch
        rows = [(candidate, form)]
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        return render(request, "importer/review.html", {
            "batch": batch, "rows": rows, "counts": batch.counts(), "show": "one",
        }, status=400)
    try:
        services.save_edits(candidate, form.as_data(), request.user)
        if action == "accept":
            item = services.accept(candidate, request.user)
            messages.success(request, _("“%(t)s” is now a draft item.") % {"t": item.title})
        else:
            messages.success(request, _("Saved your corrections to “%(t)s”.") % {"t": form.cleaned_data["title"]})
    except ValidationError as exc:
        for message in _messages(exc):
            messages.error(request, message)
        return redirect(back + f"#c{candidate.pk}")
    return redirect(back)


@require(services.can_import)
@require_POST
def accept_all(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk)
    accepted, problems = 0, []
    matched = batch.candidates.filter(decision=Decision.PENDING, match__isnull=False).count()
    for candidate in batch.candidates.filter(decision=Decision.PENDING, match__isnull=True):
        try:
            services.accept(candidate, request.user)
            accepted += 1
        except ValidationError as exc:
            problems.append(f"{candidate.data.get('title', '')}: {' '.join(_messages(exc))}")
    if accepted:
        messages.success(request, ngettext("%(n)d item became a draft.", "%(n)d items became drafts.", accepted)
                         % {"n": accepted})
    if matched:
        messages.info(request, ngettext(
            "%(n)d item matches an existing item: merge it or accept it on its own.",
            "%(n)d items match existing items: merge them or accept them one by one.", matched) % {"n": matched})
    for problem in problems[:10]:
        messages.error(request, problem)
    return redirect("importer:review", batch.pk)


def _run(request, action, success, candidate):
    try:
        action()
        messages.success(request, success % {"t": candidate.data.get("title", "")})
    except ValidationError as exc:
        for message in _messages(exc):
            messages.error(request, message)


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
    return list(exc.messages)
